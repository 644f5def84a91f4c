// One app process for the Redis tests: `npm start`'s startup (REDIS_URL, AIRLOCK_ROLE, the
// credentials check) on the built app, with the stand-in's write spacing and short lock and
// stall times from AIRLOCK_TEST_QUEUE (JSON), so that a dead worker's job moves on quickly.
// Prints one JSON line per log line; the first is "ready" with its webhook URL.
import { startAirlock, StartupError } from '../../../../dist/github/server.js';
import { octokitWithWriteSpacing } from '../../../../dist/github/octokit.js';

const queue = JSON.parse(process.env.AIRLOCK_TEST_QUEUE ?? '{}');

const line = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const log = {
  info: (...args) => line({ level: 'info', msg: String(args.at(-1)) }),
  warn: (...args) => line({ level: 'warn', msg: String(args.at(-1)) }),
  error: (...args) => line({ level: 'error', msg: String(args.at(-1)) }),
  debug: () => {},
  trace: () => {},
  fatal: (...args) => line({ level: 'fatal', msg: String(args.at(-1)) }),
  child() {
    return log;
  },
};
try {
  const running = await startAirlock({
    env: process.env,
    log,
    Octokit: octokitWithWriteSpacing(0, 0),
    queue,
    app: {
      reaper: false,
      policy: { backoffMs: 5, retryAfterUnitMs: 5 },
      onResult: (result, info) => line({ level: 'result', kind: result.kind, number: info.number, pid: process.pid }),
    },
  });
  line({ level: 'ready', url: running.url, pid: process.pid });
  process.once('SIGTERM', () => running.close(2_000).then(() => process.exit(0), () => process.exit(1)));
} catch (error) {
  const lines = error instanceof StartupError ? error.problems : [String(error)];
  for (const problem of lines) process.stderr.write(`airlock: ${problem}\n`);
  process.exit(1);
}

