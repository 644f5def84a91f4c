// Part of `npm run build`: parses and validates rules/*.yml once, so that
// every run starts without parsing YAML or re-checking AST rules (see src/io/rule-cache.ts).
import { readRuleSources } from '../dist/io/rules-dir.js';
import { writeRuleCache } from '../dist/io/rule-cache.js';

try {
  await writeRuleCache(await readRuleSources());
} catch (err) {
  process.stderr.write(`airlock build: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
