import type { AnalyzerRule } from '../../rules/types.js';

export const RULES = {
  privileged: 'iac.k8s-privileged',
  escalation: 'iac.k8s-privilege-escalation',
  hostNamespace: 'iac.k8s-host-namespace',
  hostPath: 'iac.k8s-host-path',
  capabilities: 'iac.k8s-capabilities',
  clusterAdmin: 'iac.k8s-cluster-admin-binding',
  rbacWildcard: 'iac.k8s-rbac-wildcard',
  authorizedKeys: 'iac.k8s-authorized-keys',
  compose: 'iac.compose-host-access',
} as const;

const POD_SECURITY = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';
const RBAC = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';

const pod = (containerLines: string, specLines = '') => `apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
${specLines}  containers:
    - name: app
      image: app:1
${containerLines}`;

const deployment = (securityContext: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: web:1
          securityContext:
${securityContext}`;

export const KUBERNETES_RULES: AnalyzerRule[] = [
  {
    meta: {
      id: RULES.privileged,
      title: 'Privileged container',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-250'],
      message: 'privileged: true gives the container every kernel capability and the node\'s devices: a process in it is root on the node.',
      fix: 'Drop privileged mode and add only the capabilities the workload needs; node agents that need it belong in a reviewed, separate chart.',
      references: [POD_SECURITY, 'https://cwe.mitre.org/data/definitions/250.html'],
    },
    tests: {
      valid: [
        { path: 'k8s/web.yaml', code: deployment('            privileged: false\n') },
        { path: 'k8s/web.yaml', code: deployment('            privileged: true\n'), added: [1, 2, 3] },
        { path: 'test/fixtures/web.yaml', code: deployment('            privileged: true\n') },
        { path: 'config/settings.yaml', code: 'securityContext:\n  privileged: true\n' },
      ],
      invalid: [
        { path: 'k8s/web.yaml', code: deployment('            privileged: true\n'), lines: [12] },
        { path: 'charts/web/values.yaml', code: 'replicaCount: 1\nsecurityContext:\n  privileged: true\n', lines: [3] },
        {
          path: 'charts/web/templates/deployment.yaml',
          code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
  labels:
    {{- include "web.labels" . | nindent 4 }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          securityContext:
            privileged: true
`,
          lines: [14],
        },
        {
          path: 'charts/web/templates/broken.yaml',
          code: `apiVersion: v1
kind: Pod
spec:
  containers:
    - name: a
{{ if .Values.x }}: [
      securityContext:
        privileged: true
`,
          lines: [8],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.escalation,
      title: 'Container may run as root or gain privileges',
      severity: 'medium',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-250'],
      message: 'The container runs as root (runAsUser: 0) or may gain privileges (allowPrivilegeEscalation: true).',
      fix: 'Run as a non-root user (runAsNonRoot: true, a non-zero runAsUser) and set allowPrivilegeEscalation: false.',
      references: [POD_SECURITY],
    },
    tests: {
      valid: [{ path: 'k8s/web.yaml', code: deployment('            allowPrivilegeEscalation: false\n            runAsUser: 1000\n') }],
      invalid: [
        { path: 'k8s/web.yaml', code: deployment('            allowPrivilegeEscalation: true\n'), lines: [12] },
        { path: 'k8s/web.yaml', code: deployment('            runAsUser: 0\n'), lines: [12] },
      ],
    },
  },
  {
    meta: {
      id: RULES.hostNamespace,
      title: 'Pod shares a host namespace',
      severity: 'medium',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-668'],
      message: 'hostNetwork, hostPID or hostIPC: true puts the pod in the node\'s namespace: it sees the node\'s network, processes or shared memory.',
      fix: 'Remove the host namespace; expose ports through a Service instead of hostNetwork.',
      references: [POD_SECURITY],
    },
    tests: {
      valid: [{ path: 'k8s/pod.yaml', code: pod('', '  hostNetwork: false\n') }],
      invalid: [
        { path: 'k8s/pod.yaml', code: pod('', '  hostPID: true\n'), lines: [6] },
        { path: 'k8s/pod.yml', code: pod('', '  hostNetwork: true\n  hostIPC: true\n'), lines: [6, 7] },
      ],
    },
  },
  {
    meta: {
      id: RULES.hostPath,
      title: 'Pod mounts a sensitive host path',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-668', 'CWE-250'],
      message: 'The pod mounts the node\'s root, /etc, the kubelet\'s files or the container runtime socket: it can take over the node.',
      fix: 'Use a ConfigMap, Secret, emptyDir or a CSI volume; a node agent that needs host files belongs in a reviewed, separate chart.',
      references: [POD_SECURITY, 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
    },
    tests: {
      valid: [
        { path: 'k8s/pod.yaml', code: pod('', '  volumes:\n    - name: logs\n      hostPath:\n        path: /var/log/app\n') },
        { path: 'k8s/pod.yaml', code: pod('', '  volumes:\n    - name: cfg\n      configMap:\n        name: etc\n') },
      ],
      invalid: [
        { path: 'k8s/pod.yaml', code: pod('', '  volumes:\n    - name: sock\n      hostPath:\n        path: /var/run/docker.sock\n'), lines: [9] },
        { path: 'k8s/pod.yaml', code: pod('', '  volumes:\n    - name: root\n      hostPath: {path: /, type: Directory}\n'), lines: [8] },
      ],
    },
  },
  {
    meta: {
      id: RULES.capabilities,
      title: 'Container adds a dangerous capability',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-250'],
      message: 'The container adds a kernel capability (SYS_ADMIN, ALL, SYS_MODULE, SYS_PTRACE, NET_ADMIN, …) that lets it escape to, or tamper with, the node.',
      fix: 'Drop ALL capabilities and add back only narrow ones such as NET_BIND_SERVICE.',
      references: [POD_SECURITY, 'https://man7.org/linux/man-pages/man7/capabilities.7.html'],
    },
    tests: {
      valid: [
        { path: 'k8s/web.yaml', code: deployment('            capabilities:\n              drop: ["ALL"]\n              add: ["NET_BIND_SERVICE"]\n') },
      ],
      invalid: [
        { path: 'k8s/web.yaml', code: deployment('            capabilities:\n              add:\n                - SYS_ADMIN\n'), lines: [14] },
        { path: 'k8s/web.yaml', code: deployment('            capabilities:\n              add: ["ALL"]\n'), lines: [13] },
      ],
    },
  },
  {
    meta: {
      id: RULES.clusterAdmin,
      title: 'cluster-admin bound to a service account',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-269'],
      message: 'A binding gives the cluster-admin role to a service account (or to every authenticated user): any pod running as it controls the whole cluster.',
      fix: 'Bind a Role or ClusterRole with the verbs and resources the workload needs.',
      references: [RBAC],
    },
    tests: {
      valid: [
        {
          path: 'k8s/rbac.yaml',
          code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: view\nroleRef:\n  kind: ClusterRole\n  name: view\nsubjects:\n  - kind: ServiceAccount\n    name: app\n    namespace: default\n',
        },
      ],
      invalid: [
        {
          path: 'k8s/rbac.yaml',
          code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: app-admin\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: ServiceAccount\n    name: app\n    namespace: default\n',
          lines: [7],
        },
        {
          path: 'k8s/rbac.yaml',
          code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: all\nroleRef:\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n  - kind: Group\n    name: system:authenticated\n',
          lines: [7],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.rbacWildcard,
      title: 'RBAC rule allows every verb on every resource',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-269'],
      message: 'A Role or ClusterRole rule allows verbs ["*"] on resources ["*"]: it is cluster-admin (or namespace-admin) under another name.',
      fix: 'List the resources and verbs the workload uses.',
      references: [RBAC],
    },
    tests: {
      valid: [
        {
          path: 'k8s/role.yaml',
          code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: r\nrules:\n  - apiGroups: [""]\n    resources: ["pods"]\n    verbs: ["get", "list"]\n',
        },
      ],
      invalid: [
        {
          path: 'k8s/role.yaml',
          code: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: r\nrules:\n  - apiGroups: ["*"]\n    resources: ["*"]\n    verbs: ["*"]\n',
          lines: [7, 8],
        },
      ],
    },
  },
  {
    meta: {
      id: RULES.authorizedKeys,
      title: 'SSH authorized_keys shipped to the cluster',
      severity: 'high',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-284'],
      message: 'A ConfigMap or Secret carries an authorized_keys file, or a volume is mounted over ~/.ssh: it decides who can log in over SSH.',
      fix: 'Manage SSH access outside application manifests, or confirm whose keys these are.',
      references: ['https://kubernetes.io/docs/concepts/configuration/secret/', 'https://cwe.mitre.org/data/definitions/284.html'],
    },
    tests: {
      valid: [{ path: 'k8s/cm.yaml', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  known_hosts: github.com ssh-ed25519 AAAA\n' }],
      invalid: [
        { path: 'k8s/cm.yaml', code: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  authorized_keys: |\n    ssh-ed25519 AAAAC3Nza x@y\n', lines: [6] },
        { path: 'k8s/pod.yaml', code: pod('      volumeMounts:\n        - name: keys\n          mountPath: /root/.ssh/authorized_keys\n'), lines: [11] },
      ],
    },
  },
  {
    meta: {
      id: RULES.compose,
      title: 'Compose service gets host access',
      severity: 'medium',
      confidence: 'medium',
      category: 'permissions',
      cwe: ['CWE-250', 'CWE-668'],
      message: 'A Compose service runs privileged, mounts the Docker socket or the host\'s root, or shares the host\'s network or process namespace.',
      fix: 'Drop the host access, or keep it to a service whose job needs it (and say why in the change description).',
      references: ['https://docs.docker.com/reference/compose-file/services/', 'https://cwe.mitre.org/data/definitions/250.html'],
    },
    tests: {
      valid: [
        { path: 'docker-compose.yml', code: 'services:\n  web:\n    image: nginx\n    ports: ["80:80"]\n    volumes:\n      - ./site:/usr/share/nginx/html:ro\n' },
        { path: 'config/app.yml', code: 'services:\n  web:\n    privileged: true\n' },
      ],
      invalid: [
        { path: 'docker-compose.yml', code: 'services:\n  ci:\n    image: docker:dind\n    privileged: true\n', lines: [4] },
        { path: 'compose.yaml', code: 'services:\n  watch:\n    image: w\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n', lines: [5] },
        { path: 'docker-compose.prod.yml', code: 'services:\n  agent:\n    image: a\n    network_mode: host\n    pid: host\n', lines: [4, 5] },
      ],
    },
  },
];
