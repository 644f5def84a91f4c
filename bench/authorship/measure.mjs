// `npm run bench:authorship -- --labels FILE GIT_DIR…`: how well authorship detection recognises
// agent-written commits in real git history, and how often it calls a human commit AI.
//
// Every commit of every given git directory (`git log --all`) is run through detectAuthorship on
// its own (author, committer and message; no pull request around it). The labels file says what
// each commit really is; it is kept outside this repository with the histories it describes.
// Format: one commit a line, tab-separated: `repo  sha  label  mention`, where label is an agent
// name or `human`, and mention is 1 when a human commit names an AI tool in its message (those
// are counted apart: a mention must never make a commit AI). Commits absent from the file are
// skipped. The repo column is the git directory's name as the labeller wrote it; it only has to
// match the sha.
//
//   --labels FILE   the labels (required)
//   --detect FILE   the detect.js to measure (default: this checkout's dist), e.g. a build of the base branch
//   --show N        false positives to list (default 20)
//   --json FILE     also write the figures as JSON
//   --prs           also measure pull requests: each GitHub merge commit "Merge pull request #N from
//                   OWNER/BRANCH" gives one, with BRANCH as head branch and the commits it merged;
//                   it is labelled AI when one of those commits is, human when all are. Agents that
//                   leave only a branch (Codex cloud) show up here as "human PRs called AI": list them.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function parseArgs(argv) {
  const options = { labels: null, detect: resolve(ROOT, 'dist/core/detect/detect.js'), show: 20, json: null, prs: false, dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    if (arg === '--labels') options.labels = value();
    else if (arg === '--detect') options.detect = resolve(value());
    else if (arg === '--show') options.show = Number(value());
    else if (arg === '--json') options.json = value();
    else if (arg === '--prs') options.prs = true;
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.dirs.push(arg);
  }
  if (!options.labels) throw new Error('--labels FILE is required');
  if (options.dirs.length === 0) throw new Error('give at least one git directory');
  if (!Number.isInteger(options.show) || options.show < 0) throw new Error('--show needs a whole number');
  return options;
}

/** sha -> { label, mention } from the labels file. */
function readLabels(file) {
  const labels = new Map();
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const [, sha, label, mention] = line.split('\t');
    if (!sha || !/^[0-9a-f]{40}$/.test(sha) || !label) throw new Error(`${file}:${index + 1}: expected "repo<TAB>sha<TAB>label<TAB>mention"`);
    labels.set(sha, { label, mention: mention === '1' });
  });
  return labels;
}

/** The commits of a git directory as CommitFacts (no logins: local history has none). */
function readCommits(dir) {
  const out = execFileSync('git', ['--git-dir', dir, 'log', '--all', '--format=%H%x00%an%x00%ae%x00%cn%x00%ce%x00%B%x1e'], {
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const commits = [];
  for (const record of out.split('\x1e')) {
    const fields = record.replace(/^\n/, '').split('\x00');
    if (fields.length < 6 || !fields[0]) continue;
    const [sha, authorName, authorEmail, committerName, committerEmail, message] = fields;
    commits.push({ sha, authorName, authorEmail, authorLogin: null, committerName, committerEmail, committerLogin: null, message: message.replace(/\n$/, '') });
  }
  return commits;
}

const MERGE_SUBJECT = /^Merge pull request #\d+ from [^/\s]+\/(\S+)$/;

/** Pull requests merged with merge commits: head branch and the commits each merged (at most 250). */
function readPullRequests(dir, commitsBySha) {
  const out = execFileSync('git', ['--git-dir', dir, 'log', '--all', '--merges', '--format=%H %P%x00%s'], { maxBuffer: 1 << 28, encoding: 'utf8' });
  const prs = [];
  for (const line of out.split('\n')) {
    const [shas, subject] = line.split('\x00');
    const match = subject ? MERGE_SUBJECT.exec(subject) : null;
    if (!match) continue;
    const [sha, first, second] = shas.split(' ');
    if (!second) continue;
    const range = execFileSync('git', ['--git-dir', dir, 'rev-list', '--max-count=250', `${first}..${second}`], { encoding: 'utf8' });
    const commits = range.split('\n').filter(Boolean).map((s) => commitsBySha.get(s)).filter(Boolean);
    if (commits.length > 0) prs.push({ sha, headBranch: match[1], commits });
  }
  return prs;
}

function pct(part, whole) {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const { detectAuthorship } = await import(pathToFileURL(options.detect).href);
  const labels = readLabels(options.labels);
  const perAgent = new Map();
  const humans = { total: 0, flagged: 0, mentions: 0, mentionsFlagged: 0 };
  const falsePositives = [];
  const prFigures = { ai: 0, aiFound: 0, human: 0, humanFlagged: 0, flagged: [], missed: [] };
  for (const dir of options.dirs) {
    const commits = readCommits(dir);
    if (options.prs) {
      const bySha = new Map(commits.map((c) => [c.sha, c]));
      for (const pull of readPullRequests(dir, bySha)) {
        const truths = pull.commits.map((c) => labels.get(c.sha));
        if (truths.some((t) => !t)) continue;
        const ai = truths.some((t) => t.label !== 'human');
        const result = detectAuthorship({ author: null, authorType: null, labels: [], title: '', body: '', headBranch: pull.headBranch, commits: pull.commits });
        if (ai) {
          prFigures.ai++;
          if (result.ai) prFigures.aiFound++;
          else prFigures.missed.push(`${dir} ${pull.sha.slice(0, 10)} ${pull.headBranch}`);
        } else {
          prFigures.human++;
          if (result.ai) {
            prFigures.humanFlagged++;
            prFigures.flagged.push(`${dir} ${pull.sha.slice(0, 10)} ${result.agent ?? '(configured)'}: ${result.evidence[0] ?? ''}`);
          }
        }
      }
    }
    for (const commit of commits) {
      const truth = labels.get(commit.sha);
      if (!truth) continue;
      const result = detectAuthorship({ author: null, authorType: null, labels: [], title: '', body: '', headBranch: null, commits: [commit] });
      if (truth.label === 'human') {
        humans.total++;
        if (truth.mention) humans.mentions++;
        if (result.ai) {
          humans.flagged++;
          if (truth.mention) humans.mentionsFlagged++;
          falsePositives.push(`${dir} ${commit.sha.slice(0, 10)} ${result.agent ?? '(configured)'}: ${result.evidence[0] ?? ''}`);
        }
        continue;
      }
      const row = perAgent.get(truth.label) ?? { total: 0, found: 0, missed: [] };
      row.total++;
      if (result.ai) row.found++;
      else if (row.missed.length < 3) row.missed.push(commit.sha.slice(0, 10));
      perAgent.set(truth.label, row);
    }
  }
  const rows = [...perAgent.entries()].sort((a, b) => b[1].total - a[1].total);
  let total = 0;
  let found = 0;
  console.log('agent (labelled)             commits  recognised  recall   missed e.g.');
  for (const [agent, row] of rows) {
    total += row.total;
    found += row.found;
    console.log(`${agent.padEnd(28)} ${String(row.total).padStart(7)} ${String(row.found).padStart(11)}  ${pct(row.found, row.total).padStart(6)}   ${row.missed.join(' ')}`);
  }
  const macro = rows.length === 0 ? 0 : rows.reduce((sum, [, row]) => sum + row.found / row.total, 0) / rows.length;
  console.log(`${'all agent commits'.padEnd(28)} ${String(total).padStart(7)} ${String(found).padStart(11)}  ${pct(found, total).padStart(6)}   (mean of per-agent recall ${(100 * macro).toFixed(1)}%)`);
  console.log(`human commits: ${humans.total}, called AI: ${humans.flagged} (${pct(humans.flagged, humans.total)})`);
  console.log(`  of which name an AI tool in the message: ${humans.mentions}, called AI: ${humans.mentionsFlagged}`);
  for (const line of falsePositives.slice(0, options.show)) console.log(`  false positive: ${line}`);
  if (options.prs) {
    console.log(`pull requests (merge commits): with an agent commit ${prFigures.ai}, recognised ${prFigures.aiFound} (${pct(prFigures.aiFound, prFigures.ai)})`);
    for (const line of prFigures.missed.slice(0, options.show)) console.log(`  missed: ${line}`);
    console.log(`  all commits human ${prFigures.human}, called AI ${prFigures.humanFlagged}:`);
    for (const line of prFigures.flagged.slice(0, options.show)) console.log(`  called AI: ${line}`);
  }
  if (options.json) {
    const figures = {
      agents: Object.fromEntries(rows.map(([agent, row]) => [agent, { commits: row.total, recognised: row.found }])),
      humans: { commits: humans.total, calledAi: humans.flagged, mentions: humans.mentions, mentionsCalledAi: humans.mentionsFlagged },
      falsePositives,
      ...(options.prs ? { pullRequests: prFigures } : {}),
    };
    writeFileSync(options.json, `${JSON.stringify(figures, null, 2)}\n`);
  }
}

main().catch((error) => {
  console.error(`bench:authorship: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
