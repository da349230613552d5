import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { createTestAuth, generateSigningKey, jwksOf, signToken, type TestAuth } from '../src/testing.js';
import { buildSampleApp } from './helpers.js';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('bearer JWT authentication', () => {
  let app: ServiceApp;
  let auth: TestAuth;
  const claims = { subject: 'user-1', tenant: 'tenant-a', roles: ['viewer'] };

  beforeAll(async () => {
    auth = await createTestAuth();
    // The identity provider publishes an RS256 key beside the ES256 one.
    const rsaKey = await generateSigningKey('RS256');
    await writeFile(auth.jwksFile, JSON.stringify(jwksOf(auth.key, rsaKey)));
    ({ app } = await buildSampleApp({ auth }));
    Object.assign(auth, { rsaKey });
  });
  afterAll(async () => {
    await app.close();
  });

  async function callMe(token: string) {
    return app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
  }

  it('accepts a valid ES256 token and exposes the principal', async () => {
    const response = await callMe(await auth.token(claims));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ subject: 'user-1', tenant: 'tenant-a', roles: ['viewer'] });
  });

  it('accepts a valid RS256 token', async () => {
    const { rsaKey } = auth as TestAuth & { rsaKey: Awaited<ReturnType<typeof generateSigningKey>> };
    const token = await signToken(rsaKey, claims, { issuer: auth.issuer, audience: auth.audience });
    expect((await callMe(token)).statusCode).toBe(200);
  });

  const rejected: [string, () => Promise<string>][] = [
    ['expired', () => auth.token(claims, { expiresInSeconds: -60 })],
    ['not yet valid', () => auth.token(claims, { notBeforeInSeconds: 600 })],
    ['wrong issuer', () => auth.token(claims, { issuer: 'https://evil.example/' })],
    ['wrong audience', () => auth.token(claims, { audience: 'another-api' })],
    [
      'alg none',
      async () => {
        const now = Math.floor(Date.now() / 1000);
        const payload = {
          sub: 'user-1',
          tenant: 'tenant-a',
          roles: ['platform-admin'],
          iss: auth.issuer,
          aud: auth.audience,
          iat: now,
          exp: now + 600,
        };
        return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
      },
    ],
    [
      'unknown key',
      async () => {
        const stranger = await generateSigningKey('ES256');
        return signToken(stranger, claims, { issuer: auth.issuer, audience: auth.audience });
      },
    ],
    [
      'tampered signature',
      async () => {
        const [header, , signature] = (await auth.token(claims)).split('.');
        const now = Math.floor(Date.now() / 1000);
        const forged = {
          sub: 'user-1',
          tenant: 'tenant-b',
          roles: ['platform-admin'],
          iss: auth.issuer,
          aud: auth.audience,
          exp: now + 600,
        };
        return `${header}.${base64url(forged)}.${signature}`;
      },
    ],
    ['roles claim missing', () => auth.token({ subject: 'user-1', roles: undefined as unknown as string[] })],
    ['garbage', async () => 'not-a-jwt'],
  ];

  it.each(rejected)('401 for a token that is %s', async (_case, makeToken) => {
    const response = await callMe(await makeToken());
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.headers['www-authenticate']).toMatch(
      /^Bearer realm="fleetwatch"(, error="invalid_token", error_description="[^"\\]*")?$/,
    );
  });

  it('403 for a valid token without the required role', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/vessels',
      headers: { authorization: `Bearer ${await auth.token(claims)}` },
      payload: { name: 'Ever Given', imo: '9811000' },
    });
    expect(response.statusCode).toBe(403);
  });

  it('checks authentication before validating the body', async () => {
    const response = await app.inject({ method: 'POST', url: '/vessels', payload: { bogus: true } });
    expect(response.statusCode).toBe(401);
  });
});
