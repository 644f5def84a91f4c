import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// End to end over the built CLI (`npm test` builds first): a two-case suite that is itself a git
// checkout, so the bench must commit its files, not its .git folder, and read the report back.
const MEASURE = new URL('../../../bench/suites/measure.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'suite-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, text: string) {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('npm run bench:suites', () => {
  it('scans a suite as one change and scores it per CWE family', () => {
    write('expectedresults-0.1.csv', '# test name, category, real vulnerability, cwe\nCaseOne,cmdi,true,78\nCaseTwo,cmdi,false,78\nCaseThree,sqli,true,89\n');
    write('app/case_one.py', 'import os\n\ndef handler(request):\n    os.system("ls " + request.args["dir"])\n');
    write('app/CaseTwo.py', 'import os\n\ndef handler(request):\n    os.system("ls")\n');
    write('app/CaseThree.py', 'def handler(request):\n    return request.args["id"]\n');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'suite');

    const out = join(dir, '..', `${dir.split('/').pop()}.json`);
    const run = spawnSync(process.execPath, [MEASURE, '--json', out, dir], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/command injection\s+78\s+1\s+1\s+100\.0%\s+1\s+0\s+0\.0%/);
    const result = Object.values(JSON.parse(readFileSync(out, 'utf8')) as Record<string, { families: { family: string; caught: number; vulnerable: number; missed: string[] }[]; total: { recall: number } }>)[0]!;
    rmSync(out);
    expect(result.families.find((r) => r.family === 'cmdi')).toMatchObject({ caught: 1, vulnerable: 1 });
    expect(result.families.find((r) => r.family === 'sqli')).toMatchObject({ caught: 0, vulnerable: 1, missed: ['CaseThree'] });
    expect(result.total.recall).toBe(0.5);
  });

  it('refuses a directory without ground truth in one line', () => {
    const run = spawnSync(process.execPath, [MEASURE, join(dir, 'app')], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`bench:suites: ${join(dir, 'app')}: expected one expectedresults-*.csv, found none\n`);
  });
});
