// Deployment settings read from the environment, next to Probot's own (APP_ID, …): the
// time limits that make sure a required check always completes.

export interface EnvOptions {
  /** AIRLOCK_REQUEST_TIMEOUT_SECONDS: one GitHub request attempt (default 30). */
  requestTimeoutMs?: number;
  /** AIRLOCK_REVIEW_DEADLINE_SECONDS: one whole review (default 600). */
  reviewDeadlineMs?: number;
  /** AIRLOCK_REAPER_INTERVAL_SECONDS: between passes of the reaper (default 600; 0: only at start). */
  reaperIntervalMs?: number;
  /** AIRLOCK_REVIEW_CONCURRENCY: reviews running at once in this process (default: twice the CPU count). */
  reviewConcurrency?: number;
  /** AIRLOCK_SHUTDOWN_SECONDS: on SIGTERM, how long reviews under way may take to finish (default 25). */
  shutdownGraceMs?: number;
}

function seconds(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of seconds, at least ${min} (got "${raw}")`);
  return value * 1000;
}

function count(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number, at least ${min} (got "${raw}")`);
  return value;
}

export function envOptions(env: NodeJS.ProcessEnv): EnvOptions {
  const requestTimeoutMs = seconds(env, 'AIRLOCK_REQUEST_TIMEOUT_SECONDS', 1);
  const reviewDeadlineMs = seconds(env, 'AIRLOCK_REVIEW_DEADLINE_SECONDS', 10);
  const reaperIntervalMs = seconds(env, 'AIRLOCK_REAPER_INTERVAL_SECONDS', 0);
  const reviewConcurrency = count(env, 'AIRLOCK_REVIEW_CONCURRENCY', 1);
  const shutdownGraceMs = seconds(env, 'AIRLOCK_SHUTDOWN_SECONDS', 0);
  return {
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
    ...(reviewDeadlineMs !== undefined ? { reviewDeadlineMs } : {}),
    ...(reaperIntervalMs !== undefined ? { reaperIntervalMs } : {}),
    ...(reviewConcurrency !== undefined ? { reviewConcurrency } : {}),
    ...(shutdownGraceMs !== undefined ? { shutdownGraceMs } : {}),
  };
}
