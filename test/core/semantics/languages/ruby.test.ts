import { describe, expect, it } from 'vitest';
import { callsIn } from '../../../../src/core/semantics/index.js';

function resolved(code: string, canonical: string): { value: string | null; dynamic: boolean } | undefined {
  const result = callsIn(code, 'ruby');
  expect(result.gaveUp).toBeNull();
  const call = result.calls.find((c) => c.canonical === canonical);
  return call && { value: call.args[0]?.value ?? null, dynamic: call.args[0]?.dynamic ?? true };
}

const canonicals = (code: string): (string | null)[] => callsIn(code, 'ruby').calls.map((c) => c.canonical);

describe('Ruby names', () => {
  const cases: [string, string, string, string | null][] = [
    ['Kernel.send with a symbol', 'Kernel.send(:system, "ls")\n', 'system', 'ls'],
    ['public_send with a concatenated name', 'obj.public_send("ev" + "al", code)\n', 'eval', null],
    ['send on self with a local symbol', 'name = :exec\nsend(name, cmd)\n', 'exec', null],
    ['const_get of Kernel', 'Object.const_get("Kernel").system(cmd)\n', 'system', null],
    ['const_get of IO reaches IO.popen', 'Object.const_get("IO").popen("id")\n', 'IO.popen', 'id'],
    ['method object called', 'method(:system).call(c)\n', 'system', null],
    ['method object through a local', 'm = Kernel.method(:spawn)\nm.call("x")\n', 'spawn', 'x'],
    ['send on a module from const_get', 'Object.const_get("IO").send(:popen, "id")\n', 'IO.popen', 'id'],
    ['class_eval on any receiver', 'Widget.class_eval(src)\n', 'class_eval', null],
    ['class_eval through send on a module', 'Widget.send(:class_eval, "def x; end")\n', 'class_eval', 'def x; end'],
    ['IO.popen spelled plainly', 'IO.popen(cmd)\n', 'IO.popen', null],
    ['Open3.capture2 without parentheses', 'Open3.capture2 "ls"\n', 'Open3.capture2', 'ls'],
    ['Kernel::exec', 'Kernel::exec("ls")\n', 'exec', 'ls'],
    ['a constant holding the method name', 'RUN = "sys" + "tem"\nKernel.send(RUN, x)\n', 'system', null],
    ['send inside a method body sees the outer constant', 'N = :eval\ndef go(s)\n  send(N, s)\nend\n', 'eval', null],
  ];
  for (const [name, code, canonical, value] of cases) {
    it(name, () => {
      const got = resolved(code, canonical);
      expect(got, JSON.stringify(canonicals(code))).toBeDefined();
      expect(got!.value).toBe(value);
      expect(got!.dynamic).toBe(value === null);
    });
  }

  it('a method defined in the file named system is not Kernel#system', () => {
    expect(canonicals('def system(x); end\nsystem("ls")\n')).not.toContain('system');
  });
  it('send with a symbol from a parameter does not resolve', () => {
    expect(canonicals('def go(name, x)\n  Kernel.send(name, x)\nend\n')).not.toContain('system');
    expect(canonicals('def go(name, x)\n  Kernel.send(name, x)\nend\n').filter((c) => c !== null && c !== 'go')).toEqual([]);
  });
  it('a name assigned twice with different values does not resolve', () => {
    expect(canonicals('n = :system\nn = :puts\nsend(n, x)\n')).not.toContain('system');
  });
  it('a def body does not see the local variables around it; a block does', () => {
    expect(canonicals('x = :system\ndef f(y)\n  send(x, y)\nend\n')).not.toContain('system');
    expect(canonicals('x = :system\nitems.each do |y|\n  send(x, y)\nend\n')).toContain('system');
  });
  it('call on a constant is not a method object call', () => {
    expect(canonicals('Worker.call(x)\n')).not.toContain('Worker');
  });
});

describe('Ruby constants', () => {
  const cases: [string, string, string | null][] = [
    ['interpolation of a constant', 'v = "s"\nsystem("l#{v} -la")\n', 'ls -la'],
    ['interpolation of a dynamic value', 'system("ls #{dir}")\n', null],
    ['Array#join without a separator', 'system(["l", "s"].join)\n', 'ls'],
    ['%w join with a separator', 'system(%w[ls -la].join(" "))\n', 'ls -la'],
    ['Base64.decode64', 'system(Base64.decode64("bHMgLWxh"))\n', 'ls -la'],
    ['pack("m")', 'system(["bHMgLWxh"].pack("m"))\n', 'ls -la'],
    ['unpack1("m")', 'system("bHMgLWxh".unpack1("m"))\n', 'ls -la'],
    ['String#reverse', 'system("al- sl".reverse)\n', 'ls -la'],
    ['adjacent literals', 'system("ls" " -la")\n', 'ls -la'],
    ['single quotes keep backslashes', "system('a\\\\nb')\n", 'a\\nb'],
    ['double-quoted escapes decode', 'system("a\\x41")\n', 'aA'],
    ['decoded non-base64 is not folded', 'system(Base64.decode64(x))\n', null],
  ];
  for (const [name, code, value] of cases) {
    it(name, () => {
      const got = resolved(code, 'system');
      expect(got, JSON.stringify(canonicals(code))).toBeDefined();
      expect(got!.value).toBe(value);
    });
  }
});
