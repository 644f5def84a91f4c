import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScanData, parsePopularityTsv, ScanDataError } from '../../src/io/scan-data.js';
import { normalizePypiName } from '../../src/core/analyzers/dependencies/package-names.js';

const temporaryDirs: string[] = [];
afterAll(async () => {
  await Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataDir(npm: string, pypi: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'airlock-scan-data-'));
  temporaryDirs.push(dir);
  await writeFile(join(dir, 'popular-npm.tsv'), npm);
  await writeFile(join(dir, 'popular-pypi.tsv'), pypi);
  return dir;
}

describe('loadScanData', () => {
  it('loads the shipped popularity lists', async () => {
    const data = await loadScanData();
    expect(data.popularNpm.size).toBeGreaterThan(9000);
    expect(data.popularPypi.size).toBeGreaterThan(14000);
    expect(data.popularNpm.get('lodash')).toBeGreaterThan(1_000_000);
    expect(data.popularPypi.get('requests')).toBe(6);
    expect(data.popularPypi.has('python-dateutil')).toBe(true);
    // comment lines are not data
    for (const name of data.popularNpm.keys()) expect(name.startsWith('#')).toBe(false);
  });

  it('caches the result: later calls share one load', async () => {
    const first = loadScanData();
    const second = loadScanData();
    expect(second).toBe(first);
    expect(await second).toBe(await first);
  });

  it('normalizes PyPI names per PEP 503 and keeps the better rank', async () => {
    const dir = await dataDir(
      '# npm\nLeft-Pad\t10\nleft-pad\t25\n',
      '# pypi\nPython_Dateutil\t13\nZope.Interface\t40\nzope-interface\t39\n\n',
    );
    const data = await loadScanData(dir);
    expect([...data.popularPypi.entries()]).toEqual([
      ['python-dateutil', 13],
      ['zope-interface', 39],
    ]);
    expect(data.popularNpm.get('left-pad')).toBe(25);
  });

  it('rejects a malformed line, when the list is first used, with a one-line error naming file and line', async () => {
    const dir = await dataDir('# npm\nlodash\t100\nexpress 200\n', 'requests\t6\n');
    const data = await loadScanData(dir);
    expect(data.popularPypi.get('requests')).toBe(6);
    let err: unknown = null;
    try {
      void data.popularNpm;
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScanDataError);
    const message = (err as Error).message;
    expect(message).toContain('popular-npm.tsv');
    expect(message).toContain('line 3');
    expect(message).not.toContain('\n');
  });

  it('reports a missing data file as a one-line error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-scan-data-'));
    temporaryDirs.push(dir);
    const err = await loadScanData(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScanDataError);
    expect((err as Error).message).toMatch(/popular-(npm|pypi)\.tsv: cannot read/);
  });
});

describe('parsePopularityTsv', () => {
  it('accepts CRLF line ends and skips comments and blank lines', () => {
    expect([...parsePopularityTsv('x.tsv', '# c\r\nreact\t5\r\n\r\nvue\t3\r\n').entries()]).toEqual([
      ['react', 5],
      ['vue', 3],
    ]);
  });

  it.each([
    ['missing number', 'react\t\n'],
    ['not a number', 'react\tmany\n'],
    ['extra field', 'react\t5\t6\n'],
    ['negative number', 'react\t-5\n'],
    ['no name', '\t5\n'],
  ])('rejects %s', (_label, text) => {
    expect(() => parsePopularityTsv('data/x.tsv', text)).toThrow(/^data\/x\.tsv: line 1: expected "name<TAB>number"/);
  });

  it('shortens very long bad lines in the error', () => {
    const err = (() => {
      try {
        parsePopularityTsv('x.tsv', 'a'.repeat(100_000));
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err?.message.length).toBeLessThan(200);
  });
});

describe('normalizePypiName', () => {
  it.each([
    ['Django', 'django'],
    ['python_dateutil', 'python-dateutil'],
    ['zope.interface', 'zope-interface'],
    ['A__b--c..D', 'a-b-c-d'],
    ['ruamel.yaml.clib', 'ruamel-yaml-clib'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePypiName(input)).toBe(expected);
  });
});
