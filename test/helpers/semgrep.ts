import { expect } from 'vitest';
import { RuleFileError } from '../../src/core/rules/schema.js';
import { parseSemgrepFile } from '../../src/core/rules/semgrep/load.js';

/** The one-line load error a Semgrep rule file `org.yml` with this text gets; fails when it loads. */
export function semgrepLoadError(yaml: string): string {
  try {
    parseSemgrepFile('org.yml', yaml);
  } catch (err) {
    expect(err).toBeInstanceOf(RuleFileError);
    const message = (err as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('expected a load error');
}
