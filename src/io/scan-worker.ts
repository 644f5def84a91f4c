import { parentPort, workerData } from 'node:worker_threads';
import { ANALYZERS } from '../core/analyzers/index.js';
import { buildCatalog, configureCatalog, type RuleSource } from '../core/rules/catalog.js';
import { scanChangeSet } from '../core/scan/engine.js';
import type { ShardReply, ShardRequest } from './parallel-scan.js';
import { loadScanData } from './scan-data.js';

// One shard of a parallel scan (see parallel-scan.ts): rules and data load as soon as the
// thread starts, then the single request it receives is scanned with the same engine.
const { sources } = workerData as { sources: RuleSource[] };
const ready = Promise.all([Promise.resolve().then(() => buildCatalog(sources, [...ANALYZERS])), loadScanData()]);

parentPort!.once('message', (request: ShardRequest) => {
  void (async (): Promise<ShardReply> => {
    try {
      const [catalog, data] = await ready;
      const result = await scanChangeSet(
        { base: 'base', head: 'head', files: request.files, loadHead: async (path) => request.contents[path] ?? null },
        {
          catalog: configureCatalog(catalog, request.overrides),
          data,
          limits: { maxFileBytes: request.limits.maxFileBytes, timeBudgetMs: Math.max(0, request.limits.deadline - Date.now()) },
          ignorePaths: request.ignorePaths,
        },
      );
      return { ok: true, result };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  })().then((reply) => parentPort!.postMessage(reply));
});
