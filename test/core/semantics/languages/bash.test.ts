import { describe, expect, it } from 'vitest';
import { callsIn, type ResolvedCall } from '../../../../src/core/semantics/index.js';

function callsOf(code: string): ResolvedCall[] {
  const result = callsIn(code, 'bash');
  expect(result.gaveUp).toBeNull();
  return result.calls;
}

const offset = (p: { line: number; column: number }): number => p.line * 1e6 + p.column;
const inside = (inner: ResolvedCall, outer: ResolvedCall): boolean =>
  inner !== outer && offset(outer.range.start) <= offset(inner.range.start) && offset(inner.range.end) <= offset(outer.range.end);

/** The last command on the last line of `code` that is not nested in a substitution of another. */
const lastCall = (code: string): ResolvedCall => {
  const calls = callsOf(code);
  const last = Math.max(...calls.map((c) => c.range.start.line));
  return calls.filter((c) => c.range.start.line === last && !calls.some((o) => inside(c, o))).at(-1)!;
};

describe('Bash command names', () => {
  const cases: [string, string, string | null][] = [
    ['a plain command', 'curl -s x\n', 'curl'],
    ['a path to the program', '/usr/bin/curl -s x\n', 'curl'],
    ['a backslash inside the word', 'c\\url x\n', 'curl'],
    ['a variable', 'c=curl\n$c x\n', 'curl'],
    ['a braced, quoted variable', 'c=wget\n"${c}" x\n', 'wget'],
    ['words joined', 'a=cu; b=rl\n"$a$b" x\n', 'curl'],
    ['base64 -d of an echo', 'c=$(echo Y3VybA== | base64 -d)\n$c x\n', 'curl'],
    ['base64 -d of a here-string', 'c=$(base64 -d <<< d2dldA==)\n$c x\n', 'wget'],
    ['printf %s pieces in backticks', "c=`printf '%s' cu rl`\n$c x\n", 'curl'],
    ['printf escapes', "c=$(printf '\\x62\\x61\\x73\\x68')\n$c x\n", 'bash'],
    ['rev', "c=$(echo lruc | rev)\n$c x\n", 'curl'],
    ['xxd -r -p', 'c=$(echo 6375726c | xxd -r -p)\n$c x\n', 'curl'],
    ['tr rot13', "c=$(echo phey | tr 'a-z' 'n-za-m')\n$c x\n", 'curl'],
    ['ANSI-C quoting', "c=$'\\x63url'\n$c x\n", 'curl'],
    ['a substitution as the name', "$(echo 'cn' | rev) host 4444\n", 'nc'],
    ['sudo in front of a variable', 'c=curl\nsudo -E $c x\n', 'curl'],
    ['sudo in front of a plain name stays sudo', 'sudo curl x\n', 'sudo'],
    ['export and readonly bind globally', 'f() { export C=curl; }\n$C x\n', 'curl'],
    ['local in a function, assigned after', 'f() {\n  local c\n  c=nc\n  $c x\n}\n', 'nc'],
    ['the dot builtin is source', '. ./lib.sh\n', 'source'],
    ['$SHELL not set by the script', 'curl x | $SHELL\n', 'SHELL'],
    ['${x:-default} of a variable the script sets', 'c=curl\n${c:-wget} x\n', 'curl'],
  ];
  for (const [name, code, canonical] of cases) it(name, () => expect(lastCall(code).canonical).toBe(canonical));

  const unknown: [string, string][] = [
    ['a positional parameter', '$1 x\n'],
    ['an environment variable', '"$EDITOR" notes\n'],
    ['two different values', 'if a; then c=curl; else c=wget; fi\n$c x\n'],
    ['appended to', 'c=cu\nc+=rl\n$c x\n'],
    ['read at run time', 'read -r c\n$c x\n'],
    ['a loop variable', 'for c in curl wget; do $c x; done\n'],
    ['an array', 'c=(curl -s)\n$c x\n'],
    ['declare -i', 'declare -i c=1\n$c x\n'],
    ['a command with words', 'get="curl -fsSL"\n$get x\n'],
    ['output of a program the folder does not know', 'c=$(which curl)\n$c x\n'],
    ['a default for a variable the script never sets', '${C:-curl} x\n'],
  ];
  for (const [name, code] of unknown) it(`unknown: ${name}`, () => expect(lastCall(code).canonical).toBeNull());

  it('a backslash inside a word splits it; a leading one does not', () => {
    expect(lastCall('w\\g\\et x\n').canonical).toBe('wget');
    expect(lastCall('\\rm -f x\n').canonical).toBe('rm');
    expect(lastCall('eval a\\\\b\n').args[0]!.value).toBe('a\\b');
  });

  it('NAME=value before a command sets it for that command only', () => {
    expect(lastCall('c=curl\nc=wget env\n$c x\n').canonical).toBe('curl');
  });
});

describe('Bash arguments', () => {
  it('fold through variables, quotes and substitutions', () => {
    const call = lastCall("p=$(echo ZWNobyBoaQ== | base64 -d)\neval \"$p\"\n");
    expect(call.canonical).toBe('eval');
    expect(call.args[0]).toMatchObject({ value: 'echo hi', computed: true, dynamic: false });
  });

  it('a value a decoder produced is decoded; one joined or held in a variable is not', () => {
    expect(lastCall("p=$(echo ZWNobyBoaQ== | base64 -d)\neval \"$p\"\n").args[0]).toMatchObject({ decoded: true });
    expect(lastCall('a=/sbin; b=lvm\neval "$a/$b" vgs\n').args[0]).toMatchObject({ value: '/sbin/lvm', computed: true, decoded: false });
    expect(lastCall('c=/sbin/lvm\neval "$c"\n').args[0]).toMatchObject({ computed: true, decoded: false });
    expect(lastCall('eval "$(echo ls)"\n').args[0]).toMatchObject({ value: 'ls', decoded: false });
  });

  it('a literal is not computed; a variable of the environment is dynamic', () => {
    expect(lastCall("eval 'echo hi'\n").args[0]).toMatchObject({ value: 'echo hi', computed: false });
    expect(lastCall('eval "$1"\n').args[0]).toMatchObject({ value: null, dynamic: true });
  });

  it('sh -c: the script is the first argument; standard input is a keyword argument', () => {
    const call = lastCall("bash -e -c \"$(printf 'i%s' d)\" name\n");
    expect(call.args.map((a) => [a.value, a.keyword])).toEqual([['id', null], ['name', null]]);
    const piped = lastCall('echo a b | sh -s\n');
    expect(piped.args.map((a) => [a.value, a.keyword])).toEqual([['-s', null], ['a b', 'stdin']]);
  });

  it('double quotes keep escaped characters; a process substitution folds like a command substitution', () => {
    expect(lastCall('echo "\\$x \\"q\\""\neval "a\\$b"\n').args[0]!.value).toBe('a$b');
    expect(lastCall('source <(echo 6964 | xxd -r -p)\n').args[0]!.value).toBe('id');
  });

  it('redirections and NAME=value prefixes are not arguments', () => {
    expect(lastCall('A=1 curl -s x > /dev/null 2>&1\n').args.map((a) => a.value)).toEqual(['-s', 'x']);
  });
});

describe('Bash analysis bounds', () => {
  it('a 10,000-line script is analysed completely', () => {
    const body = Array.from({ length: 5_000 }, (_, i) => `v${i}="p"'${i}'\neval "$v${i}"`).join('\n');
    const calls = callsOf(`${body}\n`).filter((c) => c.canonical === 'eval');
    expect(calls).toHaveLength(5_000);
    expect(calls[4_999]!.args[0]!.value).toBe('p4999');
  });

  it('a 5,000-variable chain gives up explicitly', () => {
    const chain = Array.from({ length: 5_000 }, (_, i) => `v${i + 1}="$v${i}"`).join('\n');
    const result = callsIn(`v0=curl\n${chain}\n$v5000 x\n`, 'bash');
    expect(result.gaveUp).toMatch(/nesting deeper than/);
  });
});
