// A worker thread of the semantic pool (see semantic-pool.ts): it builds the rules of each
// catalog it is sent from their sources, answers one file at a time with the same code the scan
// runs in-process, and frees the file's syntax trees before it takes the next one.
import { parentPort, workerData } from 'node:worker_threads';
import { parseRuleSource, type RuleSource } from '../core/rules/catalog.js';
import { compileRule, type CompiledRule } from '../core/scan/compile.js';
import { answerSemanticRequest } from '../core/scan/semantic-run.js';
import { nativeMemoryReclaimer } from './native-memory.js';
import { shippedRuleSources } from './rules-dir.js';
import type { ToPool, ToWorker, WorkerSetup } from './semantic-pool.js';

const port = parentPort;
if (!port) throw new Error('semantic-worker.js runs as a worker thread of the semantic pool');
const setup = workerData as WorkerSetup;

/**
 * The call and taint rules of some sources, by id, compiled as the catalog compiles them; the
 * other rules (AST, regex, path) run on the scan's thread and are not compiled here.
 */
function semanticRules(sources: RuleSource[]): Map<string, CompiledRule> {
  const byId = new Map<string, CompiledRule>();
  for (const source of sources) {
    for (const [i, spec] of (source.parsed ?? parseRuleSource(source)).entries()) {
      if (!('call' in spec.match) && !('taint' in spec.match)) continue;
      const rule = compileRule(spec, source.name, { engineChecked: source.parsed !== undefined, required: source.required?.[i] ?? undefined });
      byId.set(rule.meta.id, rule);
    }
  }
  return byId;
}

let shipped: Promise<Map<string, CompiledRule>> | null = null;
/** Each catalog's own rule sources, built; or why they could not be (then its files are listed as not reviewed). */
const extra = new Map<number, Map<string, CompiledRule> | Error>();
// A smaller step than the main thread's: every worker holds its own trees, and its heap is small,
// so collecting is cheap (measured on the benchmark: 2 workers peak ~70 MB lower, same CPU time).
const reclaim = nativeMemoryReclaimer(16);

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'catalog':
      try {
        extra.set(message.catalog, semanticRules(message.sources));
      } catch (err) {
        extra.set(message.catalog, err instanceof Error ? err : new Error(String(err)));
      }
      return;
    case 'drop':
      extra.delete(message.catalog);
      return;
    case 'run': {
      let reply: ToPool;
      let built = false;
      try {
        const own = extra.get(message.catalog);
        if (!own) throw new Error(`internal: catalog ${message.catalog} was not sent to the worker`);
        if (own instanceof Error) throw own;
        const base = setup.shipped ? await (shipped ??= shippedRuleSources().then(semanticRules)) : new Map<string, CompiledRule>();
        const result = answerSemanticRequest((id) => own.get(id) ?? base.get(id), message.request);
        built = result.built;
        reply = { type: 'done', job: message.job, result };
      } catch (err) {
        reply = { type: 'failed', job: message.job, error: err instanceof Error ? err.message : String(err) };
      }
      port!.postMessage(reply);
      // The trees are freed before the next file, as on the scan's own thread.
      if (built) await reclaim(message.request.text.length);
      return;
    }
  }
}

// One message at a time, in order: a catalog is in place before the files that use it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => handle(message));
});
