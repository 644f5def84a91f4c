// A chart's values file sets the defaults its templates render: privileged: true there makes
// every install privileged without touching a template.
import { describe, expect, it } from 'vitest';
import { kubernetesAnalyzer } from '../../../../src/core/analyzers/infrastructure/kubernetes.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const found = (path: string, code: string) => runAnalyzer(kubernetesAnalyzer, { path, code }).map((f) => `${f.ruleId}@${f.line}:${f.confidence ?? ''}`);

describe('Helm values defaults', () => {
  it('reports privileged, privilege escalation and host namespaces set by default', () => {
    expect(found('charts/web/values.yaml', 'replicaCount: 1\nsecurityContext:\n  privileged: true\n')).toEqual(['iac.k8s-privileged@3:medium']);
    expect(found('deploy/chart/values.yaml', 'controller:\n  containerSecurityContext:\n    allowPrivilegeEscalation: true\n')).toEqual(['iac.k8s-privilege-escalation@3:medium']);
    expect(found('chart/values-prod.yaml', 'image:\n  tag: 1.2.3\nhostNetwork: true\n')).toEqual(['iac.k8s-host-namespace@3:medium']);
  });

  it('stays quiet on safe defaults', () => {
    expect(found('charts/web/values.yaml', 'securityContext:\n  privileged: false\n  runAsNonRoot: true\nhostNetwork: false\n')).toEqual([]);
  });
});

describe('Helm values defaults of components that are off', () => {
  it('are low confidence under enabled: false', () => {
    const code = 'volumePermissions:\n  enabled: false\n  containerSecurityContext:\n    runAsUser: 0\nmetrics:\n  enabled: true\n  securityContext:\n    privileged: true\n';
    expect(found('charts/db/values.yaml', code)).toEqual(['iac.k8s-privilege-escalation@4:low', 'iac.k8s-privileged@8:medium']);
  });
});
