// Held-back cases for dependency.typosquat: written with the variants, never used to tune the
// analyzer. They record what it catches today; misses are written as expected misses.
import { describe, expect, it } from 'vitest';
import { normalizePypiName } from '../../../../src/core/analyzers/dependencies/package-names.js';
import { judgeTyposquat } from '../../../../src/core/analyzers/dependencies/typo-shape.js';
import { npmNameIndex, pypiNameIndex } from '../../../../src/core/analyzers/dependencies/typosquat.js';
import type { ScanData } from '../../../../src/core/rules/types.js';
import { loadScanData } from '../../../../src/io/scan-data.js';

const data: ScanData = await loadScanData();
const npm = (name: string) => judgeTyposquat(npmNameIndex(data.popularNpm), name, true)?.match.popular ?? null;
const pypi = (name: string) => judgeTyposquat(pypiNameIndex(data.popularPypi), normalizePypiName(name), false)?.match.popular ?? null;

describe('held-back typosquats', () => {
  it.each([
    ['mongose', 'mongoose'],
    ['electorn', 'electron'],
    ['babelcli', '@babel/cli'],
    ['jquerry', 'jquery'],
    ['nodemailer-js', 'nodemailer'],
    ['rnocha', 'mocha'],
    ['webpak', 'webpack'],
    ['dotevn', 'dotenv'],
    ['chalc', 'chalk'],
    ['expresjs', 'express'],
  ])('npm %s is caught as %s', (name, popular) => {
    expect(npm(name)).toBe(popular);
  });

  it.each([
    ['colourama', 'colorama'],
    ['urlib3', 'urllib3'],
    ['jeIlyfish', 'jellyfish'],
  ])('PyPI %s is caught as %s', (name, popular) => {
    expect(pypi(name)).toBe(popular);
  });

  // A ".js" suffix is an established way to name packages (expect.js); a digit change reads as a
  // version, not a typo.
  it('expected misses: npm d3.js and cross-env.js, PyPI python3-dateutil', () => {
    expect(npm('d3.js')).toBeNull();
    expect(npm('cross-env.js')).toBeNull();
    expect(pypi('python3-dateutil')).toBeNull();
  });
});

describe('held-back established lookalikes', () => {
  it.each(['lowdb', 'koa-body', 'mkdirp-classic', 'tape', 'nopt', 'grunt', 'pump'])('npm %s is not flagged', (name) => {
    expect(npm(name)).toBeNull();
  });

  it.each(['pyaml', 'jinja', 'colour', 'tablib', 'pytz'])('PyPI %s is not flagged', (name) => {
    expect(pypi(name)).toBeNull();
  });
});
