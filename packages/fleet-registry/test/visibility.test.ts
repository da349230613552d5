import { describe, expect, it } from 'vitest';
import type { VesselState } from '../src/index.js';
import { vesselVisibleTo } from '../src/index.js';

const OWNER = '6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
const OTHER = '0b6c8a52-7d1e-4f0a-9c3b-2e5d4f6a7b8c';
const vessel = { id: 'v1', tenantId: OWNER } as VesselState;
const registry = { vessel: (id: string) => (id === vessel.id ? vessel : null) };

describe('vesselVisibleTo', () => {
  it.each([
    ['the owner’s user', { roles: ['viewer'], tenant: OWNER }, 'v1', vessel],
    [
      'the owner’s user, tenant in upper case',
      { roles: ['viewer'], tenant: OWNER.toUpperCase() },
      'v1',
      vessel,
    ],
    ['an operator', { roles: ['platform-admin'] }, 'v1', vessel],
    ['another owner’s user', { roles: ['owner-admin'], tenant: OTHER }, 'v1', null],
    ['a tenant role without a tenant', { roles: ['owner-admin'] }, 'v1', null],
    ['nobody', null, 'v1', null],
    ['an operator asking for an unknown vessel', { roles: ['platform-admin'] }, 'v2', null],
  ])('%s', (_name, caller, vesselId, expected) => {
    expect(vesselVisibleTo(registry, caller, vesselId)).toBe(expected);
  });
});
