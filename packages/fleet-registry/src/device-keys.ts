import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A vessel device key, as a vessel presents it: `Authorization: DeviceKey fwdk_<id>.<secret>`.
 * The id (16 lower-case base-36 characters) finds the key; the secret (32 random bytes, base64url)
 * proves it. Only SHA-256 of the secret is kept: the secret has 256 bits of entropy, so a slow
 * password hash would add cost without adding safety.
 */
export const DEVICE_KEY_PREFIX = 'fwdk_';
export const DEVICE_KEY_SCHEME = 'DeviceKey';

const PRESENTED = /^fwdk_([a-z0-9]{16})\.([A-Za-z0-9_-]{43})$/;

export interface NewDeviceKey {
  id: string;
  /** The whole key to hand to the vessel, once. */
  key: string;
  secretHash: string;
}

export function hashDeviceKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function randomId(): string {
  // 16 characters of base 36 from 80 random bits (collisions are checked by the primary key anyway).
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
  return Array.from(randomBytes(16), (byte) => digits[byte % 36]).join('');
}

export function generateDeviceKey(): NewDeviceKey {
  const id = randomId();
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `${DEVICE_KEY_PREFIX}${id}.${secret}`, secretHash: hashDeviceKeySecret(secret) };
}

/** The key's id and secret, or null when it is not shaped like a device key. */
export function parseDeviceKey(presented: string): { id: string; secret: string } | null {
  const match = PRESENTED.exec(presented);
  if (!match?.[1] || !match[2]) return null;
  return { id: match[1], secret: match[2] };
}

/**
 * The key from an Authorization header value (`DeviceKey fwdk_…`), or null. The scheme is matched
 * case-insensitively, as HTTP auth schemes are (RFC 9110, section 11.1); the key itself is not checked.
 */
export function deviceKeyFromAuthorization(header: string | undefined): string | null {
  if (!header) return null;
  const [scheme, value, ...rest] = header.trim().split(/\s+/);
  if (rest.length > 0 || scheme?.toLowerCase() !== DEVICE_KEY_SCHEME.toLowerCase() || !value) return null;
  return value;
}

/** Constant-time comparison of a presented secret with a stored hash. */
export function secretMatches(secret: string, secretHash: string): boolean {
  const presented = Buffer.from(hashDeviceKeySecret(secret), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** How a key is shown after creation: its id, never its secret. */
export function maskDeviceKey(id: string): string {
  return `${DEVICE_KEY_PREFIX}${id}.${'*'.repeat(8)}`;
}

/** The OpenAPI security scheme of routes that accept a device key (services add it to their document). */
export const DEVICE_KEY_SECURITY_SCHEME = {
  type: 'apiKey',
  in: 'header',
  name: 'Authorization',
  description: 'A vessel device key: `DeviceKey fwdk_<id>.<secret>`',
} as const;
