// Part of `npm run build`: parses and validates rules/*.yml once, so that
// every run starts without parsing YAML or re-checking AST rules (see src/io/rule-cache.ts).
// It also refuses a shipped AST rule that no word pre-filter guards: such a rule makes every
// file of its languages be parsed and searched, whatever the change contains.
import { readRuleSources, loadShippedCatalog } from '../dist/io/rules-dir.js';
import { writeRuleCache } from '../dist/io/rule-cache.js';
import { unguardedAstRules } from '../dist/core/scan/compile.js';

try {
  await writeRuleCache(await readRuleSources());
  const unguarded = unguardedAstRules((await loadShippedCatalog()).rules);
  for (const rule of unguarded) {
    process.stderr.write(
      `airlock build: ${rule.source}: rule ${rule.meta.id}: match.ast names no word that every match contains, so it would run on every file; ` +
        'add a pattern word, a literal regex or a keyword kind, or mark it `every-file: true`\n',
    );
  }
  if (unguarded.length > 0) process.exitCode = 1;
} catch (err) {
  process.stderr.write(`airlock build: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
