import { parseJson } from '../../formats/jsonc.js';
import { hclEntry, hclLiteral, hclValues, readHcl, type HclValue } from '../../formats/hcl.js';
import type { Confidence } from '../../model.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';
import { TERRAFORM_FILE } from './files.js';
import { RULES, TERRAFORM_RULES } from './terraform-rules.js';

// Terraform (HCL and *.tf.json) resources that a change adds or edits and that open an account,
// a network or a bucket to the world: IAM trust to anyone or to an account the change does not
// otherwise name, administrator policies, admin ports reachable from 0.0.0.0/0, public buckets.
// Only literal values count: a CIDR or principal taken from a variable is the module's caller's
// decision, not this change's.

const SNIPPET_MAX = 160;

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const AZURE_WORLD = new Set(['*', 'internet', '0.0.0.0/0', '::/0', 'any']);

/** Ports whose service should never face the internet: remote shells and desktops, databases, container daemons. */
const ADMIN_PORTS: ReadonlyMap<number, string> = new Map([
  [22, 'SSH'],
  [23, 'Telnet'],
  [3389, 'RDP'],
  [5900, 'VNC'],
  [5432, 'PostgreSQL'],
  [3306, 'MySQL'],
  [1433, 'SQL Server'],
  [6379, 'Redis'],
  [27017, 'MongoDB'],
  [9200, 'Elasticsearch'],
  [2375, 'Docker API'],
  [2376, 'Docker API (TLS)'],
  [2379, 'etcd'],
  [10250, 'kubelet'],
]);

const ADMIN_POLICY_ARN = /^arn:aws[\w-]*:iam::aws:policy\/(?:AdministratorAccess|IAMFullAccess)$/;

interface Item {
  value: string;
  line: number;
}

interface Statement {
  line: number;
  effect: string;
  effectLine: number;
  actions: Item[];
  resources: Item[];
  /** Principal type (`AWS`, `Service`, `Federated`, or `*` for a bare "*") and value. */
  principals: Array<Item & { type: string }>;
  conditioned: boolean;
}

class TerraformScan {
  readonly findings: RawFinding[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly input: AnalyzerInput) {}

  /** The first of these lines the change adds, or null when the change touches none of them. */
  private addedOf(lines: Array<number | undefined>): number | null {
    for (const line of lines) if (line !== undefined && this.input.added.has(line)) return line;
    return null;
  }

  private report(ruleId: string, lines: Array<number | undefined>, message: string, confidence?: Confidence): void {
    const line = this.addedOf(lines);
    if (line === null) return;
    const key = `${ruleId}:${line}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const raw = (this.input.lines[line - 1] ?? '').trim();
    const finding: RawFinding = { ruleId, line, snippet: raw.length > SNIPPET_MAX ? `${raw.slice(0, SNIPPET_MAX)}…` : raw, message };
    if (confidence) finding.confidence = confidence;
    this.findings.push(finding);
  }

  run(root: HclValue): void {
    for (const { type, name, body } of blocksOf(root, 'resource')) this.checkResource(type, name, body);
    for (const { type, name, body } of blocksOf(root, 'data')) {
      if (type === 'aws_iam_policy_document') this.checkStatements(`data.${type}.${name}`, documentStatements(body), null, type);
    }
  }

  private checkResource(type: string, name: string, body: HclValue): void {
    const where = `${type}.${name}`;
    const trust = hclEntry(body, 'assume_role_policy');
    if (trust) this.checkStatements(where, this.policyStatements(trust.value), true, type);
    const policy = hclEntry(body, 'policy');
    if (policy) this.checkStatements(where, this.policyStatements(policy.value), false, type);
    for (const inline of hclValues(body, 'inline_policy')) {
      const p = hclEntry(inline, 'policy');
      if (p) this.checkStatements(where, this.policyStatements(p.value), false, type);
    }
    this.checkManagedPolicies(where, body);
    if (type === 'azurerm_role_definition') {
      for (const permissions of hclValues(body, 'permissions')) {
        const star = items(hclEntry(permissions, 'actions')?.value).find((a) => a.value === '*');
        if (star) this.report(RULES.adminPolicy, [star.line], `${where}: the custom role allows every action ("*") in its scopes: it is Owner under another name.`);
      }
    }
    this.checkNetwork(type, where, body);
    this.checkStorage(type, where, body);
  }

  // --- IAM ----------------------------------------------------------------------------------------

  /** Statements of a policy written inline: jsonencode({…}), a JSON heredoc, or a JSON string. */
  private policyStatements(value: HclValue): Statement[] {
    if (value.kind === 'call' && value.name === 'jsonencode' && value.args[0]) return jsonStatements(value.args[0]);
    if (value.kind === 'string' && value.value.trim().startsWith('{')) {
      // A heredoc keeps its lines; a one-line JSON string maps every line to its own.
      const padding = value.heredoc ? '\n'.repeat(value.heredoc.contentLine - 1) : '';
      const parsed = parseJson(padding + value.value, { jsonc: false });
      if (!parsed.ok) return [];
      const statements = jsonStatements(parsed.value);
      if (!value.heredoc) for (const s of statements) pinLines(s, value.line);
      return statements;
    }
    return [];
  }

  private checkStatements(where: string, statements: Statement[], trustPolicy: boolean | null, resourceType: string): void {
    for (const s of statements) {
      if (s.effect.toLowerCase() !== 'allow') continue;
      const assumes = s.actions.some((a) => /^sts:(?:AssumeRole\w*|\*)$/i.test(a.value));
      const isTrust = trustPolicy === true || (trustPolicy === null && assumes) || (trustPolicy === false && resourceType === 'aws_iam_role' && assumes);
      const awsPrincipals = s.principals.filter((p) => p.type === '*' || p.type.toUpperCase() === 'AWS');
      if (isTrust) {
        for (const p of awsPrincipals) {
          if (p.value === '*' || /^arn:aws[\w-]*:iam::\*:/.test(p.value)) {
            this.report(
              RULES.trustAny,
              [p.line, ...s.actions.map((a) => a.line), s.line],
              `${where}: the trust policy lets any AWS principal (${p.value}) assume this role${s.conditioned ? ', limited only by its conditions' : ''}; anyone who learns the role's ARN gets its permissions.`,
              s.conditioned ? 'medium' : undefined,
            );
            continue;
          }
          const account = /^(?:arn:aws[\w-]*:iam::)?(\d{12})(?::|$)/.exec(p.value)?.[1];
          if (account && this.occurrences(account) === 1) {
            this.report(
              RULES.trustExternal,
              [p.line, s.line],
              `${where}: the trust policy lets AWS account ${account} assume this role, and that account appears nowhere else in this file. Check that the account is yours or a vendor's you meant to trust.`,
            );
          }
        }
        continue;
      }
      const anyAction = s.actions.find((a) => a.value === '*' || a.value === '*:*');
      const anyResource = s.resources.find((r) => r.value === '*');
      if (anyAction && anyResource) {
        this.report(
          RULES.adminPolicy,
          [anyAction.line, anyResource.line, s.line],
          `${where}: the policy allows every action on every resource ("Action": "*", "Resource": "*"), i.e. full administrator access.`,
        );
      }
      const world = awsPrincipals.find((p) => p.value === '*');
      const s3 = resourceType === 'aws_s3_bucket_policy' || s.actions.some((a) => /^s3:/i.test(a.value));
      if (world && !s3 && !s.conditioned && s.actions.length > 0) {
        this.report(
          RULES.policyPublic,
          [world.line, ...s.actions.map((a) => a.line), s.line],
          `${where}: the resource policy allows anyone (Principal "*") to call ${s.actions.map((a) => a.value).slice(0, 3).join(', ')}${s.actions.length > 3 ? ', …' : ''}, with no condition to narrow it.`,
        );
      }
      if (world && s3 && !s.conditioned) {
        const writes = s.actions.some((a) => a.value === '*' || /^s3:(?:\*|Put\w*|Delete\w*)$/i.test(a.value));
        this.report(
          RULES.storagePublic,
          [world.line, ...s.actions.map((a) => a.line), s.line],
          `${where}: the bucket policy allows anyone on the internet (Principal "*") ${writes ? 'to write or delete objects' : 'to read objects'}.`,
          writes ? 'high' : 'medium',
        );
      }
    }
  }

  private checkManagedPolicies(where: string, body: HclValue): void {
    const arns: Item[] = [];
    const single = hclEntry(body, 'policy_arn');
    const literal = hclLiteral(single?.value);
    if (single && literal !== undefined) arns.push({ value: literal, line: single.value.line });
    const list = hclEntry(body, 'managed_policy_arns')?.value;
    if (list?.kind === 'array') for (const i of list.items) if (i.kind === 'string') arns.push({ value: i.value, line: i.line });
    for (const arn of arns) {
      if (ADMIN_POLICY_ARN.test(arn.value)) {
        this.report(RULES.adminPolicy, [arn.line], `${where}: attaches the AWS managed policy ${arn.value.split('/').pop()}, which grants full control of the account.`, 'medium');
      }
    }
  }

  private occurrences(needle: string): number {
    let n = 0;
    for (let i = this.input.text!.indexOf(needle); i >= 0; i = this.input.text!.indexOf(needle, i + needle.length)) n++;
    return n;
  }

  // --- Network ------------------------------------------------------------------------------------

  private checkNetwork(type: string, where: string, body: HclValue): void {
    if (type === 'aws_security_group') for (const rule of hclValues(body, 'ingress')) this.checkAwsRule(where, rule, 'cidr_blocks', 'ipv6_cidr_blocks', 'protocol');
    else if (type === 'aws_security_group_rule') {
      if (hclLiteral(hclEntry(body, 'type')?.value) === 'ingress') this.checkAwsRule(where, body, 'cidr_blocks', 'ipv6_cidr_blocks', 'protocol');
    } else if (type === 'aws_vpc_security_group_ingress_rule') this.checkAwsRule(where, body, 'cidr_ipv4', 'cidr_ipv6', 'ip_protocol');
    else if (type === 'google_compute_firewall') this.checkGcpFirewall(where, body);
    else if (type === 'azurerm_network_security_rule') this.checkAzureRule(where, body);
    else if (type === 'azurerm_network_security_group') for (const rule of hclValues(body, 'security_rule')) this.checkAzureRule(where, rule);
  }

  private worldSources(body: HclValue, keys: string[], world: ReadonlySet<string>): Item[] {
    const out: Item[] = [];
    for (const key of keys) {
      const value = hclEntry(body, key)?.value;
      const items = value?.kind === 'array' ? value.items : value ? [value] : [];
      for (const i of items) if (i.kind === 'string' && world.has(i.value.trim().toLowerCase())) out.push({ value: i.value, line: i.line });
    }
    return out;
  }

  private checkAwsRule(where: string, rule: HclValue, v4: string, v6: string, protocolKey: string): void {
    const sources = this.worldSources(rule, [v4, v6], WORLD);
    if (sources.length === 0) return;
    const protocol = hclEntry(rule, protocolKey);
    const proto = hclLiteral(protocol?.value)?.toLowerCase();
    const from = hclEntry(rule, 'from_port');
    const to = hclEntry(rule, 'to_port');
    let exposed: string | null;
    if (proto === '-1' || proto === 'all') exposed = 'all ports';
    else if (proto !== undefined && proto !== 'tcp' && proto !== '6') return;
    else exposed = exposedPorts(portRange(from?.value, to?.value));
    if (!exposed) return;
    this.reportOpen(where, sources, [protocol?.keyLine, from?.keyLine, to?.keyLine], exposed);
  }

  private checkGcpFirewall(where: string, body: HclValue): void {
    const direction = hclLiteral(hclEntry(body, 'direction')?.value);
    if (direction !== undefined && direction.toUpperCase() !== 'INGRESS') return;
    const sources = this.worldSources(body, ['source_ranges'], WORLD);
    if (sources.length === 0) return;
    for (const allow of hclValues(body, 'allow')) {
      const protocol = hclEntry(allow, 'protocol');
      const proto = hclLiteral(protocol?.value)?.toLowerCase();
      const portsEntry = hclEntry(allow, 'ports');
      let exposed: string | null = null;
      if (proto === 'all') exposed = 'all ports';
      else if (proto === 'tcp') {
        if (!portsEntry) exposed = 'all TCP ports';
        else exposed = exposedPorts(portList(portsEntry.value));
      }
      if (exposed) this.reportOpen(where, sources, [protocol?.keyLine, portsEntry?.keyLine], exposed);
    }
  }

  private checkAzureRule(where: string, rule: HclValue): void {
    if (hclLiteral(hclEntry(rule, 'direction')?.value)?.toLowerCase() !== 'inbound') return;
    if (hclLiteral(hclEntry(rule, 'access')?.value)?.toLowerCase() !== 'allow') return;
    const sources = this.worldSources(rule, ['source_address_prefix', 'source_address_prefixes'], AZURE_WORLD);
    if (sources.length === 0) return;
    const proto = hclLiteral(hclEntry(rule, 'protocol')?.value)?.toLowerCase();
    if (proto !== undefined && proto !== 'tcp' && proto !== '*') return;
    const single = hclEntry(rule, 'destination_port_range');
    const multi = hclEntry(rule, 'destination_port_ranges');
    const ranges = [...(single ? portList(single.value) : []), ...(multi ? portList(multi.value) : [])];
    if (!single && !multi) return;
    const exposed = exposedPorts(ranges);
    if (exposed) this.reportOpen(where, sources, [single?.keyLine, multi?.keyLine], exposed);
  }

  private reportOpen(where: string, sources: Item[], others: Array<number | undefined>, exposed: string): void {
    this.report(
      RULES.openAdminPort,
      [...sources.map((s) => s.line), ...others],
      `${where}: inbound traffic from anywhere (${sources[0]!.value}) is allowed to ${exposed}; scanners find such ports within minutes.`,
    );
  }

  // --- Storage ------------------------------------------------------------------------------------

  private checkStorage(type: string, where: string, body: HclValue): void {
    const acl = hclEntry(body, 'acl');
    const aclValue = hclLiteral(acl?.value);
    if (acl && aclValue && /^(?:public-read|public-read-write|authenticated-read)$/.test(aclValue) && (type.startsWith('aws_s3_') || type.startsWith('alicloud_oss_'))) {
      this.report(
        RULES.storagePublic,
        [acl.value.line],
        `${where}: acl = "${aclValue}" lets ${aclValue === 'authenticated-read' ? 'any AWS account' : 'anyone on the internet'} ${aclValue === 'public-read-write' ? 'read and write' : 'read'} the bucket.`,
        aclValue === 'public-read-write' ? 'high' : 'medium',
      );
    }
    if (type === 'aws_s3_bucket_public_access_block' || type === 'aws_s3_account_public_access_block') {
      for (const key of ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets']) {
        const e = hclEntry(body, key);
        if (e && hclLiteral(e.value) === 'false') {
          this.report(RULES.publicSetting, [e.value.line], `${where}: ${key} = false turns off one of S3's guards against making buckets public.`);
        }
      }
    }
    if (type.startsWith('google_storage_')) {
      const members: Item[] = [];
      for (const key of ['member', 'members', 'role_entity', 'entity']) {
        const v = hclEntry(body, key)?.value;
        for (const i of v?.kind === 'array' ? v.items : v ? [v] : []) if (i.kind === 'string') members.push({ value: i.value, line: i.line });
      }
      for (const m of members) {
        if (/(?:^|:)all(?:Authenticated)?Users$/.test(m.value)) {
          this.report(RULES.storagePublic, [m.line], `${where}: grants ${m.value} access: ${m.value.endsWith('allUsers') ? 'anyone on the internet' : 'any Google account'} can reach the bucket.`);
        }
      }
      const predefined = hclEntry(body, 'predefined_acl');
      const pv = hclLiteral(predefined?.value);
      if (predefined && pv && /^public/i.test(pv)) this.report(RULES.storagePublic, [predefined.value.line], `${where}: predefined_acl = "${pv}" makes the objects public.`);
    }
    if (type.startsWith('azurerm_')) {
      for (const key of ['allow_blob_public_access', 'allow_nested_items_to_be_public']) {
        const e = hclEntry(body, key);
        if (e && hclLiteral(e.value) === 'true') this.report(RULES.publicSetting, [e.value.line], `${where}: ${key} = true lets containers in this account be made readable by anyone.`);
      }
      const access = hclEntry(body, 'container_access_type');
      const av = hclLiteral(access?.value);
      if (access && (av === 'blob' || av === 'container')) {
        this.report(RULES.publicSetting, [access.value.line], `${where}: container_access_type = "${av}" makes the container's blobs readable by anyone.`, 'high');
      }
      const network = hclEntry(body, 'public_network_access_enabled');
      if (network && hclLiteral(network.value) === 'true') {
        this.report(RULES.publicSetting, [network.value.line], `${where}: public_network_access_enabled = true exposes the service's endpoint to the internet.`, 'low');
      }
    }
  }
}

// --- Structure helpers ------------------------------------------------------------------------------

/** `resource "type" "name" { … }` (or `data`) blocks, from HCL or *.tf.json alike. */
function blocksOf(root: HclValue, kind: string): Array<{ type: string; name: string; body: HclValue }> {
  const out: Array<{ type: string; name: string; body: HclValue }> = [];
  for (const byType of hclValues(root, kind)) {
    if (byType.kind !== 'object') continue;
    for (const t of byType.entries) {
      for (const byName of t.value.kind === 'array' ? t.value.items : [t.value]) {
        if (byName.kind !== 'object') continue;
        for (const n of byName.entries) for (const body of hclValues(byName, n.key).filter((b) => b.kind === 'object')) out.push({ type: t.key, name: n.key, body });
      }
    }
  }
  return dedupe(out);
}

function dedupe<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function items(node: HclValue | undefined): Item[] {
  if (!node) return [];
  const list = node.kind === 'array' ? node.items : [node];
  const out: Item[] = [];
  for (const i of list) {
    const v = hclLiteral(i);
    if (v !== undefined) out.push({ value: v, line: i.line });
  }
  return out;
}

/** A key looked up case-insensitively (JSON policies are written `Action`, jsonencode ones often `action`). */
function field(node: HclValue, key: string): { keyLine: number; value: HclValue } | undefined {
  if (node.kind !== 'object') return undefined;
  const lower = key.toLowerCase();
  for (let i = node.entries.length - 1; i >= 0; i--) if (node.entries[i]!.key.toLowerCase() === lower) return node.entries[i];
  return undefined;
}

/** Statements of an IAM policy in its JSON shape (a parsed heredoc, or the object given to jsonencode). */
function jsonStatements(doc: HclValue): Statement[] {
  const st = field(doc, 'Statement');
  if (!st) return [];
  const list = st.value.kind === 'array' ? st.value.items : [st.value];
  const out: Statement[] = [];
  for (const s of list) {
    if (s.kind !== 'object') continue;
    const effect = field(s, 'Effect');
    const principals: Statement['principals'] = [];
    const principal = field(s, 'Principal');
    if (principal) {
      if (principal.value.kind === 'object') {
        for (const e of principal.value.entries) for (const i of items(e.value)) principals.push({ ...i, type: e.key });
      } else for (const i of items(principal.value)) principals.push({ ...i, type: '*' });
    }
    out.push({
      line: s.line,
      effect: hclLiteral(effect?.value) ?? 'Allow',
      effectLine: effect?.keyLine ?? s.line,
      actions: items(field(s, 'Action')?.value),
      resources: items(field(s, 'Resource')?.value),
      principals,
      conditioned: field(s, 'Condition') !== undefined,
    });
  }
  return out;
}

/** Statements of `data "aws_iam_policy_document"` blocks. */
function documentStatements(body: HclValue): Statement[] {
  const out: Statement[] = [];
  for (const s of hclValues(body, 'statement')) {
    if (s.kind !== 'object') continue;
    const effect = hclEntry(s, 'effect');
    const principals: Statement['principals'] = [];
    for (const p of hclValues(s, 'principals')) {
      const type = hclLiteral(hclEntry(p, 'type')?.value) ?? '';
      for (const i of items(hclEntry(p, 'identifiers')?.value)) principals.push({ ...i, type });
    }
    out.push({
      line: s.line,
      effect: hclLiteral(effect?.value) ?? 'Allow',
      effectLine: effect?.keyLine ?? s.line,
      actions: items(hclEntry(s, 'actions')?.value),
      resources: items(hclEntry(s, 'resources')?.value),
      principals,
      conditioned: hclValues(s, 'condition').length > 0,
    });
  }
  return out;
}

function pinLines(s: Statement, line: number): void {
  s.line = line;
  s.effectLine = line;
  for (const list of [s.actions, s.resources, s.principals]) for (const i of list) i.line = line;
}

function portNumber(node: HclValue | undefined): number | null {
  const v = hclLiteral(node);
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  return Number(v);
}

function portRange(from: HclValue | undefined, to: HclValue | undefined): Array<[number, number]> {
  const lo = portNumber(from);
  const hi = portNumber(to);
  if (lo === null || hi === null) return [];
  return [[lo, hi]];
}

/** Port specs such as "22", "8000-8080", "*" (Azure's any). */
function portList(node: HclValue): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const i of items(node)) {
    const v = i.value.trim();
    if (v === '*') out.push([0, 65535]);
    const m = /^(\d+)(?:-(\d+))?$/.exec(v);
    if (m) out.push([Number(m[1]), Number(m[2] ?? m[1])]);
  }
  return out;
}

/** What a set of port ranges exposes that matters ("all ports", "22 (SSH)"), or null. */
function exposedPorts(ranges: Array<[number, number]>): string | null {
  if (ranges.some(([lo, hi]) => lo <= 1 && hi >= 65535)) return 'all ports';
  const hit: string[] = [];
  for (const [port, name] of ADMIN_PORTS) if (ranges.some(([lo, hi]) => lo <= port && port <= hi)) hit.push(`${port} (${name})`);
  return hit.length > 0 ? `port${hit.length > 1 ? 's' : ''} ${hit.join(', ')}` : null;
}

export const terraformAnalyzer: Analyzer = {
  name: 'terraform',
  rules: TERRAFORM_RULES,
  appliesTo: (file) => file.status !== 'deleted' && TERRAFORM_FILE.test(file.path),
  analyze(input) {
    if (input.text === null) return [];
    let root: HclValue;
    if (/\.json$/i.test(input.file.path)) {
      const parsed = parseJson(input.text, { jsonc: false });
      if (!parsed.ok) return [];
      root = parsed.value;
    } else root = readHcl(input.text).body;
    const scan = new TerraformScan(input);
    scan.run(root);
    return scan.findings;
  },
};
