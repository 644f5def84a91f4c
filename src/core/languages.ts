import type { Language } from './rules/schema.js';

const BY_EXTENSION: Record<string, Language> = {
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  jsx: 'javascript',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  tsx: 'tsx',
  py: 'python',
  pyw: 'python',
  go: 'go',
  java: 'java',
  rb: 'ruby',
  php: 'php',
  sh: 'bash',
  bash: 'bash',
  zsh: 'bash',
  yml: 'yaml',
  yaml: 'yaml',
};

/** The usual file extension of each language (the inverse of BY_EXTENSION's first choices). */
export const EXTENSION_OF: Readonly<Record<Language, string>> = {
  javascript: 'js',
  typescript: 'ts',
  tsx: 'tsx',
  python: 'py',
  go: 'go',
  java: 'java',
  ruby: 'rb',
  php: 'php',
  bash: 'sh',
  yaml: 'yml',
};

const SHEBANG = /^#!\s*(?:\/usr\/bin\/env\s+(?:-S\s+)?)?(?:\S*\/)?(bash|sh|zsh|dash|python[0-9.]*|node|ruby|php)\b/;

/** A file name's extension, lowercased and without the dot; '' for none (and for dotfiles such as `.envrc`). */
export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Language of a file from its name, or from a shebang on its first line. */
export function languageOf(path: string, firstLine?: string): Language | null {
  const extension = extensionOf(path);
  // Own keys only: a file named `x.constructor` or `x.toString` must not find Object's prototype.
  if (extension !== '' && Object.hasOwn(BY_EXTENSION, extension)) return BY_EXTENSION[extension]!;
  if (firstLine) {
    const m = SHEBANG.exec(firstLine);
    if (m) {
      const interp = m[1]!;
      if (interp.startsWith('python')) return 'python';
      if (interp === 'node') return 'javascript';
      if (interp === 'ruby') return 'ruby';
      if (interp === 'php') return 'php';
      return 'bash';
    }
  }
  return null;
}
