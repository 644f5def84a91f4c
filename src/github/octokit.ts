// How the app talks to GitHub: the Octokit type it uses and the request policy it adds to
// every installation client (retries of GitHub's transient failures, including secondary
// rate limits, which Probot's default throttling only logs; a time limit on every request).
import { AsyncLocalStorage } from 'node:async_hooks';
import { ProbotOctokit } from 'probot';
import type { GitHubRequestSample } from './metrics.js';
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
  /**
   * One attempt that has no complete answer after this long is abandoned and counts as a
   * server error (default 30 s; without it a silent connection holds for minutes).
   */
  requestTimeoutMs: number;
  /** Told of every attempt's answer (metrics): method, status (0: none came), rate limit left. */
  observe?: (sample: GitHubRequestSample) => void;
}

export const DEFAULT_REQUEST_POLICY: RequestPolicy = {
  serverErrorRetries: 3,
  backoffMs: 1000,
  secondaryLimitRetries: 3,
  maxRetryAfterMs: 120_000,
  retryAfterUnitMs: 1000,
  requestTimeoutMs: 30_000,
};

/** GitHub did not answer one attempt in time. */
export class RequestTimeoutError extends Error {
  readonly request: { method: string; url: string };
  constructor(method: string, url: string, timeoutMs: number) {
    super(`GitHub did not answer within ${formatDuration(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
    this.request = { method, url };
  }
}

/** "30 s", "2 min", "250 ms": durations in messages people read. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

// The signal of the work a request belongs to (a review under its deadline, a reaper pass):
// when it aborts, its requests stop at once and are not retried.
const workScope = new AsyncLocalStorage<AbortSignal | undefined>();

/** Runs `work` so that every GitHub request it starts ends when `signal` aborts. */
export function withRequestSignal<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  return workScope.run(signal, work);
}

/** Runs `work` outside any such scope (writes that must still happen after a deadline). */
export function outsideRequestSignal<T>(work: () => Promise<T>): Promise<T> {
  return workScope.run(undefined, work);
}

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

function isServerError(error: unknown): boolean {
  const e = error as HttpErrorLike;
  return error instanceof RequestTimeoutError || (typeof e?.status === 'number' && (TRANSIENT.has(e.status) || e.status === 0));
}

/** True for failures worth another try: GitHub's 5xx, network errors (status 0 or 500 from fetch), timeouts. */
export function isTransient(error: unknown): boolean {
  return isServerError(error) || isSecondaryLimit(error as HttpErrorLike);
}

/** Waits, unless the work is abandoned meanwhile (then throws its reason). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

type Fetch = typeof globalThis.fetch;

const POLICY_INSTALLED = Symbol('airlock request policy');

/** One error of a GraphQL answer, with the path of the field it is about. */
export interface GraphqlError {
  message?: string;
  path?: (string | number)[];
}

/**
 * The data of a GraphQL answer that came with errors, and those errors; null when the error
 * carries no data. Octokit's GraphQL error carries the answer; so does the 500 its retry plugin
 * makes of an answer whose error is "Something went wrong while executing your query" (a
 * timeout on some field), after retrying it, in its response.
 */
export function partialGraphqlAnswer<D>(error: unknown): { data: D; errors: GraphqlError[] } | null {
  type Answer = { data?: D | null; errors?: GraphqlError[] };
  const raw = error as Answer & { response?: { data?: Answer } };
  const answer = Array.isArray(raw.errors) ? raw : (raw.response?.data ?? {});
  if (!answer.data || !Array.isArray(answer.errors) || answer.errors.length === 0) return null;
  return { data: answer.data, errors: answer.errors };
}

/**
 * Adds retries and a time limit to a client. It wraps every REST and GraphQL request
 * (GraphQL goes through `request` too) and turns off the retry plugin's own retries, so
 * one policy decides. The clock of an attempt starts when it is sent, after any write
 * spacing of the throttling plugin, and runs until its answer is read.
 */
export function installRequestPolicy(octokit: GitHub, policy: RequestPolicy = DEFAULT_REQUEST_POLICY): void {
  const marked = octokit as GitHub & { [POLICY_INSTALLED]?: boolean };
  if (marked[POLICY_INSTALLED]) return;
  marked[POLICY_INSTALLED] = true;
  octokit.hook.wrap('request', async (request, options) => {
    const scope = workScope.getStore();
    const callerSignal = options.request?.signal as AbortSignal | undefined;
    const send: Fetch = (options.request?.fetch as Fetch | undefined) ?? globalThis.fetch;
    let serverRetries = 0;
    let limitRetries = 0;
    for (;;) {
      scope?.throwIfAborted();
      const attempt = new AbortController();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let sentUrl = options.url;
      const timed: Fetch = (input, init) => {
        sentUrl = input instanceof Request ? input.url : String(input);
        // A hook below may send again within one attempt (a token refresh): the clock restarts.
        clearTimeout(timer);
        timer = setTimeout(() => attempt.abort(), policy.requestTimeoutMs);
        timer.unref();
        return send(input, init);
      };
      const signals = [attempt.signal, ...(scope ? [scope] : []), ...(callerSignal ? [callerSignal] : [])];
      try {
        // The hooks below see the options this hook was given, not an argument: change them in place.
        options.request = { ...options.request, retries: 0, signal: AbortSignal.any(signals), fetch: timed };
        return await request(options);
      } catch (raw) {
        if (scope?.aborted) throw scope.reason;
        if (callerSignal?.aborted) throw raw;
        const error = attempt.signal.aborted ? new RequestTimeoutError(options.method, sentUrl, policy.requestTimeoutMs) : raw;
        const e = error as HttpErrorLike;
        if (isSecondaryLimit(e) && limitRetries < policy.secondaryLimitRetries) {
          const seconds = Number(e.response?.headers?.['retry-after'] ?? 60) || 60;
          const wait = seconds * policy.retryAfterUnitMs;
          if (wait > policy.maxRetryAfterMs) throw error;
          limitRetries += 1;
          octokit.log.warn(`secondary rate limit on ${options.method} ${options.url}: retrying in ${seconds}s`);
          await sleep(wait, scope);
          continue;
        }
        if (isServerError(error) && serverRetries < policy.serverErrorRetries) {
          serverRetries += 1;
          const what = error instanceof RequestTimeoutError ? error.message : (networkFailure(e) ?? `GitHub answered ${e.status}`);
          octokit.log.warn(`${what} to ${options.method} ${options.url}: retry ${serverRetries}`);
          await sleep(policy.backoffMs * serverRetries * serverRetries, scope);
          continue;
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  });
  const observe = policy.observe;
  if (!observe) return;
  // Registered after the policy's wrap, so inside it: every attempt is seen, retries included.
  octokit.hook.after('request', (response, options) => {
    observe({ method: options.method, status: response.status, rateLimitRemaining: remainingOf(response.headers) });
  });
  octokit.hook.error('request', (error, options) => {
    const e = error as HttpErrorLike;
    observe({ method: options.method, status: typeof e.status === 'number' ? e.status : 0, rateLimitRemaining: remainingOf(e.response?.headers) });
    throw error;
  });
}

function remainingOf(headers: Record<string, unknown> | undefined): number | null {
  const raw = headers?.['x-ratelimit-remaining'];
  const value = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : Number.NaN;
  return Number.isFinite(value) ? value : null;
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
