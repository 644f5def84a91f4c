import type { AnalyzerRule } from '../../rules/types.js';

export const RULES = {
  trustAny: 'iac.iam-trust-any-principal',
  trustExternal: 'iac.iam-trust-external-account',
  adminPolicy: 'iac.iam-admin-policy',
  openAdminPort: 'iac.network-open-admin-port',
  storagePublic: 'iac.storage-public',
  publicSetting: 'iac.public-access-setting',
  policyPublic: 'iac.resource-policy-public',
} as const;

const IAM_REFS = ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html', 'https://cwe.mitre.org/data/definitions/284.html'];

const trustHeredoc = (principal: string) => `resource "aws_iam_role" "ops" {
  name = "ops"
  assume_role_policy = <<EOF
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": ${principal},
      "Action": "sts:AssumeRole"
    }
  ]
}
EOF
}
`;

const trustDocument = (type: string, identifier: string) => `data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "${type}"
      identifiers = ["${identifier}"]
    }
  }
}
`;

const sg = (port: string, cidr: string, direction = 'ingress') => `resource "aws_security_group" "db" {
  name = "db"
  ${direction} {
    from_port   = ${port}
    to_port     = ${port}
    protocol    = "tcp"
    cidr_blocks = [${cidr}]
  }
}
`;

export const TERRAFORM_RULES: AnalyzerRule[] = [
  {
    meta: {
      id: RULES.trustAny,
      title: 'IAM role assumable by any AWS principal',
      severity: 'high',
      confidence: 'high',
      category: 'permissions',
      cwe: ['CWE-284'],
      message:
        'The trust policy lets any AWS principal ("*") assume this role. Anyone who learns the role ARN, in any AWS account, gets its permissions.',
      fix: 'Name the accounts, roles or services that may assume the role, or add conditions such as aws:PrincipalOrgID or sts:ExternalId.',
      references: IAM_REFS,
    },
    tests: {
      valid: [
        { path: 'iam.tf', code: trustDocument('Service', 'ec2.amazonaws.com') },
        { path: 'iam.tf', code: trustHeredoc('{ "Service": "lambda.amazonaws.com" }') },
        { path: 'iam.tf', code: trustHeredoc('"*"'), added: [2] },
        { path: 'examples/open/main.tf', code: trustHeredoc('"*"') },
      ],
      invalid: [
        { path: 'iam.tf', code: trustHeredoc('"*"'), lines: [9] },
        { path: 'iam.tf', code: trustHeredoc('{ "AWS": ["*"] }'), lines: [9] },
        { path: 'iam.tf', code: trustDocument('AWS', '*'), lines: [6] },
        {
          path: 'iam.tf',
          code: `resource "aws_iam_role" "ops" {
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`,
          lines: [6],
        },
        // Only the action is new: the statement it changes still opens the role.
        { path: 'iam.tf', code: trustHeredoc('"*"'), added: [10], lines: [10] },
      ],
    },
  },
  {
    meta: {
      id: RULES.trustExternal,
      title: 'IAM role trusts an AWS account named nowhere else',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-284'],
      message:
        'The trust policy lets another AWS account assume this role, and the account is not named anywhere else in the file. A role that trusts an unknown account is a standing back door.',
      fix: 'Confirm the account belongs to your organization or to a vendor you meant to trust, and declare it as a named variable or local with a comment.',
      references: IAM_REFS,
    },
    tests: {
      valid: [
        {
          path: 'iam.tf',
          code: `locals {
  ci_account = "111122223333"
}
${trustDocument('AWS', 'arn:aws:iam::111122223333:root')}`,
        },
        { path: 'iam.tf', code: trustDocument('AWS', 'arn:aws:iam::${var.account_id}:root') },
      ],
      invalid: [
        { path: 'iam.tf', code: trustDocument('AWS', 'arn:aws:iam::444455556666:root'), lines: [6] },
        { path: 'iam.tf', code: trustHeredoc('{ "AWS": "444455556666" }'), lines: [9] },
      ],
    },
  },
  {
    meta: {
      id: RULES.adminPolicy,
      title: 'IAM policy grants every action on every resource',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-250', 'CWE-732'],
      message: 'The policy allows "Action": "*" on "Resource": "*" (or attaches AdministratorAccess): whoever holds it controls the whole account.',
      fix: 'Grant the actions and resources the workload needs; keep administrator access to break-glass roles managed outside this change.',
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege', 'https://cwe.mitre.org/data/definitions/250.html'],
    },
    tests: {
      valid: [
        {
          path: 'policy.tf',
          code: `resource "aws_iam_policy" "read" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "*" }]
  })
}
`,
        },
        {
          path: 'policy.tf',
          code: `resource "aws_iam_policy" "deny" {
  policy = jsonencode({
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}
`,
        },
      ],
      invalid: [
        {
          path: 'policy.tf',
          code: `resource "aws_iam_policy" "all" {
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
`,
          lines: [3],
        },
        {
          path: 'policy.tf',
          code: `data "aws_iam_policy_document" "admin" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}
`,
          lines: [3],
        },
        {
          path: 'roles.tf',
          code: `resource "azurerm_role_definition" "custom" {
  name  = "custom"
  scope = data.azurerm_subscription.current.id
  permissions {
    actions     = ["*"]
    not_actions = []
  }
}
`,
          lines: [5],
        },
        {
          path: 'attach.tf',
          code: `resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.ci.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
          lines: [3],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.openAdminPort,
      title: 'Admin or database port open to the internet',
      severity: 'high',
      confidence: 'high',
      category: 'misconfiguration',
      cwe: ['CWE-284', 'CWE-668'],
      message:
        'A firewall or security group rule allows inbound traffic from anywhere (0.0.0.0/0 or ::/0) to a remote-administration or database port, or to every port.',
      fix: "Allow the port from a known CIDR (a VPN, a bastion, a load balancer's security group) given as a variable, or put the service behind a private endpoint.",
      references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html', 'https://cwe.mitre.org/data/definitions/668.html'],
    },
    tests: {
      valid: [
        { path: 'sg.tf', code: sg('443', '"0.0.0.0/0"') },
        { path: 'sg.tf', code: sg('22', 'var.admin_cidr') },
        { path: 'sg.tf', code: sg('22', '"10.0.0.0/8"') },
        { path: 'sg.tf', code: sg('22', '"0.0.0.0/0"', 'egress') },
        { path: 'sg.tf', code: sg('22', '"0.0.0.0/0"'), added: [2] },
        { path: 'test/fixtures/open/main.tf', code: sg('22', '"0.0.0.0/0"') },
        { path: 'examples/bastion/main.tf', code: sg('22', '"0.0.0.0/0"') },
      ],
      invalid: [
        { path: 'sg.tf', code: sg('22', '"0.0.0.0/0"'), lines: [7] },
        { path: 'sg.tf', code: sg('5432', '"10.0.0.0/8", "::/0"'), lines: [7] },
        // The rule existed for 443; the change moves it to 22.
        { path: 'sg.tf', code: sg('22', '"0.0.0.0/0"'), added: [4, 5], lines: [4] },
        {
          path: 'sg.tf',
          code: `resource "aws_security_group" "all" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
          lines: [6],
        },
        {
          path: 'fw.tf',
          code: `resource "google_compute_firewall" "ssh" {
  name    = "ssh"
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
  source_ranges = ["0.0.0.0/0"]
}
`,
          lines: [8],
        },
        {
          path: 'main.tf.json',
          code: `{
  "resource": {
    "aws_security_group_rule": {
      "redis": {
        "type": "ingress",
        "from_port": 6379,
        "to_port": 6379,
        "protocol": "tcp",
        "cidr_blocks": ["0.0.0.0/0"]
      }
    }
  }
}
`,
          lines: [9],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.storagePublic,
      title: 'Storage bucket readable or writable by anyone',
      severity: 'high',
      confidence: 'medium',
      category: 'data-exposure',
      cwe: ['CWE-732', 'CWE-200'],
      message: 'The bucket or its objects are made public (a public ACL, a policy for Principal "*", or an allUsers / allAuthenticatedUsers grant).',
      fix: 'Keep the bucket private and serve public content through a CDN with an origin access identity, or grant named principals.',
      references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html', 'https://cloud.google.com/storage/docs/access-control/making-data-public'],
    },
    tests: {
      valid: [
        { path: 's3.tf', code: 'resource "aws_s3_bucket_acl" "logs" {\n  bucket = aws_s3_bucket.logs.id\n  acl    = "private"\n}\n' },
        {
          path: 'gcs.tf',
          code: 'resource "google_storage_bucket_iam_member" "r" {\n  bucket = "b"\n  role   = "roles/storage.objectViewer"\n  member = "serviceAccount:app@p.iam.gserviceaccount.com"\n}\n',
        },
        {
          path: 's3.tf',
          code: `resource "aws_s3_bucket_policy" "tls" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "*"
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}
`,
        },
      ],
      invalid: [
        { path: 's3.tf', code: 'resource "aws_s3_bucket" "site" {\n  bucket = "site"\n  acl    = "public-read"\n}\n', lines: [3] },
        { path: 'oss.tf', code: 'resource "alicloud_oss_bucket" "b" {\n  bucket = "b"\n  acl    = "public-read-write"\n}\n', lines: [3] },
        { path: 'gcs.tf', code: 'resource "google_storage_bucket_iam_member" "r" {\n  bucket = "b"\n  role   = "roles/storage.objectViewer"\n  member = "allUsers"\n}\n', lines: [4] },
        {
          path: 's3.tf',
          code: `resource "aws_s3_bucket_policy" "public" {
  bucket = aws_s3_bucket.b.id
  policy = <<POLICY
{
  "Statement": [{
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::b/*"
  }]
}
POLICY
}
`,
          lines: [7],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.policyPublic,
      title: 'Resource policy open to everyone',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-284', 'CWE-732'],
      message:
        'A resource policy (a queue, topic, search domain, key, registry, function) allows Principal "*" with no condition: any AWS account, or anyone on the internet, can call the listed actions.',
      fix: 'Name the accounts or services allowed, or add a condition (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID).',
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html', 'https://cwe.mitre.org/data/definitions/284.html'],
    },
    tests: {
      valid: [
        {
          path: 'sns.tf',
          code: `data "aws_iam_policy_document" "topic" {
  statement {
    actions = ["SNS:Publish"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.b.arn]
    }
  }
}
`,
        },
      ],
      invalid: [
        {
          path: 'es.tf',
          code: `data aws_iam_policy_document "policy" {
  statement {
    actions = ["es:*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    resources = ["*"]
  }
}
`,
          lines: [6],
        },
        {
          path: 'sqs.tf',
          code: `resource "aws_sqs_queue_policy" "q" {
  queue_url = aws_sqs_queue.q.id
  policy    = jsonencode({
    Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = aws_sqs_queue.q.arn }]
  })
}
`,
          lines: [4],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.publicSetting,
      title: 'Public-access guard turned off',
      severity: 'medium',
      confidence: 'medium',
      category: 'misconfiguration',
      cwe: ['CWE-668'],
      message: 'A setting that keeps storage or a service private is turned off (S3 block-public-access, Azure blob public access, public network access).',
      fix: 'Leave the guard on unless the resource is meant to be public, and say so in the change description.',
      references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html', 'https://learn.microsoft.com/en-us/azure/storage/blobs/anonymous-read-access-prevent'],
    },
    tests: {
      valid: [
        { path: 's3.tf', code: 'resource "aws_s3_bucket_public_access_block" "b" {\n  bucket              = aws_s3_bucket.b.id\n  block_public_acls   = true\n  block_public_policy = true\n}\n' },
        { path: 'storage.tf', code: 'resource "azurerm_storage_account" "sa" {\n  name = "sa"\n  allow_nested_items_to_be_public = false\n}\n' },
      ],
      invalid: [
        { path: 's3.tf', code: 'resource "aws_s3_bucket_public_access_block" "b" {\n  bucket              = aws_s3_bucket.b.id\n  block_public_policy = false\n}\n', lines: [3] },
        { path: 'storage.tf', code: 'resource "azurerm_storage_account" "sa" {\n  name = "sa"\n  allow_blob_public_access = true\n}\n', lines: [3] },
        { path: 'storage.tf', code: 'resource "azurerm_storage_container" "c" {\n  name                  = "c"\n  container_access_type = "blob"\n}\n', lines: [3] },
      ],
    },
  },
];
