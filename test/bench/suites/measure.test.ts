import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanupRepos, makeRepo } from '../../helpers/git-repo.js';

// End to end over the built CLI (`npm test` builds first): a two-case suite that is itself a git
// checkout, so the bench must commit its files, not its .git folder, and read the report back.
const MEASURE = new URL('../../../bench/suites/measure.mjs', import.meta.url).pathname;
const suite = makeRepo();
const dir = suite.dir;
afterAll(cleanupRepos);

describe('npm run bench:suites', () => {
  it('scans a suite as one change and scores it per CWE family', () => {
    suite.write('expectedresults-0.1.csv', '# test name, category, real vulnerability, cwe\nCaseOne,cmdi,true,78\nCaseTwo,cmdi,false,78\nCaseThree,sqli,true,89\n');
    suite.write('app/case_one.py', 'import os\n\ndef handler(request):\n    os.system("ls " + request.args["dir"])\n');
    suite.write('app/CaseTwo.py', 'import os\n\ndef handler(request):\n    os.system("ls")\n');
    suite.write('app/CaseThree.py', 'def handler(request):\n    return request.args["id"]\n');
    suite.commit('suite');

    // Written after the suite was committed, so not part of it; removed with the repository.
    const out = join(dir, 'result.json');
    const run = spawnSync(process.execPath, [MEASURE, '--json', out, dir], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/command injection\s+78\s+1\s+1\s+100\.0%\s+1\s+0\s+0\.0%/);
    const result = Object.values(JSON.parse(readFileSync(out, 'utf8')) as Record<string, { families: { family: string; caught: number; vulnerable: number; missed: string[] }[]; total: { recall: number } }>)[0]!;
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
