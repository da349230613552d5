import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet, type JWK, type JWTPayload } from 'jose';
import { randomUUID } from 'node:crypto';

export interface TokenClaims {
  subject: string;
  tenant?: string;
  roles: string[];
}

export interface SigningKey {
  kid: string;
  alg: 'ES256' | 'RS256';
  privateJwk: JWK;
  publicJwk: JWK;
}

export async function generateSigningKey(alg: 'ES256' | 'RS256' = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    alg,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

export function jwksOf(...keys: SigningKey[]): JSONWebKeySet {
  return { keys: keys.map((key) => key.publicJwk) };
}

export interface SignOptions {
  issuer: string;
  audience: string;
  /** Lifetime in seconds from now (negative: already expired). */
  expiresInSeconds?: number;
  /** Seconds from now before which the token is not valid. */
  notBeforeInSeconds?: number;
  extraClaims?: JWTPayload;
}

export async function signToken(key: SigningKey, claims: TokenClaims, options: SignOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    ...options.extraClaims,
    roles: claims.roles,
    ...(claims.tenant === undefined ? {} : { tenant: claims.tenant }),
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(claims.subject)
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setIssuedAt(now)
    .setJti(randomUUID())
    .setExpirationTime(now + (options.expiresInSeconds ?? 3600));
  if (options.notBeforeInSeconds !== undefined) jwt.setNotBefore(now + options.notBeforeInSeconds);
  const { importJWK } = await import('jose');
  return jwt.sign(await importJWK(key.privateJwk, key.alg));
}
