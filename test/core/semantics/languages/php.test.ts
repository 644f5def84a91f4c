import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { callsIn } from '../../../../src/core/semantics/index.js';

function resolved(code: string, canonical: string): { value: string | null; dynamic: boolean } | undefined {
  const result = callsIn(code, 'php');
  expect(result.gaveUp).toBeNull();
  const call = result.calls.find((c) => c.canonical === canonical);
  return call && { value: call.args[0]?.value ?? null, dynamic: call.args[0]?.dynamic ?? true };
}

const canonicals = (code: string): (string | null)[] => callsIn(code, 'php').calls.map((c) => c.canonical);
const php = (body: string): string => `<?php\n${body}\n`;

describe('PHP names', () => {
  const cases: [string, string, string, string | null][] = [
    ['variable function from a concatenation', "$f = 'sys' . 'tem';\n$f($cmd);", 'system', null],
    ['variable function with a constant argument', "$f = 'passthru';\n$f('ls');", 'passthru', 'ls'],
    ['call_user_func', "call_user_func('passthru', $x);", 'passthru', null],
    ['call_user_func with a constant argument', "call_user_func('exec', 'id');", 'exec', 'id'],
    ['call_user_func_array with a literal array', "call_user_func_array('system', ['id']);", 'system', 'id'],
    ['array_map callback', "array_map('system', $cmds);", 'system', null],
    ['use function alias', "use function shell_exec as run;\nrun($c);", 'shell_exec', null],
    ['leading backslash and upper case', "\\SYSTEM('ls');", 'system', 'ls'],
    ['a callable string with a leading backslash', "$f = '\\\\Shell_Exec';\n$f('ls');", 'shell_exec', 'ls'],
    ['eval', 'eval($code);', 'eval', null],
    ['proc_open through a variable', "$p = 'proc_' . 'open';\n$p($cmd, $spec, $pipes);", 'proc_open', null],
  ];
  for (const [name, code, canonical, value] of cases) {
    it(name, () => {
      const got = resolved(php(code), canonical);
      expect(got, JSON.stringify(canonicals(php(code)))).toBeDefined();
      expect(got!.value).toBe(value);
      expect(got!.dynamic).toBe(value === null);
    });
  }

  it('a variable function from a parameter does not resolve', () => {
    expect(canonicals(php('function go($f, $x) { $f($x); }')).filter((c) => c !== null)).toEqual([]);
  });
  it('a variable assigned twice with different names does not resolve', () => {
    expect(canonicals(php("$f = 'system';\n$f = 'strlen';\n$f($x);"))).not.toContain('system');
  });
  it('a function does not see the variables around it; a closure sees what it captures', () => {
    expect(canonicals(php("$f = 'system';\nfunction g() { $f('id'); }"))).not.toContain('system');
    expect(canonicals(php("$f = 'system';\n$g = function () use ($f) { $f('id'); };"))).toContain('system');
    expect(canonicals(php("$f = 'system';\n$g = fn() => $f('id');"))).toContain('system');
  });
  it('a variable appended to does not resolve', () => {
    expect(canonicals(php("$f = 'sys';\n$f .= 'tem';\n$f($x);"))).not.toContain('system');
  });
  it('a function defined in the file is not the builtin', () => {
    expect(canonicals(php("namespace App;\nfunction system($x) {}\nsystem('ls');"))).not.toContain('system');
  });
  it('use of a class is not a function alias', () => {
    expect(canonicals(php('use Foo\\Run;\nrun($x);'))).toContain('run');
  });
  it('call_user_func with a closure does not resolve', () => {
    expect(canonicals(php('call_user_func(function ($x) { return $x; }, $y);'))).not.toContain('system');
  });
});

describe('PHP constants', () => {
  const gz = deflateRawSync(Buffer.from('id; uname -a')).toString('base64');
  const cases: [string, string, string | null][] = [
    ['dot concatenation', "system('ls' . ' -la');", 'ls -la'],
    ['interpolation of a constant variable', "$d = '/tmp';\nsystem(\"ls {$d}\");", 'ls /tmp'],
    ['interpolation of a dynamic variable', 'system("ls $dir");', null],
    ['implode with a separator', "system(implode(' ', ['ls', '-la']));", 'ls -la'],
    ['implode of array()', "system(implode(array('l', 's')));", 'ls'],
    ['base64_decode', "system(base64_decode('bHMgLWxh'));", 'ls -la'],
    ['str_rot13', "system(str_rot13('yf -yn'));", 'ls -la'],
    ['strrev', "system(strrev('al- sl'));", 'ls -la'],
    ['hex2bin', "system(hex2bin('6c73'));", 'ls'],
    ['chr sequence', 'system(chr(108) . chr(115));', 'ls'],
    ['gzinflate of base64_decode', `system(gzinflate(base64_decode('${gz}')));`, 'id; uname -a'],
    ['gzinflate of garbage is not folded', "system(gzinflate('not deflate'));", null],
    ['double-quoted escapes decode', 'system("l\\x73");', 'ls'],
    ['single quotes keep other backslashes', "system('a\\\\nb');", 'a\\nb'],
  ];
  for (const [name, code, value] of cases) {
    it(name, () => {
      const got = resolved(php(code), 'system');
      expect(got, JSON.stringify(canonicals(php(code)))).toBeDefined();
      expect(got!.value).toBe(value);
    });
  }

  it('a decompression bomb is not expanded past the bound', () => {
    const bomb = deflateRawSync(Buffer.alloc(64 << 20, 0x61)).toString('base64');
    const got = resolved(php(`system(gzinflate(base64_decode('${bomb}')));`), 'system');
    // Not folded: the decoder stops at its output bound instead of expanding 64 MB.
    expect(got!.value).toBeNull();
    expect(got!.dynamic).toBe(true);
  });
});
