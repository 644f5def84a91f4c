// app.yml must be a manifest GitHub accepts: every subscribed event needs the repository
// permission GitHub names for it, at the level its webhook description requires, and the
// app asks for nothing else. The requirements come from GitHub's own OpenAPI description
// (`x-webhooks`: "To subscribe to this event, a GitHub App must have at least read-level
// access for the "Issues" repository permission."), so a new event cannot be added without
// the permission it needs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAirlockApp } from '../../src/github/app.js';

type Level = 'read' | 'write';
interface Requirement {
  permission: string;
  level: Level;
  text: string;
}
interface WebhookOperation {
  summary?: string;
  parameters?: { name: string; example?: unknown }[];
}

const require = createRequire(import.meta.url);
const spec = require('@octokit/openapi/generated/api.github.com.json') as {
  'x-webhooks': Record<string, { post: WebhookOperation }>;
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
};
const manifest = parse(readFileSync(join(import.meta.dirname, '../../app.yml'), 'utf8')) as {
  default_permissions: Record<string, string>;
  default_events: string[];
};
const permissionKeys = spec.components.schemas['app-permissions']!.properties;

/** "Pull requests" → pull_requests, "Merge queues" → merge_queues, as the manifest spells them. */
function permissionKey(displayName: string): string {
  return displayName.toLowerCase().replace(/\s+/g, '_');
}

/**
 * What GitHub requires of an app subscribing to `event`: the permission named in each of its
 * webhook descriptions, at the highest level any of them mentions (check_run's
 * `rerequested` and `requested_action`, which Airlock handles, need write).
 */
function requirementOf(event: string): Requirement | null {
  const summaries = Object.values(spec['x-webhooks'])
    .map((hook) => hook.post)
    .filter((op) => op.parameters?.some((p) => p.name.toLowerCase() === 'x-github-event' && p.example === event))
    .map((op) => op.summary ?? '');
  let found: Requirement | null = null;
  for (const summary of summaries) {
    const sentence = /To subscribe to this event, a GitHub App must have[^\n]*/.exec(summary)?.[0];
    if (!sentence) continue;
    const named = /at least (read|write)-level access for the "([^"]+)"/.exec(sentence);
    if (!named) continue;
    const level: Level = /at least write-level access/.test(sentence) ? 'write' : (named[1] as Level);
    const requirement = { permission: permissionKey(named[2]!), level, text: sentence };
    if (!found || (requirement.level === 'write' && found.level === 'read')) found = requirement;
  }
  return found;
}

function satisfies(granted: string | undefined, needed: Level): boolean {
  return granted === 'write' || (granted === 'read' && needed === 'read');
}

describe('app.yml', () => {
  it('grants every subscribed event the permission GitHub requires for it', () => {
    expect(manifest.default_events.length).toBeGreaterThan(0);
    for (const event of manifest.default_events) {
      const requirement = requirementOf(event);
      if (!requirement) throw new Error(`app.yml: event ${event}: GitHub's webhook descriptions name no permission for it`);
      const granted = manifest.default_permissions[requirement.permission];
      if (!satisfies(granted, requirement.level)) {
        throw new Error(`app.yml: event ${event} needs ${requirement.permission}: ${requirement.level} (${requirement.text}); granted: ${granted ?? 'none'}`);
      }
    }
  });

  it('asks for no permission beyond what an event or the review needs', () => {
    // What the review itself does, beyond receiving events: write check runs, write reviews
    // and comments, read files and configuration; metadata is mandatory.
    const forTheReview: Record<string, Level> = { checks: 'write', pull_requests: 'write', contents: 'read', metadata: 'read' };
    const needed = new Map<string, Level>(Object.entries(forTheReview));
    for (const event of manifest.default_events) {
      const requirement = requirementOf(event)!;
      if (needed.get(requirement.permission) !== 'write') needed.set(requirement.permission, requirement.level);
    }
    expect(manifest.default_permissions).toEqual(Object.fromEntries(needed));
  });

  it('names only permissions and levels GitHub knows', () => {
    for (const [permission, level] of Object.entries(manifest.default_permissions)) {
      expect(permissionKeys[permission], `app.yml: permission ${permission}`).toBeDefined();
      expect(permissionKeys[permission]!.enum, `app.yml: ${permission}: ${level}`).toContain(level);
    }
  });

  it('subscribes to every event the app handles', () => {
    const handled = new Set<string>();
    const fakeProbot = {
      on: (names: string | string[]) => {
        for (const name of [names].flat()) handled.add(name.split('.')[0]!);
      },
      // Every delivery is counted for the metrics; that subscribes to nothing.
      onAny: () => {},
      log: { info() {}, warn() {}, error() {} },
    } as unknown as Probot;
    void createAirlockApp({ reaper: false }).app(fakeProbot, {} as never);
    expect(handled.size).toBeGreaterThan(0);
    expect([...handled].sort()).toEqual([...new Set(manifest.default_events)].sort());
  });

  it('reads requirements GitHub states: issue_comment needs issues, merge_group merge queues', () => {
    expect(requirementOf('issue_comment')).toMatchObject({ permission: 'issues', level: 'read' });
    expect(requirementOf('merge_group')).toMatchObject({ permission: 'merge_queues', level: 'read' });
    expect(requirementOf('check_run')).toMatchObject({ permission: 'checks', level: 'write' });
    expect(requirementOf('no_such_event')).toBeNull();
  });
});
