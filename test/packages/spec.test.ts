// Pure parts of package scanning: spec parsing, version order, bin choice, npm error lines, targets.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { McpRiskError } from '../../src/model/index.js';
import { chooseBin, defaultCacheDir, exactVersion, formatNpmSpec, isNpmSpec, parseNpmSpec, targetForPackage } from '../../src/packages/index.js';
import { runsOnNode } from '../../src/packages/bin.js';
import { compareVersions, highestVersion } from '../../src/packages/npm-spec.js';
import { cleanLine, lastMeaningfulLine } from '../../src/packages/npm-run.js';
import { thrownMcpRiskError } from '../support/errors.js';

describe('parseNpmSpec', () => {
  it.each([
    ['npm:tiny', { name: 'tiny', range: '' }],
    ['npm:tiny@1.2.3', { name: 'tiny', range: '1.2.3' }],
    ['npm:tiny@^1', { name: 'tiny', range: '^1' }],
    ['npm:tiny@latest', { name: 'tiny', range: 'latest' }],
    ['npm:@scope/name', { name: '@scope/name', range: '' }],
    ['npm:@scope/name@1.2.3-beta.1', { name: '@scope/name', range: '1.2.3-beta.1' }],
    ['npm:@runpod/mcp-server@>=1.0.0 <2', { name: '@runpod/mcp-server', range: '>=1.0.0 <2' }],
    ['  npm:JSONStream@~1.3.0 ', { name: 'JSONStream', range: '~1.3.0' }],
    ['@scope/name@1', { name: '@scope/name', range: '1' }],
  ])('%s', (text, expected) => {
    expect(parseNpmSpec(text)).toEqual(expected);
  });

  it.each([
    'npm:',
    'npm:@scope',
    'npm:@scope/',
    'npm:@/name',
    'npm:tiny@',
    'npm:.hidden',
    'npm:_private',
    'npm:-flag',
    'npm:../etc/passwd',
    'npm:a/b',
    'npm:has space',
    'npm:tiny@git+https://example.com/x.git',
    'npm:tiny@file:../x',
    'npm:tiny@npm:other@1',
    'npm:tiny@http://example.com/x.tgz',
    `npm:${'a'.repeat(215)}`,
  ])('refuses %s', (text) => {
    const error = thrownMcpRiskError(() => parseNpmSpec(text));
    expect(error.code).toBe('USAGE');
    expect(error.message).not.toMatch(/\n/);
    expect(error.message.length).toBeLessThan(200);
  });

  it('tells npm specs from commands and formats them for npm', () => {
    expect(isNpmSpec('npm:x')).toBe(true);
    expect(isNpmSpec('npx x')).toBe(false);
    expect(formatNpmSpec({ name: '@s/x', range: '' })).toBe('@s/x@latest');
    expect(formatNpmSpec({ name: 'x', range: '^2' })).toBe('x@^2');
  });
});

describe('versions', () => {
  it('knows an exact version from a range or tag', () => {
    expect(exactVersion('1.2.3')).toBe('1.2.3');
    expect(exactVersion('v1.2.3')).toBe('1.2.3');
    expect(exactVersion('=1.2.3-rc.1')).toBe('1.2.3-rc.1');
    expect(exactVersion('2026.8.31')).toBe('2026.8.31');
    for (const range of ['', '^1.2.3', '1.2', '1.x', 'latest', '>=1.0.0', '1.2.3 - 1.4.0']) expect(exactVersion(range)).toBeUndefined();
  });

  it('orders by semver precedence, releases above their pre-releases', () => {
    expect(compareVersions('1.10.0', '1.9.0')).toBe(1);
    expect(compareVersions('1.0.0', '1.0.0-rc.1')).toBe(1);
    expect(compareVersions('1.0.0-alpha.2', '1.0.0-alpha.10')).toBe(-1);
    expect(compareVersions('1.0.0-alpha', '1.0.0-alpha.1')).toBe(-1);
    expect(compareVersions('1.0.0-1', '1.0.0-alpha')).toBe(-1);
    expect(compareVersions('1.0.0+build', '1.0.0')).toBe(0);
    expect(highestVersion(['1.0.0', '1.10.0', '1.9.9', 'junk', '2.0.0-rc.1'])).toBe('2.0.0-rc.1');
    expect(highestVersion(['../../x'])).toBeUndefined();
  });
});

describe('chooseBin', () => {
  const root = '/cache/npm/x@1.0.0/node_modules/@scope/server';

  it('names a string bin after the package without its scope', () => {
    expect(chooseBin({ bin: 'dist/index.js' }, '@scope/server', root, '@scope/server@1.0.0')).toEqual({ name: 'server', path: `${root}/dist/index.js` });
  });

  it('takes the only bin of a map, or the one named like the package', () => {
    expect(chooseBin({ bin: { 'mcp-x': './cli.js' } }, '@scope/server', root, 'l').name).toBe('mcp-x');
    expect(chooseBin({ bin: { helper: 'h.js', server: 's.js' } }, '@scope/server', root, 'l')).toEqual({ name: 'server', path: `${root}/s.js` });
  });

  it('lets --bin win, and lists the bins when it names none or the choice is open', () => {
    expect(chooseBin({ bin: { helper: 'h.js', server: 's.js' } }, '@scope/server', root, 'l', 'helper').name).toBe('helper');
    const open = thrownMcpRiskError(() => chooseBin({ bin: { a: 'a.js', b: 'b.js' } }, '@scope/server', root, '@scope/server@1.0.0'));
    expect(open.code).toBe('USAGE');
    expect(open.message).toBe('@scope/server@1.0.0 has several executables: a, b');
    expect(open.hint).toContain('--bin NAME');
    const wrong = thrownMcpRiskError(() => chooseBin({ bin: { a: 'a.js' } }, 'x', root, 'x@1.0.0', 'c'));
    expect(wrong.code).toBe('USAGE');
    expect(wrong.message).toBe('x@1.0.0 has no executable named "c"; it has: a');
  });

  it('bounds a long bin listing', () => {
    const bin = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`bin-${i}`, `${i}.js`]));
    const error = thrownMcpRiskError(() => chooseBin({ bin }, 'x', root, 'x@1.0.0'));
    expect(error.message).toContain('(50 in all)');
    expect(error.message.length).toBeLessThan(400);
  });

  it('refuses a package without a bin, or a bin pointing outside the package', () => {
    for (const manifest of [{}, { bin: {} }, { bin: '' }, { bin: ['a.js'] }, null]) {
      const error = thrownMcpRiskError(() => chooseBin(manifest, 'x', root, 'x@1.0.0'));
      expect(error.code).toBe('SERVER_FAILED');
      expect(error.message).toContain('x@1.0.0 declares no executable');
    }
    const escape = thrownMcpRiskError(() => chooseBin({ bin: '../../../../bin/sh' }, 'x', root, 'x@1.0.0'));
    expect(escape.message).toContain('points outside the package');
    expect(() => chooseBin({ bin: '/bin/sh' }, 'x', root, 'x@1.0.0')).toThrow(McpRiskError);
  });
});

describe('npm error lines', () => {
  it('keeps the line that says what failed, not the boilerplate', () => {
    const refused = [
      'npm warn Unknown user config "nodedir".',
      'npm error code ECONNREFUSED',
      'npm error syscall connect',
      'npm error errno ECONNREFUSED',
      'npm error FetchError: request to http://127.0.0.1:9/x failed, reason: connect ECONNREFUSED 127.0.0.1:9',
      'npm error',
      'npm error If you are behind a proxy, please make sure that the',
      "npm error 'proxy' config is set properly.  See: 'npm help config'",
      'npm error A complete log of this run can be found in: /tmp/x.log',
    ].join('\n');
    expect(lastMeaningfulLine(refused)).toBe('FetchError: request to http://127.0.0.1:9/x failed, reason: connect ECONNREFUSED 127.0.0.1:9');
    const notFound = [
      'npm error code E404',
      'npm error 404 Not Found - GET http://r/x - Not found',
      'npm error 404',
      'npm error 404 Note that you can also install from a',
      'npm error 404 tarball, folder, http url, or git url.',
    ].join('\n');
    expect(lastMeaningfulLine(notFound)).toBe('Not Found - GET http://r/x - Not found');
    expect(lastMeaningfulLine('npm warn deprecated x\n')).toBeUndefined();
    expect(lastMeaningfulLine('plain failure\n\n')).toBe('plain failure');
  });

  it('neutralises control characters and bounds the length', () => {
    expect(cleanLine('a\u001b[31mred\u0007\r\nb')).toBe('a [31mred b');
    expect(cleanLine('x'.repeat(1000)).length).toBe(300);
  });
});

describe('defaultCacheDir', () => {
  it('prefers MCP_RISK_CACHE, then XDG_CACHE_HOME, then ~/.cache', () => {
    expect(defaultCacheDir({ MCP_RISK_CACHE: '/a', XDG_CACHE_HOME: '/b' })).toBe('/a');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/b' })).toBe('/b/mcp-risk');
    expect(defaultCacheDir({ MCP_RISK_CACHE: '' })).toBe(join(homedir(), '.cache', 'mcp-risk'));
  });
});

describe('targetForPackage', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-bins-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pkg = (binPath: string) => ({ name: '@s/x', version: '1.0.0', dir, installDir: dir, bin: 'x', binPath, cached: true });

  it('runs a JS bin on our node and anything else as itself', () => {
    const shebang = join(dir, 'server');
    writeFileSync(shebang, '#!/usr/bin/env node\nconsole.log(1)\n');
    const shell = join(dir, 'run.sh');
    writeFileSync(shell, '#!/bin/sh\nexec something\n');
    chmodSync(shell, 0o755);
    expect(runsOnNode(join(dir, 'missing.cjs'))).toBe(true);
    expect(runsOnNode(shebang)).toBe(true);
    expect(runsOnNode(shell)).toBe(false);
    expect(targetForPackage(pkg(shebang), { args: ['--flag'] })).toEqual({ kind: 'stdio', name: '@s/x', command: process.execPath, args: [shebang, '--flag'] });
    expect(targetForPackage(pkg(shell), { env: { K: 'v' } })).toEqual({ kind: 'stdio', name: '@s/x', command: shell, args: [], env: { K: 'v' } });
  });
});
