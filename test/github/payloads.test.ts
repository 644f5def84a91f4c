import { describe, expect, it } from 'vitest';
import { payloadProblem } from '../../src/github/payloads.js';
import { exampleEvents, type ExampleEvent } from './webhooks.js';

const HANDLED: ExampleEvent[] = ['pull_request', 'check_run', 'check_suite', 'issue_comment', 'merge_group'];

describe('webhook payload schemas', () => {
  it.each(HANDLED)('accept every one of GitHub\'s example %s payloads, whatever the action', (event) => {
    // An app's deliveries name its installation; the examples come from repository webhooks.
    const examples = exampleEvents(event);
    for (const payload of examples) payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.map((payload) => [payload.action, payloadProblem(event, payload)])).toEqual(examples.map((payload) => [payload.action, null]));
  });

  it('name the first field that is missing or of the wrong type, never its value', () => {
    const [example] = exampleEvents('pull_request');
    example!.installation = { id: 1 };
    const payload = structuredClone(example!) as { pull_request: { head: { sha: unknown } } };
    payload.pull_request.head.sha = 'not-a-sha; rm -rf /';
    expect(payloadProblem('pull_request', payload)).toBe('pull_request.head.sha: expected a commit sha');
    expect(payloadProblem('merge_group', {})).toMatch(/^repository: /);
  });

  it('only ask events the app does not handle to be JSON objects', () => {
    expect(payloadProblem('ping', { zen: 'Keep it logically awesome.' })).toBeNull();
    expect(payloadProblem('ping', 'zen')).toBe('the payload is not a JSON object');
    expect(payloadProblem('constructor', {})).toBeNull();
  });
});
