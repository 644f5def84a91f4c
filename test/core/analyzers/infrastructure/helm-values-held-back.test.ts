// Held-back: written with the variants before the values-file check, never used to tune it.
import { describe, expect, it } from 'vitest';
import { kubernetesAnalyzer } from '../../../../src/core/analyzers/infrastructure/kubernetes.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const ids = (path: string, code: string) => runAnalyzer(kubernetesAnalyzer, { path, code }).map((f) => f.ruleId);

describe('held-back: Helm values defaults', () => {
  it('catches SYS_ADMIN added in a component securityContext', () => {
    expect(ids('charts/agent/values.yaml', 'agent:\n  securityContext:\n    capabilities:\n      add: ["SYS_ADMIN"]\n')).toEqual(['iac.k8s-capabilities']);
  });
  it('catches hostPID under a daemonset block', () => {
    expect(ids('helm/values.yaml', 'daemonset:\n  enabled: true\n  hostPID: true\n')).toEqual(['iac.k8s-host-namespace']);
  });
  it('stays quiet on a feature flag named privileged outside any securityContext', () => {
    expect(ids('config/values.yaml', 'features:\n  privileged: true\n')).toEqual([]);
  });
});
