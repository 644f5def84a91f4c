// The app's HTTP server: Airlock's own guard in front of Probot's webhook middleware, and
// the start-up of the production app (`npm start`). The guard refuses, before Probot reads
// anything, bodies over GitHub's 25 MB cap (413), forged signatures and malformed payloads
// (400), each with one log line naming the delivery, the event and the size, never the
// payload. Start-up refuses to run without a webhook secret or with credentials GitHub
// does not accept. Tests and the demo build the same server against the GitHub stand-in.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { createNodeMiddleware, createProbot, ProbotOctokit, type ApplicationFunction, type Probot } from 'probot';
import { createAirlockApp, type AirlockApp, type AirlockAppOptions, type AppRole } from './app.js';
import { envOptions } from './env-options.js';
import type { AppMetrics } from './metrics.js';
import { networkFailure } from './network-errors.js';
import { payloadProblem } from './payloads.js';
import { checkRedis, redisTarget, RedisReviewQueue, withSharedRateLimits, type RedisQueueOptions } from './queue/redis.js';

export type Log = Probot['log'];

/** GitHub caps webhook payloads at 25 MB; it never sends more. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** The container health check's endpoint. */
export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';
/** Probot's default webhook path (`WEBHOOK_PATH` changes it). */
export const DEFAULT_WEBHOOKS_PATH = '/api/github/webhooks';

export interface WebhookServerOptions {
  probot: Probot;
  app: ApplicationFunction;
  /** The webhook secret Probot verifies with (the guard checks signatures first). */
  secret: string;
  webhooksPath?: string;
  /** Default: Probot's logger. */
  log?: Log;
  maxBodyBytes?: number;
  /** Served at `GET /metrics` in Prometheus's text format (none: 404). */
  metrics?: AppMetrics;
  /** False once the process is shutting down: `GET /readyz` then answers 503 so that load balancers stop sending. */
  ready?: () => boolean;
  /** Delivery ids shared by every process (Redis): a delivery another process took is answered and dropped. */
  deliveries?: { firstDelivery(id: string): Promise<boolean>; ready(): boolean };
  /** False for a worker process: it answers health, readiness and metrics, and takes no webhook (404). */
  webhooks?: boolean;
}

class Refusal {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {}
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' ? value : null;
}

/** A header as logged: senders choose it, so it is kept short. */
function loggedHeader(req: IncomingMessage, name: string): string | null {
  return header(req, name)?.slice(0, 100) ?? null;
}

/** Reads the body up to `max` bytes; past that it stops reading and refuses (413). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.pause();
        reject(new Refusal(413, `body over the ${max / 1024 / 1024} MB limit`));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}

/**
 * What is read (and dropped, never kept) of a refused body before its connection is closed:
 * enough time for a busy client to read the answer; the bytes only bound the work.
 */
const LINGER_BYTES = 64 * 1024 * 1024;
const LINGER_MS = 5000;

/**
 * Closes the connection of a body that was refused before its end. Closing a socket the
 * client is still writing to resets it, and a reset can destroy the answer before the client
 * reads it, so a little more is read and dropped first (never kept), as web servers do.
 */
function closeUnread(req: IncomingMessage): void {
  let dropped = 0;
  const close = () => {
    clearTimeout(timer);
    req.socket.destroy();
  };
  const timer = setTimeout(close, LINGER_MS);
  req.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > LINGER_BYTES) close();
  });
  req.once('end', close);
  req.socket.once('close', () => clearTimeout(timer));
  req.resume();
}

/** GitHub's `X-Hub-Signature-256`: `sha256=` and the hex HMAC-SHA256 of the exact body. */
export function signatureMatches(body: Buffer, secret: string, signature: string | null): boolean {
  if (!signature) return false;
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text and its problem, if a handler could not take it. */
function checkPayload(event: string, body: Buffer): string {
  let text: string;
  let payload: unknown;
  try {
    text = strictUtf8.decode(body);
    payload = JSON.parse(text);
  } catch {
    throw new Refusal(400, 'Malformed payload: not UTF-8 JSON');
  }
  const problem = payloadProblem(event, payload);
  if (problem) throw new Refusal(400, `Malformed payload: ${problem}`);
  return text;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)) }).end(body);
}

/**
 * The app's HTTP server (not yet listening): the webhook guard, then Probot's middleware
 * (which verifies the signature again and runs the handlers); `GET /ping` answers `PONG` and
 * `GET /healthz` `{"status":"ok"}`: the server only listens once GitHub accepted its
 * credentials, so an answer means the app is up and configured. `GET /readyz` answers 503
 * once it is shutting down; `GET /metrics` serves the metrics when given.
 */
export async function createWebhookServer(options: WebhookServerOptions): Promise<Server> {
  const path = options.webhooksPath ?? DEFAULT_WEBHOOKS_PATH;
  const max = options.maxBodyBytes ?? MAX_WEBHOOK_BYTES;
  const middleware = await createNodeMiddleware(options.app, { probot: options.probot, webhooksPath: path });
  // Probot's logger exists once Probot is initialized (the middleware waits for that).
  const log = options.log ?? options.probot.log;
  const notFound = (res: ServerResponse) => () => void res.writeHead(404).end();

  const refuse = (req: IncomingMessage, res: ServerResponse, refusal: Refusal, bytes: number) => {
    log.warn(
      { delivery: loggedHeader(req, 'x-github-delivery'), event: loggedHeader(req, 'x-github-event'), bytes, status: refusal.status },
      `webhook refused: ${refusal.reason}`,
    );
    const body = JSON.stringify({ error: refusal.reason });
    res.writeHead(refusal.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    if (!req.complete) res.once('finish', () => closeUnread(req));
  };

  const guard = async (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(header(req, 'content-length') ?? Number.NaN);
    if (declared > max) return refuse(req, res, new Refusal(413, `body over the ${max / 1024 / 1024} MB limit`), declared);
    let body: Buffer;
    try {
      body = await readBody(req, max);
    } catch (error) {
      if (error instanceof Refusal) return refuse(req, res, error, max);
      throw error;
    }
    try {
      if (!signatureMatches(body, options.secret, header(req, 'x-hub-signature-256'))) throw new Refusal(400, 'signature does not match the webhook secret');
      (req as IncomingMessage & { body?: string }).body = checkPayload(header(req, 'x-github-event') ?? '', body);
    } catch (error) {
      if (error instanceof Refusal) return refuse(req, res, error, body.length);
      throw error;
    }
    const delivery = header(req, 'x-github-delivery');
    if (options.deliveries && delivery) {
      let first: boolean;
      try {
        first = await options.deliveries.firstDelivery(delivery.slice(0, 100));
      } catch (error) {
        // Without Redis nothing can be queued: GitHub lists the delivery as failed, to redeliver.
        return refuse(req, res, new Refusal(503, `the review queue (Redis) is unavailable: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`), body.length);
      }
      if (!first) {
        log.info({ delivery: loggedHeader(req, 'x-github-delivery'), event: loggedHeader(req, 'x-github-event') }, 'webhook already received (by this or another process); not handled again');
        return sendJson(res, 200, { status: 'duplicate delivery' });
      }
    }
    await middleware(req, res, notFound(res));
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Every POST goes through the guard, whatever its path: Probot matches the webhook path
    // loosely (trailing slashes), and no body should reach it unchecked.
    if (req.method === 'POST' && options.webhooks === false) {
      req.resume();
      res.writeHead(404).end();
    } else if (req.method === 'POST') await guard(req, res);
    else if (req.method === 'GET' && req.url === '/ping') res.writeHead(200, { 'content-type': 'text/plain' }).end('PONG');
    else if (req.method === 'GET' && req.url === HEALTH_PATH) sendJson(res, 200, { status: 'ok' });
    else if (req.method === 'GET' && req.url === READY_PATH) {
      const ready = options.ready?.() ?? true;
      const queue = options.deliveries?.ready() ?? true;
      sendJson(res, ready && queue ? 200 : 503, { status: !ready ? 'stopping' : queue ? 'ready' : 'redis unreachable' });
    } else if (req.method === 'GET' && req.url === METRICS_PATH && options.metrics) {
      const { contentType, body } = await options.metrics.exposition();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)) }).end(body);
    } else await middleware(req, res, notFound(res));
  };
  return createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      log.error(`webhook request failed: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}

/**
 * Why the app cannot start: one line per problem (the entry prints each and exits 1), so a
 * deployment missing several settings learns of all of them at once.
 */
export class StartupError extends Error {
  override name = 'StartupError';
  readonly problems: string[];
  constructor(problems: string | string[]) {
    const list = [problems].flat();
    super(list.join('\n'));
    this.problems = list;
  }
}

export interface StartOptions {
  /** Probot's environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, GHE_HOST, PORT, HOST, LOG_LEVEL, WEBHOOK_PATH … */
  env: NodeJS.ProcessEnv;
  /** Default: Probot's logger (LOG_LEVEL, LOG_FORMAT). */
  log?: Log;
  /** The Octokit class (tests and the demo shorten write spacing). */
  Octokit?: typeof ProbotOctokit;
  app?: AirlockAppOptions;
  /** Where Probot looks for a `.pem` key file (default: the working directory). */
  cwd?: string;
  /** How long the start-up credentials check waits for GitHub (default 30 s). */
  checkTimeoutMs?: number;
  /** Settings of the queue shared through Redis (REDIS_URL): lock and stall times, attempts, backoff. */
  queue?: Partial<RedisQueueOptions>;
}

export interface RunningAirlock {
  /** The webhook URL the server answers on. */
  url: string;
  airlock: AirlockApp;
  /**
   * Stops taking webhooks, gives the reviews under way or waiting `graceMs` (default:
   * AIRLOCK_SHUTDOWN_SECONDS, else 25 s) to finish, then stops the rest with checks that say so.
   */
  close(graceMs?: number): Promise<void>;
}

/** Within the 30 s a container platform usually waits between SIGTERM and SIGKILL, with time left for the last checks. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/** What Probot verifies webhooks with when no secret is set: published, so no secret at all. */
const PROBOT_DEFAULT_SECRET = 'development';

function baseUrlOf(env: NodeJS.ProcessEnv): string {
  return env.GHE_HOST ? `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}/api/v3` : 'https://api.github.com';
}

/** Why `GET /app` failed, in one line. */
function credentialsProblem(error: unknown, baseUrl: string): string {
  const network = networkFailure(error);
  if (network) return `cannot reach GitHub at ${baseUrl} to check the app's credentials: ${network}`;
  const e = error as { status?: number; message?: string };
  const message = (e?.message ?? String(error)).split('\n')[0];
  if (e?.status === 401 || e?.status === 403 || e?.status === 404) {
    return `GitHub (${baseUrl}) refused the app's credentials: ${e.status} ${message}. Check APP_ID and the private key (PRIVATE_KEY or PRIVATE_KEY_PATH).`;
  }
  if (typeof e?.status === 'number') return `GitHub (${baseUrl}) answered ${e.status} to GET /app: ${message}`;
  return `the app's credentials could not be used: ${message}. Check APP_ID and the private key (PRIVATE_KEY or PRIVATE_KEY_PATH).`;
}

function portOf(env: NodeJS.ProcessEnv): number | null {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : null;
}

/** Probot reads the private key from PRIVATE_KEY, PRIVATE_KEY_PATH or a `.pem` file in the working directory. */
function hasPrivateKeySource(env: NodeJS.ProcessEnv, cwd: string): boolean {
  if (env.PRIVATE_KEY || env.PRIVATE_KEY_PATH) return true;
  try {
    return readdirSync(cwd).some((name) => name.endsWith('.pem'));
  } catch {
    return false;
  }
}

const ROLES: readonly AppRole[] = ['web', 'worker', 'all'];

/** Every required setting that is missing or unusable, one line each (none: the app can try to start). */
export function settingsProblems(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const problems: string[] = [];
  if (!env.APP_ID) problems.push("APP_ID is not set: set it to the app's numeric id (the app's settings page, \"App ID\").");
  else if (!/^[1-9][0-9]*$/.test(env.APP_ID)) problems.push(`APP_ID is not a numeric app id: ${env.APP_ID.slice(0, 20)}`);
  if (!hasPrivateKeySource(env, cwd)) problems.push("PRIVATE_KEY is not set: set PRIVATE_KEY to the app's private key (PEM) or PRIVATE_KEY_PATH to its file.");
  if (!env.WEBHOOK_SECRET) {
    problems.push("WEBHOOK_SECRET is not set: without it Probot would accept webhooks signed with its public default secret. Set it to the app's webhook secret.");
  } else if (env.WEBHOOK_SECRET === PROBOT_DEFAULT_SECRET) {
    problems.push(`WEBHOOK_SECRET is Probot's public default ("${PROBOT_DEFAULT_SECRET}"): set it to a secret of your own.`);
  }
  if (portOf(env) === null) problems.push(`PORT is not a port number: ${String(env.PORT).slice(0, 20)}`);
  const role = env.AIRLOCK_ROLE?.trim();
  if (role && !ROLES.includes(role as AppRole)) problems.push(`AIRLOCK_ROLE must be web, worker or all (got "${role.slice(0, 20)}")`);
  else if (role && role !== 'all' && !env.REDIS_URL) problems.push(`AIRLOCK_ROLE=${role} needs REDIS_URL: web and worker processes share their queue through Redis.`);
  if (env.REDIS_URL) {
    try {
      redisTarget(env.REDIS_URL);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/**
 * Starts the app as `npm start` runs it: checks the configuration, asks GitHub who the app
 * is (`GET /app`, so wrong credentials fail now rather than at the first webhook), then
 * listens on HOST:PORT. Every failure is a StartupError with a one-line message.
 */
export async function startAirlock(options: StartOptions): Promise<RunningAirlock> {
  const env = options.env;
  const problems = settingsProblems(env, options.cwd ?? process.cwd());
  let settings: ReturnType<typeof envOptions> = {};
  try {
    settings = envOptions(env);
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (problems.length > 0) throw new StartupError(problems);
  const secret = env.WEBHOOK_SECRET!;
  const role = (env.AIRLOCK_ROLE?.trim() || 'all') as AppRole;
  if (env.REDIS_URL) {
    try {
      await checkRedis(env.REDIS_URL);
    } catch (error) {
      throw new StartupError((error as Error).message);
    }
  }
  const logFormat = env.LOG_FORMAT || (env.NODE_ENV === 'production' ? 'json' : 'pretty');
  // With REDIS_URL the throttling plugin's limiters live in Redis, set up here rather than by
  // Probot: keyed by installation, and one log line per outage rather than one per reconnection.
  let logTo: Log | undefined = options.log;
  const relay = { info: (m: string) => logTo?.info(m), warn: (m: string) => logTo?.warn(m), error: (m: string) => logTo?.error(m) };
  const rateLimits = env.REDIS_URL ? withSharedRateLimits(options.Octokit ?? ProbotOctokit, env.REDIS_URL, relay) : null;
  const Octokit = rateLimits?.Octokit ?? options.Octokit;
  // A failed start leaves no Redis connection behind.
  const start = async (): Promise<RunningAirlock> => {
    let probot: Probot;
    try {
      probot = createProbot({
        env: { ...env, REDIS_URL: undefined, LOG_LEVEL: env.LOG_LEVEL || 'info', LOG_FORMAT: logFormat },
        overrides: { ...(options.log ? { log: options.log } : {}), ...(Octokit ? { Octokit } : {}) },
      });
    } catch (error) {
      throw new StartupError(`Probot could not start: ${error instanceof Error ? error.message : String(error)} (set PRIVATE_KEY or PRIVATE_KEY_PATH).`);
    }
    await probot.ready();
    const log = options.log ?? probot.log;
    logTo = log;
    const baseUrl = baseUrlOf(env);
    let identity: { slug: string; id: number };
    try {
      const octokit = await probot.auth();
      const timeout = AbortSignal.timeout(options.checkTimeoutMs ?? 30_000);
      const { data } = await octokit.rest.apps.getAuthenticated({ request: { retries: 0, signal: timeout } });
      if (!data) throw new Error('GitHub did not describe the app');
      identity = { slug: data.slug ?? 'airlock', id: data.id };
    } catch (error) {
      throw new StartupError(credentialsProblem(error, baseUrl));
    }
    // The app is who GET /app just said it is: its reviews and reaper need not ask again.
    const known = identity;
    const redis = env.REDIS_URL
      ? new RedisReviewQueue(
          {
            url: env.REDIS_URL,
            concurrency: options.app?.reviewConcurrency ?? settings.reviewConcurrency ?? 2 * availableParallelism(),
            // Every process of the app has it, Redis does not: what it seals was written by the app.
            snapshotKey: secret,
            ...options.queue,
          },
          { info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
        )
      : undefined;
    if (redis) {
      try {
        await redis.connected();
      } catch (error) {
        await redis.close(0, () => null);
        throw new StartupError((error as Error).message);
      }
    }
    const airlock = createAirlockApp({ ...options.app, ...(redis ? { redis, role } : {}), services: { identity: async () => known, ...options.app?.services } });
    const webhooksPath = env.WEBHOOK_PATH || DEFAULT_WEBHOOKS_PATH;
    let stopping = false;
    const server = await createWebhookServer({
      probot,
      app: airlock.app,
      secret,
      webhooksPath,
      log,
      metrics: airlock.metrics,
      ready: () => !stopping,
      ...(redis ? { deliveries: redis, webhooks: role !== 'worker' } : {}),
    });
    const port = portOf(env)!;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(new StartupError(error.code === 'EADDRINUSE' ? `port ${port} is in use: set PORT to another one.` : `cannot listen on port ${port}: ${error.message}`)),
      );
      server.listen(port, env.HOST || undefined, () => resolve());
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    const url = `http://${host}:${address.port}${webhooksPath}`;
    const shape = redis ? `, ${role === 'all' ? 'web and worker' : role} on the queue in Redis at ${redisTarget(env.REDIS_URL!)}` : '';
    log.info(`Airlock (${identity.slug}, app ${identity.id}) on ${baseUrl}${shape}, ${role === 'worker' ? `health and metrics at http://${host}:${address.port}` : `webhooks at ${url}`}`);
    return {
      url,
      airlock,
      async close(graceMs) {
        stopping = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        server.closeAllConnections();
        await airlock.shutdown(graceMs ?? settings.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS);
        rateLimits?.close();
      },
    };
  };
  try {
    return await start();
  } catch (error) {
    rateLimits?.close();
    throw error;
  }
}
