import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { PullRequestFacts } from '../core/model.js';
import { UsageError } from './errors.js';

// The subset of a `pull_request` webhook payload that authorship detection uses.
const payloadSchema = z.object({
  pull_request: z.object({
    title: z.string(),
    body: z.string().nullable(),
    user: z.object({ login: z.string(), type: z.string().optional() }).nullable(),
    labels: z.array(z.object({ name: z.string() })).default([]),
    head: z.object({ ref: z.string() }),
  }),
  repository: z.object({ full_name: z.string() }).optional(),
});

export type PrEventFacts = Omit<PullRequestFacts, 'commits'> & { repository: string | null };

/** Reads `--pr-event FILE`. Errors name the file and the field. */
export async function readPrEvent(file: string): Promise<PrEventFacts> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`--pr-event ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`--pr-event ${file}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--pr-event ${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message} (expected a pull_request webhook payload)`);
  }
  const pr = parsed.data.pull_request;
  return {
    author: pr.user?.login ?? null,
    authorType: pr.user?.type ?? null,
    labels: pr.labels.map((l) => l.name),
    title: pr.title,
    body: pr.body ?? '',
    headBranch: pr.head.ref,
    repository: parsed.data.repository?.full_name ?? null,
  };
}
