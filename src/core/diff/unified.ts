// Builds a ChangeSet from a unified diff as git writes it (`git diff`, GitHub's .diff),
// including git's extended headers. One pass over the lines, no regexes: diffs can be
// large and their content is written by the party under review.
//
// The `diff` package's parsePatch is not used: it does not understand git's extended
// headers (renames, copies, modes, binary patches) or quoted file names, and it gives
// no line numbers for malformed input. Hunk counting is the only part it would share.

import { GITLINK_MODE, type ChangeSet, type ChangedFile, type ContentLoader, type FileStatus } from '../model.js';
import { decodeUtf8 } from '../text.js';

/** A diff that cannot be read at all. The message is one line and names the diff line. */
export class DiffParseError extends Error {
  override readonly name = 'DiffParseError';
  constructor(
    message: string,
    /** 1-based line of the diff text where the problem is. */
    readonly line: number,
  ) {
    super(message);
  }
}

export interface UnifiedDiffOptions {
  base: string;
  head: string;
  loadHead: ContentLoader;
}

export function changeSetFromUnifiedDiff(diffText: string, opts: UnifiedDiffOptions): ChangeSet {
  return { base: opts.base, head: opts.head, files: parseUnifiedDiff(diffText), loadHead: opts.loadHead };
}

/**
 * Head line numbers (1-based, sorted, unique) that a single file's hunks add, for patches
 * without file headers such as the `patch` field of GitHub's pull request files endpoint.
 * Throws DiffParseError (one-line message with the patch line) when the patch is malformed.
 */
export function addedLinesFromPatch(patch: string): number[] {
  return hunkStatsFromPatch(patch).addedLines;
}

const SUBPROJECT_LINE = 'Subproject commit ';

/**
 * Whether a per-file patch is git's diff of a submodule: every changed line reads
 * `Subproject commit <sha>`, which is all git (and GitHub's files endpoint, which has no file
 * modes) shows of a gitlink. A text file whose only changed lines look like that is taken for
 * a submodule too, and so listed as not reviewed: the safe way to be wrong.
 */
export function isSubmodulePatch(patch: string): boolean {
  let changed = 0;
  for (const line of patch.split('\n')) {
    if (line === '' || line.startsWith('@@') || line.startsWith('\\')) continue;
    if (!isSubprojectLine(line)) return false;
    changed++;
  }
  return changed > 0;
}

/** `+Subproject commit <sha>` or `-…`, the sha 40 or 64 lowercase hex digits, maybe followed by "-dirty". */
function isSubprojectLine(line: string): boolean {
  if ((line[0] !== '+' && line[0] !== '-') || !line.startsWith(SUBPROJECT_LINE, 1)) return false;
  let name = line.slice(1 + SUBPROJECT_LINE.length);
  if (name.endsWith('-dirty')) name = name.slice(0, -'-dirty'.length);
  if (name.length !== 40 && name.length !== 64) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!isDigit(c) && !(c >= 97 && c <= 102)) return false;
  }
  return true;
}

/** Like addedLinesFromPatch, also counting removed lines. */
export function hunkStatsFromPatch(patch: string): { addedLines: number[]; deletedLineCount: number; removedAfter: number[] } {
  const lines = new DiffLines(patch);
  const counter = new HunkCounter();
  let hunk: HunkState | null = null;
  let lastHunkLine = 0;
  for (let i = 0; i < lines.count; i++) {
    const lineNo = i + 1;
    if (hunk !== null) {
      const problem = counter.consume(hunk, lines, i);
      if (problem !== null) throw new DiffParseError(`patch line ${lineNo}: ${problem}`, lineNo);
      if (hunk.oldLeft === 0 && hunk.newLeft === 0) hunk = null;
      continue;
    }
    if (lines.startsWith(i, '@@')) {
      hunk = parseHunkHeader(lines.header(i));
      if (hunk === null) throw new DiffParseError(`patch line ${lineNo}: malformed hunk header ${quoteForMessage(lines.text(i))}`, lineNo);
      hunk.headerLine = lastHunkLine = lineNo;
      counter.hunks++;
      if (hunk.oldLeft === 0 && hunk.newLeft === 0) hunk = null;
      continue;
    }
    if (lines.startsWith(i, '\\') || lines.isBlank(i)) continue;
    const problem =
      counter.hunks === 0
        ? `expected a hunk header, found ${quoteForMessage(lines.text(i))}`
        : isHunkBodyStart(lines.code(i))
          ? `the hunk of line ${lastHunkLine} has more lines than its header declares`
          : `line outside any hunk, found ${quoteForMessage(lines.text(i))}`;
    throw new DiffParseError(`patch line ${lineNo}: ${problem}`, lineNo);
  }
  if (hunk !== null) {
    throw new DiffParseError(`patch line ${hunk.headerLine}: hunk ends early (${describeMissing(hunk)})`, hunk.headerLine);
  }
  return { addedLines: counter.sortedAddedLines(), deletedLineCount: counter.deletedLineCount, removedAfter: counter.sortedRemovedAfter() };
}

/** Parses every file of a unified diff. Throws DiffParseError when a file header cannot be read. */
export function parseUnifiedDiff(diffText: string): ChangedFile[] {
  return new DiffParser(new DiffLines(diffText)).parse();
}

// ---------------------------------------------------------------------------------------

interface HunkState {
  oldLeft: number;
  newLeft: number;
  nextNewLine: number;
  headerLine: number;
}

/** Counts the lines of hunks; shared by the whole-diff parser and the per-file patch reader. */
class HunkCounter {
  addedLines: number[] = [];
  deletedLineCount = 0;
  removedAfter: number[] = [];
  hunks = 0;
  private sorted = true;
  private removedSorted = true;

  /** Applies one hunk body line; returns a reason when the line cannot be part of the hunk. */
  consume(hunk: HunkState, lines: DiffLines, i: number): string | null {
    const first = lines.code(i);
    if (first === PLUS) {
      if (hunk.newLeft === 0) return `more added lines than the hunk header at line ${hunk.headerLine} declares`;
      const n = hunk.nextNewLine++;
      const last = this.addedLines[this.addedLines.length - 1];
      if (last !== undefined && n <= last) this.sorted = false;
      this.addedLines.push(n);
      hunk.newLeft--;
      return null;
    }
    if (first === MINUS) {
      if (hunk.oldLeft === 0) return `more removed lines than the hunk header at line ${hunk.headerLine} declares`;
      this.deletedLineCount++;
      const after = hunk.nextNewLine - 1;
      const last = this.removedAfter[this.removedAfter.length - 1];
      if (last !== undefined && after < last) this.removedSorted = false;
      if (last !== after) this.removedAfter.push(after);
      hunk.oldLeft--;
      return null;
    }
    // Some tools strip the single space of an empty context line; CRLF patches leave "\r".
    if (first === SPACE || lines.isBlank(i)) {
      if (hunk.oldLeft === 0 || hunk.newLeft === 0) return `more context lines than the hunk header at line ${hunk.headerLine} declares`;
      hunk.nextNewLine++;
      hunk.oldLeft--;
      hunk.newLeft--;
      return null;
    }
    if (first === BACKSLASH) return null; // "\ No newline at end of file"
    return `unexpected line inside the hunk of line ${hunk.headerLine}: ${quoteForMessage(lines.text(i))}`;
  }

  sortedAddedLines(): number[] {
    return this.sorted ? this.addedLines : sortedUnique(this.addedLines);
  }

  sortedRemovedAfter(): number[] {
    return this.removedSorted ? this.removedAfter : sortedUnique(this.removedAfter);
  }
}

function sortedUnique(numbers: readonly number[]): number[] {
  return [...new Set(numbers)].sort((a, b) => a - b);
}

function describeMissing(hunk: HunkState): string {
  return `${hunk.oldLeft} old and ${hunk.newLeft} new lines missing`;
}

/** `@@ -a[,b] +c[,d] @@ …` → counts; null when malformed. Omitted counts mean 1. */
function parseHunkHeader(line: string): HunkState | null {
  let i = 0;
  const expect = (s: string): boolean => {
    if (!line.startsWith(s, i)) return false;
    i += s.length;
    return true;
  };
  const number = (): number | null => {
    const start = i;
    while (i < line.length && i - start < 12) {
      const c = line.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    if (i === start || (i < line.length && isDigit(line.charCodeAt(i)))) return null;
    return Number(line.slice(start, i));
  };
  if (!expect('@@ -')) return null;
  const oldStart = number();
  if (oldStart === null) return null;
  let oldCount = 1;
  if (expect(',')) {
    const n = number();
    if (n === null) return null;
    oldCount = n;
  }
  if (!expect(' +')) return null;
  const newStart = number();
  if (newStart === null) return null;
  let newCount = 1;
  if (expect(',')) {
    const n = number();
    if (n === null) return null;
    newCount = n;
  }
  if (!expect(' @@')) return null;
  if (newCount > 0 && newStart === 0) return null;
  // A hunk with no head lines names the head line it follows, not the one it starts at.
  return { oldLeft: oldCount, newLeft: newCount, nextNewLine: newCount === 0 ? newStart + 1 : newStart, headerLine: 0 };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

// ---------------------------------------------------------------------------------------

interface FileBuilder {
  /** 1-based line of the `diff --git` (or `---`) line that starts this file. */
  startLine: number;
  git: boolean;
  headerOld: string | null;
  headerNew: string | null;
  minus: PathRef | null;
  plus: PathRef | null;
  renameFrom: string | null;
  renameTo: string | null;
  copyFrom: string | null;
  copyTo: string | null;
  isNew: boolean;
  isDeleted: boolean;
  oldMode: string | null;
  newMode: string | null;
  binary: boolean;
  counter: HunkCounter;
  unavailable: string | null;
}

/** A name from a `---`/`+++` line; null path for /dev/null. */
interface PathRef {
  path: string | null;
}

type State = 'preamble' | 'header' | 'hunk' | 'afterHunk' | 'skip';

class DiffParser {
  private readonly files: FileBuilder[] = [];
  private current: FileBuilder | null = null;
  private state: State = 'preamble';
  private hunk: HunkState | null = null;

  constructor(private readonly lines: DiffLines) {}

  parse(): ChangedFile[] {
    const lines = this.lines;
    for (let i = 0; i < lines.count; i++) {
      const lineNo = i + 1;
      if (this.state === 'hunk') {
        const file = this.current!;
        const hunk = this.hunk!;
        const problem = file.counter.consume(hunk, lines, i);
        if (problem === null) {
          if (hunk.oldLeft === 0 && hunk.newLeft === 0) this.state = 'afterHunk';
          continue;
        }
        if (this.fileStart(i) === null) {
          this.markUnavailable(file, `malformed hunk at diff line ${lineNo}: ${problem}`);
          this.state = 'skip';
          continue;
        }
        // The next file starts: this hunk was cut short. Fall through to start it.
        this.markUnavailable(file, `malformed hunk at diff line ${hunk.headerLine}: ${describeMissing(hunk)}`);
      }
      const start = this.fileStart(i);
      if (start === 'git') {
        this.startGitFile(lines.header(i), lineNo);
        continue;
      }
      if (start === 'plain') continue; // "diff -ru a/x b/x": its ---/+++ pair follows
      switch (this.state) {
        case 'preamble':
          if (this.isPlainFileStart(i)) i = this.startPlainFile(i);
          break;
        case 'header':
          i = this.headerLine(i);
          break;
        case 'afterHunk':
          i = this.afterHunkLine(i);
          break;
        case 'skip':
          // A malformed git file ends at the next "diff --git"; plain diffs have only ---/+++ pairs.
          if (!this.current!.git && this.isPlainFileStart(i)) i = this.startPlainFile(i);
          break;
        case 'hunk':
          break;
      }
    }
    if (this.state === 'hunk') {
      const hunk = this.hunk!;
      this.markUnavailable(this.current!, `malformed hunk at diff line ${hunk.headerLine}: the diff ends early (${describeMissing(hunk)})`);
    }
    if (this.files.length === 0) this.requireSomeFile();
    return mergeTypeChanges(this.files.map((f) => finishFile(f)));
  }

  /** 'git' for a "diff --git" (or combined) line, 'plain' for a GNU "diff …" line followed by "---". */
  private fileStart(i: number): 'git' | 'plain' | null {
    const lines = this.lines;
    if (!lines.startsWith(i, 'diff ')) return null;
    if (lines.startsWith(i, 'diff --git ') || lines.startsWith(i, 'diff --cc ') || lines.startsWith(i, 'diff --combined ')) return 'git';
    return lines.startsWith(i + 1, '--- ') ? 'plain' : null;
  }

  private requireSomeFile(): void {
    for (let i = 0; i < this.lines.count; i++) {
      if (!this.lines.isBlank(i)) {
        const found = quoteForMessage(this.lines.text(i));
        throw new DiffParseError(`diff line ${i + 1}: expected a file header ("diff --git" or "---"), found ${found}`, i + 1);
      }
    }
  }

  private newFile(lineNo: number, git: boolean): FileBuilder {
    const file: FileBuilder = {
      startLine: lineNo,
      git,
      headerOld: null,
      headerNew: null,
      minus: null,
      plus: null,
      renameFrom: null,
      renameTo: null,
      copyFrom: null,
      copyTo: null,
      isNew: false,
      isDeleted: false,
      oldMode: null,
      newMode: null,
      binary: false,
      counter: new HunkCounter(),
      unavailable: null,
    };
    this.files.push(file);
    this.current = file;
    this.hunk = null;
    return file;
  }

  private startGitFile(line: string, lineNo: number): void {
    const file = this.newFile(lineNo, true);
    this.state = 'header';
    if (line.startsWith('diff --git ')) {
      const names = parseGitHeaderNames(line.slice('diff --git '.length));
      if (names !== null) [file.headerOld, file.headerNew] = names;
      return;
    }
    // Combined diffs (of merge commits) name one path and have hunks with several columns.
    const name = parsePathToken(line.slice(line.indexOf(' ', 5) + 1));
    file.headerOld = file.headerNew = name;
    this.markUnavailable(file, `combined diff of a merge at diff line ${lineNo} is not supported`);
    this.state = 'skip';
  }

  private isPlainFileStart(i: number): boolean {
    return this.lines.startsWith(i, '--- ') && this.lines.startsWith(i + 1, '+++ ');
  }

  /** Starts a file from a ---/+++ pair (a diff without "diff --git" lines); returns the last line used. */
  private startPlainFile(i: number): number {
    const file = this.newFile(i + 1, false);
    this.readMinusPlus(file, i);
    this.state = 'header';
    return i + 1;
  }

  private readMinusPlus(file: FileBuilder, i: number): void {
    file.minus = parseMinusPlus(this.lines.header(i).slice(4), 'a/');
    file.plus = parseMinusPlus(this.lines.header(i + 1).slice(4), 'b/');
    const bad = file.minus === null ? i : file.plus === null ? i + 1 : -1;
    if (bad !== -1) {
      throw new DiffParseError(`diff line ${bad + 1}: cannot read the file name of ${quoteForMessage(this.lines.text(bad))}`, bad + 1);
    }
  }

  /** One line of a file header (before its first hunk); returns the last line used. */
  private headerLine(i: number): number {
    const file = this.current!;
    const line = this.lines.header(i);
    const lineNo = i + 1;
    if (line.startsWith('@@')) {
      this.startHunk(line, lineNo);
      return i;
    }
    if (this.isPlainFileStart(i)) {
      // In a git file the pair belongs to it; a second pair in a plain diff is the next file.
      if (!file.git || file.minus !== null) return this.startPlainFile(i);
      this.readMinusPlus(file, i);
      return i + 1;
    }
    const space = line.indexOf(' ');
    switch (space === -1 ? line : line.slice(0, space)) {
      case 'old':
        if (line.startsWith('old mode ')) file.oldMode = line.slice(9).trim();
        break;
      case 'new':
        if (line.startsWith('new mode ')) file.newMode = line.slice(9).trim();
        else if (line.startsWith('new file mode ')) {
          file.isNew = true;
          file.newMode = line.slice(14).trim();
        }
        break;
      case 'deleted':
        if (line.startsWith('deleted file mode ')) {
          file.isDeleted = true;
          file.oldMode = line.slice(18).trim();
        }
        break;
      case 'rename':
        // git before 1.6 wrote "rename old"/"rename new"
        if (line.startsWith('rename from ')) file.renameFrom = this.nameAfter(line, 'rename from ', lineNo);
        else if (line.startsWith('rename to ')) file.renameTo = this.nameAfter(line, 'rename to ', lineNo);
        else if (line.startsWith('rename old ')) file.renameFrom = this.nameAfter(line, 'rename old ', lineNo);
        else if (line.startsWith('rename new ')) file.renameTo = this.nameAfter(line, 'rename new ', lineNo);
        break;
      case 'copy':
        if (line.startsWith('copy from ')) file.copyFrom = this.nameAfter(line, 'copy from ', lineNo);
        else if (line.startsWith('copy to ')) file.copyTo = this.nameAfter(line, 'copy to ', lineNo);
        break;
      case 'Binary':
      case 'Files':
        // "Binary files a/x and b/y differ" (git) / "Files x and y differ" (GNU diff)
        if (line.endsWith(' differ')) file.binary = true;
        break;
      case 'GIT':
        if (line === 'GIT binary patch') {
          file.binary = true;
          this.state = 'skip';
        }
        break;
      case 'index':
        // "index a..b 160000": the mode of an unchanged entry, noted only for a submodule,
        // which must never be read as a file.
        if (line.endsWith(` ${GITLINK_MODE}`)) {
          file.oldMode ??= GITLINK_MODE;
          file.newMode ??= GITLINK_MODE;
        }
        break;
      default:
        // similarity index, dissimilarity index, and headers of newer git versions
        break;
    }
    return i;
  }

  private nameAfter(line: string, prefix: string, lineNo: number): string {
    const name = parsePathToken(line.slice(prefix.length));
    if (name === null) throw new DiffParseError(`diff line ${lineNo}: cannot read the file name of ${quoteForMessage(line)}`, lineNo);
    return name;
  }

  private startHunk(line: string, lineNo: number): void {
    const file = this.current!;
    const hunk = parseHunkHeader(line);
    if (hunk === null) {
      this.markUnavailable(file, `malformed hunk header at diff line ${lineNo}: ${quoteForMessage(line)}`);
      this.state = 'skip';
      return;
    }
    hunk.headerLine = lineNo;
    file.counter.hunks++;
    this.hunk = hunk;
    this.state = hunk.oldLeft === 0 && hunk.newLeft === 0 ? 'afterHunk' : 'hunk';
  }

  /** A line after a complete hunk: another hunk, the next file, or the end of the diff. */
  private afterHunkLine(i: number): number {
    const file = this.current!;
    const lines = this.lines;
    const lineNo = i + 1;
    if (lines.startsWith(i, '@@')) {
      this.startHunk(lines.header(i), lineNo);
      return i;
    }
    if (this.isPlainFileStart(i)) return this.startPlainFile(i);
    if (lines.startsWith(i, '\\') || lines.isBlank(i)) return i;
    const line = lines.header(i);
    if (line === '-- ') {
      // Signature that `git format-patch` writes after the last file; another mail may follow.
      this.state = 'preamble';
      return i;
    }
    const problem = isHunkBodyStart(lines.code(i))
        ? `the hunk of line ${this.hunk?.headerLine ?? lineNo} has more lines than its header declares`
        : `unexpected line ${quoteForMessage(line)}`;
    this.markUnavailable(file, `malformed hunk at diff line ${lineNo}: ${problem}`);
    this.state = 'skip';
    return i;
  }

  private markUnavailable(file: FileBuilder, reason: string): void {
    if (file.unavailable === null) file.unavailable = reason;
  }
}

function finishFile(file: FileBuilder): ChangedFile {
  const minusDevNull = file.minus !== null && file.minus.path === null;
  const plusDevNull = file.plus !== null && file.plus.path === null;
  const oldName = file.renameFrom ?? file.copyFrom ?? file.minus?.path ?? (minusDevNull ? null : file.headerOld);
  const newName = file.renameTo ?? file.copyTo ?? file.plus?.path ?? (plusDevNull ? null : file.headerNew);
  let status: FileStatus;
  if (file.copyFrom !== null || file.copyTo !== null) status = 'copied';
  else if (file.renameFrom !== null || file.renameTo !== null) status = 'renamed';
  else if (file.isNew || (minusDevNull && !plusDevNull)) status = 'added';
  else if (file.isDeleted || (plusDevNull && !minusDevNull)) status = 'deleted';
  else status = 'modified';
  const path = status === 'deleted' ? (oldName ?? file.headerOld) : (newName ?? file.headerNew);
  if (path === null || path === '') {
    throw new DiffParseError(`diff line ${file.startLine}: cannot tell the file name from this file header`, file.startLine);
  }
  const movedFrom = status === 'renamed' || status === 'copied' ? (oldName ?? file.headerOld) : null;
  return {
    path,
    oldPath: movedFrom !== null && movedFrom !== path ? movedFrom : null,
    status,
    addedLines: status === 'deleted' ? [] : file.counter.sortedAddedLines(),
    deletedLineCount: file.counter.deletedLineCount,
    removedAfter: status === 'deleted' ? [] : file.counter.sortedRemovedAfter(),
    binary: file.binary,
    oldMode: file.oldMode,
    newMode: file.newMode,
    size: null,
    unavailable: file.unavailable,
  };
}

/**
 * git shows a type change (file ↔ symlink, file ↔ submodule) as a deletion followed by an
 * addition of the same path; reviewers think of it as one modified file.
 */
function mergeTypeChanges(files: ChangedFile[]): ChangedFile[] {
  const out: ChangedFile[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i]!;
    const next = files[i + 1];
    if (file.status === 'deleted' && next !== undefined && next.status === 'added' && next.path === file.path) {
      out.push({
        ...next,
        status: 'modified',
        deletedLineCount: file.deletedLineCount,
        removedAfter: file.deletedLineCount > 0 ? [0] : [],
        binary: file.binary || next.binary,
        oldMode: file.oldMode,
        unavailable: file.unavailable ?? next.unavailable,
      });
      i++;
      continue;
    }
    out.push(file);
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Names

/**
 * Splits the rest of a `diff --git ` line into the two names (prefixes removed). Unquoted
 * names may contain spaces, which makes the line ambiguous; git's own rule applies: the
 * two names are equal unless the file was renamed or copied, and then the `rename`/`copy`
 * and `---`/`+++` headers that follow are authoritative.
 */
function parseGitHeaderNames(rest: string): [string, string] | null {
  if (rest.startsWith('"')) {
    const first = parseQuoted(rest, 0);
    if (first === null || rest[first.end] !== ' ') return null;
    const second = parsePathToken(rest.slice(first.end + 1));
    if (second === null) return null;
    return [stripPrefix(first.value, 'a/'), stripPrefix(second, 'b/')];
  }
  const quotedSecond = rest.indexOf(' "');
  if (quotedSecond !== -1 && rest.endsWith('"')) {
    const second = parseQuoted(rest, quotedSecond + 1);
    if (second !== null && second.end === rest.length) {
      return [stripPrefix(rest.slice(0, quotedSecond), 'a/'), stripPrefix(second.value, 'b/')];
    }
  }
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    if (rest[half] === ' ') {
      const a = stripPrefix(rest.slice(0, half), 'a/');
      const b = stripPrefix(rest.slice(half + 1), 'b/');
      if (a === b) return [a, b];
    }
  }
  const split = rest.indexOf(' b/');
  if (split !== -1) return [stripPrefix(rest.slice(0, split), 'a/'), rest.slice(split + 3)];
  return null;
}

/** The name on a `---`/`+++` line: quoted, or up to the first tab (git adds one after names with spaces; GNU diff a timestamp). */
function parseMinusPlus(rest: string, prefix: string): PathRef | null {
  const body = stripCr(rest);
  let name: string | null;
  if (body.startsWith('"')) {
    const quoted = parseQuoted(body, 0);
    name = quoted === null ? null : quoted.value;
  } else {
    const tab = body.indexOf('\t');
    name = tab === -1 ? body : body.slice(0, tab);
  }
  if (name === null || name === '') return null;
  if (name === '/dev/null') return { path: null };
  return { path: stripPrefix(name, prefix) };
}

/** A single name that runs to the end of the line, quoted or not. */
function parsePathToken(text: string): string | null {
  const body = stripCr(text);
  if (body.startsWith('"')) {
    const quoted = parseQuoted(body, 0);
    return quoted === null || quoted.end !== body.length ? null : quoted.value;
  }
  return body === '' ? null : body;
}

function stripPrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

const utf8Encoder = new TextEncoder();
const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Reads a C-style quoted name as git writes it (`"caf\303\251.txt"`): octal escapes are
 * raw bytes, decoded as UTF-8 (invalid bytes become U+FFFD). Returns null when malformed.
 */
function parseQuoted(text: string, start: number): { value: string; end: number } | null {
  if (text[start] !== '"') return null;
  const bytes: number[] = [];
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { value: decodeUtf8(Uint8Array.from(bytes)), end: i + 1 };
    if (c !== '\\') {
      const code = text.codePointAt(i)!;
      if (code < 0x80) bytes.push(code);
      else for (const b of utf8Encoder.encode(String.fromCodePoint(code))) bytes.push(b);
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1];
    if (e === undefined) return null;
    if (e >= '0' && e <= '3') {
      const octal = text.slice(i + 1, i + 4);
      if (octal.length !== 3 || !isOctal(octal)) return null;
      bytes.push(parseInt(octal, 8));
      i += 4;
      continue;
    }
    const byte = ESCAPES[e];
    if (byte === undefined) return null;
    bytes.push(byte);
    i += 2;
  }
  return null;
}

function isOctal(s: string): boolean {
  for (const c of s) if (c < '0' || c > '7') return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Lines

const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
const CR = 0x0d;

function isHunkBodyStart(code: number): boolean {
  return code === PLUS || code === MINUS || code === SPACE;
}

/**
 * The lines of a diff as offsets into the text: hunk bodies are most of a diff and only
 * their first character matters, so no string is made for them.
 */
class DiffLines {
  /** starts[i] is where line i begins; ends[i] where its "\n" (or the text) ends. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(private readonly source: string) {
    let start = 0;
    while (start < source.length) {
      const newline = source.indexOf('\n', start);
      const end = newline === -1 ? source.length : newline;
      this.starts.push(start);
      this.ends.push(end);
      start = end + 1;
    }
  }

  get count(): number {
    return this.starts.length;
  }

  /** Char code of the first character; -1 for an empty line or past the end. */
  code(i: number): number {
    const start = this.starts[i];
    return start === undefined || start === this.ends[i] ? -1 : this.source.charCodeAt(start);
  }

  /** "" or a lone "\r". */
  isBlank(i: number): boolean {
    const start = this.starts[i]!;
    const length = this.ends[i]! - start;
    return length === 0 || (length === 1 && this.source.charCodeAt(start) === CR);
  }

  startsWith(i: number, prefix: string): boolean {
    const start = this.starts[i];
    return start !== undefined && start + prefix.length <= this.ends[i]! && this.source.startsWith(prefix, start);
  }

  /** The line as it stands (a trailing "\r" kept). */
  text(i: number): string {
    return this.source.slice(this.starts[i], this.ends[i]);
  }

  /** The line without a trailing "\r", for reading headers of CRLF patches. */
  header(i: number): string {
    return stripCr(this.text(i));
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** A diff line shown inside a one-line message: cut short, control and non-ASCII characters escaped. */
export function quoteForMessage(text: string, max = 60): string {
  const cut = text.length > max ? text.slice(0, max) : text;
  let out = '"';
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    if (code === 0x22 || code === 0x5c) out += '\\' + cut[i];
    else if (code >= 0x20 && code < 0x7f) out += cut[i];
    else out += '\\u' + code.toString(16).padStart(4, '0');
  }
  return out + (text.length > max ? '…"' : '"');
}
