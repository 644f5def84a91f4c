// The production entry (`npm start`): Airlock's own HTTP server, with its webhook guard in
// front of Probot, configured by Probot's environment variables (and `.env`, as Probot reads
// it). Each reason not to start is printed as one line, and the process exits 1.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { startAirlock, StartupError } from './github/server.js';

/** `.env` in the working directory, as `probot run` reads it (its values win). */
function applyEnvFile(): void {
  let text: string;
  try {
    text = readFileSync(join(process.cwd(), '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  Object.assign(process.env, parseEnv(text));
}

async function main(): Promise<void> {
  applyEnvFile();
  const running = await startAirlock({ env: process.env });
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const lines = error instanceof StartupError ? error.problems : [error instanceof Error ? `${error.name}: ${error.message}` : String(error)];
  for (const line of lines) process.stderr.write(`airlock: ${line.split('\n')[0]}\n`);
  process.exit(1);
});
