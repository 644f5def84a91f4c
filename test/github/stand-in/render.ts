// GitHub's JSON representations of stand-in state. Every field GitHub's OpenAPI
// description marks required is present, so the server's own responses validate.
import { createHash } from 'node:crypto';
import type {
  AppInfo,
  CheckRunRecord,
  ContentEntry,
  IssueCommentRecord,
  LabelRecord,
  PermissionLevel,
  PullCommit,
  PullFile,
  PullRecord,
  RepoState,
  ReviewCommentRecord,
  ReviewRecord,
  StandInState,
  UserRecord,
} from './state.js';

export interface Urls {
  /** REST root, e.g. http://127.0.0.1:PORT/api/v3 */
  api: string;
  /** Web root, e.g. http://127.0.0.1:PORT */
  web: string;
}

type Json = Record<string, unknown>;

const APP_PERMISSIONS = { checks: 'write', contents: 'read', issues: 'write', metadata: 'read', pull_requests: 'write' };
const APP_EVENTS = ['check_run', 'check_suite', 'issue_comment', 'merge_group', 'pull_request'];
export const FIXED_DATE = '2024-01-01T00:00:00Z';

function enc(value: string): string {
  return encodeURIComponent(value);
}

function encPath(path: string): string {
  return path.split('/').map(enc).join('/');
}

function repoApi(repo: RepoState, urls: Urls): string {
  return `${urls.api}/repos/${enc(repo.owner.login)}/${enc(repo.name)}`;
}

function repoWeb(repo: RepoState, urls: Urls): string {
  return `${urls.web}/${enc(repo.owner.login)}/${enc(repo.name)}`;
}

export function simpleUser(user: UserRecord, urls: Urls): Json {
  const api = `${urls.api}/users/${enc(user.login)}`;
  return {
    login: user.login,
    id: user.id,
    node_id: user.nodeId,
    avatar_url: `${urls.web}/avatars/u/${user.id}`,
    gravatar_id: '',
    url: api,
    html_url: `${urls.web}/${enc(user.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function integration(state: StandInState, urls: Urls): Json {
  const app: AppInfo = state.app;
  const owner = state.user({ login: app.owner, type: 'Organization' });
  return {
    id: app.id,
    slug: app.slug,
    node_id: state.nodeIdFor('A', app.id),
    client_id: app.clientId,
    owner: simpleUser(owner, urls),
    name: app.name,
    description: null,
    external_url: urls.web,
    html_url: `${urls.web}/apps/${enc(app.slug)}`,
    created_at: FIXED_DATE,
    updated_at: FIXED_DATE,
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
  };
}

/** Another GitHub App (one whose check runs a test seeded). */
function otherIntegration(state: StandInState, appId: number, urls: Urls): Json {
  const slug = `app-${appId}`;
  return {
    ...integration(state, urls),
    id: appId,
    slug,
    node_id: state.nodeIdFor('A', appId),
    client_id: `Iv1.${String(appId).padStart(16, '0')}`,
    name: `App ${appId}`,
    html_url: `${urls.web}/apps/${slug}`,
  };
}

export function installation(state: StandInState, repo: RepoState | undefined, installationId: number, urls: Urls): Json {
  const account = repo?.owner ?? state.user({ login: state.app.owner, type: 'Organization' });
  return {
    id: installationId,
    client_id: state.app.clientId,
    account: simpleUser(account, urls),
    repository_selection: 'all',
    access_tokens_url: `${urls.api}/app/installations/${installationId}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.web}/settings/installations/${installationId}`,
    app_id: state.app.id,
    app_slug: state.app.slug,
    target_id: account.id,
    target_type: account.type,
    permissions: APP_PERMISSIONS,
    events: APP_EVENTS,
    created_at: FIXED_DATE,
    updated_at: FIXED_DATE,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

/** A superset of the `repository` and `full-repository` schemas. */
export function repository(repo: RepoState, urls: Urls): Json {
  const r = repoApi(repo, urls);
  const web = repoWeb(repo, urls);
  const host = new URL(urls.web).host;
  const openIssues = [...repo.pulls.values()].filter((p) => p.state === 'open').length;
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: repo.fullName,
    owner: simpleUser(repo.owner, urls),
    private: repo.private,
    html_url: web,
    description: repo.description,
    fork: repo.fork,
    url: r,
    archive_url: `${r}/{archive_format}{/ref}`,
    assignees_url: `${r}/assignees{/user}`,
    blobs_url: `${r}/git/blobs{/sha}`,
    branches_url: `${r}/branches{/branch}`,
    collaborators_url: `${r}/collaborators{/collaborator}`,
    comments_url: `${r}/comments{/number}`,
    commits_url: `${r}/commits{/sha}`,
    compare_url: `${r}/compare/{base}...{head}`,
    contents_url: `${r}/contents/{+path}`,
    contributors_url: `${r}/contributors`,
    deployments_url: `${r}/deployments`,
    downloads_url: `${r}/downloads`,
    events_url: `${r}/events`,
    forks_url: `${r}/forks`,
    git_commits_url: `${r}/git/commits{/sha}`,
    git_refs_url: `${r}/git/refs{/sha}`,
    git_tags_url: `${r}/git/tags{/sha}`,
    git_url: `git://${host}/${repo.fullName}.git`,
    issue_comment_url: `${r}/issues/comments{/number}`,
    issue_events_url: `${r}/issues/events{/number}`,
    issues_url: `${r}/issues{/number}`,
    keys_url: `${r}/keys{/key_id}`,
    labels_url: `${r}/labels{/name}`,
    languages_url: `${r}/languages`,
    merges_url: `${r}/merges`,
    milestones_url: `${r}/milestones{/number}`,
    notifications_url: `${r}/notifications{?since,all,participating}`,
    pulls_url: `${r}/pulls{/number}`,
    releases_url: `${r}/releases{/id}`,
    ssh_url: `git@${host}:${repo.fullName}.git`,
    stargazers_url: `${r}/stargazers`,
    statuses_url: `${r}/statuses/{sha}`,
    subscribers_url: `${r}/subscribers`,
    subscription_url: `${r}/subscription`,
    tags_url: `${r}/tags`,
    teams_url: `${r}/teams`,
    trees_url: `${r}/git/trees{/sha}`,
    clone_url: `${web}.git`,
    mirror_url: null,
    hooks_url: `${r}/hooks`,
    svn_url: web,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: openIssues,
    open_issues: openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.createdAt,
    created_at: repo.createdAt,
    updated_at: repo.createdAt,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
  };
}

export function label(repo: RepoState, record: LabelRecord, urls: Urls): Json {
  return {
    id: record.id,
    node_id: record.nodeId,
    url: `${repoApi(repo, urls)}/labels/${enc(record.name)}`,
    name: record.name,
    description: record.description,
    color: record.color,
    default: record.default,
  };
}

function branchJson(repo: RepoState, ref: string, sha: string, urls: Urls): Json {
  return {
    label: `${repo.owner.login}:${ref}`,
    ref,
    sha,
    user: simpleUser(repo.owner, urls),
    repo: repository(repo, urls),
  };
}

/** `simple`: the list form (`pull-request-simple`), whose label descriptions are documented as non-null strings. */
export function pullRequest(repo: RepoState, pull: PullRecord, urls: Urls, simple = false): Json {
  const r = repoApi(repo, urls);
  const web = repoWeb(repo, urls);
  const self = `${r}/pulls/${pull.number}`;
  const link = (href: string): Json => ({ href });
  const closed = pull.state === 'closed' ? pull.updatedAt : null;
  return {
    url: self,
    id: pull.id,
    node_id: pull.nodeId,
    html_url: `${web}/pull/${pull.number}`,
    diff_url: `${web}/pull/${pull.number}.diff`,
    patch_url: `${web}/pull/${pull.number}.patch`,
    issue_url: `${r}/issues/${pull.number}`,
    commits_url: `${self}/commits`,
    review_comments_url: `${self}/comments`,
    review_comment_url: `${r}/pulls/comments{/number}`,
    comments_url: `${r}/issues/${pull.number}/comments`,
    statuses_url: `${r}/statuses/${pull.head.sha}`,
    number: pull.number,
    state: pull.state,
    locked: pull.locked,
    title: pull.title,
    user: simpleUser(pull.user, urls),
    body: pull.body,
    labels: repo.labelsOf(pull.number).map((l) => (simple ? { ...label(repo, l, urls), description: l.description ?? '' } : label(repo, l, urls))),
    milestone: null,
    active_lock_reason: null,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: closed,
    merged_at: pull.merged ? closed : null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branchJson(pull.head.repo, pull.head.ref, pull.head.sha, urls),
    base: branchJson(repo, pull.base.ref, pull.base.sha, urls),
    _links: {
      self: link(self),
      html: link(`${web}/pull/${pull.number}`),
      issue: link(`${r}/issues/${pull.number}`),
      comments: link(`${r}/issues/${pull.number}/comments`),
      review_comments: link(`${self}/comments`),
      review_comment: link(`${r}/pulls/comments{/number}`),
      commits: link(`${self}/commits`),
      statuses: link(`${r}/statuses/${pull.head.sha}`),
    },
    author_association: pull.authorAssociation,
    auto_merge: null,
    draft: pull.draft,
    merged: pull.merged,
    mergeable: pull.state === 'open' ? true : null,
    rebaseable: pull.state === 'open' ? true : null,
    mergeable_state: pull.state === 'open' ? 'clean' : 'unknown',
    merged_by: null,
    comments: repo.issueComments.filter((c) => c.issueNumber === pull.number).length,
    review_comments: repo.reviewComments.filter((c) => c.pullNumber === pull.number).length,
    maintainer_can_modify: false,
    commits: pull.commits.length,
    additions: pull.files.reduce((sum, f) => sum + f.additions, 0),
    deletions: pull.files.reduce((sum, f) => sum + f.deletions, 0),
    changed_files: pull.files.length,
  };
}

export function pullFile(repo: RepoState, pull: PullRecord, file: PullFile, urls: Urls): Json {
  const r = repoApi(repo, urls);
  const headRepo = pull.head.repo;
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.changes,
    blob_url: `${repoWeb(headRepo, urls)}/blob/${pull.head.sha}/${encPath(file.filename)}`,
    raw_url: `${repoWeb(headRepo, urls)}/raw/${pull.head.sha}/${encPath(file.filename)}`,
    contents_url: `${r}/contents/${encPath(file.filename)}?ref=${pull.head.sha}`,
    ...(file.patch !== undefined ? { patch: file.patch } : {}),
    ...(file.previousFilename !== undefined ? { previous_filename: file.previousFilename } : {}),
  };
}

export function pullCommit(repo: RepoState, commit: PullCommit, state: StandInState, urls: Urls): Json {
  const r = repoApi(repo, urls);
  const person = (login: string | null): Json | null => (login ? simpleUser(state.user(login), urls) : null);
  return {
    url: `${r}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: state.nodeIdFor('C', Number.parseInt(commit.sha.slice(0, 8), 16)),
    html_url: `${repoWeb(repo, urls)}/commit/${commit.sha}`,
    comments_url: `${r}/commits/${commit.sha}/comments`,
    commit: {
      url: `${r}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.treeSha, url: `${r}/git/trees/${commit.treeSha}` },
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    author: person(commit.authorLogin),
    committer: person(commit.committerLogin),
    parents: commit.parents.map((sha) => ({ sha, url: `${r}/commits/${sha}`, html_url: `${repoWeb(repo, urls)}/commit/${sha}` })),
  };
}

export function checkRun(repo: RepoState, run: CheckRunRecord, state: StandInState, urls: Urls): Json {
  const r = repoApi(repo, urls);
  const repoRef = (target: RepoState): Json => ({ id: target.id, url: repoApi(target, urls), name: target.name });
  // GitHub lists only pull requests whose head is in this repository (never fork PRs).
  const pulls = [...repo.pulls.values()].filter((p) => p.head.sha === run.headSha && p.head.repo === repo && p.state === 'open');
  return {
    id: run.id,
    node_id: run.nodeId,
    head_sha: run.headSha,
    external_id: run.externalId ?? '',
    url: `${r}/check-runs/${run.id}`,
    html_url: `${repoWeb(repo, urls)}/runs/${run.id}`,
    details_url: run.detailsUrl ?? urls.web,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.annotations.length,
      annotations_url: `${r}/check-runs/${run.id}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: run.appId === state.app.id ? integration(state, urls) : otherIntegration(state, run.appId, urls),
    pull_requests: pulls.map((p) => ({
      url: `${r}/pulls/${p.number}`,
      id: p.id,
      number: p.number,
      head: { ref: p.head.ref, sha: p.head.sha, repo: repoRef(p.head.repo) },
      base: { ref: p.base.ref, sha: p.base.sha, repo: repoRef(repo) },
    })),
  };
}

export function checkAnnotation(repo: RepoState, run: CheckRunRecord, index: number, urls: Urls): Json {
  const a = run.annotations[index];
  if (!a) return {};
  return {
    path: a.path,
    blob_href: `${repoWeb(repo, urls)}/blob/${run.headSha}/${encPath(a.path)}`,
    start_line: a.start_line,
    end_line: a.end_line,
    start_column: a.start_column ?? null,
    end_column: a.end_column ?? null,
    annotation_level: a.annotation_level,
    title: a.title ?? null,
    message: a.message,
    raw_details: a.raw_details ?? null,
  };
}

export function review(repo: RepoState, record: ReviewRecord, urls: Urls): Json {
  const pullUrl = `${repoApi(repo, urls)}/pulls/${record.pullNumber}`;
  const html = `${repoWeb(repo, urls)}/pull/${record.pullNumber}#pullrequestreview-${record.id}`;
  return {
    id: record.id,
    node_id: record.nodeId,
    user: simpleUser(record.user, urls),
    body: record.body,
    state: record.state,
    html_url: html,
    pull_request_url: pullUrl,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    ...(record.submittedAt ? { submitted_at: record.submittedAt } : {}),
    commit_id: record.commitId,
    author_association: record.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
  };
}

export function reviewComment(repo: RepoState, c: ReviewCommentRecord, urls: Urls): Json {
  const r = repoApi(repo, urls);
  const self = `${r}/pulls/comments/${c.id}`;
  const html = `${repoWeb(repo, urls)}/pull/${c.pullNumber}#discussion_r${c.id}`;
  const pullUrl = `${r}/pulls/${c.pullNumber}`;
  return {
    url: self,
    pull_request_review_id: c.reviewId,
    id: c.id,
    node_id: c.nodeId,
    diff_hunk: c.diffHunk,
    path: c.path,
    ...(c.position !== null ? { position: c.position, original_position: c.position } : {}),
    commit_id: c.commitId,
    original_commit_id: c.commitId,
    ...(c.inReplyToId !== null ? { in_reply_to_id: c.inReplyToId } : {}),
    user: simpleUser(c.user, urls),
    body: c.body,
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    _links: { self: { href: self }, html: { href: html }, pull_request: { href: pullUrl } },
    start_line: c.startLine,
    original_start_line: c.startLine,
    start_side: c.startSide,
    ...(c.line !== null ? { line: c.line, original_line: c.line } : {}),
    ...(c.side !== null ? { side: c.side } : {}),
    subject_type: c.subjectType,
  };
}

export function issueComment(repo: RepoState, c: IssueCommentRecord, state: StandInState, urls: Urls): Json {
  const r = repoApi(repo, urls);
  const kind = repo.pulls.has(c.issueNumber) ? 'pull' : 'issues';
  const bot = c.user.login === state.botUser().login;
  return {
    id: c.id,
    node_id: c.nodeId,
    url: `${r}/issues/comments/${c.id}`,
    html_url: `${repoWeb(repo, urls)}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    body: c.body,
    user: simpleUser(c.user, urls),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    issue_url: `${r}/issues/${c.issueNumber}`,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    performed_via_github_app: bot ? integration(state, urls) : null,
  };
}

function wrapBase64(bytes: Buffer): string {
  // GitHub wraps base64 content at 60 characters per line, ending with a newline.
  const encoded = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 60) lines.push(encoded.slice(i, i + 60));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function contentItem(
  repo: RepoState,
  ref: string,
  item: { name: string; path: string; type: 'file' | 'dir'; entry?: ContentEntry },
  urls: Urls,
  withContent: boolean,
): Json {
  const r = repoApi(repo, urls);
  const sha = item.entry?.sha ?? createHash('sha1').update(`tree ${ref}:${item.path}`).digest('hex');
  const self = `${r}/contents/${encPath(item.path)}?ref=${enc(ref)}`;
  const git = item.type === 'file' ? `${r}/git/blobs/${sha}` : `${r}/git/trees/${sha}`;
  const html = `${repoWeb(repo, urls)}/${item.type === 'file' ? 'blob' : 'tree'}/${enc(ref)}/${encPath(item.path)}`;
  return {
    type: item.type,
    size: item.entry?.bytes.length ?? 0,
    name: item.name,
    path: item.path,
    sha,
    url: self,
    git_url: git,
    html_url: html,
    download_url: item.type === 'file' ? `${urls.web}/raw/${repo.fullName}/${enc(ref)}/${encPath(item.path)}` : null,
    // As GitHub does: past 1 MB the contents API leaves the content out (the git blobs API has it).
    ...(withContent && item.entry
      ? item.entry.bytes.length > CONTENTS_API_MAX_BYTES
        ? { content: '', encoding: 'none' }
        : { content: wrapBase64(item.entry.bytes), encoding: 'base64' }
      : {}),
    _links: { self, git, html },
  };
}

/** The largest file GitHub's contents API returns with its content. */
const CONTENTS_API_MAX_BYTES = 1024 * 1024;

export function blob(repo: RepoState, sha: string, bytes: Buffer, urls: Urls): Json {
  return {
    sha,
    node_id: repo.world.nodeIdFor('B', Number.parseInt(sha.slice(0, 8), 16)),
    size: bytes.length,
    url: `${repoApi(repo, urls)}/git/blobs/${sha}`,
    content: wrapBase64(bytes),
    encoding: 'base64',
  };
}

const LEGACY_PERMISSION: Record<PermissionLevel, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

export function collaboratorPermission(user: UserRecord, level: PermissionLevel, urls: Urls): Json {
  const at = (required: PermissionLevel[]): boolean => required.includes(level);
  return {
    permission: LEGACY_PERMISSION[level],
    role_name: level === 'none' ? 'none' : level,
    user: {
      ...simpleUser(user, urls),
      permissions: {
        admin: at(['admin']),
        maintain: at(['admin', 'maintain']),
        push: at(['admin', 'maintain', 'write']),
        triage: at(['admin', 'maintain', 'write', 'triage']),
        pull: at(['admin', 'maintain', 'write', 'triage', 'read']),
      },
      role_name: level === 'none' ? 'none' : level,
    },
  };
}
