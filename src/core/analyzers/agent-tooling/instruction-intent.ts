// What an instruction to a coding agent asks it to do, judged from verbs and their objects rather
// than from fixed phrases: "disable TLS verification", "TLS verification can be switched off" and
// "there is no need to verify certificates" are one intent; "never disable TLS verification" is
// its opposite. Text comes from the party under review: sentences are capped before any pattern
// runs and the patterns have no nested quantifiers.

export type InstructionIntent =
  | 'weaken-security'
  | 'skip-tests'
  | 'exfiltrate'
  | 'remote-code'
  | 'conceal'
  | 'bypass-review'
  | 'read-credentials';

export interface IntentHit {
  intent: InstructionIntent;
  /** The words that carry the intent, for the message. */
  evidence: string;
}

/** Longest sentence judged; longer runs are cut (a real instruction is far shorter). */
const MAX_SENTENCE = 600;

// ---- Verbs and their forms ----

type Form = 'base' | 'ing' | 'ed' | 's';

interface VerbSpec {
  /** Base form; a multi-word verb conjugates its first word ("turn off" → "turned off"). */
  base: string;
  ing?: string;
  ed?: string;
}

function conjugate(spec: VerbSpec): Array<[string, Form]> {
  const [head, ...rest] = spec.base.split(' ');
  const tail = rest.length > 0 ? ` ${rest.join(' ')}` : '';
  const h = head!;
  const ing = spec.ing ?? (h.endsWith('e') && !h.endsWith('ee') ? `${h.slice(0, -1)}ing` : `${h}ing`);
  const ed = spec.ed ?? (h.endsWith('e') ? `${h}d` : h.endsWith('y') && !/[aeiou]y$/.test(h) ? `${h.slice(0, -1)}ied` : `${h}ed`);
  const s = /(?:s|sh|ch|x|z)$/.test(h) ? `${h}es` : h.endsWith('y') && !/[aeiou]y$/.test(h) ? `${h.slice(0, -1)}ies` : `${h}s`;
  return [
    [h + tail, 'base'],
    [ing + tail, 'ing'],
    [ed + tail, 'ed'],
    [s + tail, 's'],
  ];
}

interface VerbSet {
  re: RegExp;
  forms: Map<string, Form>;
}

function verbs(specs: Array<string | VerbSpec>): VerbSet {
  const forms = new Map<string, Form>();
  for (const spec of specs) {
    for (const [word, form] of conjugate(typeof spec === 'string' ? { base: spec } : spec)) if (!forms.has(word)) forms.set(word, form);
  }
  const alternatives = [...forms.keys()].sort((a, b) => b.length - a.length).map((w) => w.replace(/[-.]/g, '\\$&').replace(/ /g, '[\\s-]+'));
  return { re: new RegExp(`\\b(?:${alternatives.join('|')})\\b`, 'gi'), forms };
}

function formOf(set: VerbSet, word: string): Form {
  return set.forms.get(word.toLowerCase().replace(/[\s-]+/g, ' ')) ?? 'base';
}

// ---- Clause structure: negation, mood, quotation ----

const NEGATOR = /\b(?:never|not|nor|without|avoid|avoiding|instead\s+of|rather\s+than|refrain\s+from|no\s+(?:need|reason|longer)|forbidden|prohibited)\b|n['’]t\b|[❌🚫⛔]/giu;
/** "don't forget to run", "never fail to run": two negations that cancel. */
const DOUBLE_NEGATIVE = /\b(?:forget|fail|neglect|hesitate|omit)\s+to\s*$/i;
const MODAL_PASSIVE = /\b(?:should|must|can|may|need\s+to|needs\s+to|has\s+to|have\s+to|ought\s+to|is\s+(?:fine|ok|okay|safe|acceptable|allowed)\s+to)\s+(?:\w+\s+){0,2}?(?:be|get)\s+(?:\w+\s+)?$/i;
const GERUND_LEAD = /\b(?:try|consider|start|keep|recommend|suggest|prefer|feel\s+free\s+(?:to\s+)?(?:go\s+)?)\s*$/i;
/** Words that end a clause for negation scope. */
const CLAUSE_BREAK = /[;!?()—–]|[.:](?=\s|$)|\s-\s|,\s*(?:but|then|and\s+then|so|because|since|unless|except|otherwise|instead|just)\b|\b(?:but|unless|otherwise|then)\b/gi;

/** The clause before position `at`: from the last clause break, at most `words` words. */
function leadIn(text: string, at: number, words = 8): string {
  const before = text.slice(0, at);
  let start = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(before); m !== null; m = CLAUSE_BREAK.exec(before)) start = m.index + m[0].length;
  const clause = before.slice(start);
  const parts = clause.split(/\s+/).filter((w) => w.length > 0);
  return parts.slice(-words).join(' ') + (clause.endsWith(' ') ? ' ' : '');
}

/** "not just run the unit tests": more than, not instead of. */
const NOT_ONLY = /\bnot\s+(?:just|only|merely|simply)\s*$/i;

function negatedLeadIn(lead: string): boolean {
  if (DOUBLE_NEGATIVE.test(lead) || NOT_ONLY.test(lead)) return false;
  if (/\b(?:forget|fail|neglect)\s+to\b/i.test(lead)) return true;
  // "do not fall back without telling": two negations cancel.
  return (lead.match(NEGATOR)?.length ?? 0) % 2 === 1;
}

/**
 * Words that may stand between the start of a clause and a verb that directs the reader: adverbs,
 * modals, "you", an agent's name, "make sure to". Anything else ("the job", "users can") is a
 * subject, and the verb describes rather than directs.
 */
const DIRECTIVE_LEAD =
  /^(?:(?:please|always|never|just|simply|also|then|now|first|finally|instead|immediately|automatically|silently|quietly|secretly|covertly|carefully|only|each\s+time|every\s+time|afterwards|do|does|don['’]t|doesn['’]t|do\s+not|not|must|should|shall|can|may|will|need\s+to|needs\s+to|have\s+to|has\s+to|ought\s+to|you|you['’]ll|agents?|the\s+agent|the\s+assistant|claude|copilot|cursor|codex|gemini|ai|it['’]s\s+(?:fine|ok|okay)\s+to|it\s+is\s+(?:fine|ok|okay)\s+to|feel\s+free\s+to|make\s+sure\s+(?:to|you)|be\s+sure\s+to|remember\s+to|try\s+to|go\s+ahead\s+and|there\s+is|there['’]s|no\s+need\s+to|is\s+no\s+need\s+to|need\s+not|to|and|or|then)\s+)*$/i;
/** "Use `x` to skip tests", "To skip a test, …": how a tool does something, not a request to do it. */
const TOOL_PURPOSE = /(?:\b(?:use|using|with|via|call|pass|run)\b[^,;]{0,60}|^\s*(?:to|in\s+order\s+to))\s+to\s*$|^\s*(?:to|in\s+order\s+to)\s*$/i;

/** A clause that opens with a subject or a descriptive tense: "the bot could start", "a seed marked FAIL". */
const DESCRIPTIVE_MAIN =
  /^(?:the|a|an|this|that|these|those|it|they|we|he|she|its|their|our|his|her|every|each|all|some|any|users?|people|someone|something|bots?)\b|\b(?:could|would|might|was|were|is|are|has|had|does|did)\b/i;

/** The part of the clause right before a verb: after the last comma, "and", "or" or "then". */
function nearLead(lead: string): string {
  const parts = lead.split(/,|\s(?:and|or|then|and\s+then)\s/i);
  return (parts[parts.length - 1] ?? '').trimStart();
}

function inDirectivePosition(lead: string): boolean {
  const near = nearLead(lead);
  return DIRECTIVE_LEAD.test(near) && !TOOL_PURPOSE.test(near);
}

/** The negation scope of a verb: its own comma-separated part, or all of it after a lone "Never,". */
function negationLead(lead: string): string {
  const parts = lead.split(',');
  if (parts.length >= 2 && /^\s*(?:never|do\s+not|don['’]t)\s*$/i.test(parts[0]!)) return lead;
  // A list of verbs shares its negation: "do not disable, bypass, or skip".
  let i = parts.length - 1;
  if (/^\s*(?:or|nor|and)\s*$/i.test(parts[i]!)) {
    i--;
    while (i > 0 && parts[i]!.trim().split(/\s+/).length <= 2) i--;
    return parts.slice(Math.max(0, i)).join(',');
  }
  return parts[i] ?? '';
}

/** Spans quoted inside the sentence (`code`, "…", “…”): a verb there is mentioned, not used. */
function quotedSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const re = /`[^`]*`|"[^"]*"|“[^”]*”/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

function inSpans(spans: Array<[number, number]>, at: number): boolean {
  return spans.some(([s, e]) => at > s && at < e);
}

interface VerbUse {
  word: string;
  index: number;
  end: number;
  /** active: the object follows; passive: it precedes. */
  voice: 'active' | 'passive';
  negated: boolean;
}

/** Uses of a verb that direct someone (imperative, modal, infinitive, modal passive), with their polarity. */
function directiveUses(text: string, set: VerbSet, spans: Array<[number, number]>): VerbUse[] {
  const uses: VerbUse[] = [];
  set.re.lastIndex = 0;
  for (let m = set.re.exec(text); m !== null; m = set.re.exec(text)) {
    if (inSpans(spans, m.index)) continue;
    // Part of a name or a path: /mfa-disable, skip-guard, run_tests.
    if (/[-/_.@]/.test(text[m.index - 1] ?? ' ') || /[-/_@]|\.\w/.test(text.slice(m.index + m[0].length, m.index + m[0].length + 2))) continue;
    const lead = leadIn(text, m.index, 14);
    const form = formOf(set, m[0]);
    let voice: VerbUse['voice'] = 'active';
    if (form === 's') continue; // "the job skips tests": a description
    if (form === 'ed') {
      if (!MODAL_PASSIVE.test(lead)) continue; // "tests were skipped": a description
      if (/^(?:bypassed|circumvented|got\s+around|worked\s+around)$/i.test(m[0])) continue; // "can be bypassed": how attacks work
      voice = 'passive';
    } else if (form === 'ing') {
      // "instead of skipping it", "try disabling": directed through the main verb before it.
      const negator = /\b(?:without|instead\s+of|rather\s+than|avoid|stop)\s*$/i.exec(lead);
      if (negator) {
        // The main verb must itself direct: "fix it instead of skipping it", not "the bot starts without validating".
        const main = nearLead(lead.slice(0, negator.index));
        if (DESCRIPTIVE_MAIN.test(main)) continue;
      } else if (!GERUND_LEAD.test(lead)) continue; // "disabling TLS is dangerous"
    } else if (!inDirectivePosition(lead)) continue; // "agents reliably skip the update": a description
    const negated = form === 'ed' ? negatedLeadIn(lead) : negatedLeadIn(negationLead(lead));
    uses.push({ word: m[0], index: m.index, end: m.index + m[0].length, voice, negated });
  }
  return uses;
}

/** A pronoun standing alone ("delete it", "skip them first"), not a determiner ("skip this step"). */
const PRONOUN_OBJECT = /^\s*(?:it|them|those|these|this|that)(?=\s*(?:[,.;:!?)—–-]|$)|\s+(?:and|or|instead|too|as|first|now|before|after|when|if|so|then|from|in|to|with|entirely|altogether)\b)/i;

/** Where the verb's object would be: after it (active, to the clause end) or before it (passive). */
function objectWindow(text: string, use: VerbUse, wholePhrase = false): string {
  if (use.voice === 'passive') return leadIn(text, use.index, 10);
  const after = text.slice(use.end, use.end + 80);
  CLAUSE_BREAK.lastIndex = 0;
  const brk = CLAUSE_BREAK.exec(after);
  const clause = brk ? after.slice(0, brk.index) : after;
  const comma = clause.indexOf(',');
  const phrase = comma === -1 ? clause : clause.slice(0, comma);
  if (wholePhrase) return phrase;
  // The object ends where a prepositional phrase starts: "remove `@Transactional` from tests".
  const prep = /\s(?:from|in|into|on|for|with|at|by|via|before|after|when|while|if|so|because|until|unless|during|across|under|per)\s/i.exec(phrase);
  return prep ? phrase.slice(0, prep.index) : phrase;
}

/** The object of `use` matches `object`, directly or through a pronoun that refers back to one earlier in the sentence. */
function takesObject(text: string, use: VerbUse, object: RegExp, wholePhrase = false): string | null {
  const window = objectWindow(text, use, wholePhrase);
  const m = object.exec(window);
  if (m) return m[0];
  if (use.voice === 'active' && PRONOUN_OBJECT.test(window)) {
    const earlier = object.exec(text.slice(0, use.index));
    if (earlier) return earlier[0];
  }
  return null;
}

// ---- Families ----

interface Family {
  intent: InstructionIntent;
  /** Verbs whose affirmed use on an object is the threat ("disable", "skip"). */
  weaken: VerbSet;
  /** Verbs whose negated use on an object is the threat ("do not run", "no need to validate"). */
  keep: VerbSet | null;
  object: RegExp;
  /** Tokens that are the threat by themselves unless negated (`verify=False`, `--no-verify`). */
  direct: RegExp | null;
  /** A sentence this matches is about something harmless ("for documentation-only changes"). */
  benign: RegExp | null;
}

const WEAKEN_CONTROL = verbs([
  'disable',
  'turn off',
  'switch off',
  { base: 'skip', ing: 'skipping', ed: 'skipped' },
  'bypass',
  'remove',
  'strip',
  { base: 'drop', ing: 'dropping', ed: 'dropped' },
  'ignore',
  'relax',
  'loosen',
  'weaken',
  'circumvent',
  'comment out',
  { base: 'get around', ing: 'getting around', ed: 'got around' },
  'work around',
  'suppress',
  'deactivate',
  'override',
]);

const SECURITY_OBJECT =
  /\b(?:(?:tls|ssl|certificate|cert)\s*(?:verification|validation|checks?|verify|pinning)?|(?:https|host[\s-]?key|hostname|signature|checksum|integrity)\s*(?:verification|validation|checks?|pinning)|certificates?|csrf|xsrf|cors\s+(?:checks?|restrictions?|polic(?:y|ies))|authentication|authorization|auth\s*(?:checks?|guards?|middleware|requirements?|verification)|access\s+control|permission\s*(?:checks?|prompts?)|permissions?\s+prompts?|approval\s+prompts?|2fa|mfa|(?:input\s+)?validation|sanitization|sanitizing|escaping|rate[\s-]limit(?:ing|s)?|sandbox(?:ing)?|seccomp|selinux|apparmor|firewall|security\s+(?:checks?|scan(?:s|ning|ners?)?|controls?|headers?|rules?|policy|policies|features?|hooks?)|content\s+security\s+policy|csp|secret\s+scanning|codeql)\b/i;

const KEEP_CONTROL = verbs(['enable', 'enforce', 'verify', 'validate', 'sanitize', 'escape']);
const KEEP_CONTROL_OBJECT = new RegExp(`${SECURITY_OBJECT.source}|\\b(?:(?:user\\s+)?input|certificates?)\\b`, 'i');

const INSECURE_TOKEN =
  /\bverify\s*=\s*false\b|\brejectunauthorized\s*[:=]\s*false\b|\binsecureskipverify\s*[:=]\s*true\b|\bnode_tls_reject_unauthorized\s*=\s*['"]?0|--insecure\b|\bcurl\s+-k\b|--no-check-certificate\b|--dangerously-skip-permissions\b|--no-sandbox\b|\bbypasspermissions\b|\bssl_verify(?:peer|host)?\s*[:=]\s*(?:false|0)\b|\bcsrf_exempt\b|@csrf_exempt\b|\bgit\s+config\s+[^.;]{0,40}http\.sslverify\s+false/i;

const SKIP_VERBS = verbs([
  { base: 'skip', ing: 'skipping', ed: 'skipped' },
  'disable',
  'delete',
  'remove',
  'comment out',
  'ignore',
  'xfail',
  'lower',
  'reduce',
  'decrease',
  'loosen',
  'weaken',
  'bypass',
  'silence',
  'suppress',
  'mute',
  'turn off',
  'relax',
  'quarantine',
]);

/** Tests as the thing acted on; "test" as a modifier ("test dependencies", "npm ci") is something else. */
const TEST_OBJECT =
  /\b(?:(?:failing|flaky|broken|red|slow|unit|integration|e2e|end-to-end|regression|existing)\s+)?(?:tests?|specs?|test\s+(?:suite|cases?|runs?)|test\s+suites?|assertions?|(?<!npm\s|pnpm\s|yarn\s)ci(?:\s+(?:checks?|jobs?|pipeline|steps?))?|(?:status|required|pre-commit|test)\s+checks|coverage(?:\s+(?:thresholds?|gates?|requirements?))?|pre-commit(?:\s+hooks?)?|git\s+hooks|pytest|jest|vitest|mocha|go\s+test|npm\s+test|make\s+test|cargo\s+test)\b(?!\s+(?:duplication|dependenc\w*|names?|databases?|branch\w*|data|fixtures?|helpers?|utilit\w+|utils|files?|director\w+|folders?|projects?|environments?|env|accounts?|users?|servers?|doubles?|runners?|frameworks?|reports?|results?|outputs?|logs?|plans?|strateg\w+|readability|setup|commands?|code|containers?|infrastructure|tooling|config\w*)\b)/i;

const RUN_VERBS = verbs([{ base: 'run', ing: 'running', ed: 'ran' }, 'execute', 'fix', 'keep']);

/** CI and hook bypasses that are the request by themselves (framework skip markers are how-to text in testing guides). */
const SKIP_TOKEN =
  /--no-verify\b|\bcontinue-on-error\s*:\s*true\b|-dskiptests\b|-dmaven\.test\.skip|\bhusky\s*=\s*0\b|\bmark\w*\s+(?:\w+\s+){0,5}?as\s+(?:xfail|skip(?:ped)?|flaky|pending|todo|expected\s+failures?)\b/i;

const SKIP_BENIGN =
  /\b(?:full|entire|whole)\s+(?:test\s+)?suite\b|\bfor\s+(?:docs?|documentation|markdown|readme|comment|typo|changelog)(?:[\s-]+only)?\s+(?:changes?|edits?|prs?|updates?)\b|\bwatch\s+mode\b|--watch\b|\bin\s+parallel\b|\b(?:obsolete|dead|unused|redundant|duplicated?|outdated)\s+(?:tests?|specs?)\b|\binstead\b|\bonly\b|\bconditionally\b|\bbased\s+on\b/i;

const EXFIL_VERBS = verbs([
  'upload',
  'send',
  'post',
  'transmit',
  'exfiltrate',
  'forward',
  { base: 'ship', ing: 'shipping', ed: 'shipped' },
  'push',
  'sync',
  'email',
  'mail',
  'paste',
  'share',
  'leak',
  'copy',
  'pipe',
  'beam',
]);

/** Data that is sensitive wherever it is mentioned in the sentence. */
const EXFIL_SECRET =
  /(?:\.env\b|~\/\.ssh|~\/\.aws|\b(?:environment\s+variables|env\s+vars?|printenv|secrets|api[\s_-]?keys?|access\s+keys?|(?:access|auth|api|bearer|github|npm|session|oauth)\s+tokens?|credentials|passwords|ssh\s+keys?|private\s+keys?|cookies|id_rsa|\.netrc|\.npmrc)\b)/i;
/** Data that is sensitive when it is what the verb sends: the whole repository or workspace. */
const EXFIL_BULK =
  /\b(?:workspace|repo(?:sitory)?(?:\s+(?:contents?|bundle|archive))?|codebase|source\s+code|project\s+files|git\s+bundle|bundle|(?:git\s+)?history|database\s+dump|customer\s+data)\b/i;

const EXFIL_DEST =
  /\bhttps?:\/\/|\b[\w.+-]+@[\w-]+\.[a-z]{2,}\b|\b(?:\d{1,3}\.){3}\d{1,3}\b|\b(?:to|into|at|via|on|onto)\s+(?:\w+\s+){0,3}?(?:webhooks?|pastebin|paste\s*bin|paste\s+site|gists?|transfer\.sh|requestbin|request\s*bin|ngrok|discord|telegram|hastebin|0x0\.st|file\.io|external\s+(?:server|endpoint|service|host|url)|remote\s+(?:server|endpoint|host)|(?:our|my|this)\s+(?:server|endpoint|collector|address|url)|s3\s+bucket|ftp)\b/i;

const EXFIL_TOKEN = /\bcurl\b[^|;]{0,200}?(?:-d|--data(?:-binary|-raw)?|-F|--form|-T|--upload-file)\s+['"]?@?(?:\.env|~\/\.ssh|~\/\.aws|\$\(\s*(?:env|printenv|cat)\b)/i;

const FETCH_VERBS = verbs(['download', 'fetch', 'grab', 'pull', 'get', 'curl', 'wget', 'retrieve']);
const RUN_REMOTE_VERBS = verbs([
  { base: 'run', ing: 'running', ed: 'ran' },
  'execute',
  'exec',
  'eval',
  'install',
  { base: 'pipe', ed: 'piped' },
  'invoke',
  'load',
]);
const REMOTE_OBJECT = /\bhttps?:\/\/|\b(?:gist|pastebin|remote|installer|script|binary|payload|curl|wget)\b/i;
const REMOTE_TOKEN =
  /\b(?:curl|wget|iwr|invoke-webrequest)\b[^|\n]{0,300}\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b|\b(?:curl|wget)\b[^|\n]{0,300}\|\s*(?:sudo\s+)?(?:python[0-9.]*|node|perl|ruby|php|iex)\b|\b(?:bash|sh|zsh)\s+<\(\s*(?:curl|wget)\b|\biex\s*\(\s*(?:new-object\s+net\.webclient|iwr|invoke-webrequest|irm|invoke-restmethod)|\beval\s+"?\$\(\s*(?:curl|wget)\b/i;

const CONCEAL_KEEP = verbs([
  'mention',
  'tell',
  'inform',
  'notify',
  'report',
  'disclose',
  'include',
  'list',
  'document',
  'describe',
  'reference',
  'note',
  'flag',
  'reveal',
  { base: 'say', ed: 'said' },
  'alert',
]);
const CONCEAL_HIDE = verbs([
  { base: 'hide', ed: 'hidden' },
  'conceal',
  { base: 'omit', ing: 'omitting', ed: 'omitted' },
  { base: 'leave out', ing: 'leaving out', ed: 'left out' },
  { base: 'keep out', ed: 'kept out' },
  'exclude',
  'disguise',
  'obscure',
  'downplay',
  { base: 'bury', ed: 'buried' },
  'sneak',
  'mask',
]);
const AUDIENCE_TEXT =
  '(?:the\\s+|any\\s+|your\\s+|a\\s+)?(?:(?:pr|pull[\\s-]+request|merge[\\s-]+request|commit|change|final)\\s*(?:descriptions?|summary|summaries|messages?|body|title|report|notes?|log)|summary|changelog|release\\s+notes)\\b';
const AUDIENCE_PEOPLE = '(?:the\\s+|any\\s+|your\\s+)?(?:reviewers?|maintainers?|users?|humans?|owners?|operators?|anyone|team|security\\s+team)\\b';
/** Who or where something is kept from: people directly ("tell the reviewers"), PR text behind a preposition ("in the PR description"). */
const AUDIENCE = new RegExp(`\\b(?:${AUDIENCE_PEOPLE}|(?:in|into|from|to|within|on|out\\s+of)\\s+${AUDIENCE_TEXT}|(?:in|from|to|with)\\s+${AUDIENCE_PEOPLE})`, 'i');
/** What may rightly stay out of a commit message or PR text: the tool's own attribution, secrets, ticket noise. */
const CONCEAL_BENIGN =
  /\b(?:ai|claude|anthropic|assistant|copilot|gpt|chatgpt|llm|co-?authored|generated\s+(?:with|by)|emojis?|secrets?|tokens?|passwords?|credentials|api\s+keys?|personal|pii|internal\s+urls?|ticket|jira|customer\s+names?|yourself|model\s+name|each\s+(?:tool\s+call|step)|every\s+step|tool\s+calls?|progress|intermediate)\b/i;
const CONCEAL_TOKEN =
  /\b(?:leave|keep)\b[^;]{0,60}?\bout\s+of\s+(?:the\s+|any\s+|your\s+)?(?:(?:pr|pull[\s-]+request|merge[\s-]+request|commit|change)\s*(?:descriptions?|summary|messages?|body|title|notes?|log)|summary|changelog|release\s+notes|(?:the\s+)?review)\b|\bkeep\s+(?:this|these|it|them|the\s+\w+(?:\s+\w+)?)\s+(?:quiet|secret|hidden|under\s+wraps|to\s+yourself|off\s+the\s+record)\b|\b(?:describe|label|present|frame|call|disguise)\s+(?:it|this|them|these|the\s+(?:changes?|edits?|commits?))\s+as\s+(?:an?\s+|just\s+an?\s+)?(?:refactor|cleanup|clean-up|minor|typo|formatting|chore|small|routine)\b|\b(?:make\s+sure|ensure|so\s+that|so)\s+(?:that\s+)?(?:the\s+)?(?:(?:reviewers?|maintainers?|anyone)\s+(?:does\s+not|doesn['’]t|do\s+not|don['’]t|won['’]t|will\s+not|never|cannot|can['’]t)\s+(?:notice|see|spot|realize|find\s+out)|(?:nobody|no\s+one)\s+(?:notices?|sees?|spots?|realizes?|finds?\s+out))\b|\bso\s+(?:that\s+)?(?:it|this|they)\s+(?:is|are)\s+not\s+(?:noticed|seen|reviewed)\b/i;

const MAIN_BRANCH = /\b(?:main|master|trunk|production|prod|the\s+default\s+branch|the\s+release\s+branch)\b/i;
const REVIEW_TOKEN =
  /\b(?:merge|approve|land|ship|push|commit)\b[^.;]{0,60}?\bwithout\s+(?:waiting\s+for\s+|asking\s+for\s+|any\s+|a\s+|(?:human|code|peer)\s+)*(?:reviews?|approvals?|reviewers?|ci|checks)\b|\b(?:force-?\s*push|push|commit)\s+(?:\w+\s+){0,3}?(?:directly|straight)\s+(?:to|into|on)\b|\bapprove\s+(?:your\s+own|this|the|my)\s+(?:pr|pull\s+request|merge\s+request|changes?)\b|\b(?:enable|turn\s+on)\s+auto-?merge\b|\b(?:skip|bypass|disable|circumvent|override)\s+(?:the\s+)?(?:code\s+review|review|branch\s+protection|required\s+(?:reviews?|checks|status\s+checks))\b|\b(?:mark|label)\s+(?:it|this|the\s+pr)\s+as\s+(?:approved|reviewed|lgtm)\b/i;

const CRED_SPECIFIC =
  /~\/\.ssh|\.ssh\/|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|~\/\.aws|\.aws\/credentials|\.netrc\b|~\/\.npmrc|\.pypirc\b|\.git-credentials\b|\.docker\/config\.json|~\/\.kube|\bkubeconfig\b|\bkeychain\b|\bkeyring\b|\bcredential\s+(?:store|manager|helper)\b|\bpassword\s+manager\b|\bbrowser\s+(?:cookies|passwords|profiles?)\b|\bgh\s+auth\s+token\b|\bsecurity\s+find-(?:generic|internet)-password\b|~\/\.config\/gh\b|\bprivate\s+keys?\b/i;
const CRED_GENERIC =
  /\b(?:secrets|api[\s_-]?keys?|access\s+keys?|(?:access|auth|api|bearer|github|npm|pypi|session|refresh|oauth|personal\s+access)\s+tokens?|credentials|passwords|environment\s+variables|env\s+vars?|github_token|aws_secret_access_key|printenv)\b/i;
const CRED_ACCESS = verbs([
  'read',
  'cat',
  'open',
  'print',
  'dump',
  'display',
  'show',
  'output',
  'echo',
  'log',
  'copy',
  'paste',
  'collect',
  'gather',
  'harvest',
  'extract',
  'grab',
  'list',
  'include',
  'access',
  'retrieve',
  'reveal',
  'export',
  'run',
]);
const CRED_OUTPUT = verbs(['print', 'dump', 'display', 'show', 'echo', 'paste', 'collect', 'gather', 'harvest', 'reveal', 'steal']);
const CRED_TOKEN = /\bgh\s+auth\s+token\b|\bsecurity\s+find-(?:generic|internet)-password\b|\bcat\s+~?\/?[\w./-]*(?:\.ssh\/|\.aws\/|\.netrc|\.npmrc|\.git-credentials)/i;

const FAMILIES: Family[] = [
  { intent: 'weaken-security', weaken: WEAKEN_CONTROL, keep: KEEP_CONTROL, object: SECURITY_OBJECT, direct: INSECURE_TOKEN, benign: null },
  { intent: 'skip-tests', weaken: SKIP_VERBS, keep: RUN_VERBS, object: TEST_OBJECT, direct: SKIP_TOKEN, benign: SKIP_BENIGN },
];

function excerpt(text: string, from: number, to: number): string {
  return text.slice(Math.max(0, from), Math.min(text.length, to)).replace(/\s+/g, ' ').trim();
}

/** A directive token counts unless its clause negates it ("never pass --no-verify"). */
/** The sentence before a token, from the last sentence-internal stop; parentheses do not break it. */
function tokenLead(text: string, at: number): string {
  const before = text.slice(0, at);
  const stop = Math.max(before.lastIndexOf(';'), before.search(/[.:!?]\s(?!.*[.:!?]\s)/));
  return before.slice(stop + 1);
}

function directToken(text: string, re: RegExp, spans: Array<[number, number]>, allowQuoted: boolean): string | null {
  const m = re.exec(text);
  if (!m) return null;
  if (!allowQuoted && inSpans(spans, m.index)) return null;
  const lead = tokenLead(text, m.index);
  if (negatedLeadIn(lead) || /\bno\s*[`'"]?\s*$/i.test(lead)) return null;
  // "the hook uses --no-verify", "the --sandbox and --no-sandbox flags": described, not directed.
  if (DESCRIPTIVE_MAIN.test(nearLead(lead).replace(/^[\s*_`>-]+/, '')) || DESCRIPTIVE_MAIN.test(lead.replace(/^[\s*_`>-]+/, ''))) return null;
  return m[0];
}

function familyHits(text: string, spans: Array<[number, number]>, family: Family): string | null {
  for (const use of directiveUses(text, family.weaken, spans)) {
    if (use.negated) continue;
    const obj = takesObject(text, use, family.object);
    if (obj) return `${use.word} … ${obj}`;
  }
  if (family.keep) {
    const object = family.intent === 'weaken-security' ? KEEP_CONTROL_OBJECT : family.object;
    for (const use of directiveUses(text, family.keep, spans)) {
      if (!use.negated || use.voice === 'passive') continue;
      const obj = takesObject(text, use, object);
      if (obj) return `${leadIn(text, use.index, 3)}${use.word} … ${obj}`.trim();
    }
  }
  // Tokens such as --no-verify are usually written as code: quoted spans count for them.
  const token = family.direct ? directToken(text, family.direct, spans, true) : null;
  if (token && /^mark/i.test(token) && !family.object.test(text)) return null; // "mark it as TODO"
  return token;
}

function exfiltration(text: string, spans: Array<[number, number]>): string | null {
  const token = directToken(text, EXFIL_TOKEN, spans, true);
  if (token) return token;
  const dest = EXFIL_DEST.exec(text);
  if (!dest) return null;
  const secret = EXFIL_SECRET.exec(text);
  for (const use of directiveUses(text, EXFIL_VERBS, spans)) {
    if (use.negated) continue;
    const data = secret?.[0] ?? takesObject(text, use, EXFIL_BULK);
    if (data) return `${use.word} … ${data} … ${dest[0]}`;
  }
  return null;
}

function remoteCode(text: string, spans: Array<[number, number]>): string | null {
  const token = directToken(text, REMOTE_TOKEN, spans, true);
  if (token) return token;
  const remote = REMOTE_OBJECT.exec(text);
  if (!remote) return null;
  const fetches = directiveUses(text, FETCH_VERBS, spans).filter((u) => !u.negated);
  const first = fetches[0];
  if (!first) return null;
  const run = directiveUses(text, RUN_REMOTE_VERBS, spans).find((u) => !u.negated && u.index > first.index);
  if (run) return `${first.word} … ${run.word}`;
  // "source" is a verb only with a script as its object ("source it"; "source code" is a noun).
  const source = /\bsource\s+(?:it|them|the\s+(?:script|file|installer|output|result))\b/i.exec(text.slice(first.end));
  return source ? `${first.word} … ${source[0]}` : null;
}

function concealment(text: string, spans: Array<[number, number]>): string | null {
  if (CONCEAL_BENIGN.test(text)) return null;
  const token = directToken(text, CONCEAL_TOKEN, spans, false);
  if (token) return token;
  for (const use of directiveUses(text, CONCEAL_KEEP, spans)) {
    if (!use.negated) continue;
    const window = objectWindow(text, use, true);
    const audience = AUDIENCE.exec(window);
    // "never tell users to add a script tag" relays an instruction; it keeps nothing from them.
    if (audience && /^\s*to\s+\w/i.test(window.slice(audience.index + audience[0].length))) continue;
    if (audience) return `${leadIn(text, use.index, 3)}${use.word} … ${audience[0]}`.trim();
  }
  for (const use of directiveUses(text, CONCEAL_HIDE, spans)) {
    if (use.negated) continue;
    const after = text.slice(use.end, use.end + 100);
    CLAUSE_BREAK.lastIndex = 0;
    const brk = CLAUSE_BREAK.exec(after);
    const clause = (brk ? after.slice(0, brk.index) : after).split(/\s(?:if|when|and|then)\s/i)[0]!;
    const audience = AUDIENCE.exec(clause);
    if (audience) return `${use.word} … ${audience[0]}`;
  }
  return null;
}

function bypassReview(text: string, spans: Array<[number, number]>): string | null {
  const m = REVIEW_TOKEN.exec(text);
  if (!m || inSpans(spans, m.index)) return null;
  const lead = tokenLead(text, m.index);
  if (negatedLeadIn(lead) || !inDirectivePosition(leadIn(text, m.index))) return null;
  // "push directly to" needs a protected branch after it.
  if (/\b(?:directly|straight)\s+(?:to|into|on)$/i.test(m[0]) && !MAIN_BRANCH.test(text.slice(m.index + m[0].length, m.index + m[0].length + 40))) return null;
  return m[0];
}

function credentialRead(text: string, spans: Array<[number, number]>): string | null {
  const token = directToken(text, CRED_TOKEN, spans, true);
  if (token) return token;
  for (const use of directiveUses(text, CRED_ACCESS, spans)) {
    if (use.negated) continue;
    const obj = takesObject(text, use, CRED_SPECIFIC, true);
    if (obj) return `${use.word} … ${obj}`;
  }
  for (const use of directiveUses(text, CRED_OUTPUT, spans)) {
    if (use.negated) continue;
    const obj = takesObject(text, use, CRED_GENERIC);
    if (obj && !/\.example\b|\.sample\b|\.template\b/i.test(text)) return `${use.word} … ${obj}`;
  }
  return null;
}

/** Words that mark a sentence as talking about attacks rather than giving an instruction. */
const ABOUT_ATTACKS = /\b(?:attackers?|malicious|adversar\w*|prompt[\s-]injections?|injected|jailbreaks?|red[\s-]team\w*|threat\s+model|for\s+example\s+an\s+attack|phishing)\b/i;

/** True when the sentence discusses attacks (an example, a threat model) rather than directing an agent. */
export function discussesAttacks(sentence: string): boolean {
  return ABOUT_ATTACKS.test(sentence);
}

/**
 * The intents of one sentence addressed to an agent. Empty for sentences that forbid the
 * behaviour ("never disable TLS verification"), describe it ("the job skips slow tests") or
 * quote it (`--no-verify` in a sentence that says not to use it).
 */
export function classifyInstruction(sentence: string): IntentHit[] {
  // URLs keep their scheme (a destination) but lose their words ("…/download-and-run").
  const text = (sentence.length > MAX_SENTENCE ? sentence.slice(0, MAX_SENTENCE) : sentence)
    .replace(/\*\*|__/g, '')
    .replace(/https?:\/\/[^\s)>\]"'`]+/g, (u) => u.slice(0, u.indexOf('//') + 2) + 'link');
  // A question asks, it does not direct ("Should I decrease coverage?"), unless it is a polite request.
  if (/\?["'”)\]]*\s*$/.test(text) && !/^\W*(?:can|could|would|will)\s+you\b|^\W*please\b/i.test(text)) return [];
  const spans = quotedSpans(text);
  const hits: IntentHit[] = [];
  for (const family of FAMILIES) {
    const evidence = familyHits(text, spans, family);
    if (evidence && !(family.benign?.test(text) ?? false)) hits.push({ intent: family.intent, evidence: excerpt(evidence, 0, 120) });
  }
  const checks: Array<[InstructionIntent, (t: string, s: Array<[number, number]>) => string | null]> = [
    ['exfiltrate', exfiltration],
    ['remote-code', remoteCode],
    ['conceal', concealment],
    ['bypass-review', bypassReview],
    ['read-credentials', credentialRead],
  ];
  for (const [intent, check] of checks) {
    const evidence = check(text, spans);
    if (evidence) hits.push({ intent, evidence: excerpt(evidence, 0, 120) });
  }
  return hits;
}

/** Words that make an instruction covert: a second signal next to any intent. */
const STEALTH =
  /\b(?:silently|quietly|secretly|covertly|discreetly|stealthily|in\s+the\s+background|without\s+(?:telling|informing|notifying|mentioning|asking|alerting|letting)|(?:do\s+not|don['’]t|never)\s+(?:mention|tell|report|disclose)|no\s+one\s+(?:needs\s+to|should)\s+know)\b/i;

export function isStealthy(sentence: string): boolean {
  return STEALTH.test(sentence.length > MAX_SENTENCE ? sentence.slice(0, MAX_SENTENCE) : sentence);
}

// ---- Markdown into sentences ----

/** Where a sentence sits: visible text, or a channel a reader of the rendered page does not see. */
export type Channel = 'visible' | 'html-comment' | 'link-comment' | 'collapsed' | 'hidden-html' | 'code-comment';

export interface Sentence {
  text: string;
  /** 1-based first and last line. */
  line: number;
  endLine: number;
  channel: Channel;
  /** Inside a code fence, a block quote, or a section about attacks: an example, not an instruction. */
  quoted: boolean;
  /** Index of the paragraph, list item or comment it belongs to; sentences of one block share it. */
  block: number;
}

function fenceMarker(line: string): string | null {
  const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
  return m ? m[1]! : null;
}

const LINK_COMMENT = /^ {0,3}\[[^\]]*\]:\s*(?:#|<>)\s*(?:\((.*)\)|"(.*)"|'(.*)')\s*$/;
const HIDDEN_TAG = /<(\w+)\b[^>]*?(?:\bhidden\b|style\s*=\s*["'][^"']*(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|(?:height|width)\s*:\s*0(?:px)?\s*[;"'])[^"']*["'])[^>]*>/i;
const ATTACK_HEADING = /\b(?:prompt[\s-]injection|attacks?|threats?|threat\s+model|malicious|adversarial|red[\s-]team|jailbreak|examples?\s+of\s+(?:bad|malicious|unsafe))\b/i;

/** Sentence boundaries of a block of prose: . ! ? followed by space and a capital, digit, quote or bracket. */
function sentenceRanges(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const re = /[.!?]+["')\]]?\s+(?=[A-Z0-9"'`([*_])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const before = text.slice(Math.max(0, m.index - 4), m.index + 1).toLowerCase();
    if (/\b(?:e\.g|i\.e|etc|vs|cf|no)\.$/.test(before)) continue;
    out.push([start, m.index + m[0].trimEnd().length]);
    start = m.index + m[0].length;
  }
  out.push([start, text.length]);
  return out.filter(([s, e]) => text.slice(s, e).trim().length > 0);
}

/** Splits a block of prose into sentences. */
export function splitSentences(text: string): string[] {
  return sentenceRanges(text).map(([s, e]) => text.slice(s, e).trim());
}

interface Pending {
  parts: string[];
  /** The line of each part. */
  lines: number[];
  channel: Channel;
  quoted: boolean;
}

/**
 * Sentences of a markdown document with where they sit: headings, list items, table cells and
 * paragraphs are separate blocks; code fences and block quotes are marked quoted; HTML comments,
 * `[//]: # (…)` link-reference comments, collapsed `<details>` and hidden HTML are their own channels.
 * Front matter values (an .mdc rule's description) are read as text.
 */
export function markdownSentences(lines: readonly string[]): Sentence[] {
  const out: Sentence[] = [];
  let block = 0;
  let pending: Pending | null = null;
  const flush = () => {
    if (pending === null) return;
    // Parts joined by one space, each part's start offset kept, so a sentence maps back to its lines.
    const starts: number[] = [];
    let text = '';
    for (const part of pending.parts) {
      const clean = part.replace(/\s+/g, ' ').trim();
      if (clean === '') continue;
      if (text !== '') text += ' ';
      starts.push(text.length);
      text += clean;
    }
    const lineAt = (offset: number): number => {
      // The last part starting at or before `offset` (binary search: a paragraph may be long).
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return pending!.lines[Math.min(lo, pending!.lines.length - 1)]!;
    };
    if (text.length > 0) {
      for (const [s, e] of sentenceRanges(text)) {
        out.push({ text: text.slice(s, e).trim(), line: lineAt(s), endLine: lineAt(Math.max(s, e - 1)), channel: pending.channel, quoted: pending.quoted, block });
      }
      block++;
    }
    pending = null;
  };
  const add = (text: string, lineNo: number, channel: Channel, quoted: boolean, startsBlock: boolean) => {
    if (pending !== null && (startsBlock || pending.channel !== channel || pending.quoted !== quoted)) flush();
    if (text.trim() === '') return;
    if (pending === null) pending = { parts: [], lines: [], channel, quoted };
    pending.parts.push(text);
    pending.lines.push(lineNo);
  };

  let fence: string | null = null;
  let comment: { parts: string[]; line: number } | null = null;
  let details = 0;
  let hiddenTag: string | null = null;
  let attackSection = false;
  let n = 0;

  // Front matter: `---` on line 1 up to the next `---`; each `key: value` value is text.
  if (lines[0]?.trim() === '---') {
    for (n = 1; n < lines.length && lines[n]!.trim() !== '---'; n++) {
      const m = /^\s*[\w-]+\s*:\s*["']?(.+?)["']?\s*$/.exec(lines[n]!);
      if (m && /[a-z]{3,}\s+[a-z]{2,}/i.test(m[1]!)) add(m[1]!, n + 1, 'visible', false, true);
    }
    flush();
    n++;
  }

  for (; n < lines.length; n++) {
    const lineNo = n + 1;
    let line = lines[n]!;
    if (comment === null) {
      const marker = fenceMarker(line);
      if (fence !== null) {
        if (marker !== null && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) {
          fence = null;
          flush();
          continue;
        }
        add(line, lineNo, 'visible', true, true);
        flush();
        continue;
      }
      if (marker !== null) {
        flush();
        fence = marker;
        continue;
      }
    }

    // HTML comments, possibly several per line or spanning lines; the rest of the line stays visible.
    let visible = '';
    let pos = 0;
    while (pos <= line.length) {
      if (comment !== null) {
        const close = line.indexOf('-->', pos);
        comment.parts.push(close === -1 ? line.slice(pos) : line.slice(pos, close));
        if (close === -1) break;
        const text = comment.parts.join(' ');
        flush();
        for (const s of splitSentences(text.replace(/\s+/g, ' ').trim())) out.push({ text: s, line: comment.line, endLine: lineNo, channel: 'html-comment', quoted: false, block });
        block++;
        comment = null;
        pos = close + 3;
        continue;
      }
      const start = line.indexOf('<!--', pos);
      if (start === -1) {
        visible += line.slice(pos);
        break;
      }
      const before = line.slice(pos, start);
      if ((before.split('`').length - 1) % 2 === 1) {
        visible += line.slice(pos, start + 4);
        pos = start + 4;
        continue;
      }
      visible += before;
      comment = { parts: [], line: lineNo };
      pos = start + 4;
    }
    line = visible;
    if (line.trim() === '') {
      if (comment === null) flush();
      continue;
    }

    const link = LINK_COMMENT.exec(line);
    if (link) {
      flush();
      const text = (link[1] ?? link[2] ?? link[3] ?? '').trim();
      for (const s of splitSentences(text)) out.push({ text: s, line: lineNo, endLine: lineNo, channel: 'link-comment', quoted: false, block });
      block++;
      continue;
    }

    // Collapsed sections and hidden HTML elements.
    if (/<details\b/i.test(line)) details++;
    const hidden: RegExpExecArray | null = hiddenTag === null ? HIDDEN_TAG.exec(line) : null;
    let channel: Channel = details > 0 ? 'collapsed' : 'visible';
    if (hidden) {
      flush();
      const tag: string = hidden[1]!.toLowerCase();
      const rest = line.slice(hidden.index + hidden[0].length);
      const close = rest.toLowerCase().indexOf(`</${tag}`);
      const inner = close === -1 ? rest : rest.slice(0, close);
      if (close === -1) hiddenTag = tag;
      add(inner.replace(/<[^>]*>/g, ' '), lineNo, 'hidden-html', false, true);
      if (close !== -1) flush();
      if (/<\/details>/i.test(line)) details = Math.max(0, details - 1);
      continue;
    }
    if (hiddenTag !== null) {
      const close = line.toLowerCase().indexOf(`</${hiddenTag}`);
      add((close === -1 ? line : line.slice(0, close)).replace(/<[^>]*>/g, ' '), lineNo, 'hidden-html', false, false);
      if (close !== -1) {
        hiddenTag = null;
        flush();
      }
      continue;
    }
    if (/<\/details>/i.test(line)) {
      details = Math.max(0, details - 1);
      if (/<summary\b/i.test(line) || line.replace(/<[^>]*>/g, '').trim() !== '') channel = 'collapsed';
    }
    if (/<summary\b/i.test(line)) channel = 'visible';
    const plain = line.replace(/<\/?(?:details|summary|br|p|div|span)\b[^>]*>/gi, ' ');
    if (plain.trim() === '') continue;

    // A heading, or a line that is only bold text ("**Attack vectors:**") and works as one.
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(plain) ?? /^ {0,3}\*\*([^*]{1,80})\*\*:?\s*$/.exec(plain);
    if (heading) {
      flush();
      attackSection = ATTACK_HEADING.test(heading[1]!);
      add(heading[1]!, lineNo, channel, attackSection, true);
      flush();
      continue;
    }
    const quote = /^ {0,3}>\s?(.*)$/.exec(plain);
    if (quote) {
      add(quote[1]!, lineNo, channel, true, false);
      continue;
    }
    if (/^\s*\|.*\|\s*$/.test(plain)) {
      flush();
      if (/^\s*\|[\s:|-]+\|\s*$/.test(plain)) continue;
      for (const cell of plain.split('|')) if (cell.trim() !== '') add(cell, lineNo, channel, attackSection, true);
      flush();
      continue;
    }
    const item = /^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(plain);
    if (item) {
      add(item[1]!, lineNo, channel, attackSection, true);
      continue;
    }
    // An indented line under a list item continues it; anything else continues the paragraph.
    add(plain, lineNo, channel, attackSection, false);
  }
  flush();
  if (comment !== null) {
    const text = comment.parts.join(' ').replace(/\s+/g, ' ').trim();
    for (const s of splitSentences(text)) out.push({ text: s, line: comment.line, endLine: lines.length, channel: 'html-comment', quoted: false, block });
  }
  return out;
}

/**
 * Lines where markdown quotes rather than instructs: code fences, block quotes, sections about
 * attacks, and visible sentences that discuss attacks. An attack phrase there is an example.
 */
export function exampleLines(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const s of markdownSentences(lines)) {
    if (!s.quoted && !(s.channel === 'visible' && discussesAttacks(s.text))) continue;
    for (let l = s.line; l <= s.endLine; l++) out.add(l);
  }
  return out;
}
