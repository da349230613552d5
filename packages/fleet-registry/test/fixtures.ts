import { randomUUID } from 'node:crypto';
import type { DeviceKeyState, VesselState } from '../src/index.js';
import { generateDeviceKey } from '../src/index.js';

export function vesselState(overrides: Partial<VesselState> = {}): VesselState {
  return {
    id: randomUUID(),
    tenantId: randomUUID(),
    imo: '9074729',
    mmsi: '219018271',
    name: 'Nordic Star',
    shipType: 'bulk-carrier',
    flag: 'DK',
    status: 'active',
    dwt: 82_000,
    gt: 43_000,
    archived: false,
    version: 1,
    updatedAt: '2025-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** A fresh key for the vessel: its state and the whole key as the vessel presents it. */
export function deviceKeyFor(
  vessel: VesselState,
  overrides: Partial<DeviceKeyState> = {},
): { state: DeviceKeyState; key: string } {
  const { id, key, secretHash } = generateDeviceKey();
  return {
    key,
    state: {
      id,
      tenantId: vessel.tenantId,
      vesselId: vessel.id,
      secretHash,
      revoked: false,
      createdAt: '2025-01-01T00:00:00.000Z',
      revokedAt: null,
      ...overrides,
    },
  };
}

export function revoked(state: DeviceKeyState): DeviceKeyState {
  return { ...state, revoked: true, revokedAt: '2025-01-02T00:00:00.000Z' };
}
