// SARIF 2.1.0 for GitHub code scanning (upload-sarif). One run; rules carry the
// metadata GitHub shows (descriptions, help, tags, security-severity); results carry a
// stable partial fingerprint so alerts survive unrelated edits. Suppressed findings are
// results with an in-source suppression; files that were not reviewed become warnings
// of the invocation. GitHub's hard limits are respected by cutting, with a notification.

import { locationsOf, type Confidence, type Finding, type FindingLocation, type Severity } from '../model.js';
import type { RuleMeta } from '../rules/types.js';
import { ruleDocUrl, type RuleDocs } from '../docs/links.js';
import { clip, compareBySeverity, compareText, describeIgnored, wellFormed } from './common.js';
import type { Report } from './report.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const FINGERPRINT_KEY = 'airlock/v1';
/** GitHub rejects a run with more results or rules than this. */
export const MAX_SARIF_RESULTS = 25_000;
export const MAX_SARIF_RULES = 25_000;
/** GitHub accepts 20 tags per rule but shows only 10. */
export const MAX_SARIF_TAGS = 10;
/** Related locations listed for one result (GitHub processes at most 1,000 and shows far fewer); the rest are counted in the message. */
export const MAX_SARIF_RELATED = 100;
/** Not-reviewed files listed one by one; the rest are summed up in one notification. */
export const MAX_NOT_REVIEWED_NOTIFICATIONS = 1_000;
/** Longest glob quoted in a notification; globs come from the configuration, not from the change. */
const MAX_GLOB_CHARS = 200;

export type SarifLevel = 'error' | 'warning' | 'note';

export const SARIF_LEVEL: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub maps these to its critical/high/medium/low labels (>9.0, 7.0–8.9, 4.0–6.9, 0.1–3.9). */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};

/** SARIF `precision` (GitHub reads it like CodeQL's @precision) for a rule's confidence. */
export const SARIF_PRECISION: Record<Confidence, 'high' | 'medium' | 'low'> = {
  high: 'high',
  medium: 'medium',
  low: 'low',
};

const SRCROOT = '%SRCROOT%';

// Characters a URI path may carry as they are (RFC 3986 unreserved, sub-delims, "@", "/").
// ":" is left out on purpose: in the first segment of a relative reference it would read as a scheme.
const URI_SAFE = new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=@/");
const utf8 = new TextEncoder();

/** A repository path as a relative URI reference: everything outside the safe set is percent-encoded. */
export function pathToUri(path: string): string {
  let out = '';
  for (const ch of wellFormed(path)) {
    if (URI_SAFE.has(ch)) out += ch;
    else for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/**
 * SARIF plain-text messages give `[text](n)` the meaning of a link to a related location.
 * When such a sequence could occur (or `escapeAlways`: links of our own follow), brackets are
 * backslash-escaped so the text stays literal.
 */
export function sarifText(text: string, escapeAlways = false): string {
  const clean = wellFormed(text);
  if (!escapeAlways && !clean.includes('](')) return clean;
  let out = '';
  for (const ch of clean) out += ch === '[' || ch === ']' || ch === '\\' ? `\\${ch}` : ch;
  return out;
}

function positiveInt(n: number, fallback = 1): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : fallback;
}

function cweTag(cwe: string): string | null {
  const m = /^CWE-(\d{1,6})$/i.exec(cwe.trim());
  return m ? `external/cwe/cwe-${Number(m[1])}` : null;
}

function ruleTags(meta: RuleMeta): string[] {
  const tags = ['security'];
  const category = meta.category.trim().toLowerCase();
  if (category) tags.push(category);
  for (const cwe of meta.cwe) {
    const tag = cweTag(cwe);
    if (tag) tags.push(tag);
  }
  return [...new Set(tags)].slice(0, MAX_SARIF_TAGS);
}

function cweLink(cwe: string): string {
  const tag = cweTag(cwe);
  return tag ? `[${cwe}](https://cwe.mitre.org/data/definitions/${tag.slice('external/cwe/cwe-'.length)}.html)` : cwe;
}

/**
 * SARIF `name`: a readable identifier distinct from the id, as SARIF and GitHub expect
 * (`js.injection.child-process-exec` → `JsInjectionChildProcessExec`).
 */
export function ruleName(id: string): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  return name === '' || name === id ? `Rule${name}` : name;
}

function helpOf(meta: RuleMeta, docsUrl: string | null): { text: string; markdown: string } {
  const text = [meta.title, '', meta.message];
  const markdown = [`**${meta.title}**`, '', meta.message];
  if (meta.fix) {
    text.push('', `Fix: ${meta.fix}`);
    markdown.push('', `**Fix:** ${meta.fix}`);
  }
  const facts = [`Severity: ${meta.severity}`, `Confidence: ${meta.confidence}`, `Category: ${meta.category}`];
  if (meta.cwe.length > 0) facts.push(`CWE: ${meta.cwe.join(', ')}`);
  text.push('', facts.join(' · '));
  const mdFacts = [`**Severity:** ${meta.severity}`, `**Confidence:** ${meta.confidence}`, `**Category:** ${meta.category}`];
  if (meta.cwe.length > 0) mdFacts.push(`**CWE:** ${meta.cwe.map(cweLink).join(', ')}`);
  markdown.push('', mdFacts.join(' · '));
  if (meta.references.length > 0) {
    text.push('', 'References:', ...meta.references.map((r) => `- ${r}`));
    markdown.push('', '**References:**', ...meta.references.map((r) => `- <${r}>`));
  }
  if (docsUrl) {
    text.push('', `Documentation: ${docsUrl}`);
    markdown.push('', `[Rule documentation](${docsUrl}): examples, fix, file context and how to silence it.`);
  }
  return { text: wellFormed(text.join('\n')), markdown: wellFormed(markdown.join('\n')) };
}

function ruleDescriptor(meta: RuleMeta, docs: RuleDocs | undefined) {
  const docsUrl = ruleDocUrl(docs, meta.id);
  // The rule's page when it has one (shipped rules), else its first reference.
  const helpUri = docsUrl ?? meta.references[0];
  return {
    id: meta.id,
    name: ruleName(meta.id),
    shortDescription: { text: wellFormed(meta.title) },
    fullDescription: { text: wellFormed(meta.message) },
    ...(helpUri ? { helpUri } : {}),
    help: helpOf(meta, docsUrl),
    defaultConfiguration: { level: SARIF_LEVEL[meta.severity] },
    properties: {
      tags: ruleTags(meta),
      precision: SARIF_PRECISION[meta.confidence],
      'security-severity': SECURITY_SEVERITY[meta.severity],
    },
  };
}

/** Metadata for a finding whose rule is not among `report.rules` (engine or analyzer findings). */
function metaFromFinding(f: Finding): RuleMeta {
  return {
    id: f.ruleId,
    title: f.title,
    severity: f.severity,
    confidence: f.confidence,
    category: f.category,
    cwe: f.cwe,
    message: f.title,
    fix: null,
    references: f.references,
  };
}

function artifactLocation(path: string) {
  return { uri: pathToUri(path), uriBaseId: SRCROOT };
}

/** A taint finding's path as one SARIF thread flow: each step a location with its text. */
function codeFlow(path: string, flow: { line: number; text: string }[]) {
  return {
    threadFlows: [
      {
        locations: flow.map((step) => ({
          location: {
            physicalLocation: { artifactLocation: artifactLocation(path), region: { startLine: positiveInt(step.line) } },
            message: { text: sarifText(step.text) },
          },
        })),
      },
    ],
  };
}

function regionOf(place: FindingLocation): Record<string, unknown> {
  const startLine = positiveInt(place.line);
  const region: Record<string, unknown> = { startLine, endLine: Math.max(startLine, positiveInt(place.endLine, startLine)) };
  if (place.column !== null && Number.isFinite(place.column) && place.column >= 1) region.startColumn = Math.floor(place.column);
  return region;
}

/**
 * The other places of a grouped finding. SARIF's `locations` is for places that must all
 * change together, and GitHub code scanning reads only its first entry; occurrences that are
 * fixed one by one are `relatedLocations`, which GitHub links from the message where it
 * names them as `[line n](id)`. The first MAX_SARIF_RELATED are listed, the rest counted.
 */
function relatedOf(f: Finding): { related: object[]; text: string } | null {
  const rest = locationsOf(f).slice(1);
  if (rest.length === 0) return null;
  const listed = rest.slice(0, MAX_SARIF_RELATED);
  const related = listed.map((place, i) => ({
    id: i + 1,
    physicalLocation: { artifactLocation: artifactLocation(f.path), region: regionOf(place) },
    message: { text: `line ${positiveInt(place.line)}` },
  }));
  const links = listed.map((place, i) => `[line ${positiveInt(place.line)}](${i + 1})`).join(', ');
  const more = rest.length > listed.length ? ` and ${rest.length - listed.length} more` : '';
  return { related, text: `Also at ${links}${more}.` };
}

function resultOf(f: Finding, ruleIndex: number, suppression: { reason: string; line: number } | null) {
  const region = regionOf(f);
  if (region.startColumn !== undefined && f.endColumn !== undefined && Number.isFinite(f.endColumn)) {
    const end = Math.floor(f.endColumn);
    // An end before the start on one line would be an invalid region: left out then.
    if (end >= 1 && (region.endLine !== region.startLine || end > (region.startColumn as number))) region.endColumn = end;
  }
  if (f.snippet) region.snippet = { text: wellFormed(f.snippet) };
  const related = relatedOf(f);
  // With links of our own after it, every bracket of the message is escaped: only our links are links.
  const message = sarifText(f.message || f.title, related !== null) + (related ? `\n\n${related.text}` : '');
  return {
    ruleId: f.ruleId,
    ruleIndex,
    level: SARIF_LEVEL[f.severity],
    message: { text: message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.path), region } }],
    ...(related ? { relatedLocations: related.related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    ...(f.flow && f.flow.length > 0 ? { codeFlows: [codeFlow(f.path, f.flow)] } : {}),
    ...(suppression
      ? {
          suppressions: [
            {
              kind: 'inSource',
              status: 'accepted',
              justification: sarifText(suppression.reason),
              location: {
                physicalLocation: {
                  artifactLocation: artifactLocation(f.path),
                  region: { startLine: positiveInt(suppression.line) },
                },
              },
            },
          ],
        }
      : {}),
    // The finding's own confidence: an analyzer may judge one finding surer or less sure than its rule.
    properties: {
      severity: f.severity,
      confidence: f.confidence,
      category: f.category,
      ...(f.context ? { context: f.context.kind, contextReason: f.context.reason } : {}),
      ...(f.context?.original ? { originalSeverity: f.context.original.severity, originalConfidence: f.context.original.confidence } : {}),
    },
  };
}

function notification(id: string, level: 'warning' | 'note', text: string, path?: string) {
  return {
    descriptor: { id },
    level,
    message: { text: sarifText(text) },
    ...(path !== undefined ? { locations: [{ physicalLocation: { artifactLocation: artifactLocation(path) } }] } : {}),
  };
}

/** The SARIF log as a value. */
export function sarifLog(report: Report) {
  const { result } = report;

  // Results: unsuppressed first, most severe first, so a cut keeps what matters most.
  const entries = [
    ...[...result.findings].sort(compareBySeverity).map((finding) => ({ finding, suppression: null })),
    ...[...result.suppressed]
      .sort((a, b) => compareBySeverity(a.finding, b.finding))
      .map((s) => ({ finding: s.finding, suppression: { reason: s.reason, line: s.suppressionLine } })),
  ];
  const kept = entries.slice(0, MAX_SARIF_RESULTS);
  const droppedResults = entries.length - kept.length;

  // Rules: every rule that ran plus any rule a kept result names; referenced ones survive a cut.
  const metaById = new Map<string, RuleMeta>();
  for (const meta of report.rules) if (!metaById.has(meta.id)) metaById.set(meta.id, meta);
  const referenced = new Set<string>();
  for (const { finding } of kept) {
    referenced.add(finding.ruleId);
    if (!metaById.has(finding.ruleId)) metaById.set(finding.ruleId, metaFromFinding(finding));
  }
  const allRules = [...metaById.values()].sort((a, b) => compareText(a.id, b.id));
  let rules = allRules;
  if (allRules.length > MAX_SARIF_RULES) {
    const spare = MAX_SARIF_RULES - referenced.size;
    const unreferenced = allRules.filter((r) => !referenced.has(r.id)).slice(0, Math.max(0, spare));
    const keep = new Set([...referenced, ...unreferenced.map((r) => r.id)]);
    rules = allRules.filter((r) => keep.has(r.id));
  }
  const droppedRules = allRules.length - rules.length;
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const notifications = [];
  if (!report.reviewed) {
    notifications.push(
      notification('airlock/change-not-reviewed', 'note', `Change not reviewed: ${report.notReviewedReason ?? 'no reason given'}`),
    );
  }
  const notReviewed = [...result.notReviewed].sort((a, b) => compareText(a.path, b.path));
  for (const n of notReviewed.slice(0, MAX_NOT_REVIEWED_NOTIFICATIONS)) {
    notifications.push(notification('airlock/file-not-reviewed', 'warning', `Not reviewed: ${n.reason}`, n.path));
  }
  if (notReviewed.length > MAX_NOT_REVIEWED_NOTIFICATIONS) {
    const rest = notReviewed.length - MAX_NOT_REVIEWED_NOTIFICATIONS;
    notifications.push(
      notification('airlock/file-not-reviewed', 'warning', `${rest} more files were not reviewed; see the JSON report for the full list.`),
    );
  }
  const ignored = describeIgnored(result.ignored, (t) => clip(t, MAX_GLOB_CHARS));
  if (ignored) notifications.push(notification('airlock/files-ignored', 'note', ignored));
  if (droppedResults > 0) {
    notifications.push(
      notification(
        'airlock/results-truncated',
        'warning',
        `${droppedResults} of ${entries.length} results were left out: GitHub accepts at most ${MAX_SARIF_RESULTS} per run. The least severe were cut; see the JSON report for all of them.`,
      ),
    );
  }
  if (droppedRules > 0) {
    notifications.push(
      notification(
        'airlock/rules-truncated',
        'warning',
        `${droppedRules} rules without results were left out: GitHub accepts at most ${MAX_SARIF_RULES} per run.`,
      ),
    );
  }

  const driver = {
    name: 'Airlock',
    semanticVersion: report.tool.version,
    version: report.tool.version,
    ...(report.tool.informationUri ? { informationUri: report.tool.informationUri } : {}),
    rules: rules.map((meta) => ruleDescriptor(meta, report.ruleDocs)),
  };

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: { driver },
        invocations: [
          {
            // The scan ran to completion; files it skipped are reported as warnings above.
            executionSuccessful: true,
            toolExecutionNotifications: notifications,
          },
        ],
        results: kept.map(({ finding, suppression }) =>
          resultOf(finding, ruleIndex.get(finding.ruleId) ?? -1, suppression),
        ),
        properties: {
          base: wellFormed(report.base),
          head: wellFormed(report.head),
          reviewed: report.reviewed,
          conclusion: report.verdict.conclusion,
          failOn: report.verdict.failOn,
          failConfidence: report.verdict.failConfidence,
          authorship: {
            ai: report.authorship.ai,
            agent: report.authorship.agent,
            evidence: report.authorship.evidence.map(wellFormed),
            ...(report.authorship.unknown !== undefined ? { unknown: wellFormed(report.authorship.unknown) } : {}),
          },
        },
      },
    ],
  };
}

/** Pretty-printed SARIF with a final newline. */
export function renderSarif(report: Report): string {
  return `${JSON.stringify(sarifLog(report), null, 2)}\n`;
}
