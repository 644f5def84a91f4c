import { describe, expect, it } from 'vitest';
import { blankTemplateActions, kubernetesAnalyzer } from '../../../../src/core/analyzers/infrastructure/kubernetes.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

describeAnalyzerRules(kubernetesAnalyzer);

describe('kubernetes analyzer', () => {
  it('blanks Helm actions and keeps line numbers', () => {
    const text = 'a: {{ .Values.a }}\n{{- if .Values.b }}\nb: 1\n{{- end }}\n';
    expect(blankTemplateActions(text)).toBe('a: x\n\nb: 1\n\n');
  });

  it('judges every document of a multi-document file', () => {
    const code = `apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers: [{name: a, image: a}]
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  hostPID: true
  containers: [{name: b, image: b}]
`;
    expect(runAnalyzer(kubernetesAnalyzer, { path: 'k8s/pods.yaml', code }).map((f) => [f.ruleId, f.line])).toEqual([['iac.k8s-host-namespace', 11]]);
  });

  it('leaves YAML that is not a manifest alone', () => {
    expect(runAnalyzer(kubernetesAnalyzer, { path: '.github/dependabot.yml', code: 'version: 2\nupdates: []\n' })).toEqual([]);
  });
});
