// Which files the infrastructure analyzers read.

/** Terraform and OpenTofu configuration, HCL or JSON syntax. */
export const TERRAFORM_FILE = /\.(?:tf|tofu)(?:\.json)?$/i;

/** YAML files: Kubernetes manifests, Helm templates, Compose files, cloud-config user data. */
export const YAML_FILE = /\.ya?ml$/i;

/** Docker Compose file names (compose.yaml, docker-compose.override.yml, docker-compose.prod.yml, …). */
export const COMPOSE_FILE = /(?:^|\/)(?:docker-)?compose(?:[.-][\w-]+)*\.ya?ml$/i;

/** A Helm chart template (YAML with Go template actions). */
export const HELM_TEMPLATE = /(?:^|\/)templates\/(?:[^/]+\/)*[^/]+\.(?:ya?ml|tpl)$/i;

/** A Helm chart's values file (values.yaml, values-prod.yaml, values.dev.yaml): the defaults its templates render. */
export const HELM_VALUES_FILE = /(?:^|\/)values(?:[-.][\w.-]+)?\.ya?ml$/i;
