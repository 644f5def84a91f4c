import { findInFiles, type SgNode } from '@ast-grep/napi';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hitsOf, type AstTextSearch } from '../core/scan/ast-batch.js';
import { astLang } from '../core/scan/ast-languages.js';
import { EXTENSION_OF } from '../core/languages.js';
import { makeScratchDir } from './scratch.js';

// ast-grep's only multi-file search reads files from disk; it parses them on its own threads
// and compiles the rule once. Texts are written under numeric names in a private temporary
// directory and passed one by one, so the walker's ignore and hidden-file rules never apply.
// ast-grep silently skips a file it cannot read as UTF-8; these are written from JS strings,
// which always encode to valid UTF-8 (a lone surrogate becomes U+FFFD, one code unit, so line
// and column positions are unchanged).

/** How long to wait for callbacks still queued when the search has returned. */
const CALLBACK_GRACE_MS = 10_000;

export const searchAstFiles: AstTextSearch = async (language, combined, texts, onText, lines) => {
  const dir = makeScratchDir('airlock-ast-');
  try {
    const paths = texts.map((_, i) => join(dir, `${i}.${EXTENSION_OF[language]}`));
    const indexOf = new Map(paths.map((p, i) => [p, i]));
    // Small files land in the page cache: writing them in order costs less than a promise each.
    texts.forEach((text, i) => writeFileSync(paths[i]!, text));
    let reported = 0;
    let expected = Number.POSITIVE_INFINITY;
    let failure: Error | null = null;
    let allReported: () => void = () => {};
    const settled = new Promise<void>((resolve) => (allReported = resolve));
    expected = await findInFiles(astLang(language), { paths, matcher: combined.config }, (err: Error | null, nodes: SgNode[]) => {
      reported++;
      if (err) failure ??= err;
      else {
        const index = nodes.length > 0 ? indexOf.get(nodes[0]!.getRoot().filename()) : undefined;
        if (index !== undefined) onText(index, hitsOf(nodes, combined, lines?.[index]));
      }
      if (reported >= expected) allReported();
    });
    // The promise can resolve before the last callbacks have run on this thread.
    if (reported < expected) {
      // Bounded: a lost callback must not hang the scan; the caller then redoes the batch file by file.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, CALLBACK_GRACE_MS)));
      await Promise.race([settled, late]);
      clearTimeout(timer);
      if (reported < expected) throw new Error(`ast-grep reported ${reported} of ${expected} files`);
    }
    if (failure) throw failure;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
