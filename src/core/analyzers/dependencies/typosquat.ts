// Finds the popular package a new dependency name imitates. Typos and invented
// names ("slopsquatting") usually sit one or two edits away from a popular name.
//
// The index is SymSpell-style: every popular name's first PREFIX characters are
// stored under each string reachable by deleting up to MAX_DISTANCE characters.
// Two names within distance d share such a deletion string, so a query only looks
// up the deletions of its own prefix and verifies the few candidates it gets with
// the exact distance. Thousands of queries a second against 25,000 names.

import { boundedEditDistance } from './edit-distance.js';
import { nameSkeleton } from './package-names.js';

const PREFIX = 6;
const MAX_DISTANCE = 2;
/** Short names are dense: allow only one edit when either name has at most this many characters. */
const SHORT_NAME = 4;

export interface SimilarName {
  /** The popular name the query resembles. */
  popular: string;
  /** The value from the popularity list (npm: downloads a month; PyPI: rank). */
  popularity: number;
  /** Edit distance; 0 when only separators or the scope differ. */
  distance: number;
  reason: 'edit' | 'separators';
}

function deletions(word: string, depth: number, out: Set<string>): void {
  out.add(word);
  let level = [word];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const w of level) {
      for (let i = 0; i < w.length; i++) {
        const shorter = w.slice(0, i) + w.slice(i + 1);
        if (!out.has(shorter)) {
          out.add(shorter);
          next.push(shorter);
        }
      }
    }
    level = next;
  }
}

export function allowedDistance(a: string, b: string): number {
  return Math.min(a.length, b.length) <= SHORT_NAME ? 1 : MAX_DISTANCE;
}

export class PopularNameIndex {
  private readonly names: string[] = [];
  private readonly popularity: number[] = [];
  /** Higher is more popular, whatever the list's own unit. */
  private readonly score: number[] = [];
  private readonly byDeletion = new Map<string, number | number[]>();
  private readonly bySkeleton = new Map<string, number>();
  private readonly known: ReadonlyMap<string, number>;
  private readonly longest: number;
  private readonly marks: Uint32Array;
  private generation = 0;
  private readonly scratchKeys = new Set<string>();

  /**
   * @param popular name → popularity value
   * @param higherIsMorePopular true for download counts, false for ranks
   * @param widelyUsedAt the value from which a name counts as a likely target: attackers imitate
   *   the packages everyone installs, not the tail of the list
   */
  constructor(
    popular: ReadonlyMap<string, number>,
    private readonly higherIsMorePopular: boolean,
    private readonly widelyUsedAt: number = higherIsMorePopular ? 0 : Number.MAX_SAFE_INTEGER,
  ) {
    this.known = popular;
    let longest = 0;
    const scratch = new Set<string>();
    for (const [name, value] of popular) {
      const index = this.names.length;
      this.names.push(name);
      this.popularity.push(value);
      this.score.push(higherIsMorePopular ? value : -value);
      if (name.length > longest) longest = name.length;
      scratch.clear();
      deletions(name.slice(0, PREFIX), MAX_DISTANCE, scratch);
      for (const key of scratch) {
        const existing = this.byDeletion.get(key);
        if (existing === undefined) this.byDeletion.set(key, index);
        else if (typeof existing === 'number') this.byDeletion.set(key, [existing, index]);
        else existing.push(index);
      }
      const skeleton = nameSkeleton(name);
      const other = this.bySkeleton.get(skeleton);
      if (other === undefined || this.score[other]! < this.score[index]!) this.bySkeleton.set(skeleton, index);
    }
    this.longest = longest;
    this.marks = new Uint32Array(this.names.length);
  }

  has(name: string): boolean {
    return this.known.has(name);
  }

  get size(): number {
    return this.names.length;
  }

  /** The list's value for a popular name (downloads a month or rank), or undefined. */
  popularityOf(name: string): number | undefined {
    return this.known.get(name);
  }

  /** Whether a value from the list puts a package among the ones attackers imitate. */
  isWidelyUsed(popularity: number): boolean {
    return this.higherIsMorePopular ? popularity >= this.widelyUsedAt : popularity <= this.widelyUsedAt;
  }

  private readonly prefixFamilies = new Map<string, number>();

  /** How many popular unscoped names start with `prefix` (e.g. `babel-`): an established naming family. */
  familySize(prefix: string): number {
    let count = this.prefixFamilies.get(prefix);
    if (count === undefined) {
      count = 0;
      for (const name of this.names) if (name.startsWith(prefix)) count++;
      this.prefixFamilies.set(prefix, count);
    }
    return count;
  }

  /** The popular name `name` most likely imitates, or null (also null for popular names themselves). */
  closest(name: string): SimilarName | null {
    if (name.length === 0 || this.known.has(name)) return null;
    if (name.length > this.longest + MAX_DISTANCE) return null;

    const sameSkeleton = this.bySkeleton.get(nameSkeleton(name));
    if (sameSkeleton !== undefined) {
      return {
        popular: this.names[sameSkeleton]!,
        popularity: this.popularity[sameSkeleton]!,
        distance: 0,
        reason: 'separators',
      };
    }

    const keys = this.scratchKeys;
    keys.clear();
    deletions(name.slice(0, PREFIX), MAX_DISTANCE, keys);
    // Generation marks instead of a Set: each candidate is verified once per query.
    const marks = this.marks;
    if (this.generation === 0xffffffff) {
      marks.fill(0);
      this.generation = 0;
    }
    const generation = ++this.generation;
    let best = -1;
    let bestDistance = MAX_DISTANCE + 1;
    const length = name.length;
    const consider = (index: number): void => {
      if (marks[index] === generation) return;
      marks[index] = generation;
      const candidate = this.names[index]!;
      if (Math.abs(candidate.length - length) > MAX_DISTANCE) return;
      const allowed = allowedDistance(name, candidate);
      const d = boundedEditDistance(name, candidate, Math.min(allowed, bestDistance));
      if (d > allowed || d > bestDistance) return;
      if (d < bestDistance || this.score[index]! > this.score[best]!) {
        best = index;
        bestDistance = d;
      }
    };
    for (const key of keys) {
      const hit = this.byDeletion.get(key);
      if (hit === undefined) continue;
      if (typeof hit === 'number') consider(hit);
      else for (const index of hit) consider(index);
    }
    if (best < 0) return null;
    return { popular: this.names[best]!, popularity: this.popularity[best]!, distance: bestDistance, reason: 'edit' };
  }
}

/** npm: downloads a month from which a package is a likely target (the list ends near 2.7 million). */
const NPM_WIDELY_USED = 10_000_000;
/** PyPI: best rank from which a package is a likely target (the list holds about 15,000). */
const PYPI_WIDELY_USED = 3_000;

// One index per popularity map: built on first use, kept while the map lives.
const npmIndexes = new WeakMap<ReadonlyMap<string, number>, PopularNameIndex>();
const pypiIndexes = new WeakMap<ReadonlyMap<string, number>, PopularNameIndex>();

/** Index over npm names (popularity = downloads a month, higher is more popular). */
export function npmNameIndex(popular: ReadonlyMap<string, number>): PopularNameIndex {
  let index = npmIndexes.get(popular);
  if (!index) {
    index = new PopularNameIndex(popular, true, NPM_WIDELY_USED);
    npmIndexes.set(popular, index);
  }
  return index;
}

/** Index over PEP 503-normalized PyPI names (popularity = rank, 1 is the most downloaded). */
export function pypiNameIndex(popular: ReadonlyMap<string, number>): PopularNameIndex {
  let index = pypiIndexes.get(popular);
  if (!index) {
    index = new PopularNameIndex(popular, false, PYPI_WIDELY_USED);
    pypiIndexes.set(popular, index);
  }
  return index;
}
