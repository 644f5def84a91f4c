import { createRequire } from 'node:module';
import { Lang, registerDynamicLanguage } from '@ast-grep/napi';

type NapiLang = Parameters<typeof import('@ast-grep/napi').parse>[0];
import type { Language } from '../rules/schema.js';

// Non-JS grammars ship as prebuilt tree-sitter parsers in @ast-grep/lang-* packages.
// They are registered once, on first use, so importing the core stays cheap.
const require = createRequire(import.meta.url);
let registered = false;

function registerOnce(): void {
  if (registered) return;
  registerDynamicLanguage({
    python: require('@ast-grep/lang-python'),
    go: require('@ast-grep/lang-go'),
    java: require('@ast-grep/lang-java'),
    ruby: require('@ast-grep/lang-ruby'),
    php: require('@ast-grep/lang-php'),
    bash: require('@ast-grep/lang-bash'),
    yaml: require('@ast-grep/lang-yaml'),
  });
  registered = true;
}

/** The ast-grep language handle for one of our language ids. */
export function astLang(language: Language): NapiLang {
  switch (language) {
    case 'javascript':
      return Lang.JavaScript;
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
    default:
      registerOnce();
      return language;
  }
}
