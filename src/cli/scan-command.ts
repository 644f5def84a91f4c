import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { DEFAULT_CONFIG, parseConfig, type AirlockConfig } from '../core/config.js';
import { SEVERITIES, type PullRequestFacts, type Severity } from '../core/model.js';
import { renderJson } from '../core/render/json.js';
import { renderMarkdown } from '../core/render/markdown.js';
import { renderSarif } from '../core/render/sarif.js';
import { renderText } from '../core/render/text.js';
import { review } from '../core/review.js';
import { loadGitReview } from '../io/git.js';
import { searchAstFiles } from '../io/ast-file-search.js';
import { loadShippedCatalog } from '../io/rules-dir.js';
import { loadScanData } from '../io/scan-data.js';
import { TOOL } from '../io/version.js';
import { UsageError } from './errors.js';
import { parseOptions, type Io } from './main.js';
import { readPrEvent } from './pr-event.js';

const FORMATS = ['text', 'json', 'sarif', 'markdown'] as const;
type Format = (typeof FORMATS)[number];

async function readConfig(file: string | undefined, cwd: string): Promise<AirlockConfig> {
  if (!file) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(`--config ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseConfig(text, file);
}

export async function scanCommand(args: string[], io: Io): Promise<number> {
  const { values } = parseOptions(args, {
    repo: { type: 'string', default: '.' },
    base: { type: 'string' },
    head: { type: 'string', default: 'HEAD' },
    format: { type: 'string', default: 'text' },
    all: { type: 'boolean', default: false },
    config: { type: 'string' },
    'fail-on': { type: 'string' },
    'pr-event': { type: 'string' },
  });
  if (!values.base) throw new UsageError('scan needs --base REF (e.g. --base origin/main)');
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const failOn = values['fail-on'] as Severity | undefined;
  if (failOn !== undefined && !SEVERITIES.includes(failOn)) {
    throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, not "${failOn}"`);
  }
  const repo = resolve(io.cwd, values.repo!);
  const config = await readConfig(values.config, io.cwd);
  const event = values['pr-event'] ? await readPrEvent(resolve(io.cwd, values['pr-event'])) : null;

  return reviewAndPrint({ repo, base: values.base, head: values.head!, format, failOn, config, event, all: values.all!, io });
}

async function reviewAndPrint(opts: {
  repo: string;
  base: string;
  head: string;
  format: Format;
  failOn: Severity | undefined;
  config: AirlockConfig;
  event: Awaited<ReturnType<typeof readPrEvent>> | null;
  all: boolean;
  io: Io;
}): Promise<number> {
  const { repo, format, failOn, config, event, io } = opts;
  const range = { repo, base: opts.base, head: opts.head };
  const [git, catalog, data] = await Promise.all([loadGitReview(range, { branch: !event }), loadShippedCatalog(), loadScanData()]);
  const { changeSet, commits } = git;
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
  const report = await review({
    changeSet,
    facts,
    config,
    catalog,
    data,
    tool: TOOL,
    forceReview: opts.all,
    astSearch: searchAstFiles,
    ...(failOn ? { failOn } : {}),
    notReviewedHint: 'use --all to review anyway',
  });
  const output =
    format === 'json'
      ? renderJson(report)
      : format === 'sarif'
        ? renderSarif(report)
        : format === 'markdown'
          ? renderMarkdown(report)
          : renderText(report, { color: io.isTTY });
  io.stdout(output.endsWith('\n') ? output : `${output}\n`);
  return report.verdict.conclusion === 'failure' ? 1 : 0;
}
