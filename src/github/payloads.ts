// The shape of every webhook payload a handler reads: the fields it uses, no more. The
// webhook guard checks a payload against its event's schema before Probot sees it, so a
// correctly signed but malformed payload is refused with 400 and one log line instead of
// failing inside a handler; handlers read their payload through the same schemas, so what
// they read is what was checked. Unknown fields are kept (GitHub adds fields over time).
import { z } from 'zod';

const sha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'expected a commit sha');
const positiveId = z.number().int().positive();
const user = z.looseObject({ login: z.string(), type: z.string().optional() }).nullable();

/** What every event the app handles carries: where it happened and which installation to act as. */
const envelope = {
  repository: z.looseObject({ name: z.string().min(1), owner: z.looseObject({ login: z.string().min(1) }) }),
  installation: z.looseObject({ id: positiveId }),
};

const pullSummaries = z.array(z.looseObject({ number: positiveId }));

export const pullRequestPayload = z.looseObject({
  ...envelope,
  action: z.string(),
  pull_request: z.looseObject({
    number: positiveId,
    title: z.string(),
    body: z.string().nullable(),
    state: z.string(),
    user,
    labels: z.array(z.looseObject({ name: z.string().optional() })),
    head: z.looseObject({ sha, ref: z.string(), repo: z.looseObject({ full_name: z.string() }).nullable() }),
    base: z.looseObject({ sha, ref: z.string() }),
    changed_files: z.number().int().nonnegative().optional(),
  }),
});

export const checkRunPayload = z.looseObject({
  ...envelope,
  check_run: z.looseObject({
    name: z.string(),
    head_sha: sha,
    pull_requests: pullSummaries,
    check_suite: z.looseObject({ head_branch: z.string().nullable() }).nullish(),
  }),
});

export const checkSuitePayload = z.looseObject({
  ...envelope,
  check_suite: z.looseObject({ head_sha: sha, head_branch: z.string().nullable(), pull_requests: pullSummaries }),
});

export const issueCommentPayload = z.looseObject({
  ...envelope,
  action: z.string(),
  issue: z.looseObject({ number: positiveId, user, pull_request: z.looseObject({}).nullish() }),
  comment: z.looseObject({ id: positiveId, body: z.string(), user }),
  changes: z.looseObject({ body: z.looseObject({ from: z.string() }).optional() }).optional(),
  // Who did it: on an edit, the text is the sender's, not the comment author's.
  sender: z.looseObject({ login: z.string().min(1), type: z.string().optional() }),
});

export const reviewCommentPayload = z.looseObject({
  ...envelope,
  action: z.string(),
  pull_request: z.looseObject({ number: positiveId, user }),
  comment: z.looseObject({ id: positiveId, body: z.string(), user, in_reply_to_id: positiveId.optional() }),
  changes: z.looseObject({ body: z.looseObject({ from: z.string() }).optional() }).optional(),
  sender: z.looseObject({ login: z.string().min(1), type: z.string().optional() }),
});

export const mergeGroupPayload = z.looseObject({
  ...envelope,
  merge_group: z.looseObject({ head_sha: sha, head_ref: z.string() }),
});

/** Per event the app handles, the schema its payloads must meet (whatever the action: GitHub's payloads of one event share these fields). */
const SCHEMAS: Record<string, z.ZodType> = {
  pull_request: pullRequestPayload,
  check_run: checkRunPayload,
  check_suite: checkSuitePayload,
  issue_comment: issueCommentPayload,
  pull_request_review_comment: reviewCommentPayload,
  merge_group: mergeGroupPayload,
};

/**
 * Why a parsed webhook body cannot be handled, in one line, or null when it can. Events
 * the app does not handle only need to be JSON objects: Probot ignores them.
 */
export function payloadProblem(event: string, payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'the payload is not a JSON object';
  const schema = Object.hasOwn(SCHEMAS, event) ? SCHEMAS[event] : undefined;
  const parsed = schema?.safeParse(payload);
  if (!parsed || parsed.success) return null;
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
}
