// File contents for many files in one GraphQL query: `repository.object` per file, by blob
// id (head versions, content-addressed, readable for fork heads too) or by `<commit>:<path>`
// (base versions). Paths and ids travel as GraphQL variables only: the query text is built
// from indices, never from a path (paths are chosen by the pull request's author).
// A blob GraphQL cannot give byte for byte (truncated, binary, not UTF-8, missing, or an
// error for its alias) is read again over REST by the caller's fallback; if GraphQL fails
// as a whole, every file of that query falls back and GraphQL is not tried again for this
// change. Nothing is ever answered as "empty" because GraphQL did not say.
import { partialGraphqlAnswer, type GitHub } from './octokit.js';
import type { RepoRef } from './loader.js';

/**
 * At most this many files per query: 3,000 small files in 13 queries. Each `object` lookup costs
 * GitHub no connection points; answers stay small through BLOB_QUERY_BYTES.
 */
export const MAX_BLOBS_PER_QUERY = 250;
/** Text bytes one query aims to bring back at most: the number of files read ahead adapts to it. */
export const BLOB_QUERY_BYTES = 4 * 1024 * 1024;
/** Files asked for in the first query, before sizes are known. */
const FIRST_QUERY_FILES = 50;
/** Queries in a row that may fail as a whole before GraphQL is left for REST for the rest of the change. */
const FAILURES_BEFORE_REST = 2;

export type BlobKey = { kind: 'oid'; oid: string } | { kind: 'expression'; expression: string };

export interface BlobText {
  byteSize: number;
  text: string;
}

/** Why GraphQL did not give a blob byte for byte; the caller reads it over REST instead. */
export type BlobOutcome = { ok: true; blob: BlobText | null } | { ok: false; reason: string };

export interface BlobNode {
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
  text?: string | null;
}

/** What a query asks of each blob. */
export const BLOB_SELECTION = '... on Blob { byteSize isBinary isTruncated text }';

const keyText = (key: BlobKey) => (key.kind === 'oid' ? `oid:${key.oid}` : `expr:${key.expression}`);

/** The query for `keys`: aliases and variables are numbered, the values are variables. */
export function blobQuery(keys: readonly BlobKey[]): { query: string; variables: Record<string, string> } {
  const declarations = ['$owner: String!', '$name: String!'];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  keys.forEach((key, i) => {
    const argument = key.kind === 'oid' ? 'oid' : 'expression';
    declarations.push(`$k${i}: ${key.kind === 'oid' ? 'GitObjectID!' : 'String!'}`);
    fields.push(`f${i}: object(${argument}: $k${i}) { ${BLOB_SELECTION} }`);
    variables[`k${i}`] = key.kind === 'oid' ? key.oid : key.expression;
  });
  return { query: `query(${declarations.join(', ')}) { repository(owner: $owner, name: $name) { ${fields.join(' ')} } }`, variables };
}

/** A blob as GraphQL gave it: its text when that is exactly the blob, else why not. */
export function outcomeOf(node: BlobNode | null | undefined, failed?: string): BlobOutcome {
  if (failed !== undefined) return { ok: false, reason: failed };
  if (node === null || node === undefined) return { ok: true, blob: null };
  if (typeof node.byteSize !== 'number') return { ok: false, reason: 'not a file' };
  if (node.isTruncated === true) return { ok: false, reason: 'truncated by GraphQL' };
  if (node.isBinary === true || typeof node.text !== 'string') return { ok: false, reason: 'binary' };
  // GraphQL gives text: when it is not the blob's exact bytes (invalid UTF-8), the bytes come from REST.
  if (Buffer.byteLength(node.text, 'utf8') !== node.byteSize) return { ok: false, reason: 'text differs from the blob bytes' };
  return { ok: true, blob: { byteSize: node.byteSize, text: node.text } };
}

/**
 * Reads blobs through GraphQL, many per query. `get` asks for one; asks made in the same
 * turn of the event loop share a query, and the free places of a query are filled with the
 * next of `readAhead` (head blobs the engine will ask for next, in its order), so a change's
 * contents take one query per up to MAX_BLOBS_PER_QUERY files. Read-ahead answers are kept until asked for
 * once, then dropped.
 */
export class BlobReader {
  private readonly answers = new Map<string, Promise<BlobOutcome>>();
  private waiting: { key: BlobKey; resolve: (outcome: BlobOutcome) => void }[] = [];
  private scheduled = false;
  private next = 0;
  private batch = FIRST_QUERY_FILES;
  private broken: string | null = null;
  private failures = 0;
  queries = 0;

  constructor(
    private readonly octokit: GitHub,
    private readonly repo: RepoRef,
    private readonly readAhead: readonly BlobKey[] = [],
  ) {}

  get(key: BlobKey): Promise<BlobOutcome> {
    const id = keyText(key);
    const known = this.answers.get(id);
    if (known) {
      this.answers.delete(id);
      return known;
    }
    if (this.broken !== null) return Promise.resolve({ ok: false, reason: this.broken });
    return new Promise((resolve) => {
      this.waiting.push({ key, resolve });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const asked = this.waiting;
    this.waiting = [];
    const askedIds = new Set(asked.map((a) => keyText(a.key)));
    const groups: { key: BlobKey; resolve?: (outcome: BlobOutcome) => void }[][] = [];
    for (let i = 0; i < asked.length; i += MAX_BLOBS_PER_QUERY) groups.push(asked.slice(i, i + MAX_BLOBS_PER_QUERY));
    if (groups.length === 0) groups.push([]);
    // The last query's free places go to the files the engine will ask for next.
    const last = groups[groups.length - 1]!;
    while (last.length < Math.min(this.batch, MAX_BLOBS_PER_QUERY) && this.next < this.readAhead.length) {
      const key = this.readAhead[this.next++]!;
      const id = keyText(key);
      if (askedIds.has(id) || this.answers.has(id)) continue;
      last.push({ key });
    }
    await Promise.all(groups.filter((g) => g.length > 0).map((g) => this.query(g)));
  }

  private async query(group: { key: BlobKey; resolve?: (outcome: BlobOutcome) => void }[]): Promise<void> {
    const { query, variables } = blobQuery(group.map((g) => g.key));
    let nodes: Record<string, BlobNode | null> | null | undefined;
    const failedAliases = new Map<string, string>();
    this.queries += 1;
    try {
      const data = await this.octokit.graphql<{ repository: Record<string, BlobNode | null> | null }>(query, {
        owner: this.repo.owner,
        name: this.repo.repo,
        ...variables,
      });
      nodes = data.repository;
    } catch (error) {
      const failure = error as { status?: number; message?: string };
      const answer = partialGraphqlAnswer<{ repository?: Record<string, BlobNode | null> | null }>(error);
      if (answer?.data.repository) {
        // Partial data: the aliases an error names fall back, the others stand.
        nodes = answer.data.repository;
        for (const e of answer.errors) {
          const alias = e.path?.[1];
          if (e.path?.[0] === 'repository' && typeof alias === 'string') failedAliases.set(alias, `GraphQL error: ${e.message ?? 'unknown'}`);
        }
        if (failedAliases.size === 0) nodes = undefined;
      }
      if (nodes === undefined || nodes === null) {
        // The whole query failed: its files go over REST, the next query is half as big. A rate
        // limit (REST has its own) or failures in a row leave GraphQL for the rest of the change.
        const reason = `GraphQL query failed (${failure.status !== undefined ? `HTTP ${failure.status}: ` : ''}${(failure.message ?? String(error)).split('\n')[0]})`;
        this.failures += 1;
        this.batch = Math.max(1, Math.floor(group.length / 2));
        if (failure.status === 403 || failure.status === 429 || this.failures >= FAILURES_BEFORE_REST) this.broken = reason;
        for (const g of group) g.resolve?.({ ok: false, reason });
        return;
      }
    }
    if (nodes === null || nodes === undefined) {
      const reason = 'GraphQL found no repository';
      for (const g of group) g.resolve?.({ ok: false, reason });
      return;
    }
    this.failures = 0;
    let bytes = 0;
    group.forEach((g, i) => {
      const node = nodes[`f${i}`];
      if (typeof node?.text === 'string') bytes += node.text.length;
      const outcome = outcomeOf(node, failedAliases.get(`f${i}`));
      if (g.resolve) g.resolve(outcome);
      else this.answers.set(keyText(g.key), Promise.resolve(outcome));
    });
    // Next read-ahead sized so a query brings back about BLOB_QUERY_BYTES.
    const average = bytes / Math.max(1, group.length);
    this.batch = Math.max(1, Math.min(MAX_BLOBS_PER_QUERY, Math.floor(BLOB_QUERY_BYTES / Math.max(1, average))));
  }
}
