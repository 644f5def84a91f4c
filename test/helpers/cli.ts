import { main, type Io } from '../../src/cli/main.js';

/** Runs the CLI in-process and collects what it writes. */
export async function runCli(args: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, cwd };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
