import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageInfo } from '../src/package-info.js';

describe('packageInfo', () => {
  const withManifest = mkdtempSync(join(tmpdir(), 'package-info-'));
  writeFileSync(
    join(withManifest, 'package.json'),
    JSON.stringify({ name: '@fleetwatch/fleet', version: '1.4.2' }),
  );
  const empty = mkdtempSync(join(tmpdir(), 'package-info-empty-'));
  afterAll(() => {
    rmSync(withManifest, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it.each([
    [
      'a package script (npm_package_* set)',
      { npm_package_name: '@fleetwatch/crew', npm_package_version: '0.3.0' },
      withManifest,
      { name: '@fleetwatch/crew', version: '0.3.0' },
    ],
    [
      'a container (node started directly in /app)',
      {},
      withManifest,
      { name: '@fleetwatch/fleet', version: '1.4.2' },
    ],
    ['no package.json at all', {}, empty, { name: undefined, version: undefined }],
  ])('%s', (_case, env, cwd, expected) => {
    expect(packageInfo(env, cwd)).toEqual(expected);
  });
});
