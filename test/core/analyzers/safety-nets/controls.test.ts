import { describe, expect, it } from 'vitest';
import { controlsAnalyzer } from '../../../../src/core/analyzers/safety-nets/controls.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

describeAnalyzerRules(controlsAnalyzer);

const found = (path: string, code: string, base?: string) =>
  runAnalyzer(controlsAnalyzer, { path, code, ...(base !== undefined ? { base } : {}) }).map((f) => [f.ruleId, f.line]);

describe('security controls against the base', () => {
  it('reports a removed decorator where it stood, though the change adds no line there', () => {
    const base = '@app.route("/admin")\n@login_required\ndef admin():\n    return render()\n';
    const head = '@app.route("/admin")\ndef admin():\n    return render()\n';
    expect(found('app/views.py', head, base)).toEqual([['auth.protection-removed', 2]]);
  });

  it('stays quiet when the guard only moves or is renamed in the added lines', () => {
    const base = "app.get('/a', requireAuth, a);\napp.get('/b', b);\n";
    expect(found('src/app.js', "app.get('/b', b);\napp.get('/a', requireAuth, a2);\n", base)).toEqual([]);
  });

  it('leaves tests and fixtures alone', () => {
    expect(found('tests/test_views.py', 'if os.getenv("DISABLE_AUTH"):\n    pass\n')).toEqual([]);
  });
});

describe('what the base costs', () => {
  it('is asked for only when the change takes lines away from a code file', () => {
    const file = (status: 'added' | 'modified' | 'renamed', deletedLineCount: number, path = 'app/views.py') => ({
      path,
      oldPath: null,
      status,
      addedLines: [1],
      deletedLineCount,
      removedAfter: deletedLineCount > 0 ? [0] : [],
      binary: false,
      oldMode: null,
      newMode: null,
      size: 1,
      unavailable: null,
    });
    expect(controlsAnalyzer.wantsBase!(file('modified', 1))).toBe(true);
    expect(controlsAnalyzer.wantsBase!(file('renamed', 0))).toBe(true);
    expect(controlsAnalyzer.wantsBase!(file('modified', 0))).toBe(false);
    expect(controlsAnalyzer.wantsBase!(file('added', 0))).toBe(false);
    expect(controlsAnalyzer.wantsBase!(file('modified', 1, 'README.md'))).toBe(false);
  });
});
