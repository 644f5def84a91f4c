import { describe, expect, it } from 'vitest';
import { billionLaughs } from '../../../helpers/yaml-bomb.js';
import { blankTemplateActions, kubernetesAnalyzer, valuesGatedLines } from '../../../../src/core/analyzers/infrastructure/kubernetes.js';
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

describe('Helm templates', () => {
  it('reports what a values flag turns on at low confidence', () => {
    const code = `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ .Release.Name }}
spec:
  template:
    spec:
      {{- if .Values.hostNetwork }}
      hostNetwork: true
      {{- end }}
      hostPID: true
      containers:
        - name: a
          image: a
`;
    const hits = runAnalyzer(kubernetesAnalyzer, { path: 'charts/a/templates/ds.yaml', code });
    expect(hits.map((h) => [h.line, h.confidence ?? 'rule'])).toEqual([
      [9, 'low'],
      [11, 'rule'],
    ]);
  });

  it('knows which lines a values flag gates', () => {
    const text = '{{- if .Values.a }}\nx: 1\n{{- if eq .Release.Name "b" }}\ny: 2\n{{- end }}\n{{- end }}\nz: 3\n';
    expect([...valuesGatedLines(text)]).toEqual([2, 3, 4, 5, 6]);
  });

  it('keeps a wildcard within one custom API group quiet', () => {
    const code = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: m\nrules:\n  - apiGroups: ["custom.metrics.k8s.io"]\n    resources: ["*"]\n    verbs: ["*"]\n';
    expect(runAnalyzer(kubernetesAnalyzer, { path: 'k8s/r.yaml', code })).toEqual([]);
  });

  it('keeps CA certificate mounts from /etc quiet', () => {
    const code = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers: [{name: a, image: a}]\n  volumes:\n    - name: certs\n      hostPath: {path: /etc/ssl/certs}\n';
    expect(runAnalyzer(kubernetesAnalyzer, { path: 'k8s/p.yaml', code })).toEqual([]);
  });
});

describe('hostile YAML', () => {
  it('reads an alias bomb within a bound, and still judges what it can', () => {
    const code = billionLaughs('apiVersion: v1\nkind: Pod\nspec:\n  hostPID: true\n  containers: [{name: a, image: a}]\n');
    const started = Date.now();
    const hits = runAnalyzer(kubernetesAnalyzer, { path: 'k8s/bomb.yaml', code });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(hits.map((h) => h.ruleId)).toEqual(['iac.k8s-host-namespace']);
  });

  it('refuses brackets nested too deep without throwing', () => {
    const code = `apiVersion: v1\nkind: Pod\nspec: ${'['.repeat(5000)}\n`;
    expect(runAnalyzer(kubernetesAnalyzer, { path: 'k8s/deep.yaml', code })).toEqual([]);
  });
});
