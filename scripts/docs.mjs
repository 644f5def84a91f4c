// `npm run docs`: writes docs/rules/ (a page per shipped rule and the index) and
// docs/configuration.md from the rules and the configuration schema (after `npm run build`).
// `--check` writes nothing and exits 1 when the committed pages differ.
import { generatedDocs, docsDrift, writeDocs } from '../dist/io/docs-files.js';
import { PACKAGE_ROOT } from '../dist/io/package-root.js';

const check = process.argv.includes('--check');
const generated = await generatedDocs();
if (check) {
  const problems = await docsDrift(PACKAGE_ROOT, generated);
  for (const p of problems) process.stderr.write(`docs: ${p}\n`);
  if (problems.length > 0) process.stderr.write('docs: run `npm run docs` and commit the result\n');
  process.exitCode = problems.length > 0 ? 1 : 0;
} else {
  const changed = await writeDocs(PACKAGE_ROOT, generated);
  process.stdout.write(changed.length === 0 ? `docs: ${generated.size} files, all up to date\n` : `docs: wrote ${changed.length} of ${generated.size} files\n`);
}
