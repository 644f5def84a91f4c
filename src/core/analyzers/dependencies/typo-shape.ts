// Decides whether a name near a popular package name looks like a slip of the keyboard or
// an imitation, or like a different word. Established packages often sit one edit away from
// popular ones (`tap`/`tar`, `dtslint`/`tslint`, `babel-preset-es2017`/`…es2015`): such names
// differ at the start of a word, in a version digit, or by a letter that no typing slip
// produces. Typosquats differ where people mistype: swapped, doubled or dropped letters,
// lookalike characters, neighbouring keys, separators, a `js` suffix.

import type { Confidence } from '../../model.js';
import type { PopularNameIndex, SimilarName } from './typosquat.js';

/** How much an edit alone says: 2 is typo-shaped on its own, 1 needs another signal, 0 says nothing. */
export type ShapeWeight = 0 | 1 | 2;

export interface TypoShape {
  /** Plain words for the message: "swapped letters", "a doubled letter", … */
  description: string;
  weight: ShapeWeight;
}

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function keyPosition(c: string): [number, number] | null {
  for (let row = 0; row < KEYBOARD_ROWS.length; row++) {
    const column = KEYBOARD_ROWS[row]!.indexOf(c);
    if (column >= 0) return [row, column];
  }
  return null;
}

/** Keys that touch on a QWERTY keyboard (rows are offset by about half a key). */
export function neighbouringKeys(a: string, b: string): boolean {
  const pa = keyPosition(a);
  const pb = keyPosition(b);
  if (!pa || !pb || a === b) return false;
  const rows = pb[0] - pa[0];
  const columns = pb[1] - pa[1];
  if (rows === 0) return Math.abs(columns) === 1;
  if (Math.abs(rows) !== 1) return false;
  // The lower row sits half a key to the right: q touches a, w touches a and s.
  return rows === 1 ? columns === 0 || columns === -1 : columns === 0 || columns === 1;
}

/** Characters and pairs that read alike in a package list. */
const LOOKALIKES: ReadonlyArray<readonly [string, string]> = [
  ['l', '1'],
  ['l', 'i'],
  ['i', '1'],
  ['o', '0'],
  ['s', '5'],
  ['m', 'rn'],
  ['w', 'vv'],
  ['d', 'cl'],
  ['m', 'nn'],
];

/** Letters that sound alike, so a name typed from memory lands on the other one. */
const SOUND_ALIKES: ReadonlyArray<readonly [string, string]> = [
  ['c', 'k'],
  ['k', 'q'],
  ['s', 'z'],
  ['i', 'y'],
];

const pairIn = (pairs: ReadonlyArray<readonly [string, string]>, a: string, b: string): boolean =>
  pairs.some(([x, y]) => (x === a && y === b) || (x === b && y === a));

const isSeparator = (c: string | undefined): boolean => c === '-' || c === '_' || c === '.' || c === '/' || c === '@';
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * The shape of the difference between `name` and the popular name it resembles, or null when
 * the two are different words (the difference starts a word, or changes a version number).
 */
export function typoShape(name: string, popular: string): TypoShape | null {
  let prefix = 0;
  while (prefix < name.length && prefix < popular.length && name[prefix] === popular[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < name.length - prefix &&
    suffix < popular.length - prefix &&
    name[name.length - 1 - suffix] === popular[popular.length - 1 - suffix]
  ) {
    suffix++;
  }
  const mine = name.slice(prefix, name.length - suffix);
  const theirs = popular.slice(prefix, popular.length - suffix);
  const before = name[prefix - 1];
  const startsWord = prefix === 0 || isSeparator(before);
  const atEnd = suffix === 0;

  if (pairIn(LOOKALIKES, mine, theirs)) return { description: `lookalike characters ("${mine}" for "${theirs}")`, weight: 2 };
  if (mine.length === 2 && theirs.length === 2 && mine[0] === theirs[1] && mine[1] === theirs[0]) {
    return { description: `swapped letters ("${mine}" for "${theirs}")`, weight: 2 };
  }
  if ([...mine, ...theirs].some(isDigit)) return null; // es2015 → es2017, utf8 → utfx: versions, not typos
  if (mine.length === 1 && theirs.length === 0) {
    // One character more. An extra character copies a neighbour when a key is pressed twice.
    if (mine === before || mine === name[prefix + 1]) return { description: `a doubled letter ("${mine}")`, weight: 2 };
    if (startsWord) return null; // dtslint / tslint, eco / co: another word
    if (atEnd) return mine === 's' ? { description: 'a plural "s" added', weight: 1 } : { description: `a letter added at the end ("${mine}")`, weight: 0 };
    if (neighbouringKeys(mine, before ?? '') || neighbouringKeys(mine, name[prefix + 1] ?? '')) {
      return { description: `an extra letter from a neighbouring key ("${mine}")`, weight: 1 };
    }
    return { description: `an extra letter ("${mine}")`, weight: 1 };
  }
  if (mine.length === 0 && theirs.length === 1) {
    if (theirs === before || theirs === popular[prefix + 1]) return { description: `a double letter typed once ("${theirs}")`, weight: 2 };
    if (startsWord) return null; // rollup-plugin-ts / rollup-plugin-dts
    if (atEnd) return theirs === 's' ? { description: 'the plural "s" left out', weight: 1 } : { description: `the last letter left out ("${theirs}")`, weight: 0 };
    return { description: `a letter left out ("${theirs}")`, weight: 1 };
  }
  if (mine.length === 1 && theirs.length === 1) {
    if (startsWord) return null; // tap / tar is fine, but fake / jake and sse / use are other words
    if (neighbouringKeys(mine, theirs)) return { description: `a neighbouring key ("${mine}" for "${theirs}")`, weight: 1 };
    if (pairIn(SOUND_ALIKES, mine, theirs)) return { description: `a letter that sounds alike ("${mine}" for "${theirs}")`, weight: 1 };
    return { description: `another letter ("${mine}" for "${theirs}")`, weight: 0 };
  }
  return null; // two unrelated edits: jison / json5, smtp-server / http-server
}

/**
 * Suffixes people add to a package name from habit; `lodash-js` is not `lodash`. Not `.js`:
 * `expect.js`, `bn.js`, `highlight.js` are an established way to name packages.
 */
const NPM_HABIT_SUFFIXES = ['-js', 'js'];

export interface TyposquatSuspect {
  /** The popular name it resembles, with its popularity value. */
  match: SimilarName;
  /** What makes it look wrong, in plain words, strongest first. */
  signals: string[];
  /**
   * `high` when two independent signals agree: the difference has the shape of an imitation
   * (lookalike, swapped or doubled letters, only separators, a habit suffix) and the name it
   * resembles is one of the widely used packages attackers copy. `medium` for a resemblance
   * that rests on one of them: an edit distance that also fits another, established package.
   */
  confidence: Confidence;
}

/** Names this short are dense: almost every 1-edit neighbour is another real package. */
const SHORT_NAME = 4;
/** At most this many characters and every name is someone's package (`ms`, `ws`, `os`). */
const TOO_SHORT = 2;
/** An unscoped prefix shared by this many popular names is an established family (`babel-…`). */
const ESTABLISHED_FAMILY = 5;

/**
 * Judges a dependency name that is not itself popular: returns why it looks like a typosquat
 * of a popular package, or null when it is probably a different, established package. Names
 * of 3–4 characters need two signals (a typo-shaped edit and a widely used target).
 */
export function judgeTyposquat(index: PopularNameIndex, name: string, npm: boolean): TyposquatSuspect | null {
  if (name.length <= TOO_SHORT || index.has(name)) return null;
  if (npm) {
    for (const suffix of NPM_HABIT_SUFFIXES) {
      if (!name.endsWith(suffix)) continue;
      const stem = name.slice(0, -suffix.length);
      const popularity = stem.length > SHORT_NAME ? index.popularityOf(stem) : undefined;
      if (popularity !== undefined && index.isWidelyUsed(popularity)) {
        return {
          match: { popular: stem, popularity, distance: suffix.length, reason: 'edit' },
          signals: [`the popular name with "${suffix}" added`],
          confidence: 'high',
        };
      }
    }
  }
  const match = index.closest(name);
  if (!match) return null;
  const widelyUsed = index.isWidelyUsed(match.popularity);
  const short = Math.min(name.length, match.popular.length) <= SHORT_NAME;
  if (match.reason === 'separators') {
    const scope = /^@([^/]+)\/(.+)$/.exec(match.popular);
    // `babel-plugin-x` for `@babel/plugin-x`: the unscoped naming the family used before scopes.
    if (scope && name === `${scope[1]}-${scope[2]}` && index.familySize(`${scope[1]}-`) >= ESTABLISHED_FAMILY) return null;
    if (short && !widelyUsed) return null;
    return {
      match,
      signals: [
        scope && !name.startsWith('@') ? 'the scope of the popular name turned into a prefix' : 'only separators differ',
        ...(widelyUsed ? [`"${match.popular}" is one of the most installed packages, the kind attackers imitate`] : []),
      ],
      confidence: widelyUsed && !short ? 'high' : 'medium',
    };
  }
  const shape = typoShape(name, match.popular);
  if (!shape || shape.weight === 0) return null;
  if (short ? shape.weight < 2 || !widelyUsed : shape.weight + (widelyUsed ? 1 : 0) < 2) return null;
  const signals = [shape.description];
  if (widelyUsed) signals.push(`"${match.popular}" is one of the most installed packages, the kind attackers imitate`);
  return { match, signals, confidence: shape.weight === 2 && widelyUsed ? 'high' : 'medium' };
}
