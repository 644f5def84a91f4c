import { CONFIDENCES, SEVERITIES, confidenceRank, severityRank, type Confidence, type Severity } from '../model.js';
import { DISCOUNT_CONTEXTS, type DiscountContext } from './classify.js';

// How a rule's findings change with the context of their file. A rule declares it in `context:`
// (docs/rules.md); what it leaves out comes from its category's row of DEFAULT_CONTEXT below.
// A context only ever lowers a finding, never raises it.

/** A severity or confidence to lower to, or a number of steps down (-1: high → medium). */
export type Lowering<T> = T | -1 | -2 | -3 | -4;

/** `none`: no discount in that context. */
export type ContextAdjustment = 'none' | { severity?: Lowering<Severity>; confidence?: Lowering<Confidence> };

/** Per context class; the classes left out take the category default. */
export type RuleContext = Partial<Record<DiscountContext, ContextAdjustment>>;

const NONE: RuleContext = Object.fromEntries(DISCOUNT_CONTEXTS.map((c) => [c, 'none'])) as RuleContext;

/** For a rule whose findings are as real in a test, fixture or document as in production (`context: none`). */
export const NO_DISCOUNT: RuleContext = NONE;

/**
 * A weakness that matters where the code serves users (injection, TLS, weak crypto, …): in a
 * test, fixture or document it is not reachable, in an example it is copied, in generated,
 * vendored or built code the fix belongs upstream.
 */
const WEAKNESS: RuleContext = {
  test: { severity: 'info' },
  fixture: { severity: 'info' },
  docs: { severity: 'info' },
  example: { severity: -1, confidence: -1 },
  generated: { confidence: -1 },
  vendored: { severity: -1, confidence: -1 },
  build: { severity: -1, confidence: -1 },
};

/**
 * Behaviour that is harmful wherever it runs (a backdoor, exfiltration, a destructive command):
 * tests and fixtures run in CI with its secrets, vendored and built code ship. Only prose is
 * discounted, and only in confidence: a shown command is not a run one.
 */
const MALICIOUS: RuleContext = { ...NONE, docs: { confidence: -1 } };

/** Credentials: one in a test or fixture is usually a dummy, still worth a look, not a block. */
const SECRETS: RuleContext = {
  test: { confidence: -1 },
  fixture: { confidence: -1 },
  docs: { confidence: -1 },
  example: { confidence: -1 },
  generated: 'none',
  vendored: { confidence: -1 },
  build: 'none',
};

/**
 * Safety nets (skipped tests, lint and scanner suppressions): they live in tests, so tests get no
 * discount; a blanket disable inside generated, vendored or built code is how those files are made.
 */
const SAFETY_NET: RuleContext = {
  test: 'none',
  fixture: { severity: 'info' },
  docs: { severity: 'info' },
  example: { severity: -1, confidence: -1 },
  generated: { severity: 'info' },
  vendored: { severity: 'info' },
  build: { severity: 'info' },
};

/** The default row of each rule category; a category not listed takes DEFAULT_ROW. */
export const DEFAULT_CONTEXT: Readonly<Record<string, RuleContext>> = {
  injection: WEAKNESS,
  xss: WEAKNESS,
  ssrf: WEAKNESS,
  'path-traversal': WEAKNESS,
  'open-redirect': WEAKNESS,
  redirect: WEAKNESS,
  deserialization: WEAKNESS,
  xxe: WEAKNESS,
  crypto: WEAKNESS,
  tls: WEAKNESS,
  cleartext: WEAKNESS,
  cors: WEAKNESS,
  csrf: WEAKNESS,
  auth: WEAKNESS,
  'mass-assignment': WEAKNESS,
  'prototype-pollution': WEAKNESS,
  misconfiguration: WEAKNESS,
  filesystem: WEAKNESS,
  permissions: WEAKNESS,
  session: WEAKNESS,
  'data-exposure': WEAKNESS,
  secrets: SECRETS,
  'safety-net': SAFETY_NET,
  'weakened-safety-net': SAFETY_NET,
  backdoor: MALICIOUS,
  exfiltration: MALICIOUS,
  obfuscation: MALICIOUS,
  destructive: MALICIOUS,
  'install-time': MALICIOUS,
  'supply-chain': MALICIOUS,
  'ci-security': MALICIOUS,
  // Agents read every file of a repository, prose included: nothing is discounted.
  'prompt-injection': NONE,
  'ai-agent': NONE,
  'agent-config': NONE,
  'hidden-unicode': NONE,
};

/** Categories not in the table (an organisation's own, `semgrep`): a policy that holds everywhere. */
export const DEFAULT_ROW: RuleContext = NONE;

/** A rule's full table: what it declares, the rest from its category's row. */
export function resolveContext(category: string, declared: RuleContext | undefined): Required<RuleContext> {
  const row = DEFAULT_CONTEXT[category] ?? DEFAULT_ROW;
  const out = {} as Required<RuleContext>;
  for (const c of DISCOUNT_CONTEXTS) out[c] = declared?.[c] ?? row[c] ?? 'none';
  return out;
}

function lower<T extends string>(order: readonly T[], rank: (v: T) => number, value: T, by: Lowering<T> | undefined): T {
  if (by === undefined) return value;
  if (typeof by === 'number') return order[Math.min(order.length - 1, order.indexOf(value) - by)]!;
  // Never raises: a named level above the finding's leaves it as it is.
  return rank(by) < rank(value) ? by : value;
}

/** The severity and confidence of a finding after its file's context. */
export function adjustFinding(
  severity: Severity,
  confidence: Confidence,
  adjustment: ContextAdjustment,
): { severity: Severity; confidence: Confidence } {
  if (adjustment === 'none') return { severity, confidence };
  return {
    severity: lower(SEVERITIES, severityRank, severity, adjustment.severity),
    confidence: lower(CONFIDENCES, confidenceRank, confidence, adjustment.confidence),
  };
}
