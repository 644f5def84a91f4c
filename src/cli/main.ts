import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
import { ConfigError } from '../core/config.js';
import { RuleFileError } from '../core/rules/schema.js';
import { GitError } from '../io/git.js';
import { ScanDataError } from '../io/scan-data.js';
import { TOOL } from '../io/version.js';
import { UsageError } from './errors.js';
import { HELP, USAGE, wantsHelp } from './help.js';
import { rulesCommand } from './rules-command.js';
import { scanCommand } from './scan-command.js';
import { actionCommand } from './action-command.js';

export { USAGE } from './help.js';

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colours in text output). */
  isTTY: boolean;
  /** Whether stderr is a terminal (a progress line during long scans). */
  stderrIsTTY?: boolean;
  cwd: string;
}

/**
 * A reader that stops early (`airlock scan | head`) closes the pipe, and Node reports that as an
 * EPIPE error on stdout, which would otherwise crash with a stack trace. The rest of the output
 * is dropped quietly and the exit code stays the review's: the verdict does not depend on how
 * much of the report was read. Any other write failure is one line on stderr and exit 2.
 */
let stdoutClosed = false;
let stdoutWatched = false;
function watchStdout(): void {
  if (stdoutWatched) return;
  stdoutWatched = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (stdoutClosed) return;
    stdoutClosed = true;
    if (err.code === 'EPIPE') return;
    process.stderr.write(`airlock: cannot write the output: ${oneLine(err.message)}\n`);
    process.exitCode = 2;
  });
}

const processIo: Io = {
  stdout: (t) => {
    if (!stdoutClosed) process.stdout.write(t);
  },
  stderr: (t) => process.stderr.write(t),
  isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  stderrIsTTY: Boolean(process.stderr.isTTY),
  cwd: process.cwd(),
};

/** Runs the CLI and returns its exit code. Errors become one line on stderr and exit 2. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  if (io === processIo) watchStdout();
  try {
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v') {
      io.stdout(`${TOOL.version}\n`);
      return 0;
    }
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    if ((command === 'scan' || command === 'action') && wantsHelp(rest)) {
      io.stdout(`${HELP[command]}\n`);
      return 0;
    }
    if (command === 'scan') return await scanCommand(rest, io);
    if (command === 'action') return await actionCommand(rest, io, process.env);
    if (command === 'rules') return await rulesCommand(rest, io);
    throw new UsageError(`unknown command "${command}" (try: airlock scan --base origin/main)`);
  } catch (err) {
    io.stderr(`airlock: ${describeError(err)}\n`);
    return 2;
  }
}

function describeError(err: unknown): string {
  if (err instanceof UsageError || err instanceof ConfigError || err instanceof RuleFileError || err instanceof GitError || err instanceof ScanDataError) {
    return oneLine(err.message);
  }
  return `internal error: ${oneLine(err instanceof Error ? err.message : String(err))}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').slice(0, 1000);
}

/** parseArgs with our error type, shared by the subcommands. */
export function parseOptions<T extends OptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true as const, allowPositionals: false as const });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see airlock --help)`);
  }
}

/** Like parseOptions, with positional arguments (file names) allowed. */
export function parseOptionsAndFiles<T extends OptionsConfig>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, strict: true as const, allowPositionals: true as const });
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]} (see airlock --help)`);
  }
}
