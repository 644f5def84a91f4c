// Preloaded (`node --import`) into a scan run by `npm run bench`: counts the calls this thread
// makes into ast-grep's syntax-tree objects and prints them as JSON on stderr at exit. Each call
// crosses from JavaScript into native code, which costs more than most of what it returns: the
// count is a measure of the scan's work that a busy machine does not blur, as wall time is.
import { Lang, parse } from '@ast-grep/napi';

const proto = Object.getPrototypeOf(parse(Lang.JavaScript, 'x').root());
const counts = new Map();
for (const name of Object.getOwnPropertyNames(proto)) {
  const method = Object.getOwnPropertyDescriptor(proto, name)?.value;
  if (typeof method !== 'function' || name === 'constructor') continue;
  proto[name] = function counted(...args) {
    counts.set(name, (counts.get(name) ?? 0) + 1);
    return method.apply(this, args);
  };
}
process.on('exit', () => {
  process.stderr.write(`\nNAPI_CALLS ${JSON.stringify(Object.fromEntries([...counts].sort((a, b) => b[1] - a[1])))}\n`);
});
