// pull_request: opened, reopened, synchronize (a push), labeled/unlabeled (the AI label
// may come later or go), ready_for_review, edited (title, body or base). Each schedules a
// review of the pull request's head; runs with unchanged inputs end early.
import type { Context } from 'probot';
import { pullRequestPayload } from '../payloads.js';
import { prepare, scheduleReview, type AppDeps } from './context.js';

export const PULL_REQUEST_EVENTS = [
  'pull_request.opened',
  'pull_request.reopened',
  'pull_request.synchronize',
  'pull_request.labeled',
  'pull_request.unlabeled',
  'pull_request.ready_for_review',
  'pull_request.edited',
] as const;

export function handlePullRequest(context: Context<'pull_request'>, deps: AppDeps): void {
  if (!deps.queue.firstDelivery(context.id)) return;
  const octokit = prepare(context.octokit, deps);
  const { pull_request: pr } = pullRequestPayload.parse(context.payload);
  scheduleReview(deps, octokit, context.repo(), pr, `pull_request.${context.payload.action} at ${pr.head.sha.slice(0, 7)}`, false, context.id);
}
