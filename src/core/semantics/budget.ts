// Bounds on the analysis of one file. Exceeding one throws GaveUp, which the public API turns
// into an explicit "gave up" result, never into an empty (clean-looking) one.

export interface Limits {
  /** Nodes visited plus expression steps, over the whole file. */
  maxSteps: number;
  /** Nesting depth of expressions and of bindings followed through other bindings. */
  maxDepth: number;
  /** Optional deadline: `now()` past `deadline` gives up. Both in milliseconds. */
  now?: () => number;
  deadline?: number;
}

export const DEFAULT_LIMITS: Limits = { maxSteps: 2_000_000, maxDepth: 200 };

export class GaveUp extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'GaveUp';
  }
}

export class Budget {
  private steps = 0;
  constructor(readonly limits: Limits) {}

  /** Counts one unit of work; checks the clock every 4096 units. */
  tick(): void {
    this.steps++;
    if (this.steps > this.limits.maxSteps) throw new GaveUp(`more than ${this.limits.maxSteps} analysis steps`);
    const { now, deadline } = this.limits;
    if ((this.steps & 4095) === 0 && now && deadline !== undefined && now() > deadline) {
      throw new GaveUp('analysis time budget exhausted');
    }
  }

  depth(depth: number): void {
    if (depth > this.limits.maxDepth) throw new GaveUp(`nesting deeper than ${this.limits.maxDepth}`);
  }
}
