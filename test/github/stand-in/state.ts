// In-memory state of the GitHub stand-in: repositories, pull requests and what the
// app writes back (check runs, reviews, comments, labels). Tests seed it with the
// helpers below and read it to assert what the app did.
import { createHash, randomBytes } from 'node:crypto';
import { countChanges, makePatch, type DiffSide } from './patch.js';

export type PermissionLevel = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
export type OwnerType = 'User' | 'Organization';
export type UserType = 'User' | 'Bot' | 'Organization';
export type FileStatus = 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
export type AuthorAssociation =
  | 'COLLABORATOR'
  | 'CONTRIBUTOR'
  | 'FIRST_TIMER'
  | 'FIRST_TIME_CONTRIBUTOR'
  | 'MANNEQUIN'
  | 'MEMBER'
  | 'NONE'
  | 'OWNER';

export interface UserRecord {
  login: string;
  id: number;
  nodeId: string;
  type: UserType;
}

/** A login, or a login with its account type (logins ending in `[bot]` default to Bot). */
export type UserInput = string | { login: string; type?: UserType };

export interface PullFileInput {
  filename: string;
  status?: FileStatus;
  /** Omit (or null) to simulate a file whose diff GitHub does not send (too large or binary). */
  patch?: string | null;
  additions?: number;
  deletions?: number;
  changes?: number;
  previousFilename?: string;
  sha?: string | null;
  /** Text at the head commit; stored as content, and used to derive `sha` and `patch` when they are omitted. */
  content?: string;
  /** Text at the base commit; stored as content, and used to derive `patch` when it is omitted. */
  baseContent?: string;
}

export interface PullFile {
  filename: string;
  status: FileStatus;
  additions: number;
  deletions: number;
  changes: number;
  patch?: string;
  previousFilename?: string;
  sha: string | null;
}

export interface CommitPerson {
  name: string;
  email: string;
  date: string;
}

export interface PullCommitInput {
  sha?: string;
  message: string;
  author?: Partial<CommitPerson>;
  committer?: Partial<CommitPerson>;
  /** GitHub account linked to the author email; null when the email matches no account. */
  authorLogin?: string | null;
  committerLogin?: string | null;
  parents?: string[];
}

export interface PullCommit {
  sha: string;
  treeSha: string;
  message: string;
  author: CommitPerson;
  committer: CommitPerson;
  authorLogin: string | null;
  committerLogin: string | null;
  parents: string[];
}

export interface PullRequestInput {
  number?: number;
  title?: string;
  body?: string | null;
  state?: 'open' | 'closed';
  draft?: boolean;
  merged?: boolean;
  locked?: boolean;
  user?: UserInput;
  labels?: string[];
  authorAssociation?: AuthorAssociation;
  /** `repo` is "owner/name" of the head repository; a different repository makes a fork PR. */
  head?: { sha?: string; ref?: string; repo?: string };
  base?: { sha?: string; ref?: string };
  files?: PullFileInput[];
  commits?: PullCommitInput[];
}

export interface PullRecord {
  number: number;
  id: number;
  nodeId: string;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  locked: boolean;
  user: UserRecord;
  authorAssociation: AuthorAssociation;
  head: { sha: string; ref: string; repo: RepoState };
  base: { sha: string; ref: string };
  files: PullFile[];
  commits: PullCommit[];
  createdAt: string;
  updatedAt: string;
}

export interface AnnotationRecord {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunRecord {
  id: number;
  nodeId: string;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationRecord[];
  actions: { label: string; description: string; identifier: string }[];
  checkSuiteId: number;
  /** The GitHub App that created the run (the stand-in's own app for runs created over REST). */
  appId: number;
  /** Every create/update request body, in order: lets tests see how the app batched its writes. */
  history: unknown[];
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';

export interface ReviewRecord {
  id: number;
  nodeId: string;
  pullNumber: number;
  user: UserRecord;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewCommentRecord {
  id: number;
  nodeId: string;
  pullNumber: number;
  reviewId: number | null;
  user: UserRecord;
  body: string;
  path: string;
  subjectType: 'line' | 'file';
  line: number | null;
  side: DiffSide | null;
  startLine: number | null;
  startSide: DiffSide | null;
  position: number | null;
  diffHunk: string;
  commitId: string;
  inReplyToId: number | null;
  createdAt: string;
  updatedAt: string;
  isMinimized: boolean;
  minimizedReason: string | null;
  /** As for issue comments: who edited last, when, and every version once edited. */
  editor?: UserRecord | null;
  lastEditedAt?: string | null;
  edits?: { editor: UserRecord; editedAt: string; body: string }[];
}

export interface ThreadRecord {
  id: number;
  nodeId: string;
  pullNumber: number;
  rootCommentId: number;
  isResolved: boolean;
  resolvedBy: UserRecord | null;
}

export interface IssueCommentRecord {
  id: number;
  nodeId: string;
  issueNumber: number;
  user: UserRecord;
  body: string;
  createdAt: string;
  updatedAt: string;
  isMinimized: boolean;
  minimizedReason: string | null;
  /** Who made the last edit and when (GraphQL `editor`, `lastEditedAt`); null until edited. */
  editor: UserRecord | null;
  lastEditedAt: string | null;
  /** Every version of the body, oldest first, as GraphQL `userContentEdits` lists them once the comment is edited. */
  edits: { editor: UserRecord; editedAt: string; body: string }[];
}

export interface LabelRecord {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface ContentEntry {
  bytes: Buffer;
  sha: string;
}

export interface RepoInput {
  owner: string;
  name: string;
  ownerType?: OwnerType;
  defaultBranch?: string;
  fork?: boolean;
  private?: boolean;
  description?: string | null;
  /** "owner/name" of the repository this one was forked from. */
  parent?: string;
  installationId?: number;
}

export interface AppInfo {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  owner: string;
  installationId: number;
}

export type NodeEntry =
  | { kind: 'PullRequest'; repo: RepoState; record: PullRecord }
  | { kind: 'PullRequestReviewThread'; repo: RepoState; record: ThreadRecord }
  | { kind: 'PullRequestReviewComment'; repo: RepoState; record: ReviewCommentRecord }
  | { kind: 'PullRequestReview'; repo: RepoState; record: ReviewRecord }
  | { kind: 'IssueComment'; repo: RepoState; record: IssueCommentRecord }
  | { kind: 'Repository'; repo: RepoState; record: RepoState };

/** How far the stand-in's clock runs ahead of the real one (see `StandInState.advanceClock`). */
let clockOffsetMs = 0;

export function timestamp(date = new Date(Date.now() + clockOffsetMs)): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

const PERMISSION_ORDER: PermissionLevel[] = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];

export function permissionAtLeast(level: PermissionLevel, required: PermissionLevel): boolean {
  return PERMISSION_ORDER.indexOf(level) >= PERMISSION_ORDER.indexOf(required);
}

export class RepoState {
  readonly id: number;
  readonly nodeId: string;
  readonly owner: UserRecord;
  readonly name: string;
  readonly defaultBranch: string;
  readonly fork: boolean;
  readonly private: boolean;
  readonly description: string | null;
  readonly parent: RepoState | undefined;
  readonly installationId: number;
  readonly createdAt: string;
  readonly pulls = new Map<number, PullRecord>();
  /** Branch name → commit sha. */
  readonly refs = new Map<string, string>();
  /** Tag name → what `refs/tags/<name>` points to: a commit, or an annotated tag object (with the commit it tags). */
  readonly tags = new Map<string, { sha: string; annotated: { tagSha: string; message: string } | null }>();
  /** Commit (or ref, when seeded by name) → path → file. */
  readonly contents = new Map<string, Map<string, ContentEntry>>();
  readonly blobs = new Map<string, Buffer>();
  readonly checkRuns: CheckRunRecord[] = [];
  /** `<app id>:<head sha>` → check suite id: one suite per app and commit. */
  readonly checkSuites = new Map<string, number>();
  readonly reviews: ReviewRecord[] = [];
  readonly reviewComments: ReviewCommentRecord[] = [];
  readonly threads: ThreadRecord[] = [];
  readonly issueComments: IssueCommentRecord[] = [];
  /** Issue or pull request number → label names, in the order they were added. */
  readonly issueLabels = new Map<number, string[]>();
  readonly labels = new Map<string, LabelRecord>();
  readonly permissions = new Map<string, PermissionLevel>();
  private nextNumber = 1;

  constructor(
    readonly world: StandInState,
    input: RepoInput,
  ) {
    this.id = world.nextId();
    this.nodeId = world.nodeIdFor('R', this.id);
    this.owner = world.user({ login: input.owner, type: input.ownerType ?? 'User' });
    this.name = input.name;
    this.defaultBranch = input.defaultBranch ?? 'main';
    this.parent = input.parent ? world.requireRepo(input.parent) : undefined;
    this.fork = input.fork ?? this.parent !== undefined;
    this.private = input.private ?? false;
    this.description = input.description ?? null;
    this.installationId = input.installationId ?? world.app.installationId;
    this.createdAt = timestamp();
    world.registerNode(this.nodeId, { kind: 'Repository', repo: this, record: this });
  }

  get fullName(): string {
    return `${this.owner.login}/${this.name}`;
  }

  /** Points a branch at a commit, as a push would. */
  setRef(branch: string, sha: string): void {
    this.refs.set(branch, sha);
  }

  /** Creates a tag of a commit, lightweight or annotated (then `refs/tags/<name>` points at a tag object). Returns the commit sha. */
  setTag(name: string, sha: string = this.world.newSha(), options: { annotated?: boolean } = {}): string {
    this.tags.set(name, { sha, annotated: options.annotated ? { tagSha: this.world.newSha(), message: `Release ${name}` } : null });
    return sha;
  }

  /** A commit sha for a branch name or sha; unknown names are returned unchanged. */
  resolveRef(ref: string): string {
    const bare = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
    return this.refs.get(bare) ?? bare;
  }

  /** Stores a file at a ref (branch name or commit sha); null removes it. */
  setContent(ref: string, path: string, text: string | Buffer | null): ContentEntry | undefined {
    const key = this.resolveRef(ref);
    let files = this.contents.get(key);
    if (!files) {
      files = new Map();
      this.contents.set(key, files);
    }
    const clean = path.replace(/^\/+/, '');
    if (text === null) {
      files.delete(clean);
      return undefined;
    }
    const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
    const entry = { bytes, sha: gitBlobSha(bytes) };
    files.set(clean, entry);
    this.blobs.set(entry.sha, bytes);
    return entry;
  }

  private contentMaps(ref: string | undefined): Map<string, ContentEntry>[] {
    const wanted = ref ?? this.defaultBranch;
    const keys = new Set([this.resolveRef(wanted), wanted]);
    for (const [branch, sha] of this.refs) {
      if (sha === wanted) keys.add(branch);
    }
    return [...keys].flatMap((key) => {
      const files = this.contents.get(key);
      return files ? [files] : [];
    });
  }

  /** A file at a ref (default branch when omitted). */
  getContent(ref: string | undefined, path: string): ContentEntry | undefined {
    const clean = path.replace(/^\/+|\/+$/g, '');
    for (const files of this.contentMaps(ref)) {
      const entry = files.get(clean);
      if (entry) return entry;
    }
    return undefined;
  }

  /** Direct children of a directory at a ref: files and subdirectories. */
  listDirectory(ref: string | undefined, path: string): { name: string; path: string; type: 'file' | 'dir'; entry?: ContentEntry }[] {
    const prefix = path.replace(/^\/+|\/+$/g, '');
    const seen = new Map<string, { name: string; path: string; type: 'file' | 'dir'; entry?: ContentEntry }>();
    for (const files of this.contentMaps(ref)) {
      for (const [filePath, entry] of files) {
        if (prefix !== '' && !filePath.startsWith(`${prefix}/`)) continue;
        const rest = prefix === '' ? filePath : filePath.slice(prefix.length + 1);
        const [name, ...deeper] = rest.split('/');
        if (!name || seen.has(name)) continue;
        const childPath = prefix === '' ? name : `${prefix}/${name}`;
        seen.set(name, deeper.length > 0 ? { name, path: childPath, type: 'dir' } : { name, path: childPath, type: 'file', entry });
      }
    }
    return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  setPermission(user: string, level: PermissionLevel): void {
    this.permissions.set(user.toLowerCase(), level);
  }

  permissionOf(user: string): PermissionLevel {
    if (user.toLowerCase() === this.owner.login.toLowerCase() && this.owner.type === 'User') return 'admin';
    return this.permissions.get(user.toLowerCase()) ?? 'none';
  }

  /** Seeds a pull request; files and commits are stored as given (content also lands at the head/base commits). */
  addPullRequest(input: PullRequestInput = {}): PullRecord {
    const number = input.number ?? this.nextNumber;
    if (this.pulls.has(number) || this.issueLabels.has(number)) throw new Error(`#${number} already exists in ${this.fullName}`);
    this.nextNumber = Math.max(this.nextNumber, number + 1);
    const headRepo = input.head?.repo ? this.world.requireRepo(input.head.repo) : this;
    const headRef = input.head?.ref ?? `feature-${number}`;
    const baseRef = input.base?.ref ?? this.defaultBranch;
    const headSha = input.head?.sha ?? this.world.newSha();
    const baseSha = input.base?.sha ?? this.refs.get(baseRef) ?? this.world.newSha();
    headRepo.setRef(headRef, headSha);
    if (!this.refs.has(baseRef)) this.setRef(baseRef, baseSha);
    const user = this.world.user(input.user ?? 'octocat');
    const created = timestamp();
    const commits = (input.commits ?? [{ message: input.title ?? 'Change' }]).map((c, i, all) =>
      this.world.makeCommit(c, i === all.length - 1 ? headSha : undefined),
    );
    const pull: PullRecord = {
      number,
      id: this.world.nextId(),
      nodeId: '',
      title: input.title ?? `Pull request #${number}`,
      body: input.body === undefined ? '' : input.body,
      state: input.state ?? 'open',
      draft: input.draft ?? false,
      merged: input.merged ?? false,
      locked: input.locked ?? false,
      user,
      authorAssociation: input.authorAssociation ?? (headRepo === this ? 'CONTRIBUTOR' : 'NONE'),
      head: { sha: headSha, ref: headRef, repo: headRepo },
      base: { sha: baseSha, ref: baseRef },
      files: (input.files ?? []).map((f) => this.storeFile(f, headRepo, headSha, baseSha)),
      commits,
      createdAt: created,
      updatedAt: created,
    };
    pull.nodeId = this.world.nodeIdFor('PR', pull.id);
    this.pulls.set(number, pull);
    this.issueLabels.set(number, []);
    for (const label of input.labels ?? []) this.addLabel(number, label);
    this.world.registerNode(pull.nodeId, { kind: 'PullRequest', repo: this, record: pull });
    return pull;
  }

  private storeFile(input: PullFileInput, headRepo: RepoState, headSha: string, baseSha: string): PullFile {
    const status = input.status ?? (input.baseContent === undefined && input.content !== undefined ? 'added' : 'modified');
    let sha = input.sha;
    if (input.content !== undefined) {
      const entry = headRepo.setContent(headSha, input.filename, input.content);
      sha ??= entry?.sha ?? null;
    }
    if (input.baseContent !== undefined) this.setContent(baseSha, input.previousFilename ?? input.filename, input.baseContent);
    let patch = input.patch ?? undefined;
    if (input.patch === undefined && (input.content !== undefined || input.baseContent !== undefined)) {
      patch = makePatch(input.baseContent ?? '', status === 'removed' ? '' : (input.content ?? ''));
    }
    const counted = patch !== undefined ? countChanges(patch) : { additions: 0, deletions: 0 };
    const additions = input.additions ?? counted.additions;
    const deletions = input.deletions ?? counted.deletions;
    return {
      filename: input.filename,
      status,
      additions,
      deletions,
      changes: input.changes ?? additions + deletions,
      ...(patch !== undefined ? { patch } : {}),
      ...(input.previousFilename !== undefined ? { previousFilename: input.previousFilename } : {}),
      sha: sha === undefined ? (status === 'removed' ? null : this.world.newSha()) : sha,
    };
  }

  /** Moves a pull request's head to a new commit (as a push to its branch would), optionally replacing its files. */
  pushToPullRequest(number: number, update: { sha?: string; files?: PullFileInput[]; commits?: PullCommitInput[] } = {}): PullRecord {
    const pull = this.requirePull(number);
    const sha = update.sha ?? this.world.newSha();
    pull.head.sha = sha;
    pull.head.repo.setRef(pull.head.ref, sha);
    if (update.files) pull.files = update.files.map((f) => this.storeFile(f, pull.head.repo, sha, pull.base.sha));
    const added = (update.commits ?? [{ message: 'Update' }]).map((c, i, all) =>
      this.world.makeCommit(c, i === all.length - 1 ? sha : undefined),
    );
    pull.commits = [...pull.commits, ...added];
    pull.updatedAt = timestamp();
    return pull;
  }

  requirePull(number: number): PullRecord {
    const pull = this.pulls.get(number);
    if (!pull) throw new Error(`no pull request #${number} in ${this.fullName}`);
    return pull;
  }

  /** Adds a label to an issue or pull request, creating the repository label when missing. */
  addLabel(number: number, name: string): LabelRecord {
    const label = this.ensureLabel(name);
    const current = this.issueLabels.get(number) ?? [];
    if (!current.some((n) => n.toLowerCase() === name.toLowerCase())) current.push(label.name);
    this.issueLabels.set(number, current);
    return label;
  }

  ensureLabel(name: string, color = 'ededed', description: string | null = null): LabelRecord {
    const existing = this.labels.get(name.toLowerCase());
    if (existing) return existing;
    const id = this.world.nextId();
    const label = { id, nodeId: this.world.nodeIdFor('LA', id), name, color, description, default: false };
    this.labels.set(name.toLowerCase(), label);
    return label;
  }

  labelsOf(number: number): LabelRecord[] {
    return (this.issueLabels.get(number) ?? []).map((n) => this.ensureLabel(n));
  }

  /** Seeds an issue comment written by someone else (e.g. a human reply or another bot). */
  addIssueComment(number: number, body: string, user: UserInput): IssueCommentRecord {
    const id = this.world.nextId();
    const now = timestamp();
    const comment: IssueCommentRecord = {
      id,
      nodeId: this.world.nodeIdFor('IC', id),
      issueNumber: number,
      user: this.world.user(user),
      body,
      createdAt: now,
      updatedAt: now,
      isMinimized: false,
      minimizedReason: null,
      editor: null,
      lastEditedAt: null,
      edits: [],
    };
    this.issueComments.push(comment);
    this.world.registerNode(comment.nodeId, { kind: 'IssueComment', repo: this, record: comment });
    return comment;
  }

  /**
   * Replaces an issue comment's body as `editor` would in the web UI. Anyone with write access
   * may edit anyone's comment; the comment keeps its author and records the editor.
   */
  editIssueComment(id: number, body: string, editor: UserInput): IssueCommentRecord {
    const comment = this.issueComments.find((c) => c.id === id);
    if (!comment) throw new Error(`no issue comment ${id} in ${this.fullName}`);
    const who = this.world.user(editor);
    const now = timestamp();
    // GitHub's edit history starts with the created version once a comment is first edited.
    if (comment.edits.length === 0) comment.edits.push({ editor: comment.user, editedAt: comment.createdAt, body: comment.body });
    comment.edits.push({ editor: who, editedAt: now, body });
    comment.body = body;
    comment.updatedAt = now;
    comment.editor = who;
    comment.lastEditedAt = now;
    return comment;
  }

  /** A person's reply in the review thread of `parentId`, as the pull request page writes it (a review of its own). */
  addReviewReply(parentId: number, body: string, user: UserInput): ReviewCommentRecord {
    const parent = this.reviewComments.find((c) => c.id === parentId);
    if (!parent) throw new Error(`no review comment ${parentId} in ${this.fullName}`);
    const who = this.world.user(user);
    const pull = this.pulls.get(parent.pullNumber)!;
    const review = this.recordReview({ pullNumber: parent.pullNumber, user: who, body: '', state: 'COMMENTED', commitId: pull.head.sha, submittedAt: timestamp() });
    const { id: _id, nodeId: _node, createdAt: _c, updatedAt: _u, isMinimized: _m, minimizedReason: _r, editor: _e, lastEditedAt: _l, edits: _h, ...shape } = parent;
    return this.recordReviewComment({ ...shape, reviewId: review.id, user: who, body, inReplyToId: parent.inReplyToId ?? parent.id });
  }

  /** Edits a review comment as `editor`, keeping the history GraphQL shows. */
  editReviewComment(id: number, body: string, editor: UserInput): ReviewCommentRecord {
    const comment = this.reviewComments.find((c) => c.id === id);
    if (!comment) throw new Error(`no review comment ${id} in ${this.fullName}`);
    const who = this.world.user(editor);
    const now = timestamp();
    comment.edits ??= [];
    if (comment.edits.length === 0) comment.edits.push({ editor: comment.user, editedAt: comment.createdAt, body: comment.body });
    comment.edits.push({ editor: who, editedAt: now, body });
    comment.body = body;
    comment.updatedAt = now;
    comment.editor = who;
    comment.lastEditedAt = now;
    return comment;
  }

  /** Stores a review comment; a comment without `inReplyToId` opens a new thread. */
  recordReviewComment(
    fields: Omit<ReviewCommentRecord, 'id' | 'nodeId' | 'createdAt' | 'updatedAt' | 'isMinimized' | 'minimizedReason'>,
  ): ReviewCommentRecord {
    const id = this.world.nextId();
    const now = timestamp();
    const comment: ReviewCommentRecord = {
      ...fields,
      id,
      nodeId: this.world.nodeIdFor('PRRC', id),
      createdAt: now,
      updatedAt: now,
      isMinimized: false,
      minimizedReason: null,
    };
    this.reviewComments.push(comment);
    this.world.registerNode(comment.nodeId, { kind: 'PullRequestReviewComment', repo: this, record: comment });
    if (comment.inReplyToId === null) {
      const threadId = this.world.nextId();
      const thread: ThreadRecord = {
        id: threadId,
        nodeId: this.world.nodeIdFor('PRRT', threadId),
        pullNumber: comment.pullNumber,
        rootCommentId: comment.id,
        isResolved: false,
        resolvedBy: null,
      };
      this.threads.push(thread);
      this.world.registerNode(thread.nodeId, { kind: 'PullRequestReviewThread', repo: this, record: thread });
    }
    return comment;
  }

  recordReview(fields: Omit<ReviewRecord, 'id' | 'nodeId'>): ReviewRecord {
    const id = this.world.nextId();
    const review: ReviewRecord = { ...fields, id, nodeId: this.world.nodeIdFor('PRR', id) };
    this.reviews.push(review);
    this.world.registerNode(review.nodeId, { kind: 'PullRequestReview', repo: this, record: review });
    return review;
  }

  threadOf(comment: ReviewCommentRecord): ThreadRecord | undefined {
    const rootId = comment.inReplyToId ?? comment.id;
    return this.threads.find((t) => t.rootCommentId === rootId);
  }

  threadComments(thread: ThreadRecord): ReviewCommentRecord[] {
    return this.reviewComments.filter((c) => c.id === thread.rootCommentId || c.inReplyToId === thread.rootCommentId);
  }

  checkSuiteFor(headSha: string, appId: number): number {
    const key = `${appId}:${headSha}`;
    let id = this.checkSuites.get(key);
    if (id === undefined) {
      id = this.world.nextId();
      this.checkSuites.set(key, id);
    }
    return id;
  }

  /**
   * Seeds a check run another app wrote (a CI system's, say); the stand-in's own app writes
   * its runs over REST. Listed over REST and GraphQL like the app's own, under `appId`.
   */
  addCheckRun(input: { headSha: string; name: string; appId: number; status?: CheckRunRecord['status']; conclusion?: string | null; externalId?: string | null; title?: string | null }): CheckRunRecord {
    if (input.appId === this.world.app.id) throw new Error('the app writes its own check runs over REST');
    const id = this.world.nextId();
    const status = input.status ?? 'completed';
    const now = timestamp();
    const run: CheckRunRecord = {
      id,
      nodeId: this.world.nodeIdFor('CR', id),
      name: input.name,
      headSha: input.headSha,
      status,
      conclusion: status === 'completed' ? (input.conclusion ?? 'success') : null,
      startedAt: now,
      completedAt: status === 'completed' ? now : null,
      detailsUrl: null,
      externalId: input.externalId ?? null,
      output: { title: input.title ?? null, summary: null, text: null },
      annotations: [],
      actions: [],
      checkSuiteId: this.checkSuiteFor(input.headSha, input.appId),
      appId: input.appId,
      history: [],
    };
    this.checkRuns.push(run);
    return run;
  }

  /** Check runs on a commit (or on the commit a branch points at). */
  checkRunsFor(ref: string): CheckRunRecord[] {
    const sha = this.resolveRef(ref);
    return this.checkRuns.filter((run) => run.headSha === sha);
  }
}

export class StandInState {
  readonly app: AppInfo;
  readonly repos = new Map<string, RepoState>();
  readonly users = new Map<string, UserRecord>();
  /** Installation tokens; `repositories` (lower-case names) when the token was narrowed to some repositories. */
  readonly tokens = new Map<string, { installationId: number; expiresAt: number; repositories?: Set<string> }>();
  readonly nodes = new Map<string, NodeEntry>();
  /** GraphQL `Blob.text` is cut (and `isTruncated` set) past this many bytes. */
  graphqlBlobTextLimit = 512 * 1024;
  /** Blob ids or `<rev>:<path>` expressions whose GraphQL `object` answers an error (partial data). */
  readonly failingGraphqlObjects = new Set<string>();
  private idCounter = 1000;
  private shaCounter = 0;

  constructor(app: Partial<AppInfo> = {}) {
    // A new stand-in starts on the real clock.
    clockOffsetMs = 0;
    this.app = {
      id: app.id ?? 1,
      slug: app.slug ?? 'airlock',
      name: app.name ?? 'Airlock',
      clientId: app.clientId ?? 'Iv1.0000000000000001',
      owner: app.owner ?? 'airlock-org',
      installationId: app.installationId ?? 1,
    };
  }

  nextId(): number {
    this.idCounter += 1;
    return this.idCounter;
  }

  /** Deterministic 40-hex commit shas, so test runs are reproducible. */
  newSha(): string {
    this.shaCounter += 1;
    return createHash('sha1').update(`stand-in commit ${this.shaCounter}`).digest('hex');
  }

  nodeIdFor(prefix: string, id: number): string {
    return `${prefix}_kwDO${Buffer.from(`${prefix}:${id}`).toString('base64url')}`;
  }

  registerNode(nodeId: string, entry: NodeEntry): void {
    this.nodes.set(nodeId, entry);
  }

  /**
   * Moves the clock of every timestamp the stand-in writes (comments, check runs, reviews)
   * forward, so a test can say "a minute later" without waiting; GitHub's timestamps have
   * one-second resolution.
   */
  advanceClock(ms: number): void {
    clockOffsetMs += ms;
  }

  /** The account behind the app's installation token, as GitHub names it. */
  botUser(): UserRecord {
    return this.user({ login: `${this.app.slug}[bot]`, type: 'Bot' });
  }

  user(input: UserInput): UserRecord {
    const login = typeof input === 'string' ? input : input.login;
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const type = (typeof input === 'string' ? undefined : input.type) ?? (login.endsWith('[bot]') ? 'Bot' : 'User');
    const id = this.nextId();
    const prefix = type === 'Bot' ? 'BOT' : type === 'Organization' ? 'O' : 'U';
    const user = { login, id, nodeId: this.nodeIdFor(prefix, id), type };
    this.users.set(login.toLowerCase(), user);
    return user;
  }

  addRepo(input: RepoInput): RepoState {
    const key = `${input.owner}/${input.name}`.toLowerCase();
    if (this.repos.has(key)) throw new Error(`repository ${input.owner}/${input.name} already exists`);
    const repo = new RepoState(this, input);
    this.repos.set(key, repo);
    return repo;
  }

  repo(owner: string, name: string): RepoState | undefined {
    return this.repos.get(`${owner}/${name}`.toLowerCase());
  }

  /** A repository by "owner/name"; a missing one is created (as a fork target, typically). */
  requireRepo(fullName: string): RepoState {
    const [owner, name] = fullName.split('/');
    if (!owner || !name) throw new Error(`expected "owner/name", got "${fullName}"`);
    return this.repo(owner, name) ?? this.addRepo({ owner, name });
  }

  makeCommit(input: PullCommitInput, sha?: string): PullCommit {
    const now = timestamp();
    const author = {
      name: input.author?.name ?? 'Octo Cat',
      email: input.author?.email ?? 'octocat@users.noreply.github.com',
      date: input.author?.date ?? now,
    };
    const committer = {
      name: input.committer?.name ?? author.name,
      email: input.committer?.email ?? author.email,
      date: input.committer?.date ?? author.date,
    };
    return {
      sha: input.sha ?? sha ?? this.newSha(),
      treeSha: this.newSha(),
      message: input.message,
      author,
      committer,
      authorLogin: input.authorLogin === undefined ? null : input.authorLogin,
      committerLogin: input.committerLogin === undefined ? (input.authorLogin ?? null) : input.committerLogin,
      parents: input.parents ?? [],
    };
  }

  issueToken(installationId: number, ttlMs: number): { token: string; expiresAt: number } {
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = Date.now() + ttlMs;
    this.tokens.set(token, { installationId, expiresAt });
    return { token, expiresAt };
  }

  /** Makes every installation token issued so far expire, to exercise token refresh. */
  expireTokens(): void {
    for (const info of this.tokens.values()) info.expiresAt = 0;
  }
}
