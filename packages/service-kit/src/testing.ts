import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  generateSigningKey,
  jwksOf,
  signToken,
  type SignOptions,
  type SigningKey,
  type TokenClaims,
} from './signing.js';

/** An identity provider for tests: a JWKS file to configure a service with, and a token signer. */
export interface TestAuth {
  issuer: string;
  audience: string;
  jwksFile: string;
  key: SigningKey;
  token(claims: TokenClaims, options?: Partial<SignOptions>): Promise<string>;
}

export async function createTestAuth(
  issuer = 'https://auth.test.fleetwatch/',
  audience = 'fleetwatch-test',
): Promise<TestAuth> {
  const key = await generateSigningKey('ES256');
  const directory = await mkdtemp(path.join(tmpdir(), 'fleetwatch-auth-'));
  const jwksFile = path.join(directory, 'jwks.json');
  await writeFile(jwksFile, JSON.stringify(jwksOf(key)));
  return {
    issuer,
    audience,
    jwksFile,
    key,
    token: (claims, options) => signToken(key, claims, { issuer, audience, ...options }),
  };
}

export { generateSigningKey, jwksOf, signToken } from './signing.js';
export type { SignOptions, SigningKey, TokenClaims } from './signing.js';
export { reviewOpenApi } from './openapi-review.js';
export type { OpenApiDocument, OpenApiReview } from './openapi-review.js';
