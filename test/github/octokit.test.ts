import { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_POLICY, installRequestPolicy, isTransient, RequestTimeoutError, withRequestSignal } from '../../src/github/octokit.js';
import { startStandIn, type StandIn } from './stand-in/server.js';

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn();
  standIn.state.addRepo({ owner: 'acme', name: 'widgets' });
});
afterEach(async () => {
  await standIn.close();
});

function client(policy: Partial<typeof DEFAULT_REQUEST_POLICY> = {}) {
  const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
  // Throttling as Probot configures it for apps: secondary limits are only logged.
  const throttle = { onSecondaryRateLimit: () => false, onRateLimit: () => false };
  const octokit = new ProbotOctokit({ auth: { token: standIn.installationToken() }, baseUrl: standIn.apiUrl, log: silent, throttle });
  installRequestPolicy(octokit, { ...DEFAULT_REQUEST_POLICY, backoffMs: 1, retryAfterUnitMs: 1, ...policy });
  return octokit;
}

async function status(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('the request policy', () => {
  it('retries server errors and secondary rate limits, REST and GraphQL alike', async () => {
    const octokit = client();
    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 500 });
    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 502 });
    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 403, secondaryRateLimit: true });
    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 429 });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' })).data.name).toBe('widgets');
    expect(standIn.requests.map((r) => r.status)).toEqual([500, 502, 403, 429, 200]);

    standIn.failNext({ pathIncludes: 'graphql', status: 502 });
    const data = await octokit.graphql<{ rateLimit: { limit: number } }>('query { rateLimit { limit } }');
    expect(data.rateLimit.limit).toBe(5000);
  });

  it('gives up after its retries, on long waits, and at once on client errors', async () => {
    const octokit = client({ serverErrorRetries: 2 });
    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 500, times: 5 });
    expect(await status(octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' }))).toBe(500);
    expect(standIn.requests).toHaveLength(3);

    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 403, secondaryRateLimit: true, retryAfter: 3600 });
    expect(await status(client({ retryAfterUnitMs: 1000 }).rest.repos.get({ owner: 'acme', repo: 'widgets' }))).toBe(403);

    const before = standIn.requests.length;
    expect(await status(octokit.rest.repos.get({ owner: 'acme', repo: 'missing' }))).toBe(404);
    expect(standIn.requests.length - before).toBe(1);
  });

  it('abandons an attempt GitHub does not answer in time, as a server error: retried, then given up', async () => {
    const octokit = client({ requestTimeoutMs: 100, serverErrorRetries: 1 });
    standIn.hang({ pathIncludes: '/repos/acme/widgets', times: 1 });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' })).data.name).toBe('widgets');

    standIn.hang({ pathIncludes: '/repos/acme/widgets' });
    const error: unknown = await octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect((error as Error).message).toBe('GitHub did not answer within 100 ms');
    expect((error as RequestTimeoutError).request.url).toBe(`${standIn.apiUrl}/repos/acme/widgets`);
    // Two attempts of the first call (one hung), two of the second (both hung); no answer is left waiting.
    expect(standIn.requests.map((r) => r.status)).toEqual([0, 200, 0, 0]);
    await expect.poll(() => standIn.hanging).toBe(0);
  });

  it('stops a request at once, without retrying, when the work it belongs to is abandoned', async () => {
    const octokit = client();
    standIn.hang({ pathIncludes: '/repos/acme/widgets' });
    const work = new AbortController();
    const pending = withRequestSignal(work.signal, () => octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' })).catch((e: unknown) => e);
    await expect.poll(() => standIn.hanging).toBe(1);
    work.abort(new Error('deadline'));
    expect(((await pending) as Error).message).toBe('deadline');
    expect(standIn.requests).toHaveLength(1);
    await expect.poll(() => standIn.hanging).toBe(0);
  });

  it('tells transient failures from the rest', () => {
    expect(isTransient({ status: 502 })).toBe(true);
    expect(isTransient({ status: 403, message: 'You have exceeded a secondary rate limit' })).toBe(true);
    expect(isTransient({ status: 403, message: 'Resource not accessible by integration' })).toBe(false);
    expect(isTransient(new Error('x'))).toBe(false);
    expect(isTransient(new RequestTimeoutError('GET', 'http://x/repos/a/b', 30_000))).toBe(true);
  });
});
