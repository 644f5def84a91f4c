import { describe, expect, it } from 'vitest';
import { callsIn } from '../../../../src/core/semantics/index.js';

type Lang = 'go' | 'java';

/** The first argument of the first call resolving to `canonical`: its folded value, or undefined if no call does. */
function firstArg(code: string, lang: Lang, canonical: string): { found: boolean; value: string | null } {
  const result = callsIn(code, lang);
  expect(result.gaveUp).toBeNull();
  const call = result.calls.find((c) => c.canonical === canonical);
  return { found: call !== undefined, value: call?.args[0]?.value ?? null };
}

const go = (imports: string, body: string): string => `package main\n\nimport (\n${imports}\n)\n\nfunc f(user string) {\n${body}\n}\n`;
const java = (imports: string, body: string): string =>
  `${imports}\nclass A {\n  void f(String user) throws Exception {\n${body}\n  }\n}\n`;

interface Case {
  name: string;
  code: string;
  canonical: string;
  /** Expected folded first argument; null for dynamic. `absent` when no call may resolve to `canonical`. */
  value: string | null | 'absent';
}

function check(lang: Lang, cases: Case[]): void {
  for (const c of cases) {
    it(c.name, () => {
      const got = firstArg(c.code, lang, c.canonical);
      if (c.value === 'absent') expect(got.found).toBe(false);
      else {
        expect(got.found).toBe(true);
        expect(got.value).toBe(c.value);
      }
    });
  }
}

describe('Go names', () => {
  check('go', [
    { name: 'plain import', code: go('\t"os/exec"', '\texec.Command(user)'), canonical: 'exec.Command', value: null },
    { name: 'aliased import', code: go('\tex "os/exec"', '\tex.Command("ls")'), canonical: 'exec.Command', value: 'ls' },
    { name: 'dot import', code: go('\t. "os/exec"', '\tCommand("id")'), canonical: 'exec.Command', value: 'id' },
    { name: 'function value bound with :=', code: go('\t"os/exec"', '\trun := exec.Command\n\trun("sh", "-c", user)'), canonical: 'exec.Command', value: 'sh' },
    { name: 'function value bound with var and =', code: go('\t"os/exec"', '\tvar run func(string, ...string) *exec.Cmd\n\trun = exec.Command\n\trun(user)'), canonical: 'exec.Command', value: null },
    { name: 'syscall.Exec through an alias', code: go('\tsys "syscall"', '\tsys.Exec("/bin/sh", nil, nil)'), canonical: 'syscall.Exec', value: '/bin/sh' },
    // Negatives.
    { name: 'a blank import is not a dot import', code: go('\t. "os/exec"\n\t_ "fmt"', '\tCommand("id")'), canonical: 'exec.Command', value: 'id' },
    { name: 'a package outside the standard library keeps its path', code: go('\t"github.com/acme/exec"', '\texec.Command("x")'), canonical: 'exec.Command', value: 'absent' },
    { name: 'a parameter shadows the package', code: 'package main\n\nimport "os/exec"\n\nfunc f(exec runner) {\n\texec.Command("x")\n}\n', canonical: 'exec.Command', value: 'absent' },
    { name: 'a name bound twice to different functions', code: go('\t"os/exec"\n\t"fmt"', '\trun := exec.Command\n\trun = fmt.Println\n\trun("x")'), canonical: 'exec.Command', value: 'absent' },
    { name: 'two dot imports: free names stay unresolved', code: go('\t. "os/exec"\n\t. "fmt"', '\tCommand("id")'), canonical: 'exec.Command', value: 'absent' },
  ]);
});

describe('Go constants', () => {
  check('go', [
    { name: 'concatenation of literals and a const', code: 'package main\n\nimport "os/exec"\n\nconst bin = "/bin/"\n\nfunc f() {\n\texec.Command(bin + "sh")\n}\n', canonical: 'exec.Command', value: '/bin/sh' },
    { name: 'raw string', code: go('\t"os/exec"', '\texec.Command(`b\\ash`)'), canonical: 'exec.Command', value: 'b\\ash' },
    { name: 'escapes in an interpreted string', code: go('\t"os/exec"', '\texec.Command("\\x73\\150")'), canonical: 'exec.Command', value: 'sh' },
    { name: 'strings.Join of a slice literal', code: go('\t"os/exec"\n\t"strings"', '\texec.Command(strings.Join([]string{"s", "h"}, ""))'), canonical: 'exec.Command', value: 'sh' },
    { name: 'fmt.Sprintf of constants', code: go('\t"os/exec"\n\t"fmt"', '\texec.Command(fmt.Sprintf("%s%s", "s", "h"))'), canonical: 'exec.Command', value: 'sh' },
    { name: 'base64 of a literal, value and error bound with :=', code: go('\t"os/exec"\n\t"encoding/base64"', '\tb, _ := base64.StdEncoding.DecodeString("c2g=")\n\texec.Command(string(b))'), canonical: 'exec.Command', value: 'sh' },
    { name: 'hex of a literal, value and error bound with var', code: go('\t"os/exec"\n\t"encoding/hex"', '\tvar b, err = hex.DecodeString("7368")\n\texec.Command(string(b))'), canonical: 'exec.Command', value: 'sh' },
    { name: 'string of a byte slice literal', code: go('\t"os/exec"', '\texec.Command(string([]byte{115, 104}))'), canonical: 'exec.Command', value: 'sh' },
    { name: '[]byte conversion keeps the text', code: go('\t"os/exec"', '\texec.Command(string([]byte("sh")))'), canonical: 'exec.Command', value: 'sh' },
    // Negatives.
    { name: 'concatenation with a parameter is dynamic', code: go('\t"os/exec"', '\texec.Command("/bin/" + user)'), canonical: 'exec.Command', value: null },
    { name: 'Sprintf with a dynamic argument is dynamic', code: go('\t"os/exec"\n\t"fmt"', '\texec.Command(fmt.Sprintf("%s", user))'), canonical: 'exec.Command', value: null },
    { name: 'Sprintf with an unknown verb is not folded', code: go('\t"os/exec"\n\t"fmt"', '\texec.Command(fmt.Sprintf("%x", "a"))'), canonical: 'exec.Command', value: null },
    { name: 'a slice written through an index is not constant', code: go('\t"os/exec"\n\t"strings"', '\tparts := []string{"s", "h"}\n\tparts[0] = user\n\texec.Command(strings.Join(parts, ""))'), canonical: 'exec.Command', value: null },
    { name: 'the value of a call that cannot be folded is dynamic', code: go('\t"os/exec"\n\t"os"', '\tb, _ := os.ReadFile("cmd.txt")\n\texec.Command(string(b))'), canonical: 'exec.Command', value: null },
    { name: 'the second of two results is not the call value', code: go('\t"os/exec"\n\t"encoding/base64"', '\t_, b := base64.StdEncoding.DecodeString("c2g=")\n\texec.Command(string(b))'), canonical: 'exec.Command', value: null },
    { name: 'a variable appended to is not constant', code: go('\t"os/exec"', '\tcmd := "ls"\n\tcmd += user\n\texec.Command(cmd)'), canonical: 'exec.Command', value: null },
  ]);
});

describe('Java names', () => {
  check('java', [
    { name: 'Runtime.getRuntime().exec', code: java('', '    Runtime.getRuntime().exec(user);'), canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'fully qualified', code: java('', '    java.lang.Runtime.getRuntime().exec("id");'), canonical: 'java.lang.Runtime.exec', value: 'id' },
    { name: 'static import of getRuntime', code: java('import static java.lang.Runtime.getRuntime;', '    getRuntime().exec("id");'), canonical: 'java.lang.Runtime.exec', value: 'id' },
    { name: 'Runtime in a local', code: java('', '    Runtime rt = Runtime.getRuntime();\n    rt.exec(user);'), canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'new ProcessBuilder', code: java('', '    new ProcessBuilder("sh", "-c", user).start();'), canonical: 'java.lang.ProcessBuilder', value: 'sh' },
    { name: 'single-type import', code: java('import java.util.Base64;', '    Base64.getDecoder().decode(user);'), canonical: 'java.util.Base64.Decoder.decode', value: null },
    { name: 'wildcard import', code: java('import java.util.*;', '    Base64.getDecoder().decode(user);'), canonical: 'java.util.Base64.Decoder.decode', value: null },
    {
      name: 'reflection with constant names',
      code: java('', '    Class.forName("java.lang." + "Runtime").getMethod("ex" + "ec", String.class).invoke(Runtime.getRuntime(), user);'),
      canonical: 'java.lang.Runtime.exec',
      value: null,
    },
    {
      name: 'reflection through locals',
      code: java('import java.lang.reflect.Method;', '    Class<?> c = Class.forName("java.lang.Runtime");\n    Method m = c.getDeclaredMethod("exec", String.class);\n    m.invoke(c.getMethod("getRuntime").invoke(null), "calc");'),
      canonical: 'java.lang.Runtime.exec',
      value: 'calc',
    },
    { name: 'reflection from a class literal', code: java('', '    Runtime.class.getMethod("exec", String.class).invoke(Runtime.getRuntime(), "id");'), canonical: 'java.lang.Runtime.exec', value: 'id' },
    // Negatives.
    { name: 'reflection on a class literal of a user class', code: java('', '    Shell.class.getMethod("exec", String.class).invoke(null, "id");'), canonical: 'java.lang.Runtime.exec', value: 'absent' },
    { name: 'reflection with a dynamic class name', code: java('', '    Class.forName(user).getMethod("exec", String.class).invoke(null, "x");'), canonical: 'java.lang.Runtime.exec', value: 'absent' },
    { name: 'a user class called Runtime in another package', code: java('import com.acme.Runtime;', '    Runtime.getRuntime().exec("x");'), canonical: 'java.lang.Runtime.exec', value: 'absent' },
    { name: 'a class called Runtime declared in the file', code: 'class Runtime {\n  static Runtime getRuntime() { return null; }\n  void exec(String c) {}\n}\nclass A {\n  void f() {\n    Runtime.getRuntime().exec("x");\n  }\n}\n', canonical: 'java.lang.Runtime.exec', value: 'absent' },
    { name: 'exec on an unrelated object', code: java('', '    executor.exec("x");'), canonical: 'java.lang.Runtime.exec', value: 'absent' },
  ]);
});

describe('Java constants', () => {
  check('java', [
    { name: 'concatenation and a final local', code: java('', '    final String bin = "/bin/";\n    Runtime.getRuntime().exec(bin + "sh");'), canonical: 'java.lang.Runtime.exec', value: '/bin/sh' },
    { name: 'var local', code: java('', '    var cmd = "c" + "alc";\n    Runtime.getRuntime().exec(cmd);'), canonical: 'java.lang.Runtime.exec', value: 'calc' },
    { name: 'String.join of literals', code: java('', '    Runtime.getRuntime().exec(String.join("", "c", "alc"));'), canonical: 'java.lang.Runtime.exec', value: 'calc' },
    { name: 'String.join of an array', code: java('', '    String[] p = {"c", "alc"};\n    Runtime.getRuntime().exec(String.join("", p));'), canonical: 'java.lang.Runtime.exec', value: 'calc' },
    { name: 'new String of decoded base64', code: java('import java.util.Base64;', '    Runtime.getRuntime().exec(new String(Base64.getDecoder().decode("Y2FsYw==")));'), canonical: 'java.lang.Runtime.exec', value: 'calc' },
    { name: 'chained StringBuilder appends', code: java('', '    Runtime.getRuntime().exec(new StringBuilder().append("ca").append("lc").toString());'), canonical: 'java.lang.Runtime.exec', value: 'calc' },
    { name: 'a static final field', code: 'class A {\n  private static final String CMD = "c" + "alc";\n  void f() throws Exception {\n    Runtime.getRuntime().exec(CMD);\n  }\n}\n', canonical: 'java.lang.Runtime.exec', value: 'calc' },
    { name: 'unicode and octal escapes', code: java('', '    Runtime.getRuntime().exec("\\u0063alc\\056");'), canonical: 'java.lang.Runtime.exec', value: 'calc.' },
    // Negatives.
    { name: 'numbers added before a string are not folded as text', code: java('', '    Runtime.getRuntime().exec(1 + 2 + "a");'), canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'concatenation with a parameter is dynamic', code: java('', '    Runtime.getRuntime().exec("sh -c " + user);'), canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'a StringBuilder appended to in statements is not constant', code: java('', '    StringBuilder sb = new StringBuilder();\n    sb.append(user);\n    Runtime.getRuntime().exec(sb.toString());'), canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'a field reassigned in another method is not constant', code: 'class A {\n  String cmd = "ls";\n  void set(String c) { cmd = c; }\n  void f() throws Exception {\n    Runtime.getRuntime().exec(cmd);\n  }\n}\n', canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'an array element written is not constant', code: java('', '    String[] p = {"c", "alc"};\n    p[0] = user;\n    Runtime.getRuntime().exec(String.join("", p));'), canonical: 'java.lang.Runtime.exec', value: null },
    { name: 'base64 of a dynamic value', code: java('import java.util.Base64;', '    Runtime.getRuntime().exec(new String(Base64.getDecoder().decode(user)));'), canonical: 'java.lang.Runtime.exec', value: null },
  ]);
});
