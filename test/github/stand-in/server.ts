// A local stand-in for the GitHub API (REST under `/api/v3` or bare paths, GraphQL at
// `/api/graphql` or `/graphql`), for testing the GitHub App end to end over real HTTP.
// Every request is checked against GitHub's OpenAPI description; every mismatch, in
// either direction, lands in `violations`, which tests assert to be empty.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { executeGraphql } from './graphql.js';
import { loadOpenApi, restPath, validateRequest, validateResponse } from './openapi.js';
import type { Urls } from './render.js';
import { handlerFor, HttpError, invalidRequest, type AuthInfo, type RouteContext, type RouteResult } from './rest.js';
import { StandInState, type AppInfo } from './state.js';

export interface StandInOptions {
  app?: Partial<AppInfo>;
  /** Delay before every answer, in milliseconds (also settable later via `standIn.delayMs`). */
  delayMs?: number;
  /** Lifetime of installation tokens; GitHub's is one hour. */
  tokenTtlMs?: number;
  /** Primary rate limit: requests per installation per hour (GitHub: 5,000). */
  rateLimit?: number;
  /** Secondary limit: concurrent requests (GitHub: 100). */
  maxConcurrent?: number;
  /** Secondary limit: content-creating requests per minute (GitHub: about 80). Off unless set. */
  contentCreationPerMinute?: number;
  /** Check the stand-in's own answers against GitHub's response schemas (default true). */
  validateResponses?: boolean;
}

export type FaultStatus = 403 | 429 | 500 | 502 | 503;

export interface FaultSpec {
  method?: string;
  pathIncludes?: string;
  status: FaultStatus;
  /** How many matching requests fail (default 1). */
  times?: number;
  /** Answer as GitHub's secondary rate limit does (message and `retry-after`). */
  secondaryRateLimit?: boolean;
  /** Seconds in the `retry-after` header of a secondary rate limit answer (default 1). */
  retryAfter?: number;
}

export interface HangSpec {
  method?: string;
  pathIncludes?: string;
  /** How many matching requests hang (default: every one from now on). */
  times?: number;
}

export interface RequestLogEntry {
  method: string;
  /** Path and query as sent (including any `/api/v3` prefix). */
  path: string;
  operationId: string | null;
  body: unknown;
  status: number;
  /** When the request arrived (ms since epoch). */
  time: number;
  durationMs: number;
}

export interface Violation {
  /** request: invalid or undocumented request; response: the stand-in answered off-schema;
   *  graphql: invalid GraphQL; unsupported: a documented route the stand-in does not serve;
   *  stand-in: the stand-in itself failed. */
  kind: 'request' | 'response' | 'graphql' | 'unsupported' | 'stand-in';
  method: string;
  path: string;
  operationId: string | null;
  errors: string[];
}

export interface StandIn {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  /** e.g. 127.0.0.1:PORT, for Probot's GHE_HOST (with GHE_PROTOCOL=http). */
  host: string;
  /** REST root as Probot derives it from GHE_HOST: `${url}/api/v3`. */
  apiUrl: string;
  state: StandInState;
  requests: RequestLogEntry[];
  violations: Violation[];
  delayMs: number;
  failNext(fault: FaultSpec): void;
  /** Matching requests get no answer at all until the client gives up or the stand-in closes. */
  hang(spec: HangSpec): void;
  /** Requests held by `hang` right now. */
  readonly hanging: number;
  /** An installation token without going through the JWT exchange (for tests that drive Octokit directly). */
  installationToken(installationId?: number): string;
  /** Logged requests for one OpenAPI operationId (or 'graphql'). */
  requestsFor(operationId: string): RequestLogEntry[];
  close(): Promise<void>;
}

interface PendingFault extends FaultSpec {
  remaining: number;
}

interface PendingHang extends HangSpec {
  remaining: number;
}

/** A held request whose client went away: nothing is sent. */
class ClientGone extends Error {}

const ONE_HOUR = 3600_000;
const MAX_BODY_BYTES = 50 * 1024 * 1024;
const RATE_DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api';

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeJwtPart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function requestId(): string {
  const hex = randomBytes(10).toString('hex').toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 14)}:${hex.slice(14, 20)}`;
}

function secondaryLimit(id: string, retryAfter: number, status: 403 | 429 = 403): HttpError {
  return new HttpError(
    status,
    {
      message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
      documentation_url: `${RATE_DOCS}#about-secondary-rate-limits`,
      status: String(status),
    },
    { 'retry-after': String(retryAfter) },
  );
}

function faultResult(fault: PendingFault, id: string): RouteResult {
  if (fault.secondaryRateLimit || fault.status === 429) {
    const error = secondaryLimit(id, fault.retryAfter ?? 1, fault.status === 429 ? 429 : 403);
    return { status: error.status, body: error.body, headers: error.headers };
  }
  switch (fault.status) {
    case 403:
      return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' } };
    case 500:
      return { status: 500, body: { message: 'Server Error' } };
    case 502:
      // GitHub's load balancer answers 502 with an HTML page, not JSON.
      return { status: 502, raw: { contentType: 'text/html; charset=utf-8', data: '<html><body><h1>502 Bad Gateway</h1>Unicorn! Server error.</body></html>\n' } };
    case 503:
      return { status: 503, body: { message: 'Service Unavailable' } };
  }
}

export async function startStandIn(options: StandInOptions = {}): Promise<StandIn> {
  // Read GitHub's OpenAPI description now, so no request pays for it.
  loadOpenApi();
  const state = new StandInState(options.app);
  const requests: RequestLogEntry[] = [];
  const violations: Violation[] = [];
  const faults: PendingFault[] = [];
  const hangs: PendingHang[] = [];
  let hanging = 0;
  const tokenTtlMs = options.tokenTtlMs ?? ONE_HOUR;
  const rateLimit = options.rateLimit ?? 5000;
  const maxConcurrent = options.maxConcurrent ?? 100;
  const validateResponses = options.validateResponses ?? true;
  const usage = new Map<number, { windowStart: number; used: number }>();
  const created: number[] = [];
  let inFlight = 0;
  let urls: Urls = { api: '', web: '' };

  const standIn: StandIn = {
    url: '',
    host: '',
    apiUrl: '',
    state,
    requests,
    violations,
    delayMs: options.delayMs ?? 0,
    failNext(fault) {
      faults.push({ ...fault, remaining: fault.times ?? 1 });
    },
    hang(spec) {
      hangs.push({ ...spec, remaining: spec.times ?? Infinity });
    },
    get hanging() {
      return hanging;
    },
    installationToken(installationId = state.app.installationId) {
      return state.issueToken(installationId, tokenTtlMs).token;
    },
    requestsFor(operationId) {
      return requests.filter((r) => r.operationId === operationId);
    },
    close: () => Promise.resolve(),
  };

  function takeMatching<T extends { method?: string; pathIncludes?: string; remaining: number }>(list: T[], method: string, path: string): T | undefined {
    const found = list.find(
      (f) => f.remaining > 0 && (!f.method || f.method.toUpperCase() === method) && (!f.pathIncludes || path.includes(f.pathIncludes)),
    );
    if (!found) return undefined;
    found.remaining -= 1;
    if (found.remaining === 0) list.splice(list.indexOf(found), 1);
    return found;
  }

  const takeFault = (method: string, path: string) => takeMatching(faults, method, path);

  /** Holds a matching request until its connection closes (the client aborted, or the stand-in closed). */
  async function holdIfHung(method: string, path: string, closed: Promise<void>): Promise<void> {
    if (!takeMatching(hangs, method, path)) return;
    hanging += 1;
    try {
      await closed;
    } finally {
      hanging -= 1;
    }
    throw new ClientGone();
  }

  function authenticate(header: string | undefined): AuthInfo {
    if (!header) return { kind: 'none' };
    const [scheme = '', credential = ''] = header.trim().split(/\s+/, 2);
    const lower = scheme.toLowerCase();
    if (lower === 'bearer' && credential.split('.').length === 3) {
      const [head = '', payload = ''] = credential.split('.');
      const claims = decodeJwtPart(payload);
      if (!decodeJwtPart(head) || !claims) return { kind: 'none' };
      const now = Math.floor(Date.now() / 1000);
      const exp = Number(claims.exp);
      const iat = Number(claims.iat);
      // GitHub refuses JWTs for another app, expired ones and ones valid for more than 10 minutes.
      if (String(claims.iss) !== String(state.app.id) && String(claims.iss) !== state.app.clientId) return { kind: 'none' };
      if (!Number.isFinite(exp) || exp < now || !Number.isFinite(iat) || exp - iat > 600 || iat > now + 60) return { kind: 'none' };
      return { kind: 'app' };
    }
    if (lower === 'token' || lower === 'bearer') {
      const info = state.tokens.get(credential);
      if (!info || info.expiresAt <= Date.now()) return { kind: 'none' };
      return { kind: 'installation', installationId: info.installationId, ...(info.repositories ? { repositories: info.repositories } : {}) };
    }
    return { kind: 'none' };
  }

  function unauthorized(kind: 'app' | 'installation'): HttpError {
    const message = kind === 'app' ? 'A JSON web token could not be decoded' : 'Bad credentials';
    return new HttpError(401, { message, documentation_url: 'https://docs.github.com/rest', status: '401' });
  }

  /** Counts a request against the installation's hourly budget; returns the rate limit headers. */
  function chargeRateLimit(installationId: number, resource: string): Record<string, string> {
    const now = Date.now();
    let bucket = usage.get(installationId);
    if (!bucket || now - bucket.windowStart >= ONE_HOUR) {
      bucket = { windowStart: now, used: 0 };
      usage.set(installationId, bucket);
    }
    bucket.used += 1;
    const headers = {
      'x-ratelimit-limit': String(rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, rateLimit - bucket.used)),
      'x-ratelimit-reset': String(Math.ceil((bucket.windowStart + ONE_HOUR) / 1000)),
      'x-ratelimit-used': String(Math.min(bucket.used, rateLimit)),
      'x-ratelimit-resource': resource,
    };
    if (bucket.used > rateLimit) {
      throw new HttpError(
        403,
        { message: `API rate limit exceeded for installation ID ${installationId}.`, documentation_url: RATE_DOCS, status: '403' },
        headers,
      );
    }
    return headers;
  }

  function chargeContentCreation(id: string): void {
    const limit = options.contentCreationPerMinute;
    if (limit === undefined) return;
    const now = Date.now();
    while (created.length > 0 && (created[0] ?? 0) <= now - 60_000) created.shift();
    if (created.length >= limit) throw secondaryLimit(id, 60);
    created.push(now);
  }

  async function route(
    req: IncomingMessage,
    closed: Promise<void>,
    entry: RequestLogEntry,
    body: unknown,
    bodyError: boolean,
    id: string,
    concurrent: number,
  ): Promise<RouteResult> {
    const method = entry.method;
    const requestUrl = new URL(req.url ?? '/', standIn.url);
    const bare = restPath(requestUrl.pathname);
    const violation = (kind: Violation['kind'], errors: string[]): void => {
      violations.push({ kind, method, path: entry.path, operationId: entry.operationId, errors });
    };

    if (bare === '/graphql' || requestUrl.pathname === '/api/graphql') {
      entry.operationId = 'graphql';
      if (method !== 'POST') {
        violation('graphql', [`GraphQL requests must be POST, got ${method}`]);
        throw new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/graphql' });
      }
      if (bodyError) {
        violation('graphql', ['request body is not valid JSON']);
        throw new HttpError(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' });
      }
      await delay();
      await holdIfHung(method, entry.path, closed);
      const fault = takeFault(method, entry.path);
      if (fault) return faultResult(fault, id);
      const auth = authenticate(req.headers.authorization);
      if (auth.kind !== 'installation') throw unauthorized('installation');
      const headers = chargeRateLimit(auth.installationId, 'graphql');
      const isMutation = typeof body === 'object' && body !== null && /^\s*mutation\b/.test(String((body as { query?: unknown }).query ?? ''));
      if (isMutation) chargeContentCreation(id);
      const result = executeGraphql(body, { state, urls, installationId: auth.installationId });
      if (result.violations.length > 0) violation('graphql', result.violations);
      return { status: result.status, body: result.body, headers };
    }

    if (bodyError) {
      violation('request', ['request body is not valid JSON']);
      throw new HttpError(400, { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/rest' });
    }
    const validation = validateRequest({ method, path: requestUrl.pathname, query: requestUrl.searchParams, body });
    entry.operationId = validation.operationId;
    if (!validation.operationId) {
      violation('request', validation.errors);
      throw new HttpError(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
    }
    if (!validation.ok) {
      violation('request', validation.errors);
      throw invalidRequest(validation.errors.join('\n'));
    }
    await delay();
    await holdIfHung(method, entry.path, closed);
    const fault = takeFault(method, entry.path);
    if (fault) return faultResult(fault, id);
    const handler = handlerFor(validation.operationId);
    if (!handler) {
      violation('unsupported', [`${validation.operationId} is documented by GitHub but not served by the stand-in`]);
      throw new HttpError(501, { message: `Not implemented by the stand-in: ${validation.operationId}` });
    }
    const auth = authenticate(req.headers.authorization);
    if (auth.kind !== handler.auth) throw unauthorized(handler.auth);
    let headers: Record<string, string> = {};
    if (auth.kind === 'installation') {
      headers = chargeRateLimit(auth.installationId, 'core');
      if (concurrent > maxConcurrent) throw secondaryLimit(id, 1);
      if (handler.creates) chargeContentCreation(id);
    }
    const ctx: RouteContext = {
      state,
      urls,
      params: validation.pathParams,
      query: requestUrl.searchParams,
      body,
      headers: req.headers,
      auth,
      requestUrl,
      tokenTtlMs,
    };
    const result = handler.handle(ctx);
    if (validateResponses && result.status >= 200 && result.status < 300 && !result.raw) {
      const check = validateResponse(validation.operationId, result.status, result.body);
      if (!check.ok) violation('response', check.errors);
    }
    return { ...result, headers: { ...headers, ...result.headers } };
  }

  function delay(): Promise<void> {
    return standIn.delayMs > 0 ? new Promise((resolve) => setTimeout(resolve, standIn.delayMs)) : Promise.resolve();
  }

  function send(res: ServerResponse, method: string, result: RouteResult, id: string): void {
    const headers: Record<string, string> = {
      'x-github-request-id': id,
      'x-github-media-type': 'github.v3; format=json',
      'x-github-api-version-selected': '2022-11-28',
      ...result.headers,
    };
    let payload: string | Buffer = '';
    if (result.raw) {
      headers['content-type'] = result.raw.contentType;
      payload = result.raw.data;
    } else if (result.body !== undefined && result.status !== 204) {
      headers['content-type'] = 'application/json; charset=utf-8';
      payload = JSON.stringify(result.body);
    }
    headers['content-length'] = String(Buffer.byteLength(payload));
    res.writeHead(result.status, headers);
    res.end(method === 'HEAD' ? undefined : payload);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const id = requestId();
    const entry: RequestLogEntry = { method, path: req.url ?? '/', operationId: null, body: undefined, status: 0, time: started, durationMs: 0 };
    requests.push(entry);
    inFlight += 1;
    // Concurrency as it stood when this request arrived.
    const concurrent = inFlight;
    // Fires when the connection closes before an answer (never, for answered requests).
    const closed = new Promise<void>((resolve) => res.once('close', () => resolve()));
    let result: RouteResult;
    try {
      const raw = await readBody(req);
      if (raw === null) throw new HttpError(413, { message: 'Request body too large' });
      let body: unknown;
      let bodyError = false;
      if (raw.length > 0) {
        const text = raw.toString('utf8');
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
          bodyError = true;
        }
      }
      entry.body = body;
      result = await route(req, closed, entry, body, bodyError, id, concurrent);
    } catch (error) {
      if (error instanceof ClientGone) {
        entry.durationMs = Date.now() - started;
        return;
      }
      if (error instanceof HttpError) {
        result = { status: error.status, body: error.body, headers: error.headers };
      } else {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        violations.push({ kind: 'stand-in', method, path: entry.path, operationId: entry.operationId, errors: [message] });
        result = { status: 500, body: { message: 'Stand-in failure' } };
      }
    } finally {
      inFlight -= 1;
    }
    entry.status = result.status;
    entry.durationMs = Date.now() - started;
    send(res, method, result, id);
  }

  const server: Server = createServer((req, res) => {
    void onRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  standIn.host = `127.0.0.1:${port}`;
  standIn.url = `http://${standIn.host}`;
  standIn.apiUrl = `${standIn.url}/api/v3`;
  urls = { api: standIn.apiUrl, web: standIn.url };
  standIn.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      // Clients keep connections alive; close them so shutdown does not wait for their timeout.
      server.closeAllConnections();
    });
  return standIn;
}
