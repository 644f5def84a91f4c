import { describe, expect, it } from 'vitest';
import { judgeTyposquat, neighbouringKeys, typoShape } from '../../../../src/core/analyzers/dependencies/typo-shape.js';
import { normalizePypiName } from '../../../../src/core/analyzers/dependencies/package-names.js';
import { npmNameIndex, pypiNameIndex } from '../../../../src/core/analyzers/dependencies/typosquat.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { loadScanData } from '../../../../src/io/scan-data.js';

const data: ScanData = await loadScanData();
const npm = (name: string) => judgeTyposquat(npmNameIndex(data.popularNpm), name, true);
const pypi = (name: string) => judgeTyposquat(pypiNameIndex(data.popularPypi), normalizePypiName(name), false);

describe('typo shapes', () => {
  it('knows which keys touch', () => {
    expect(neighbouringKeys('s', 'd')).toBe(true);
    expect(neighbouringKeys('q', 'a')).toBe(true);
    expect(neighbouringKeys('x', 'd')).toBe(true);
    expect(neighbouringKeys('a', 'p')).toBe(false);
    expect(neighbouringKeys('e', 'm')).toBe(false);
  });

  it('describes the edit where people mistype', () => {
    expect(typoShape('lodahs', 'lodash')).toMatchObject({ weight: 2, description: expect.stringContaining('swapped') });
    expect(typoShape('expresss', 'express')).toMatchObject({ weight: 2, description: expect.stringContaining('doubled') });
    expect(typoShape('expres', 'express')).toMatchObject({ weight: 2, description: expect.stringContaining('double letter typed once') });
    expect(typoShape('rnoment', 'moment')).toMatchObject({ weight: 2, description: expect.stringContaining('lookalike') });
    expect(typoShape('djang0', 'django')).toMatchObject({ weight: 2 });
    expect(typoShape('reqests', 'requests')).toMatchObject({ weight: 1, description: expect.stringContaining('left out') });
    expect(typoShape('axioa', 'axios')).toMatchObject({ weight: 1, description: expect.stringContaining('neighbouring key') });
  });

  it('sees other words where the difference starts a word or changes a version', () => {
    expect(typoShape('dtslint', 'tslint')).toBeNull();
    expect(typoShape('rollup-plugin-ts', 'rollup-plugin-dts')).toBeNull();
    expect(typoShape('fake', 'jake')).toBeNull();
    expect(typoShape('babel-preset-es2017', 'babel-preset-es2015')).toBeNull();
    expect(typoShape('jison', 'json5')).toBeNull();
  });
});

describe('typosquat judgement', () => {
  // Typosquats of several shapes, each naming the package it imitates.
  it.each([
    ['lodahs', 'lodash'], // swapped letters
    ['loadsh', 'lodash'], // swapped letters
    ['expresss', 'express'], // doubled letter
    ['exprss', 'express'], // dropped letter
    ['axois', 'axios'], // swapped, short-ish name, very popular target
    ['rnoment', 'moment'], // rn for m
    ['lodash-js', 'lodash'], // -js suffix
    ['@typs/node', '@types/node'], // scope lookalike
    ['@types/nodde', '@types/node'], // doubled letter after a scope
    ['crossenv', 'cross-env'], // separators dropped
    ['types-react', '@types/react'], // scope turned into a prefix; no types-… family
    ['reacct', 'react'], // doubled letter, 5 letters
    ['raect', 'react'], // swapped
  ])('npm %s imitates %s', (name, popular) => {
    expect(npm(name)?.match.popular).toBe(popular);
  });

  it.each([
    ['reqeusts', 'requests'],
    ['python_dateutils', 'python-dateutil'],
    ['djang0', 'django'],
    ['nmupy', 'numpy'],
  ])('PyPI %s imitates %s', (name, popular) => {
    expect(pypi(name)?.match.popular).toBe(popular);
  });

  // Established packages one edit from popular ones: seen as typosquats before, they are not.
  it.each([
    'dtslint', 'tsd', 'xo', 'tap', 'far', 'fake', 'eco', 'hbs', 'sse', 'nsp', 'aud', 'cpr', 'utfx', 'urun', 'taper', 'runmd',
    'chmodr', 'eclint', 'rollup-plugin-ts', 'eslint-plugin-es5', 'babel-preset-es2017', 'testjs', 'jison', 'matcha',
    'docco', 'qunit', 'recheck', 'utest', 'parted', 'proxy', 'smtp-server', 'get-node', 'tsc', 'dprint', 'tsimp', 'probot',
    'babel-plugin-syntax-async-generators', 'babel-plugin-transform-async-generator-functions', 'rollup-plugin-babel',
    'pq', 'ms', 'ws', 'expect.js',
  ])('npm %s is not a typosquat', (name) => {
    expect(npm(name)).toBeNull();
  });

  it('never flags a popular name, however close to a more popular one', () => {
    for (const name of ['preact', 'react', 'ws', 'os', 'nx', 'npm', 'vue', 'vuex']) expect(npm(name)).toBeNull();
    for (const name of ['requests', 'pyyaml', 'urllib3']) expect(pypi(name)).toBeNull();
  });

  it('needs two signals for names of 3–4 letters: a typo-shaped edit and a widely used target', () => {
    expect(npm('vux')).toBeNull(); // another letter in vue: no typo shape
    expect(npm('tsx')).toBeNull(); // popular itself
    expect(npm('cors')).toBeNull();
    expect(npm('jset')?.match.popular).toBe('jest'); // swapped letters of a very popular name
  });

  it('is sure (high) only when an imitation-shaped edit and a widely used target agree; one signal alone is medium', () => {
    // Swapped, doubled or lookalike letters of a package everyone installs: two signals.
    expect(npm('lodahs')).toMatchObject({ confidence: 'high', match: { popular: 'lodash' } });
    expect(npm('expresss')).toMatchObject({ confidence: 'high', match: { popular: 'express' } });
    expect(pypi('djnago')).toMatchObject({ confidence: 'high', match: { popular: 'django' } });
    // The same shapes near a package outside the most imitated ones: the shape alone.
    expect(npm('electorn')).toMatchObject({ confidence: 'medium', match: { popular: 'electron' } });
    expect(npm('kafkajss')).toMatchObject({ confidence: 'medium', match: { popular: 'kafkajs' } });
    // A weaker edit (a dropped letter, a neighbouring key) of a widely used package: the target alone.
    expect(npm('lodsh')).toMatchObject({ confidence: 'medium', match: { popular: 'lodash' } });
    expect(npm('exprexs')).toMatchObject({ confidence: 'medium', match: { popular: 'express' } });
    expect(pypi('python-dateutils')).toMatchObject({ confidence: 'medium', match: { popular: 'python-dateutil' } });
    // Imitations by form of a widely used name: a habit suffix, separators only.
    expect(npm('lodash-js')).toMatchObject({ confidence: 'high', match: { popular: 'lodash' } });
    expect(npm('cross_spawn')).toMatchObject({ confidence: 'high', match: { popular: 'cross-spawn' } });
  });

  it('needs two signals for a name of 3 or 4 letters: a typo-shaped edit and a widely used target', () => {
    // A doubled letter of a widely used short name: both signals.
    expect(npm('exppress')?.match.popular).toBe('express');
    expect(npm('pgg')).toMatchObject({ match: { popular: 'pg' }, confidence: 'high' });
    expect(npm('pgg')!.signals).toEqual(['a doubled letter ("g")', '"pg" is one of the most installed packages, the kind attackers imitate']);
    // One edit of a short name that is not typo-shaped, or of a short name few install: another package.
    for (const name of ['vux', 'ejx', 'pgx', 'koa2']) expect(npm(name), name).toBeNull();
  });

  it('gives the signals in words', () => {
    expect(npm('lodahs')!.signals).toEqual(['swapped letters ("hs" for "sh")', '"lodash" is one of the most installed packages, the kind attackers imitate']);
    expect(npm('lodash-js')!.signals[0]).toContain('"-js" added');
  });
});
