import { describe, expect, it } from 'vitest';
import { loadShippedCatalog } from '../../src/io/rules-dir.js';

// Every row of the threat table (THREATS.md, table B) names the rules and analyzers that cover
// it. Each named rule must exist and (via shipped-rules.test.ts) pass its own cases, so a rule
// removed or renamed without replacement fails here.
const THREATS: Record<string, string[]> = {
  'insecure generated code (JS/TS)': [
    'js.injection.child-process-exec',
    'js.injection.sql-string-building',
    'js.injection.eval',
    'js.deserialization.node-serialize',
    'js.xss.inner-html',
    'js.injection.log-forging',
    'js.crypto.weak-hash',
    'js.crypto.insecure-random-secret',
  ],
  'insecure generated code (Python)': [
    'py.injection.os-system',
    'py.injection.subprocess-shell',
    'py.injection.sql-string-building',
    'py.injection.eval',
    'py.deserialization.pickle',
    'py.deserialization.yaml-load',
    'py.crypto.weak-hash',
    'py.crypto.insecure-random-secret',
    'py.xss.mark-safe',
  ],
  'insecure generated code (Go, Java basics)': ['go.', 'java.'],
  'hardcoded secrets': ['secrets.aws-access-key-id', 'secrets.github-token', 'secrets.openai-api-key', 'secrets.slack-token', 'secrets.google-api-key', 'secrets.private-key', 'secrets.high-entropy-assignment', 'secrets.env-file-committed'],
  'package hallucination / slopsquatting': ['dependency.typosquat'],
  'invisible unicode': ['unicode.tag-characters', 'unicode.bidi-control', 'unicode.zero-width', 'unicode.variation-selector-supplement', 'unicode.hidden-in-agent-instructions'],
  'prompt injection planted for agents': ['agent.instructions-changed', 'agent.prompt-injection-phrase', 'agent.hidden-comment-instructions'],
  'agent / MCP config tampering': ['agent.mcp-unpinned-package', 'agent.mcp-remote-script', 'agent.vscode-chat-auto-approve', 'agent.claude-bypass-permissions', 'agent.claude-unrestricted-bash', 'agent.settings-run-commands', 'agent.claude-all-project-mcp-servers', 'agent.model-traffic-redirect'],
  'malware driving AI CLIs': ['generic.ai-agent.cli-permission-bypass', 'js.ai-agent.cli-permission-bypass', 'workflow.ai-cli-bypass'],
  'install-time code': ['dependency.install-script', 'dependency.install-script-download', 'generic.install-time.curl-pipe-shell', 'install.minified-code-added', 'dependency.lockfile-off-registry', 'dependency.registry-change'],
  'GitHub Actions attacks': ['workflow.untrusted-checkout', 'workflow.expression-injection', 'workflow.ai-prompt-injection', 'workflow.write-all-permissions', 'workflow.id-token-write', 'workflow.unpinned-action', 'workflow.secret-exfiltration', 'workflow.env-file-injection', 'workflow.untrusted-env-evaluated', 'workflow.untrusted-artifact', 'workflow.cache-poisoning', 'workflow.self-hosted-runner-untrusted', 'workflow.secrets-to-untrusted-code'],
  'poisoned prompts shipped in code': ['generic.prompt-injection.agent-prompt-in-code', 'generic.destructive.cloud-resource-deletion'],
  'weakened safety nets': ['js.safety-net.skipped-test', 'py.safety-net.skipped-test', 'js.safety-net.eslint-disable-file', 'js.safety-net.ts-ignore', 'generic.safety-net.test-failures-ignored', 'workflow.ignored-check-failure', 'generic.safety-net.low-coverage-threshold', 'generic.safety-net.git-hooks-bypassed', 'generic.safety-net.test-file-deleted', 'js.tls.reject-unauthorized-disabled', 'py.tls.verify-disabled', 'generic.tls.insecure-download', 'airlock.suppression-added'],
  'exfiltration / backdoors': ['js.exfiltration.env-sent-over-network', 'py.exfiltration.env-sent-over-network', 'generic.backdoor.reverse-shell', 'js.backdoor.hardcoded-credential-check', 'py.backdoor.hardcoded-credential-check', 'js.backdoor.eval-decoded-payload', 'py.backdoor.exec-decoded-payload', 'generic.exfiltration.paste-or-webhook-host', 'generic.exfiltration.raw-ip-url'],
};

const catalog = await loadShippedCatalog();
const ids = [...catalog.meta.keys()];

describe('threat coverage', () => {
  it.each(Object.entries(THREATS))('%s is covered', (_threat, required) => {
    // An entry ending in "." asks for at least one rule with that prefix.
    const missing = required.filter((id) => (id.endsWith('.') ? !ids.some((x) => x.startsWith(id)) : !catalog.meta.has(id)));
    expect(missing).toEqual([]);
  });
});
