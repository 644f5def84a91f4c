// A real pino logger (the kind Probot uses) that keeps its JSON lines in memory, so tests
// can assert what the app logs: how many lines, at which level, and what they carry.
import { pino, type Logger } from 'pino';

export interface LogLine {
  level: number;
  msg?: string;
  err?: unknown;
  [key: string]: unknown;
}

export interface CapturedLog {
  logger: Logger;
  /** Every line written so far, as written (JSON text). */
  text(): string;
  lines(): LogLine[];
  /** Lines at warn (40) or above. */
  problems(): LogLine[];
  clear(): void;
}

export const WARN = 40;

export function captureLog(level: pino.LevelWithSilent = 'info'): CapturedLog {
  let written = '';
  const logger = pino({ level }, { write: (chunk: string) => void (written += chunk) });
  const lines = () =>
    written
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as LogLine);
  return {
    logger,
    text: () => written,
    lines,
    problems: () => lines().filter((l) => l.level >= WARN),
    clear: () => void (written = ''),
  };
}
