import { describe, expect, it } from 'vitest';
import { envOptions } from '../../src/github/env-options.js';

describe('deployment settings from the environment', () => {
  it('reads the time limits in whole seconds and leaves unset ones to the defaults', () => {
    expect(envOptions({})).toEqual({});
    expect(
      envOptions({ AIRLOCK_REQUEST_TIMEOUT_SECONDS: '20', AIRLOCK_REVIEW_DEADLINE_SECONDS: '900', AIRLOCK_REAPER_INTERVAL_SECONDS: '0' }),
    ).toEqual({ requestTimeoutMs: 20_000, reviewDeadlineMs: 900_000, reaperIntervalMs: 0 });
  });

  it('refuses a value that is not a whole number of seconds, naming the variable', () => {
    expect(() => envOptions({ AIRLOCK_REQUEST_TIMEOUT_SECONDS: '1.5' })).toThrow('AIRLOCK_REQUEST_TIMEOUT_SECONDS must be a whole number of seconds, at least 1 (got "1.5")');
    expect(() => envOptions({ AIRLOCK_REVIEW_DEADLINE_SECONDS: '5' })).toThrow(/AIRLOCK_REVIEW_DEADLINE_SECONDS/);
    expect(() => envOptions({ AIRLOCK_REAPER_INTERVAL_SECONDS: 'often' })).toThrow(/AIRLOCK_REAPER_INTERVAL_SECONDS/);
  });

  it('reads the review concurrency as a whole number of at least one', () => {
    expect(envOptions({ AIRLOCK_REVIEW_CONCURRENCY: '6' })).toEqual({ reviewConcurrency: 6 });
    expect(() => envOptions({ AIRLOCK_REVIEW_CONCURRENCY: '0' })).toThrow('AIRLOCK_REVIEW_CONCURRENCY must be a whole number, at least 1 (got "0")');
  });
});
