import { describe, expect, it } from 'vitest';
import { runDemo } from '../../scripts/demo.js';

describe('npm run demo', () => {
  it('plays an AI-authored pull request with a backdoor through the app and prints what the app wrote', async () => {
    const output = await runDemo(() => {});
    expect(output).toContain('Webhook pull_request.opened answered 200');
    expect(output).toContain('== Check run "Airlock" on');
    expect(output).toContain('completed, conclusion failure');
    expect(output).toContain('AI-authored: **yes** (Claude Code)');
    expect(output).toContain('-- inline comment on src/server.js:11 (RIGHT)');
    expect(output).toContain('js.backdoor.hardcoded-credential-check');
    expect(output).toContain('violations: 0');
    // Every file of the demo is reviewed, the call and taint rules included.
    expect(output).not.toContain('Not reviewed');
  });
});
