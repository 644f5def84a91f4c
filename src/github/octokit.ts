// How the app talks to GitHub: the Octokit type it uses and the request policy it adds to
// every installation client (retries of GitHub's transient failures, including secondary
// rate limits, which Probot's default throttling only logs).
import { ProbotOctokit } from 'probot';
import { networkFailure } from './network-errors.js';

export type GitHub = InstanceType<typeof ProbotOctokit>;

export interface RequestPolicy {
  /** Retries of 500/502/503/504 and network failures (default 3). */
  serverErrorRetries: number;
  /** Wait before retry n (1-based) is `backoffMs * n²` (default 1000: 1 s, 4 s, 9 s). */
  backoffMs: number;
  /** Retries after a secondary rate limit (403/429 with GitHub's message; default 3). */
  secondaryLimitRetries: number;
  /** Never wait longer than this for one secondary-limit retry (default 120 s); longer asks give up. */
  maxRetryAfterMs: number;
  /** Milliseconds per second of `retry-after` (default 1000; tests shorten it). */
  retryAfterUnitMs: number;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  serverErrorRetries: 3,
  backoffMs: 1000,
  secondaryLimitRetries: 3,
  maxRetryAfterMs: 120_000,
  retryAfterUnitMs: 1000,
};

interface HttpErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

const TRANSIENT = new Set([500, 502, 503, 504]);

function isSecondaryLimit(error: HttpErrorLike): boolean {
  if (error.status !== 403 && error.status !== 429) return false;
  return (error.message ?? '').toLowerCase().includes('secondary rate limit');
}

/** True for failures worth another try: GitHub's 5xx, network errors (status 0 or 500 from fetch). */
export function isTransient(error: unknown): boolean {
  const e = error as HttpErrorLike;
  return typeof e?.status === 'number' && (TRANSIENT.has(e.status) || e.status === 0 || isSecondaryLimit(e));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const POLICY_INSTALLED = Symbol('airlock request policy');

/**
 * Adds retries to a client. It wraps every REST and GraphQL request (GraphQL goes through
 * `request` too) and turns off the retry plugin's own retries, so one policy decides.
 */
export function installRequestPolicy(octokit: GitHub, policy: RequestPolicy = DEFAULT_REQUEST_POLICY): void {
  const marked = octokit as GitHub & { [POLICY_INSTALLED]?: boolean };
  if (marked[POLICY_INSTALLED]) return;
  marked[POLICY_INSTALLED] = true;
  octokit.hook.wrap('request', async (request, options) => {
    options.request = { ...options.request, retries: 0 };
    let serverRetries = 0;
    let limitRetries = 0;
    for (;;) {
      try {
        return await request(options);
      } catch (error) {
        const e = error as HttpErrorLike;
        if (isSecondaryLimit(e) && limitRetries < policy.secondaryLimitRetries) {
          const seconds = Number(e.response?.headers?.['retry-after'] ?? 60) || 60;
          const wait = seconds * policy.retryAfterUnitMs;
          if (wait > policy.maxRetryAfterMs) throw error;
          limitRetries += 1;
          octokit.log.warn(`secondary rate limit on ${options.method} ${options.url}: retrying in ${seconds}s`);
          await sleep(wait);
          continue;
        }
        if (typeof e.status === 'number' && (TRANSIENT.has(e.status) || e.status === 0) && serverRetries < policy.serverErrorRetries) {
          serverRetries += 1;
          octokit.log.warn(`${networkFailure(e) ?? `GitHub answered ${e.status}`} to ${options.method} ${options.url}: retry ${serverRetries}`);
          await sleep(policy.backoffMs * serverRetries * serverRetries);
          continue;
        }
        throw error;
      }
    }
  });
}

/** A spacing limiter shaped like the Bottleneck group the throttling plugin expects. */
function spacingGroup(spacingMs: number) {
  const next = new Map<string, number>();
  return {
    key(id: string) {
      return {
        async schedule<T>(...args: unknown[]): Promise<T> {
          // schedule(fn, ...args) or schedule(jobOptions, fn, ...args)
          const fnIndex = typeof args[0] === 'function' ? 0 : 1;
          const fn = args[fnIndex] as (...rest: unknown[]) => T | Promise<T>;
          const now = Date.now();
          const start = Math.max(now, next.get(id) ?? 0);
          next.set(id, start + spacingMs);
          if (start > now) await sleep(start - now);
          return fn(...args.slice(fnIndex + 1));
        },
      };
    },
  };
}

/**
 * The Octokit class with write spacing set explicitly. GitHub asks integrators to space
 * content-creating requests (Probot's throttling plugin does 1 s per write and 3 s per
 * notification-triggering write); the demo and tests shorten that so they run quickly.
 */
export function octokitWithWriteSpacing(writeSpacingMs: number, notificationSpacingMs: number): typeof ProbotOctokit {
  const write = spacingGroup(writeSpacingMs);
  const notifications = spacingGroup(notificationSpacingMs);
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options.throttle as object | undefined), write, notifications },
  })) as typeof ProbotOctokit;
}
