// A request that never got an answer is a network failure, and the app says so: in its
// retry log lines, in the error it ends with and in the check summary that quotes it.
import { ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { networkFailure } from '../../src/github/network-errors.js';
import { DEFAULT_REQUEST_POLICY, installRequestPolicy } from '../../src/github/octokit.js';
import { describeError, errorOutput } from '../../src/github/summary.js';
import { closedPort } from './closed-port.js';
import { startStandIn, type StandIn } from './stand-in/server.js';

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

function client(baseUrl: string) {
  const warnings: string[] = [];
  const log = { debug: () => {}, info: () => {}, warn: (m: string) => void warnings.push(m), error: () => {} };
  const throttle = { onSecondaryRateLimit: () => false, onRateLimit: () => false };
  const octokit = new ProbotOctokit({ auth: { token: 'ghs_test' }, baseUrl, log, throttle });
  installRequestPolicy(octokit, { ...DEFAULT_REQUEST_POLICY, serverErrorRetries: 2, backoffMs: 1 });
  return { octokit, warnings };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('the request should have failed'),
    (error: unknown) => error,
  );
}

describe('network failures', () => {
  it('names a refused connection in the retry log, the error and the check summary', async () => {
    const port = await closedPort();
    const { octokit, warnings } = client(`http://127.0.0.1:${port}/api/v3`);
    const error = await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' }));
    const network = `Network error, no answer from GitHub: connection refused, ECONNREFUSED (127.0.0.1:${port})`;
    expect(warnings).toEqual([`${network} to GET /repos/{owner}/{repo}: retry 1`, `${network} to GET /repos/{owner}/{repo}: retry 2`]);
    expect(describeError(error)).toBe(`${network} (GET /api/v3/repos/acme/widgets)`);
    const summary = errorOutput(error, 'failure').summary;
    expect(summary).toContain('Network error, no answer from GitHub: connection refused');
    expect(summary).not.toContain('GitHub answered');
  });

  it('names a host that does not resolve as a DNS failure', async () => {
    const { octokit } = client('http://ghe.airlock.invalid/api/v3');
    const error = await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' }));
    expect(networkFailure(error)).toBe('Network error, no answer from GitHub: host not found (DNS), ENOTFOUND (ghe.airlock.invalid)');
  });

  it('names a request that timed out', async () => {
    standIn = await startStandIn();
    standIn.delayMs = 500;
    const { octokit } = client(standIn.apiUrl);
    const error = await failure(octokit.request('GET /rate_limit', { request: { signal: AbortSignal.timeout(50), retries: 0 } }));
    expect(networkFailure(error)).toBe(`Network error, no answer from GitHub: timed out (${standIn.host})`);
  });

  it('leaves GitHub answers as answers, even a 500', async () => {
    standIn = await startStandIn();
    standIn.state.addRepo({ owner: 'acme', name: 'widgets' });
    standIn.failNext({ pathIncludes: '/repos/acme/widgets', status: 500, times: 5 });
    const { octokit, warnings } = client(standIn.apiUrl);
    const error = await failure(octokit.rest.repos.get({ owner: 'acme', repo: 'widgets' }));
    expect(networkFailure(error)).toBeNull();
    expect(describeError(error)).toMatch(/^GitHub answered 500: /);
    expect(warnings[0]).toBe('GitHub answered 500 to GET /repos/{owner}/{repo}: retry 1');
    expect(networkFailure(new Error('fetch failed'))).toBeNull();
  });
});
