import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CONFIG_PATH, DEFAULT_CONFIG, parseConfig, type AirlockConfig } from '../core/config.js';
import { CONFIDENCES, SEVERITIES, type Confidence, type PullRequestFacts, type Severity } from '../core/model.js';
import { decodeUtf8 } from '../core/text.js';
import { renderJson } from '../core/render/json.js';
import { renderMarkdown } from '../core/render/markdown.js';
import { renderSarif } from '../core/render/sarif.js';
import { renderText, verdictLine } from '../core/render/text.js';
import type { Report } from '../core/render/report.js';
import { review } from '../core/review.js';
import { loadGitReview, originRepository, readFileAtRevision } from '../io/git.js';
import { searchAstFiles } from '../io/ast-file-search.js';
import { nativeMemoryReclaimer } from '../io/native-memory.js';
import { extendCatalog, type RuleSource } from '../core/rules/catalog.js';
import { loadShippedCatalog } from '../io/rules-dir.js';
import { SemanticPool, workersFromEnv } from '../io/semantic-pool.js';
import { readSemgrepSourcesAt, readSemgrepSourcesIn } from '../io/semgrep-sources.js';
import { loadScanData } from '../io/scan-data.js';
import { ruleDocsBase, TOOL } from '../io/version.js';
import { UsageError } from './errors.js';
import { parseOptions, type Io } from './main.js';
import { readPrEvent } from './pr-event.js';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

async function writeOutput(file: string, option: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (err) {
    throw new UsageError(`${option} ${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export async function readConfig(file: string | undefined, cwd: string): Promise<AirlockConfig> {
  if (!file) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`--config ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseConfig(text, file);
}

/**
 * The configuration as committed at the base ref (its tip, as given: the policy the change is
 * about to merge into, like the app reading the default branch). The change under review
 * cannot relax it. No file there means the defaults, said on stderr so a typo in the path of
 * the policy does not pass unnoticed.
 */
async function readBaseConfig(repo: string, base: string, io: Io): Promise<AirlockConfig> {
  const bytes = await readFileAtRevision(repo, base, CONFIG_PATH);
  if (bytes === null) {
    io.stderr(`airlock: ${base} has no ${CONFIG_PATH}; using the default configuration\n`);
    return DEFAULT_CONFIG;
  }
  return parseConfig(decodeUtf8(bytes), `${base}:${CONFIG_PATH}`);
}

/** `onReport`: the review's report, for a caller that outputs more than the exit code says (the action). */
export async function scanCommand(args: string[], io: Io, onReport?: (report: Report) => void): Promise<number> {
  const { values } = parseOptions(args, {
    repo: { type: 'string', default: '.' },
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    format: { type: 'string', default: 'text' },
    all: { type: 'boolean', default: false },
    config: { type: 'string' },
    'config-from-base': { type: 'boolean', default: false },
    'fail-on': { type: 'string' },
    'fail-confidence': { type: 'string' },
    'pr-event': { type: 'string' },
    'sarif-file': { type: 'string' },
    'summary-file': { type: 'string' },
    'docs-url': { type: 'string' },
    quiet: { type: 'boolean', short: 'q', default: false },
  });
  if (!values.base) throw new UsageError('scan needs --base REF (e.g. --base origin/main)');
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const failOn = values['fail-on'] as Severity | undefined;
  if (failOn !== undefined && !SEVERITIES.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not "${failOn}"`);
  }
  const failConfidence = values['fail-confidence'] as Confidence | undefined;
  if (failConfidence !== undefined && !CONFIDENCES.includes(failConfidence)) {
    throw new UsageError(`--fail-confidence must be one of ${CONFIDENCES.join(', ')}, not "${failConfidence}"`);
  }
  if (values.config !== undefined && values['config-from-base']) {
    throw new UsageError('--config and --config-from-base cannot be used together (see airlock --help)');
  }
  let workers: number | null | undefined;
  try {
    workers = workersFromEnv(process.env);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  let docsBase: string | null;
  try {
    docsBase = ruleDocsBase(process.env, values['docs-url']);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  // --quiet: errors and the verdict line only, so notes on stderr are left out too.
  const quiet = values.quiet!;
  const noteIo: Io = quiet ? { ...io, stderr: () => {} } : io;
  const repo = resolve(io.cwd, values.repo!);
  const config = values['config-from-base'] ? await readBaseConfig(repo, values.base, noteIo) : await readConfig(values.config, io.cwd);
  const event = values['pr-event'] ? await readPrEvent(resolve(io.cwd, values['pr-event'])) : null;
  const paths = config.semgrep_rules;
  const extraRules = values['config-from-base'] ? await readSemgrepSourcesAt(repo, values.base, paths) : await readSemgrepSourcesIn(repo, paths);

  const files = {
    ...(values['sarif-file'] ? { sarif: resolve(io.cwd, values['sarif-file']) } : {}),
    ...(values['summary-file'] ? { summary: resolve(io.cwd, values['summary-file']) } : {}),
  };
  // The call and taint rules run on worker threads (AIRLOCK_WORKERS=0: on this one), stopped at
  // the end so that the process exits at once.
  const pool = workers === null ? null : new SemanticPool(workers === undefined ? {} : { size: workers });
  try {
    return await reviewAndPrint({ repo, base: values.base, head: values.head!, format, failOn, failConfidence, config, extraRules, event, all: values.all!, files, io, pool, docsBase, quiet, onReport });
  } finally {
    await pool?.close();
  }
}

async function reviewAndPrint(opts: {
  repo: string;
  base: string;
  head: string;
  format: Format;
  failOn: Severity | undefined;
  failConfidence: Confidence | undefined;
  config: AirlockConfig;
  /** The organisation's rule files named by the configuration. */
  extraRules: RuleSource[];
  event: Awaited<ReturnType<typeof readPrEvent>> | null;
  all: boolean;
  /** Also written: the SARIF report (replaced) and the markdown summary (appended, as a CI step summary is). */
  files: { sarif?: string; summary?: string };
  io: Io;
  pool: SemanticPool | null;
  /** The rule pages' folder; null: no links. */
  docsBase: string | null;
  /** Print only the verdict line. */
  quiet: boolean;
  onReport: ((report: Report) => void) | undefined;
}): Promise<number> {
  const { repo, format, failOn, failConfidence, config, event, io } = opts;
  const range = { repo, base: opts.base, head: opts.head };
  const [git, shipped, data, origin] = await Promise.all([
    loadGitReview(range, { branch: !event }),
    loadShippedCatalog(),
    loadScanData(),
    event?.repository ? Promise.resolve(event.repository) : originRepository(repo),
  ]);
  const catalog = extendCatalog(shipped, opts.extraRules);
  const { commits } = git;
  const changeSet = origin ? { ...git.changeSet, repository: origin } : git.changeSet;
  const branch = event ? event.headBranch : git.branch;
  const facts: PullRequestFacts = {
    author: event?.author ?? null,
    authorType: event?.authorType ?? null,
    labels: event?.labels ?? [],
    title: event?.title ?? '',
    body: event?.body ?? '',
    headBranch: branch,
    commits,
  };
  const progress = opts.quiet || !io.stderrIsTTY ? null : progressLine(io);
  const report = await review({
    changeSet,
    facts,
    config,
    catalog,
    data,
    tool: TOOL,
    forceReview: opts.all,
    astSearch: searchAstFiles,
    reclaim: nativeMemoryReclaimer(),
    ...(opts.pool ? { semanticRunner: opts.pool.session(opts.extraRules) } : {}),
    ...(failOn ? { failOn } : {}),
    ...(failConfidence ? { failConfidence } : {}),
    notReviewedHint: 'use --all to review anyway',
    ...(opts.docsBase ? { ruleDocs: { baseUrl: opts.docsBase, documented: new Set(shipped.meta.keys()) } } : {}),
    ...(progress ? { progress: progress.update } : {}),
  }).finally(() => progress?.done());
  opts.onReport?.(report);
  if (opts.quiet) {
    io.stdout(`${verdictLine(report, { color: io.isTTY })}\n`);
    await writeFiles(report, opts.files);
    return report.verdict.conclusion === 'failure' ? 1 : 0;
  }
  const output =
    format === 'json'
      ? renderJson(report)
      : format === 'sarif'
        ? renderSarif(report)
        : format === 'markdown'
          ? renderMarkdown(report)
          : renderText(report, { color: io.isTTY });
  io.stdout(output.endsWith('\n') ? output : `${output}\n`);
  await writeFiles(report, opts.files);
  return report.verdict.conclusion === 'failure' ? 1 : 0;
}

async function writeFiles(report: Report, files: { sarif?: string; summary?: string }): Promise<void> {
  if (files.sarif) await writeOutput(files.sarif, '--sarif-file', () => writeFile(files.sarif!, renderSarif(report)));
  if (files.summary) await writeOutput(files.summary, '--summary-file', () => appendFile(files.summary!, `${renderMarkdown(report)}\n`));
}

/** A scan shorter than this shows no progress at all. */
export const PROGRESS_AFTER_MS = 2000;
const PROGRESS_EVERY_MS = 250;

/**
 * The progress of a long scan on stderr (a terminal: the caller checks), one line rewritten in
 * place: nothing during the first PROGRESS_AFTER_MS, then at most every PROGRESS_EVERY_MS; the
 * line is cleared when the scan ends so that the report starts on a clean line.
 */
export function progressLine(io: Pick<Io, 'stderr'>, now: () => number = Date.now) {
  const started = now();
  let last = 0;
  let shown = false;
  return {
    update(files: number, total: number): void {
      const t = now();
      if (t - started < PROGRESS_AFTER_MS || t - last < PROGRESS_EVERY_MS) return;
      last = t;
      shown = true;
      io.stderr(`\r\x1b[2Kairlock: reviewing file ${files} of ${total}…`);
    },
    done(): void {
      if (shown) io.stderr('\r\x1b[2K');
      shown = false;
    },
  };
}
