import picomatch from 'picomatch';

// Globs of rules and configuration (paths are repository-relative with `/`), compiled once.

/**
 * One glob, compiled once for every rule that uses it, with its answer for the path tested last:
 * a file's plan asks every path-filtered rule about the same path, and many rules share globs
 * (678 glob tests per file in the shipped rules, 112 distinct globs).
 */
class SharedGlob {
  private readonly re: RegExp;
  private lastPath: string | null = null;
  private lastAnswer = false;

  constructor(readonly glob: string) {
    this.re = picomatch.makeRe(glob, { dot: true });
  }

  matches(path: string): boolean {
    if (path !== this.lastPath) {
      this.lastAnswer = path === this.glob || this.re.test(path);
      this.lastPath = path;
    }
    return this.lastAnswer;
  }
}

const sharedGlobs = new Map<string, SharedGlob>();

function sharedGlob(glob: string): SharedGlob {
  let found = sharedGlobs.get(glob);
  if (!found) {
    // Configurations bring their own globs: a long-running server must not keep them all.
    if (sharedGlobs.size >= 10_000) sharedGlobs.clear();
    found = new SharedGlob(glob);
    sharedGlobs.set(glob, found);
  }
  return found;
}

/** The first of `globs` that matches a path, or null; null instead of a function when there are no globs. */
export function globFinder(globs: string[] | undefined): ((path: string) => string | null) | null {
  if (!globs || globs.length === 0) return null;
  const compiled = globs.map(sharedGlob);
  return (path) => compiled.find((g) => g.matches(path))?.glob ?? null;
}
