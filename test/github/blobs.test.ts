import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobQuery } from '../../src/github/blobs.js';
import type { LoadedChange } from '../../src/github/loader.js';
import { calls, loadStandInPull } from './harness.js';
import { startStandIn, type StandIn } from './stand-in/server.js';
import type { PullFileInput, PullRecord, RepoState } from './stand-in/state.js';

let standIn: StandIn;
let repo: RepoState;
beforeEach(async () => {
  standIn = await startStandIn();
  repo = standIn.state.addRepo({ owner: 'acme', name: 'widgets', ownerType: 'Organization' });
});
afterEach(async () => {
  await standIn.close();
});

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const load = (pull: PullRecord, baseUrl?: string): Promise<LoadedChange> => loadStandInPull(standIn, pull, baseUrl);

const text = (bytes: Uint8Array | null) => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

// Paths a pull request's author chooses: quotes, braces, `$`, newlines, colons, unicode.
const HOSTILE = [
  'src/a".js',
  'src/b") { x: __typename } #.js',
  'src/$k0.js',
  'src/line\nbreak.js',
  'src/with:colon.js',
  'src/ünïcødé/日本.js',
  "src/back\\slash'.js",
  'src/${injection}.js',
];

function modified(paths: string[]): PullFileInput[] {
  return paths.map((filename, i) => ({ filename, baseContent: `export const v = ${i};\n`, content: `export const v = ${i};\nexport const w${i} = "${filename.length}";\n` }));
}

describe('file contents through GraphQL', () => {
  it('reads the head of every modified file in one query, paths only as variables, the same bytes as the REST blob API', async () => {
    const paths = [...HOSTILE, ...Array.from({ length: 12 }, (_, i) => `src/mod-${i}.js`)];
    const pull = repo.addPullRequest({ files: [...modified(paths), { filename: 'src/new.js', content: 'added = 1\n' }] });
    const loaded = await load(pull);
    const since = standIn.requests.length;
    const heads = await Promise.all(paths.map((p) => loaded.changeSet.loadHead(p)));
    expect(heads.map(text)).toEqual(paths.map((p, i) => `export const v = ${i};\nexport const w${i} = "${p.length}";\n`));
    // A new file comes from its patch, with no request.
    expect(text(await loaded.changeSet.loadHead('src/new.js'))).toBe('added = 1\n');
    expect(calls(standIn, since)).toEqual(['graphql']);
    const sent = standIn.requests[since]!;
    expect(sent.path).toBe('/api/graphql');
    const body = sent.body as { query: string; variables: Record<string, string> };
    for (const p of HOSTILE) expect(body.query).not.toContain(p);
    expect(Object.keys(body.variables).filter((k) => /^k\d+$/.test(k))).toHaveLength(paths.length);
    expect(loaded.contentRequests()).toBe(1);
    expect(standIn.violations).toEqual([]);
  });

  it('reads base versions at the merge base in one query, null for a path absent there', async () => {
    const pull = repo.addPullRequest({ files: [...modified(HOSTILE), { filename: 'src/new.js', content: 'added = 1\n' }] });
    const loaded = await load(pull);
    const since = standIn.requests.length;
    const bases = await Promise.all([...HOSTILE, 'src/new.js'].map((p) => loaded.changeSet.loadBase!(p)));
    expect(bases.map(text)).toEqual([...HOSTILE.map((_, i) => `export const v = ${i};\n`), null]);
    expect(calls(standIn, since)).toEqual(['repos/compare-commits', 'graphql']);
    expect(standIn.violations).toEqual([]);
  });

  it('batches at most 250 files a query and reads ahead in the order files are listed', async () => {
    const paths = Array.from({ length: 600 }, (_, i) => `src/m${String(i).padStart(3, '0')}.js`);
    const pull = repo.addPullRequest({ files: modified(paths) });
    const loaded = await load(pull);
    const since = standIn.requests.length;
    // The engine asks a window ahead, file by file, in order.
    for (const p of paths) expect(text(await loaded.changeSet.loadHead(p))).toContain('export const v');
    const queries = calls(standIn, since);
    expect(queries.every((c) => c === 'graphql')).toBe(true);
    // 50 first (sizes unknown), then up to 250 each: 50 + 250 + 250 + 50.
    expect(queries).toHaveLength(4);
    expect(standIn.violations).toEqual([]);
  });

  it('reads 3,000 modified files (30 pages of the files list) in 13 content queries, as the engine asks for them', async () => {
    const paths = Array.from({ length: 3000 }, (_, i) => `src/gen/m-${String(i).padStart(4, '0')}.js`);
    const pull = repo.addPullRequest({ files: modified(paths) });
    const since = standIn.requests.length;
    const loaded = await load(pull);
    // The engine's order and window: 16 loads ahead of the file it reads.
    const pending = new Map<number, Promise<Uint8Array | null>>();
    const start = (i: number) => void (i < paths.length && !pending.has(i) && pending.set(i, loaded.changeSet.loadHead(paths[i]!)));
    for (let i = 0; i < 16; i++) start(i);
    for (let i = 0; i < paths.length; i++) {
      start(i + 16);
      expect(text(await pending.get(i)!)).toBe(`export const v = ${i};\nexport const w${i} = "${paths[i]!.length}";\n`);
      pending.delete(i);
    }
    const counted = calls(standIn, since).reduce<Record<string, number>>((acc, op) => ({ ...acc, [op]: (acc[op] ?? 0) + 1 }), {});
    // 50 first, then 250 a query: 50 + 11 × 250 + 200.
    expect(counted).toEqual({ 'pulls/list-files': 30, graphql: 13 });
    expect(standIn.violations).toEqual([]);
  }, 120_000);

  it('falls back to the REST blob API for a truncated, a binary, and a failing blob; enforces the size limit', async () => {
    standIn.state.graphqlBlobTextLimit = 64;
    const long = `${'x'.repeat(100)}\n`;
    const pull = repo.addPullRequest({
      files: [
        { filename: 'big.js', baseContent: 'a\n', content: long },
        { filename: 'nul.bin.js', baseContent: 'a\n', content: 'a\u0000b\n' },
        { filename: 'flaky.js', baseContent: 'a\n', content: 'flaky = 1\n' },
        { filename: 'fine.js', baseContent: 'a\n', content: 'fine = 1\n' },
      ],
    });
    standIn.state.failingGraphqlObjects.add(pull.files.find((f) => f.filename === 'flaky.js')!.sha!);
    const loaded = await load(pull);
    const since = standIn.requests.length;
    const got = await Promise.all(['big.js', 'nul.bin.js', 'flaky.js', 'fine.js'].map((p) => loaded.changeSet.loadHead(p)));
    expect(got.map(text)).toEqual([long, 'a\u0000b\n', 'flaky = 1\n', 'fine = 1\n']);
    expect(calls(standIn, since).sort()).toEqual(['git/get-blob', 'git/get-blob', 'git/get-blob', 'graphql']);
    // Over the engine's limit: refused with the size, whichever API answered.
    await expect(loaded.changeSet.loadHead('big.js', { maxBytes: 50 })).rejects.toThrow('101 bytes, over the 50-byte limit');
    await expect(loaded.changeSet.loadHead('fine.js', { maxBytes: 5 })).rejects.toThrow('9 bytes, over the 5-byte limit');
    expect(standIn.violations).toEqual([]);
  });

  it('falls back to REST when GraphQL fails (502, rate limit), leaves GraphQL after two failures or a rate limit, and fails loudly when REST does too', async () => {
    const pull = repo.addPullRequest({ files: modified(['a.js', 'b.js', 'c.js', 'd.js', 'e.js']) });
    const loaded = await load(pull);
    standIn.failNext({ pathIncludes: 'graphql', status: 502 });
    const since = standIn.requests.length;
    const got = async (p: string) => text(await loaded.changeSet.loadHead(p));
    // The first query (a.js and the files read ahead) fails: a.js over REST; b.js's query works.
    expect(await got('a.js')).toContain('w0');
    expect(await got('b.js')).toContain('w1');
    expect(calls(standIn, since)).toEqual(['graphql', 'git/get-blob', 'graphql']);
    // Two failures in a row: GraphQL is not asked again for this change.
    standIn.failNext({ pathIncludes: 'graphql', status: 502, times: 2 });
    const from = standIn.requests.length;
    expect(await got('a.js')).toContain('w0');
    expect(await got('b.js')).toContain('w1');
    expect(await got('c.js')).toContain('w2');
    expect(calls(standIn, from)).toEqual(['graphql', 'git/get-blob', 'graphql', 'git/get-blob', 'git/get-blob']);

    const again = await load(repo.addPullRequest({ files: modified(['d.js']) }));
    standIn.failNext({ pathIncludes: 'graphql', status: 403, secondaryRateLimit: true });
    standIn.failNext({ pathIncludes: '/git/blobs/', status: 500 });
    await expect(again.changeSet.loadHead('d.js')).rejects.toThrow();
    expect(standIn.violations).toEqual([]);
  });

  it('asks GitHub.com at /graphql and GitHub Enterprise Server at /api/graphql', async () => {
    const pull = repo.addPullRequest({ files: modified(['a.js']) });
    for (const [baseUrl, path] of [
      [standIn.url, '/graphql'],
      [standIn.apiUrl, '/api/graphql'],
    ] as const) {
      const loaded = await load(pull, baseUrl);
      const since = standIn.requests.length;
      await loaded.changeSet.loadHead('a.js');
      expect(standIn.requests.slice(since).map((r) => r.path)).toEqual([path]);
    }
    expect(standIn.violations).toEqual([]);
  });
});

describe('the stand-in refuses GraphQL blob queries it does not serve', () => {
  it('answers errors (and records violations) for an unknown field or expression shape', async () => {
    const octokit = new Octokit({ baseUrl: standIn.apiUrl, auth: standIn.installationToken(), log: quiet });
    await expect(octokit.graphql('query { repository(owner: "acme", name: "widgets") { object(expression: "main:a.js") { ... on Blob { sizeInBytes } } } }')).rejects.toThrow(
      "Field 'sizeInBytes' doesn't exist on type 'Blob'",
    );
    await expect(octokit.graphql('query { repository(owner: "acme", name: "widgets") { object(expression: "HEAD~1") { ... on Blob { text } } } }')).rejects.toThrow(
      'serves only "<revision>:<path>" expressions',
    );
    expect(standIn.violations).toHaveLength(2);
  });

  it('builds queries from indices only', () => {
    const { query, variables } = blobQuery([{ kind: 'oid', oid: 'a'.repeat(40) }, { kind: 'expression', expression: 'abc:"}) {' }]);
    expect(query).toBe(
      'query($owner: String!, $name: String!, $k0: GitObjectID!, $k1: String!) { repository(owner: $owner, name: $name) { f0: object(oid: $k0) { ... on Blob { byteSize isBinary isTruncated text } } f1: object(expression: $k1) { ... on Blob { byteSize isBinary isTruncated text } } } }',
    );
    expect(variables).toEqual({ k0: 'a'.repeat(40), k1: 'abc:"}) {' });
  });
});
