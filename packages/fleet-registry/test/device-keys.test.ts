import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import {
  DEVICE_KEY_PREFIX,
  DeviceKeyState,
  deviceKeyFromAuthorization,
  generateDeviceKey,
  hashDeviceKeySecret,
  maskDeviceKey,
  parseDeviceKey,
  secretMatches,
} from '../src/index.js';

const ID = '0123456789abcdef';
const SECRET = 'A'.repeat(42) + '_'; // 43 base64url characters, as 32 bytes encode to
const KEY = `fwdk_${ID}.${SECRET}`;

describe('generateDeviceKey', () => {
  it('makes a key that parses back into its id and a secret matching its hash', () => {
    const { id, key, secretHash } = generateDeviceKey();

    expect(key).toMatch(/^fwdk_[a-z0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    const parsed = parseDeviceKey(key);
    expect(parsed?.id).toBe(id);
    expect(secretMatches(parsed?.secret ?? '', secretHash)).toBe(true);
  });

  it('stores only the hash, in the shape DeviceKeyState requires', () => {
    const { id, key, secretHash } = generateDeviceKey();

    expect(secretHash).toBe(hashDeviceKeySecret(parseDeviceKey(key)?.secret ?? ''));
    expect(key).not.toContain(secretHash);
    const state = {
      id,
      tenantId: '00000000-0000-4000-8000-000000000001',
      vesselId: '00000000-0000-4000-8000-000000000002',
      secretHash,
      revoked: false,
      createdAt: '2025-01-01T00:00:00Z',
      revokedAt: null,
    };
    expect(Value.Check(DeviceKeyState, state)).toBe(true);
  });

  it('makes a different id and secret every time', () => {
    const keys = Array.from({ length: 200 }, () => generateDeviceKey());

    expect(new Set(keys.map(({ id }) => id)).size).toBe(keys.length);
    expect(new Set(keys.map(({ secretHash }) => secretHash)).size).toBe(keys.length);
  });
});

describe('parseDeviceKey', () => {
  it('splits a well-formed key into id and secret', () => {
    expect(parseDeviceKey(KEY)).toEqual({ id: ID, secret: SECRET });
  });

  it.each([
    ['an empty string', ''],
    ['the prefix alone', DEVICE_KEY_PREFIX],
    ['no prefix', `${ID}.${SECRET}`],
    ['another prefix', `fwdx_${ID}.${SECRET}`],
    ['an upper-case prefix', `FWDK_${ID}.${SECRET}`],
    ['no dot', `fwdk_${ID}${SECRET}`],
    ['an id one character short', `fwdk_${ID.slice(1)}.${SECRET}`],
    ['an id one character long', `fwdk_${ID}0.${SECRET}`],
    ['an upper-case id', `fwdk_${ID.toUpperCase()}.${SECRET}`],
    ['a secret one character short', `fwdk_${ID}.${SECRET.slice(1)}`],
    ['a secret one character long', `fwdk_${ID}.${SECRET}A`],
    ['base64 padding', `fwdk_${ID}.${SECRET.slice(1)}=`],
    ['a "+" from plain base64', `fwdk_${ID}.+${SECRET.slice(1)}`],
    ['a second dot', `fwdk_${ID}.${SECRET}.x`],
    ['leading whitespace', ` ${KEY}`],
    ['a trailing newline', `${KEY}\n`],
    ['the scheme still in front', `DeviceKey ${KEY}`],
    ['a masked key', maskDeviceKey(ID)],
  ])('rejects %s', (_what, presented) => {
    expect(parseDeviceKey(presented)).toBeNull();
  });
});

describe('secretMatches', () => {
  const hash = hashDeviceKeySecret(SECRET);

  it('accepts the secret the hash was made from', () => {
    expect(secretMatches(SECRET, hash)).toBe(true);
  });

  it('rejects any other secret', () => {
    expect(secretMatches(SECRET.replace(/^A/, 'B'), hash)).toBe(false);
    expect(secretMatches('', hash)).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['short', hash.slice(0, 62)],
    ['not hex', 'z'.repeat(64)],
    ['long', `${hash}00`],
  ])('returns false, without throwing, for a stored hash that is %s', (_what, storedHash) => {
    expect(secretMatches(SECRET, storedHash)).toBe(false);
  });
});

describe('maskDeviceKey', () => {
  it('shows the id and hides the secret', () => {
    expect(maskDeviceKey(ID)).toBe(`fwdk_${ID}.********`);
  });
});

describe('deviceKeyFromAuthorization', () => {
  it('takes the key from a DeviceKey header', () => {
    expect(deviceKeyFromAuthorization(`DeviceKey ${KEY}`)).toBe(KEY);
  });

  it('matches the scheme case-insensitively, as HTTP does, and tolerates extra whitespace', () => {
    expect(deviceKeyFromAuthorization(`devicekey ${KEY}`)).toBe(KEY);
    expect(deviceKeyFromAuthorization(`  DEVICEKEY \t ${KEY}  `)).toBe(KEY);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['whitespace only', '   '],
    ['the scheme alone', 'DeviceKey'],
    ['the scheme and a space', 'DeviceKey '],
    ['a bearer token', `Bearer ${KEY}`],
    ['the key without a scheme', KEY],
    ['a scheme glued to the key', `DeviceKey:${KEY}`],
    ['two values', `DeviceKey ${KEY} ${KEY}`],
  ])('returns null for %s', (_what, header) => {
    expect(deviceKeyFromAuthorization(header)).toBeNull();
  });

  it('leaves checking the key to parseDeviceKey', () => {
    expect(deviceKeyFromAuthorization('DeviceKey not-a-key')).toBe('not-a-key');
    expect(parseDeviceKey('not-a-key')).toBeNull();
  });
});
