import { hclEntry, readHcl, type HclValue } from '../../formats/hcl.js';
import type { Confidence } from '../../model.js';
import type { Analyzer, AnalyzerInput, AnalyzerRule, RawFinding } from '../../rules/types.js';
import { classifyScript } from '../build/command-effect.js';
import { TERRAFORM_FILE } from './files.js';
import { objectsWithin, readYamlDocuments } from './yaml-tree.js';

// cloud-init user data (`#cloud-config`) runs as root on a machine's first boot: an SSH key it
// installs, a script it downloads and runs, a user it gives passwordless sudo all outlive any
// review of the application. Read in cloud-config files and in heredocs of Terraform files
// (`user_data`, `custom_data`, `metadata`), wherever the change adds lines.

const RULES = {
  sshKey: 'iac.cloud-init-ssh-key',
  remoteCode: 'iac.cloud-init-remote-code',
  sudo: 'iac.cloud-init-passwordless-sudo',
} as const;

const SNIPPET_MAX = 160;
const CLOUD_CONFIG = /^\s*#cloud-config\b/;
/** User data that is a shell script: cloud-init (and GCE's startup-script runner) run it as root. */
const SHELL_SCRIPT = /^\s*#!\s*\S*?(?:\/|\benv\s+)(?:ba|z|da|k|a)?sh\b/;
const CLOUD_INIT_FILE = /\.(?:ya?ml|cfg|tpl|tftpl)$|(?:^|\/)user[-_]data$/i;

const SHELL = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\w+=\S*\s+)*)?(?:\/\S*\/)?(?:ba|z|da|k|a)?sh|python[23]?|perl|ruby|node`;
/** `curl … | sh`, `sh -c "$(curl …)"`, `bash <(wget …)`. */
const PIPE_TO_SHELL = new RegExp(
  String.raw`\b(?:curl|wget|fetch)\b[^|;&\n]*\|\s*(?:${SHELL})\b|\b(?:${SHELL})\s+(?:-\w+\s+)*["']?(?:\$\(|<\(|\x60)\s*(?:curl|wget)\b`,
  'i',
);
/** A download saved to a file (`-o /tmp/x.sh`, `-O x.sh`, `--output-document=x`): the file's name. */
const DOWNLOAD_TO = /\b(?:curl|wget)\b.*?(?:\s-o\s*|\s-O\s*|\s--output(?:-document)?[= ])\s*["']?([^\s"';&|]+)/i;
/** Running a file: `sh x.sh`, `bash /tmp/x`, `chmod +x x && ./x`, `python3 x.py`. */
const RUNS_FILE = /(?:^|[\s;&|("'])(?:(?:ba|z|da|k)?sh|python[23]?|perl|ruby|node|chmod\s+(?:\+x|[0-7]{3,4})|source|\.)\s+["']?([^\s"';&|]+)|(?:^|[;&|]\s*)(\.?\/[^\s"';&|]+)/gi;

const AUTHORIZED_KEYS = /\.ssh\/authorized_keys2?\b/;
const SSH_KEYS = new Set(['ssh_authorized_keys', 'ssh-authorized-keys']);

const cloudConfig = (body: string) => `#cloud-config\n${body}`;

const CLOUD_INIT_RULES: AnalyzerRule[] = [
  {
    meta: {
      id: RULES.sshKey,
      title: 'cloud-init installs an SSH key',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-284'],
      message: 'The user data adds an SSH public key to the machine: whoever holds the private key can log in to every instance booted from it.',
      fix: 'Manage SSH access outside user data (SSM Session Manager, OS Login, an access broker), or confirm the key belongs to the people who should have access.',
      references: ['https://cloudinit.readthedocs.io/en/latest/reference/modules.html#ssh', 'https://cwe.mitre.org/data/definitions/284.html'],
    },
    tests: {
      valid: [
        { path: 'cloud/user-data.yaml', code: cloudConfig('packages:\n  - nginx\n') },
        { path: 'config/keys.yaml', code: 'ssh_authorized_keys:\n  - ssh-ed25519 AAAAC3Nza dev\n' },
        { path: 'test/fixtures/user-data.yaml', code: cloudConfig('ssh_authorized_keys:\n  - ssh-ed25519 AAAAC3Nza dev\n') },
      ],
      invalid: [
        { path: 'cloud/user-data.yaml', code: cloudConfig('ssh_authorized_keys:\n  - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI ops@laptop\n'), lines: [3] },
        {
          path: 'cloud/init.yml',
          code: cloudConfig('users:\n  - default\n  - name: svc\n    ssh-authorized-keys:\n      - ssh-rsa AAAAB3NzaC1yc2E svc\n'),
          lines: [6],
        },
        {
          path: 'vm.tf',
          code: `resource "aws_instance" "a" {
  user_data = <<-EOF
    #cloud-config
    ssh_authorized_keys:
      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 x@y
  EOF
}
`,
          lines: [5],
        },
        {
          path: 'cloud/user-data.yaml',
          code: cloudConfig('write_files:\n  - path: /home/ubuntu/.ssh/authorized_keys\n    content: ssh-ed25519 AAAAC3Nza x@y\n    append: true\n'),
          lines: [3],
        },
        { path: 'cloud/user-data.yaml', code: cloudConfig("runcmd:\n  - echo 'ssh-rsa AAAAB3Nza x@y' >> /root/.ssh/authorized_keys\n"), lines: [3] },
      ],
    },
  },
  {
    meta: {
      id: RULES.remoteCode,
      title: 'cloud-init downloads and runs code',
      severity: 'high',
      confidence: 'medium',
      category: 'misconfiguration',
      cwe: ['CWE-494'],
      message: 'A runcmd/bootcmd step or a user-data shell script downloads code and runs it as root at boot, unpinned and unverified: whoever controls the URL controls the machine.',
      fix: 'Install from the distribution\'s packages or a pinned artifact whose checksum is verified before it runs.',
      references: ['https://cloudinit.readthedocs.io/en/latest/reference/modules.html#runcmd', 'https://cwe.mitre.org/data/definitions/494.html'],
    },
    tests: {
      valid: [
        { path: 'cloud/user-data.yaml', code: cloudConfig('runcmd:\n  - systemctl enable --now nginx\n  - curl -fsS https://example.com/health\n') },
        { path: 'cloud/user-data.yaml', code: cloudConfig('runcmd:\n  - curl -fsSL https://get.example.com | sh\n'), added: [1] },
        { path: 'web.tf', code: 'resource "aws_instance" "web" {\n  user_data = <<-EOF\n    #!/bin/bash\n    yum install -y nginx\n  EOF\n}\n' },
      ],
      invalid: [
        { path: 'cloud/user-data.yaml', code: cloudConfig('runcmd:\n  - curl -fsSL https://get.example.com | sh\n'), lines: [3] },
        { path: 'cloud/user-data.yaml', code: cloudConfig('runcmd:\n  - [sh, -c, "wget -qO- http://203.0.113.7/i | sudo bash"]\n'), lines: [3] },
        {
          path: 'cloud/user-data.yaml',
          code: cloudConfig('runcmd:\n  - wget -O /tmp/agent.sh https://example.net/agent.sh\n  - bash /tmp/agent.sh\n'),
          lines: [4],
        },
        { path: 'cloud/user-data.yaml', code: cloudConfig('bootcmd:\n  - |\n    set -e\n    bash <(curl -s https://example.org/x)\n'), lines: [5] },
        { path: 'web.tf', code: 'resource "aws_instance" "web" {\n  user_data = <<-EOF\n    #!/bin/bash\n    curl -fsSL https://get.example.net/agent.sh | bash\n  EOF\n}\n', lines: [4] },
      ],
    },
  },
  {
    meta: {
      id: RULES.sudo,
      title: 'cloud-init gives a user passwordless sudo',
      severity: 'medium',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-250'],
      message: 'The user data creates a user with `NOPASSWD:ALL` sudo: any process or login as that user is root.',
      fix: 'Limit the sudo rule to the commands the user needs, or require a password.',
      references: ['https://cloudinit.readthedocs.io/en/latest/reference/modules.html#users-and-groups', 'https://cwe.mitre.org/data/definitions/250.html'],
    },
    tests: {
      valid: [
        { path: 'cloud/user-data.yaml', code: cloudConfig('users:\n  - name: app\n    sudo: false\n') },
        { path: 'cloud/user-data.yaml', code: cloudConfig('users:\n  - name: app\n    sudo: "ALL=(ALL) /usr/bin/systemctl restart app"\n') },
      ],
      invalid: [
        { path: 'cloud/user-data.yaml', code: cloudConfig('users:\n  - name: ops\n    sudo: ALL=(ALL) NOPASSWD:ALL\n'), lines: [4] },
        { path: 'cloud/user-data.yaml', code: cloudConfig('users:\n  - name: ops\n    sudo:\n      - "ALL=(ALL) NOPASSWD:ALL"\n'), lines: [5] },
      ],
    },
  },
];

class CloudInitScan {
  readonly findings: RawFinding[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly input: AnalyzerInput) {}

  private report(ruleId: string, line: number, message?: string, confidence?: Confidence): void {
    if (!this.input.added.has(line)) return;
    const key = `${ruleId}:${line}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const raw = (this.input.lines[line - 1] ?? '').trim();
    const finding: RawFinding = { ruleId, line, snippet: raw.length > SNIPPET_MAX ? `${raw.slice(0, SNIPPET_MAX)}…` : raw };
    if (message) finding.message = message;
    if (confidence) finding.confidence = confidence;
    this.findings.push(finding);
  }

  /** Checks a shell-script user data text whose first line is line `firstLine` of the file. */
  checkScript(text: string, firstLine: number): void {
    const lines = text.split('\n');
    const at = (line: number) => line + firstLine - 1;
    const wanted = (line: number) => this.input.added.has(at(line));
    for (const hit of classifyScript(lines, { wanted, repository: this.input.repository ?? null })) {
      if (hit.effect !== 'remote-code') continue;
      const line = at(hit.line);
      this.report(
        RULES.remoteCode,
        line,
        `The user data script ${hit.detail}: it runs as root at first boot, unverified, so whoever controls that URL controls the machine.`,
        /\bhttp:\/\//i.test(this.input.lines[line - 1] ?? '') ? 'high' : undefined,
      );
    }
    for (let n = 0; n < lines.length; n++) {
      if (AUTHORIZED_KEYS.test(lines[n]!) && /(?:>>?|\btee\b)/.test(lines[n]!)) {
        this.report(RULES.sshKey, at(n + 1), 'The user data script writes to an authorized_keys file: whoever holds a key added there can log in.');
      }
    }
  }

  /** Checks a cloud-config text whose first line is line `firstLine` of the file. */
  check(text: string, firstLine: number): void {
    const { documents } = readYamlDocuments('\n'.repeat(firstLine - 1) + text);
    for (const doc of documents) if (doc.value) this.checkConfig(doc.value);
  }

  private checkConfig(root: HclValue): void {
    for (const { node, parentKey } of objectsWithin(root)) {
      for (const e of node.entries) {
        if (SSH_KEYS.has(e.key)) {
          const keys = e.value.kind === 'array' ? e.value.items : [e.value];
          for (const k of keys) if (k.kind === 'string') this.report(RULES.sshKey, k.line, `The user data installs the SSH key "${keyLabel(k.value)}"${parentKey === 'users' ? ' for a user it creates' : ''}: whoever holds its private key can log in.`);
        }
        if (e.key === 'sudo') {
          const rules = e.value.kind === 'array' ? e.value.items : [e.value];
          for (const r of rules) if (r.kind === 'string' && /NOPASSWD:\s*ALL\b/i.test(r.value)) this.report(RULES.sudo, r.line);
        }
      }
    }
    const files = hclEntry(root, 'write_files')?.value;
    for (const f of files?.kind === 'array' ? files.items : []) {
      const path = hclEntry(f, 'path')?.value;
      if (path?.kind === 'string' && AUTHORIZED_KEYS.test(path.value)) this.report(RULES.sshKey, path.line, `The user data writes ${path.value}: whoever holds a key listed there can log in.`);
    }
    for (const key of ['runcmd', 'bootcmd']) this.checkCommands(hclEntry(root, key)?.value);
  }

  private checkCommands(list: HclValue | undefined): void {
    if (list?.kind !== 'array') return;
    const downloaded = new Set<string>();
    for (const item of list.items) {
      const first = item.line;
      const last = item.kind === 'array' ? Math.max(first, ...item.items.map((i) => (i.kind === 'string' ? (i.endLine ?? i.line) : i.line))) : item.kind === 'string' ? (item.endLine ?? first) : first;
      for (let line = first; line <= last; line++) {
        const text = this.input.lines[line - 1] ?? '';
        if (AUTHORIZED_KEYS.test(text) && /(?:>>?|\btee\b)/.test(text)) this.report(RULES.sshKey, line, 'A boot command writes to an authorized_keys file: whoever holds a key added there can log in.');
        if (PIPE_TO_SHELL.test(text)) {
          this.report(RULES.remoteCode, line, undefined, /\bhttp:\/\//i.test(text) ? 'high' : undefined);
          continue;
        }
        const saved = DOWNLOAD_TO.exec(text)?.[1];
        if (saved && saved !== '-') downloaded.add(basename(saved));
        for (const m of text.matchAll(RUNS_FILE)) {
          const target = m[1] ?? m[2];
          if (target && downloaded.has(basename(target))) {
            this.report(RULES.remoteCode, line, 'A runcmd/bootcmd step runs a file that an earlier step downloaded, as root at boot and unverified: whoever controls the URL controls the machine.');
          }
        }
      }
    }
  }
}

function basename(path: string): string {
  return path.replace(/^.*\//, '');
}

function keyLabel(key: string): string {
  const parts = key.trim().split(/\s+/);
  const comment = parts.slice(2).join(' ');
  return `${parts[0] ?? ''}${comment ? ` … ${comment}` : ''}`.slice(0, 80);
}

/** Heredoc strings anywhere in an HCL value (user_data, templatefile arguments, metadata maps). */
function* heredocs(node: HclValue): Generator<Extract<HclValue, { kind: 'string' }>> {
  if (node.kind === 'string' && node.heredoc) yield node;
  else if (node.kind === 'object') for (const e of node.entries) yield* heredocs(e.value);
  else if (node.kind === 'array') for (const i of node.items) yield* heredocs(i);
  else if (node.kind === 'call') for (const a of node.args) yield* heredocs(a);
}

export const cloudInitAnalyzer: Analyzer = {
  name: 'cloud-init',
  rules: CLOUD_INIT_RULES,
  appliesTo: (file) => file.status !== 'deleted' && (CLOUD_INIT_FILE.test(file.path) || (TERRAFORM_FILE.test(file.path) && !/\.json$/i.test(file.path))),
  analyze(input) {
    const text = input.text;
    if (text === null || (!text.includes('#cloud-config') && !text.includes('#!'))) return [];
    const scan = new CloudInitScan(input);
    if (TERRAFORM_FILE.test(input.file.path)) {
      for (const doc of heredocs(readHcl(text).body)) {
        if (!doc.heredoc) continue;
        const first = doc.value.split('\n', 1)[0] ?? '';
        if (CLOUD_CONFIG.test(first)) scan.check(doc.value, doc.heredoc.contentLine);
        else if (SHELL_SCRIPT.test(first)) scan.checkScript(doc.value, doc.heredoc.contentLine);
      }
      return scan.findings;
    }
    const first = text.slice(0, 200).split('\n').find((l) => l.trim() !== '') ?? '';
    if (CLOUD_CONFIG.test(first)) scan.check(text, 1);
    // A user-data file of its own (not any YAML or template file that happens to start with #!).
    else if (SHELL_SCRIPT.test(first) && /(?:^|\/)user[-_]data$/i.test(input.file.path)) scan.checkScript(text, 1);
    return scan.findings;
  },
};
