import { ProbotOctokit } from 'probot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_REQUEST_POLICY, installRequestPolicy, isTransient } from '../../src/github/octokit.js';
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

  it('tells transient failures from the rest', () => {
    expect(isTransient({ status: 502 })).toBe(true);
    expect(isTransient({ status: 403, message: 'You have exceeded a secondary rate limit' })).toBe(true);
    expect(isTransient({ status: 403, message: 'Resource not accessible by integration' })).toBe(false);
    expect(isTransient(new Error('x'))).toBe(false);
  });
});
