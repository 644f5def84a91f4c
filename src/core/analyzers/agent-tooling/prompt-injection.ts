// Prompt-injection phrasing aimed at coding agents, and hidden HTML comments in
// markdown that carry instructions. All matching is RE2 (linear) because the
// text comes from the party under review.

import RE2 from 're2';

interface Phrase {
  label: string;
  pattern: string;
  re: RE2;
  /** What, right after a match, makes it say something else (checked on the next 120 characters). */
  unlessFollowedBy?: RE2;
}

/** Phrases plus one combined pattern, so a clean line costs a single RE2 pass instead of one per phrase. */
export interface PhraseSet {
  any: RE2;
  phrases: Phrase[];
}

function phrase(label: string, pattern: string, unlessFollowedBy?: string): Phrase {
  return { label, pattern, re: new RE2(`(?i)${pattern}`), ...(unlessFollowedBy ? { unlessFollowedBy: new RE2(`(?i)^${unlessFollowedBy}`) } : {}) };
}

/**
 * Where injected text comes from, in a guard that tells the agent to ignore it ("ignore any
 * instructions in repository files that ask you to…"): the opposite of an override.
 */
const UNTRUSTED_PLACE =
  '\\s+(?:(?:that|which)\\s+(?:ask|tell|instruct|request|direct)|(?:found\\s+|contained\\s+|embedded\\s+|written\\s+)?(?:in|inside|within|from)\\s+' +
  '(?:(?:the|any|other|repository|repo|project|untrusted|external|third[\\s-]party|fetched|retrieved|such)\\s+)*' +
  '(?:files?|content|issues?|comments?|web\\s*pages?|websites?|pages?|tool\\s+(?:output|results?)|documents?|documentation|code|data|e-?mails?|pull\\s+requests?|prs?|readmes?|inputs?|sources?)\\b)';

function phraseSet(phrases: Phrase[]): PhraseSet {
  return { any: new RE2(`(?i)(?:${phrases.map((p) => p.pattern).join(')|(?:')})`), phrases };
}

const WHO = '(?:the\\s+)?(?:users?|humans?|developers?|reviewers?|operators?|maintainers?|owners?)\\b';
const PR_TEXT =
  '(?:the\\s+|your\\s+|any\\s+)?(?:(?:pr|pull[\\s-]+request|merge[\\s-]+request|commit|change|final)\\s*(?:description|summary|message|body|title|report|notes?|log)|summary|changelog)\\b';

/**
 * Phrases that read as an attack wherever they appear in markdown: overriding earlier
 * instructions, hiding things from the user, keeping changes out of the PR description.
 */
export const STRONG_PHRASES: PhraseSet = phraseSet([
  phrase(
    'override of earlier instructions',
    '\\b(?:ignore|disregard|forget)\\s+(?:all\\s+|any\\s+|every\\s+)?(?:of\\s+)?(?:the\\s+|your\\s+|my\\s+|these\\s+|those\\s+)?(?:previous|prior|preceding|earlier|above|foregoing|original|initial|system)\\s+(?:instructions?|prompts?|directions?|directives?|rules|guidelines|guidance|context|messages?|commands?|constraints)\\b',
  ),
  phrase(
    'override of earlier instructions',
    '\\b(?:ignore|disregard|forget)\\s+(?:all|any|every)\\s+(?:of\\s+)?(?:the\\s+|your\\s+)?(?:instructions|prompts)\\b',
    UNTRUSTED_PLACE,
  ),
  // "Never tell users to add a script tag" is advice about what to tell them, not secrecy.
  phrase('secrecy towards the user', `\\b(?:do\\s+not|don'?t|never|must\\s+not|should\\s+not|shouldn'?t)\\s+(?:tell|inform|notify)\\s+${WHO}`, '\\s+to\\s+\\w'),
  phrase(
    'secrecy towards the user',
    `\\b(?:do\\s+not|don'?t|never|must\\s+not)\\s+(?:mention|reveal|disclose|show|say|report|explain)\\s+(?:this|these|that|it|them|anything)\\b.{0,40}?\\bto\\s+${WHO}`,
  ),
  phrase('hiding changes from the PR description', `\\b(?:omit|exclude|hide|leave\\s+out|keep\\s+out)\\b.{0,80}?\\b(?:from|of|in)\\s+${PR_TEXT}`),
  phrase('hiding changes from the PR description', `\\b(?:leave|keep)\\b.{0,60}?\\bout\\s+of\\s+${PR_TEXT}`),
  phrase(
    'hiding changes from the PR description',
    `\\b(?:do\\s+not|don'?t|never|must\\s+not)\\s+(?:include|mention|list|describe|report|document|disclose|reference)\\s+(?:this|these|that|it|them|(?:the|this|these|those)\\s+(?:changes?|modifications?|edits?|files?|steps?|instructions?|lines?))\\b.{0,60}?\\b(?:in|within|from)\\s+${PR_TEXT}`,
  ),
  phrase(
    'role override',
    "\\byou\\s+are\\s+now\\s+(?:in\\s+)?(?:dan\\b|developer\\s+mode|god\\s+mode|jailbroken|unrestricted|unfiltered|uncensored|an?\\s+(?:unrestricted|unfiltered|uncensored|jailbroken|evil|different)\\b)",
  ),
  phrase('system prompt override', '\\b(?:system\\s+prompt\\s+override|override\\s+(?:the\\s+|your\\s+)?system\\s+prompt|new\\s+system\\s+prompt\\s*:)'),
]);

/**
 * Phrases that are ordinary in general docs ("runs without asking for confirmation") but
 * suspicious when written into agent instructions or hidden from readers.
 */
export const AGENT_PHRASES: PhraseSet = phraseSet([
  phrase(
    'acting without confirmation',
    "\\bwithout\\s+(?:first\\s+)?(?:asking|prompting|requesting|seeking|waiting)\\s+(?:for\\s+)?(?:the\\s+)?(?:user'?s?\\s+|any\\s+|human\\s+|explicit\\s+)?(?:for\\s+)?(?:confirmation|permission|approval|consent)",
  ),
  phrase('acting without confirmation', "\\b(?:do\\s+not|don'?t|never)\\s+(?:ask|prompt|wait)\\s+(?:the\\s+user\\s+|anyone\\s+|for\\s+the\\s+user\\s+)?(?:for\\s+)?(?:confirmation|permission|approval|consent)"),
  phrase('secrecy towards the user', `\\bwithout\\s+(?:telling|informing|notifying|alerting|asking)\\s+${WHO}`),
  phrase('secrecy', "\\b(?:do\\s+not|don'?t|never)\\s+(?:mention|acknowledge|discuss|bring\\s+up|talk\\s+about|reveal|disclose)\\s+(?:this|these|that|it)\\b"),
  phrase('role override', '\\byou\\s+are\\s+now\\b'),
  phrase('injected instructions', '\\b(?:new|updated|real|actual|hidden|secret|true)\\s+(?:system\\s+)?instructions?\\s*:'),
  phrase('chat-template markup', '(?:<\\|im_start\\|>|<\\|system\\|>|\\[/?INST\\]|</?system>)'),
]);

export interface PhraseMatch {
  label: string;
  index: number;
  text: string;
}

/** True when `index` on `line` falls inside an inline code span (`…`): the text is quoted, not said. */
export function insideInlineCode(line: string, index: number): boolean {
  let ticks = 0;
  for (let i = 0; i < index && i < line.length; i++) if (line.charCodeAt(i) === 0x60) ticks++;
  return ticks % 2 === 1 && line.indexOf('`', index) !== -1;
}

/**
 * True when the span at `index` (of `length`) on `line` is inside double quotes ("…" or “…”):
 * a phrase quoted as an example, as in a list of phrases to watch for.
 */
export function insideQuotes(line: string, index: number, length: number): boolean {
  let straight = 0;
  let curlyOpen = false;
  for (let i = 0; i < index && i < line.length; i++) {
    const c = line[i];
    if (c === '"') straight++;
    else if (c === '\u201c') curlyOpen = true;
    else if (c === '\u201d') curlyOpen = false;
  }
  const rest = line.slice(index + length);
  if (straight % 2 === 1 && rest.includes('"')) return true;
  return curlyOpen && rest.includes('\u201d');
}

/** Matches of one phrase tried per text, past those its `unlessFollowedBy` excuses. */
const MAX_TRIES = 4;

/** The first phrase in `text` from the given lists, by position. */
export function findPhrase(text: string, lists: PhraseSet[]): PhraseMatch | null {
  let best: PhraseMatch | null = null;
  for (const list of lists) {
    if (!list.any.test(text)) continue;
    for (const p of list.phrases) {
      let from = 0;
      for (let tries = 0; tries < MAX_TRIES; tries++) {
        const m = p.re.exec(from === 0 ? text : text.slice(from));
        if (!m) break;
        const index = from + m.index;
        const end = index + m[0].length;
        if (p.unlessFollowedBy?.test(text.slice(end, end + 120))) {
          from = Math.max(end, index + 1);
          continue;
        }
        if (best === null || index < best.index) best = { label: p.label, index, text: m[0] };
        break;
      }
    }
  }
  return best;
}

export const AI_ADDRESS = new RE2(
  '(?i)\\b(?:ai|a\\.i\\.|assistants?|agents?|llms?|language\\s+models?|claude|copilot|codex|cursor|gemini|chatgpt|gpt(?:-?\\d[a-z0-9.]*)?|devin|jules|windsurf|cline|aider|amazon\\s+q)\\b',
);
export const DIRECTIVE = new RE2(
  "(?i)\\b(?:you\\s+(?:must|should|will|are|need|have\\s+to)|must|always|never|do\\s+not|don'?t|ignore|instead|make\\s+sure|ensure|remember|your\\s+(?:task|job|goal)|from\\s+now\\s+on|important|instructions?|please|execute|run|add|include|insert|call|fetch|send|upload|delete|remove)\\b",
);
const PIPE_TO_SHELL = new RE2('(?i)\\b(?:curl|wget)\\b[^|\\n]{0,300}\\|\\s*(?:sudo\\s+)?(?:ba|z|da)?sh\\b');

/** Anything that can make a comment instruction-like; most comments fail this single pass. */
const ANY_SIGNAL = new RE2(
  [STRONG_PHRASES.any.source, AGENT_PHRASES.any.source, PIPE_TO_SHELL.source, AI_ADDRESS.source].map((src) => `(?:${src.replace(/^\(\?i\)/, '')})`).join('|'),
  'i',
);

export interface InstructionComment {
  /** Why the comment reads as instructions, in plain words. */
  reason: string;
  /**
   * True when what it says is itself an attack pattern (an injection phrase, a download piped
   * into a shell); false when it only addresses an AI with a directive, which also fits
   * harmless notes such as "Copilot: keep this list sorted".
   */
  strong: boolean;
}

/** Whether an HTML comment's content reads as instructions for an agent, and how strongly; null when not. */
export function instructionComment(content: string): InstructionComment | null {
  if (!ANY_SIGNAL.test(content)) return null;
  const hit = findPhrase(content, [STRONG_PHRASES, AGENT_PHRASES]);
  if (hit) return { reason: `${hit.label}: "${hit.text}"`, strong: true };
  if (PIPE_TO_SHELL.test(content)) return { reason: 'a command that pipes a download into a shell', strong: true };
  const ai = AI_ADDRESS.exec(content);
  const directive = DIRECTIVE.exec(content);
  if (ai && directive) return { reason: `it addresses "${ai[0]}" with a directive ("${directive[0]}")`, strong: false };
  return null;
}

/** Why an HTML comment's content reads as instructions for an agent, or null. */
export function instructionLikeComment(content: string): string | null {
  return instructionComment(content)?.reason ?? null;
}

export interface HiddenComment {
  /** 1-based lines where the comment starts and ends. */
  startLine: number;
  endLine: number;
  /** 0-based column of `<!--` on the start line. */
  column: number;
  /** Text between the delimiters, capped. */
  content: string;
}

const MAX_COMMENT_CHARS = 20_000;

function isFence(line: string): string | null {
  let i = 0;
  while (i < 3 && line[i] === ' ') i++;
  const ch = line[i];
  if (ch !== '`' && ch !== '~') return null;
  let n = 0;
  while (line[i + n] === ch) n++;
  return n >= 3 ? ch.repeat(n) : null;
}

/**
 * HTML comments in markdown outside fenced code and inline code spans: invisible when
 * rendered, read verbatim by agents. One pass over the lines.
 */
export function findHiddenComments(lines: readonly string[]): HiddenComment[] {
  const found: HiddenComment[] = [];
  let fence: string | null = null;
  let open: { startLine: number; column: number; parts: string[]; size: number } | null = null;

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    let pos = 0;
    if (open === null) {
      const marker = isFence(line);
      if (fence !== null) {
        if (marker !== null && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = null;
        continue;
      }
      if (marker !== null) {
        fence = marker;
        continue;
      }
    }
    // Backtick parity is counted once per line, incrementally, to stay linear on long lines.
    let backticks = 0;
    let counted = 0;
    while (pos <= line.length) {
      if (open !== null) {
        const close = line.indexOf('-->', pos);
        const piece = close === -1 ? line.slice(pos) : line.slice(pos, close);
        if (open.size < MAX_COMMENT_CHARS) {
          open.parts.push(piece.slice(0, MAX_COMMENT_CHARS - open.size));
          open.size += piece.length;
        }
        if (close === -1) break;
        found.push({ startLine: open.startLine, endLine: n + 1, column: open.column, content: open.parts.join('\n') });
        open = null;
        pos = close + 3;
        continue;
      }
      const start = line.indexOf('<!--', pos);
      if (start === -1) break;
      for (; counted < start; counted++) if (line.charCodeAt(counted) === 0x60) backticks++;
      if (backticks % 2 === 1) {
        pos = start + 4;
        continue;
      }
      open = { startLine: n + 1, column: start, parts: [], size: 0 };
      pos = start + 4;
    }
  }
  // An unterminated comment hides the rest of the document.
  if (open !== null) found.push({ startLine: open.startLine, endLine: lines.length, column: open.column, content: open.parts.join('\n') });
  return found;
}
