import { hclEntry, hclLiteral, hclValues, type HclValue } from '../../formats/hcl.js';
import type { Confidence } from '../../model.js';
import type { Analyzer, AnalyzerInput, RawFinding } from '../../rules/types.js';
import { COMPOSE_FILE, HELM_TEMPLATE, HELM_VALUES_FILE, YAML_FILE } from './files.js';
import { RULES, KUBERNETES_RULES } from './kubernetes-rules.js';
import { objectsWithin, readYamlDocuments } from './yaml-tree.js';

// Kubernetes manifests, Helm templates and Docker Compose files: workloads a change makes
// privileged or lets onto the node (host namespaces, host paths, the container runtime's
// socket, kernel capabilities), cluster-admin bindings, wildcard RBAC, SSH keys shipped in
// ConfigMaps and Secrets. Only the lines the change adds are judged.

const SNIPPET_MAX = 160;

/** Host paths that hand the node to the pod: its root, its config, the container runtime. */
const SENSITIVE_HOST_PATH =
  /^(?:\/|\/etc|\/etc\/(?:kubernetes|ssh|shadow|passwd|sudoers(?:\.d)?|cron\.d|crontab|systemd|ld\.so\.preload)(?:\/.*)?|\/root(?:\/.*)?|\/home|\/boot|\/var\/lib\/kubelet(?:\/pki)?|\/var\/lib\/docker|\/var\/run|\/run|(?:\/var)?\/run\/(?:docker|containerd\/containerd|crio\/crio|cri-dockerd|podman\/podman)\.sock|\/var\/run\/containerd|\/run\/containerd)\/?$/;
const RUNTIME_SOCKET = /(?:docker|containerd|crio|cri-dockerd|podman)\.sock$/;

/** Capabilities that amount to root on the node (or close). */
const DANGEROUS_CAPS = new Map<string, Confidence>([
  ['ALL', 'high'],
  ['SYS_ADMIN', 'medium'],
  ['SYS_MODULE', 'medium'],
  ['SYS_PTRACE', 'medium'],
  ['SYS_RAWIO', 'medium'],
  ['DAC_READ_SEARCH', 'medium'],
  ['BPF', 'medium'],
  ['NET_ADMIN', 'low'],
]);

const BROAD_SUBJECT = /^system:(?:anonymous|unauthenticated|authenticated|serviceaccounts)$/;

class KubernetesScan {
  readonly findings: RawFinding[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly input: AnalyzerInput) {}

  /** Lines of a Helm template inside `{{ if .Values.… }}`: settings a chart's user opts into. */
  gated: ReadonlySet<number> = new Set();
  /** A values file: defaults that a template may or may not use, so never more than medium confidence. */
  defaultsOnly = false;

  private report(ruleId: string, line: number, message?: string, confidence?: Confidence): void {
    if (!this.input.added.has(line)) return;
    if (this.gated.has(line)) confidence = 'low';
    else if (this.defaultsOnly && confidence !== 'low') confidence = 'medium';
    const key = `${ruleId}:${line}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const raw = (this.input.lines[line - 1] ?? '').trim();
    const finding: RawFinding = { ruleId, line, snippet: raw.length > SNIPPET_MAX ? `${raw.slice(0, SNIPPET_MAX)}…` : raw };
    if (message) finding.message = message;
    if (confidence) finding.confidence = confidence;
    this.findings.push(finding);
  }

  // --- Kubernetes ---------------------------------------------------------------------------------

  manifest(doc: HclValue): void {
    const kind = hclLiteral(hclEntry(doc, 'kind')?.value) ?? '';
    if (hclEntry(doc, 'apiVersion') === undefined || !kind) return;
    for (const { node, parentKey } of objectsWithin(doc)) {
      for (const e of node.entries) {
        const v = e.value;
        if (v.kind === 'boolean' && v.value && (e.key === 'hostNetwork' || e.key === 'hostPID' || e.key === 'hostIPC') && hclEntry(node, 'containers')) {
          this.report(RULES.hostNamespace, v.line, `${e.key}: true puts the pod in the node's ${e.key.slice(4) === 'Network' ? 'network namespace (it can bind node ports and reach node-local services)' : e.key === 'hostPID' ? 'process namespace (it can see and signal every process on the node)' : 'IPC namespace'}.`);
        }
        if (e.key === 'hostPath') this.hostPath(v);
        if (e.key === 'mountPath' && v.kind === 'string' && /\/\.ssh\/authorized_keys$|\/\.ssh\/?$/.test(v.value)) {
          this.report(RULES.authorizedKeys, v.line, `A volume is mounted at ${v.value}: whatever it holds decides who can log in over SSH.`);
        }
      }
      if (parentKey === 'securityContext') this.securityContext(node);
    }
    if (kind === 'ClusterRoleBinding' || kind === 'RoleBinding') this.binding(doc, kind);
    if (kind === 'ClusterRole' || kind === 'Role') this.rbacRules(doc, kind);
    if (kind === 'ConfigMap' || kind === 'Secret') this.keysInData(doc, kind);
  }

  /**
   * A Helm values file: security contexts (`securityContext`, `containerSecurityContext`, …) and
   * host namespaces it turns on by default. Under a block with `enabled: false` (a component or
   * init container that is off unless the installer turns it on) they are low confidence.
   */
  values(node: HclValue | null, parentKey = '', disabled = false, depth = 0): void {
    if (!node || depth > 100) return;
    if (node.kind === 'array') {
      for (const item of node.items) this.values(item, parentKey, disabled, depth + 1);
      return;
    }
    if (node.kind !== 'object') return;
    const enabled = hclEntry(node, 'enabled')?.value;
    const off = disabled || (enabled?.kind === 'boolean' && !enabled.value);
    const before = this.findings.length;
    if (/securitycontext$/i.test(parentKey)) this.securityContext(node);
    for (const e of node.entries) {
      if (e.value.kind === 'boolean' && e.value.value && (e.key === 'hostNetwork' || e.key === 'hostPID' || e.key === 'hostIPC')) {
        this.report(RULES.hostNamespace, e.value.line, `${e.key}: true in the chart's values puts its pods in the node's ${e.key.slice(4)} namespace by default, wherever a template uses it.`);
      }
    }
    if (off) for (const f of this.findings.slice(before)) f.confidence = 'low';
    for (const e of node.entries) if (e.value.kind === 'object' || e.value.kind === 'array') this.values(e.value, e.key, off, depth + 1);
  }

  private securityContext(sc: Extract<HclValue, { kind: 'object' }>): void {
    const privileged = hclEntry(sc, 'privileged')?.value;
    if (privileged?.kind === 'boolean' && privileged.value) this.report(RULES.privileged, privileged.line);
    const escalation = hclEntry(sc, 'allowPrivilegeEscalation')?.value;
    if (escalation?.kind === 'boolean' && escalation.value) {
      this.report(RULES.escalation, escalation.line, 'allowPrivilegeEscalation: true lets processes in the container gain more privileges than they started with (setuid binaries, file capabilities).');
    }
    const user = hclEntry(sc, 'runAsUser')?.value;
    if (user?.kind === 'number' && user.value === 0) this.report(RULES.escalation, user.line, 'runAsUser: 0 runs the container as root; a breakout from it starts as root on the node.');
    for (const cap of hclValues(hclEntry(sc, 'capabilities')?.value, 'add').flatMap((a) => (a.kind === 'array' ? a.items : [a]))) {
      const name = hclLiteral(cap)?.toUpperCase().replace(/^CAP_/, '');
      const confidence = name ? DANGEROUS_CAPS.get(name) : undefined;
      if (confidence) this.report(RULES.capabilities, cap.line, `The container is given the ${name} capability${name === 'ALL' ? ' set: every kernel capability' : ''}, enough to escape to the node.`, confidence);
    }
  }

  private hostPath(v: HclValue): void {
    const path = hclEntry(v, 'path')?.value;
    if (path?.kind !== 'string' || !SENSITIVE_HOST_PATH.test(path.value.trim())) return;
    const socket = RUNTIME_SOCKET.test(path.value);
    this.report(
      RULES.hostPath,
      path.line,
      socket
        ? `The pod mounts the container runtime's socket (${path.value}) from the node: it can start privileged containers there, i.e. it is root on the node.`
        : `The pod mounts the node's ${path.value} directory: it can read or change the node's files${path.value.trim() === '/' ? ', all of them' : ''}.`,
    );
  }

  private binding(doc: HclValue, kind: string): void {
    const roleRef = hclEntry(doc, 'roleRef')?.value;
    const role = hclEntry(roleRef, 'name')?.value;
    if (role?.kind !== 'string' || role.value !== 'cluster-admin') return;
    for (const s of hclValues(doc, 'subjects').flatMap((x) => (x.kind === 'array' ? x.items : [x]))) {
      const sKind = hclLiteral(hclEntry(s, 'kind')?.value);
      const name = hclLiteral(hclEntry(s, 'name')?.value) ?? '';
      const broad = BROAD_SUBJECT.test(name);
      if (sKind === 'ServiceAccount' || broad) {
        this.report(
          RULES.clusterAdmin,
          role.line,
          `${kind} gives cluster-admin to ${broad ? `everyone in ${name}` : `the service account ${name}`}: any pod running as it controls the whole cluster.`,
          broad ? 'high' : undefined,
        );
        const line = hclEntry(s, 'name')?.value.line;
        if (line !== undefined && !this.input.added.has(role.line)) this.report(RULES.clusterAdmin, line, `${kind} gives cluster-admin to ${name}.`, broad ? 'high' : undefined);
      }
    }
  }

  private rbacRules(doc: HclValue, kind: string): void {
    for (const rule of hclValues(doc, 'rules').flatMap((x) => (x.kind === 'array' ? x.items : [x]))) {
      const verbs = hclEntry(rule, 'verbs');
      const resources = hclEntry(rule, 'resources');
      const star = (e: typeof verbs) => (e?.value.kind === 'array' ? e.value.items : e ? [e.value] : []).find((i) => hclLiteral(i) === '*');
      const v = star(verbs);
      const r = star(resources);
      // A wildcard within one API group (custom.metrics.k8s.io) is that group's admin, not the cluster's.
      const groups = hclEntry(rule, 'apiGroups')?.value;
      const groupList = groups?.kind === 'array' ? groups.items : groups ? [groups] : [];
      const coreOrAll = groupList.some((g) => hclLiteral(g) === '*' || hclLiteral(g) === '');
      if (v && r && coreOrAll) {
        this.report(RULES.rbacWildcard, v.line, `The ${kind} allows every verb on every resource ("*"): it is cluster-admin under another name.`);
        this.report(RULES.rbacWildcard, r.line, `The ${kind} allows every verb on every resource ("*"): it is cluster-admin under another name.`);
      }
    }
  }

  private keysInData(doc: HclValue, kind: string): void {
    for (const section of ['data', 'stringData']) {
      const data = hclEntry(doc, section)?.value;
      if (data?.kind !== 'object') continue;
      for (const e of data.entries) {
        if (/authorized_keys/i.test(e.key)) this.report(RULES.authorizedKeys, e.keyLine, `The ${kind} carries an SSH authorized_keys file (${e.key}): mounted into a pod or node, it decides who can log in.`);
      }
    }
  }

  // --- Docker Compose -----------------------------------------------------------------------------

  compose(doc: HclValue): void {
    const services = hclEntry(doc, 'services')?.value;
    if (services?.kind !== 'object') return;
    for (const s of services.entries) {
      const svc = s.value;
      const where = `service ${s.key}`;
      const privileged = hclEntry(svc, 'privileged')?.value;
      if (privileged?.kind === 'boolean' && privileged.value) this.report(RULES.compose, privileged.line, `${where}: privileged: true gives the container every capability and the host's devices.`);
      for (const key of ['network_mode', 'pid', 'ipc']) {
        const v = hclEntry(svc, key)?.value;
        if (v?.kind === 'string' && v.value === 'host') this.report(RULES.compose, v.line, `${where}: ${key}: host shares the host's ${key === 'network_mode' ? 'network stack' : key === 'pid' ? 'processes' : 'IPC namespace'} with the container.`);
      }
      const volumes = hclEntry(svc, 'volumes')?.value;
      for (const vol of volumes?.kind === 'array' ? volumes.items : []) {
        const source = vol.kind === 'string' ? vol.value.split(':')[0]! : hclLiteral(hclEntry(vol, 'source')?.value);
        const line = vol.kind === 'string' ? vol.line : (hclEntry(vol, 'source')?.value.line ?? vol.line);
        if (source && RUNTIME_SOCKET.test(source)) this.report(RULES.compose, line, `${where}: mounts the Docker socket (${source}): the container controls the host's Docker daemon, i.e. it is root on the host.`);
        else if (source === '/' || source === '/etc') this.report(RULES.compose, line, `${where}: mounts the host's ${source} into the container.`);
      }
      const caps = hclEntry(svc, 'cap_add')?.value;
      for (const cap of caps?.kind === 'array' ? caps.items : []) {
        const name = hclLiteral(cap)?.toUpperCase().replace(/^CAP_/, '');
        if (name === 'ALL' || name === 'SYS_ADMIN') this.report(RULES.compose, cap.line, `${where}: cap_add ${name} is enough to escape to the host.`);
      }
    }
  }

  // --- Fallback for templates that do not parse as YAML -------------------------------------------

  /** Flags written on one line (`privileged: true`, `hostPID: true`) in a part that does not parse. */
  lineFlags(from: number, to: number): void {
    for (let line = from; line <= to; line++) {
      const text = this.input.lines[line - 1] ?? '';
      const m = /^\s*(?:-\s+)?(privileged|allowPrivilegeEscalation|hostNetwork|hostPID|hostIPC|runAsUser)\s*:\s*(true|0)\s*(?:#.*)?$/.exec(text);
      if (!m) continue;
      const key = m[1]!;
      if (key === 'runAsUser' && m[2] !== '0') continue;
      if (key !== 'runAsUser' && m[2] !== 'true') continue;
      if (key === 'privileged') this.report(RULES.privileged, line);
      else if (key === 'allowPrivilegeEscalation' || key === 'runAsUser') this.report(RULES.escalation, line);
      else this.report(RULES.hostNamespace, line);
    }
  }
}

/**
 * A Helm template with its Go template actions blanked out, line numbers kept: an action alone
 * on its line (`{{- if … }}`, `{{- toYaml … | nindent 8 }}`) becomes an empty line, one inside a
 * value becomes a placeholder, so the YAML around them parses.
 */
export function blankTemplateActions(text: string): string {
  const replaced = text.replace(/\{\{[\s\S]*?\}\}/g, (action) => {
    const newlines = action.split('\n').length - 1;
    return `\u0000${'\n'.repeat(newlines)}`;
  });
  return replaced
    .split('\n')
    .map((line) => (/^[\s\u0000]*$/.test(line) && line.includes('\u0000') ? '' : line.replace(/\u0000/g, 'x')))
    .join('\n');
}

/**
 * Lines inside a Helm `{{ if … .Values … }}` block (its `else` branches included): what they set
 * happens only when whoever installs the chart turns the option on.
 */
export function valuesGatedLines(text: string): Set<number> {
  const gated = new Set<number>();
  const stack: boolean[] = [];
  let open = 0;
  const action = /\{\{-?\s*(if|with|range|define|block|end)\b([^}]*)\}\}/g;
  text.split('\n').forEach((line, i) => {
    if (open > 0) gated.add(i + 1);
    for (const m of line.matchAll(action)) {
      if (m[1] === 'end') {
        if (stack.pop()) open--;
      } else {
        const gate = m[1] === 'if' && /\.Values\./.test(m[2] ?? '');
        stack.push(gate);
        if (gate) open++;
      }
    }
  });
  return gated;
}

export const kubernetesAnalyzer: Analyzer = {
  name: 'kubernetes',
  rules: KUBERNETES_RULES,
  appliesTo: (file) => file.status !== 'deleted' && (YAML_FILE.test(file.path) || HELM_TEMPLATE.test(file.path)),
  analyze(input) {
    const text = input.text;
    if (text === null) return [];
    const compose = COMPOSE_FILE.test(input.file.path);
    if (!compose && !/^\s*kind\s*:/m.test(text)) {
      if (!HELM_VALUES_FILE.test(input.file.path) || !/securitycontext|host(?:network|pid|ipc)/i.test(text)) return [];
      const scan = new KubernetesScan(input);
      scan.defaultsOnly = true;
      for (const doc of readYamlDocuments(text).documents) scan.values(doc.value);
      return scan.findings;
    }
    const templated = text.includes('{{');
    const { documents } = readYamlDocuments(templated ? blankTemplateActions(text) : text);
    const scan = new KubernetesScan(input);
    if (templated) scan.gated = valuesGatedLines(text);
    for (const doc of documents) {
      if (doc.value) {
        if (compose) scan.compose(doc.value);
        else scan.manifest(doc.value);
      } else if (!compose) scan.lineFlags(doc.startLine, doc.endLine);
    }
    return scan.findings;
  },
};
