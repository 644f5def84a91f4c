/**
 * A "billion laughs" YAML document: nine levels of anchors, each a list of nine aliases of the
 * one before, so a few hundred bytes expand to 9^9 strings when aliases are resolved.
 */
export function billionLaughs(prefix = ''): string {
  const names = 'abcdefghi';
  const lines = [`${names[0]}: &${names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < names.length; i++) {
    const previous = `*${names[i - 1]}`;
    lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(previous).join(',')}]`);
  }
  return `${prefix}${lines.join('\n')}\n`;
}
