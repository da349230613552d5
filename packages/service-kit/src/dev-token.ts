import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateSigningKey, jwksOf, signToken, type SigningKey, type TokenClaims } from './signing.js';

/** Issuer and audience of development tokens; services in dev are configured with the same values. */
export const DEV_ISSUER = 'https://auth.fleetwatch.local/';
export const DEV_AUDIENCE = 'fleetwatch';

export interface DevKeyFiles {
  privateKeyFile: string;
  jwksFile: string;
}

export function devKeyFiles(directory: string): DevKeyFiles {
  return {
    privateKeyFile: path.join(directory, 'dev-signing-key.json'),
    jwksFile: path.join(directory, 'dev-jwks.json'),
  };
}

/**
 * The local development signing key, created on first use. Its JWKS file is what services read with
 * AUTH_JWKS_FILE in development; production configuration refuses AUTH_JWKS_FILE, so these tokens are
 * never trusted there.
 */
export async function loadOrCreateDevKey(files: DevKeyFiles): Promise<SigningKey> {
  try {
    return JSON.parse(await readFile(files.privateKeyFile, 'utf8')) as SigningKey;
  } catch {
    const key = await generateSigningKey('ES256');
    await mkdir(path.dirname(files.privateKeyFile), { recursive: true });
    await writeFile(files.privateKeyFile, JSON.stringify(key), { mode: 0o600 });
    await writeFile(files.jwksFile, `${JSON.stringify(jwksOf(key), null, 2)}\n`);
    return key;
  }
}

export async function mintDevToken(
  files: DevKeyFiles,
  claims: TokenClaims,
  expiresInSeconds = 8 * 3600,
): Promise<string> {
  const key = await loadOrCreateDevKey(files);
  return signToken(key, claims, { issuer: DEV_ISSUER, audience: DEV_AUDIENCE, expiresInSeconds });
}
