import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_AUDIENCE, DEV_ISSUER, devKeyFiles, loadOrCreateDevKey, mintDevToken } from '../src/index.js';
import { buildSampleApp } from './helpers.js';

describe('development tokens', () => {
  it('are accepted by a service configured with the dev JWKS, and keep one key between calls', async () => {
    const files = devKeyFiles(await mkdtemp(path.join(tmpdir(), 'dev-auth-')));
    const token = await mintDevToken(files, { subject: 'dev', tenant: 'tenant-a', roles: ['viewer'] });
    const again = await loadOrCreateDevKey(files);
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as {
      kid: string;
    };
    expect(header.kid).toBe(again.kid);

    const { app } = await buildSampleApp({
      env: { AUTH_ISSUER: DEV_ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS_FILE: files.jwksFile },
    });
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/me',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ subject: 'dev', tenant: 'tenant-a', roles: ['viewer'] });
    } finally {
      await app.close();
    }
  });
});
