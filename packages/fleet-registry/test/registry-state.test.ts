import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRegistryState } from '../src/registry-state.js';
import { mergeDeviceKeyState, mergeVesselState } from '../src/index.js';
import { deviceKeyFor, revoked, vesselState } from './fixtures.js';

describe('mergeVesselState', () => {
  const v1 = vesselState({ version: 1, name: 'First' });
  const v2 = { ...v1, version: 2, name: 'Second' };

  it('takes the first state of a vessel', () => {
    expect(mergeVesselState(undefined, v1)).toBe(v1);
  });

  it('takes a newer version', () => {
    expect(mergeVesselState(v1, v2)).toBe(v2);
  });

  it('keeps the held state when an older version arrives late', () => {
    expect(mergeVesselState(v2, v1)).toBe(v2);
  });

  it('takes a state of the same version (a redelivery or a re-publish)', () => {
    const republished = { ...v2 };
    expect(mergeVesselState(v2, republished)).toBe(republished);
  });
});

describe('mergeDeviceKeyState', () => {
  const { state: active } = deviceKeyFor(vesselState());
  const revokedState = revoked(active);

  it('takes the first state of a key, revoked or not', () => {
    expect(mergeDeviceKeyState(undefined, active)).toBe(active);
    expect(mergeDeviceKeyState(undefined, revokedState)).toBe(revokedState);
  });

  it('takes a revocation', () => {
    expect(mergeDeviceKeyState(active, revokedState)).toBe(revokedState);
  });

  it('keeps a key revoked when a non-revoked state arrives after the revocation', () => {
    expect(mergeDeviceKeyState(revokedState, active)).toBe(revokedState);
  });

  it('takes the later of two non-revoked states', () => {
    const later = { ...active, createdAt: '2025-01-01T00:00:01.000Z' };
    expect(mergeDeviceKeyState(active, later)).toBe(later);
  });
});

describe('registry state', () => {
  const vessel = vesselState();
  const { state: keyState, key } = deviceKeyFor(vessel);

  function stateWith(...apply: ((state: ReturnType<typeof createRegistryState>) => void)[]) {
    const state = createRegistryState();
    for (const step of apply) step(state);
    return state;
  }

  describe('vesselBelongsTo', () => {
    it("is true for the vessel's tenant and false for any other", () => {
      const state = stateWith((s) => s.applyVessel(vessel));

      expect(state.vesselBelongsTo(vessel.id, vessel.tenantId)).toBe(true);
      expect(state.vesselBelongsTo(vessel.id, randomUUID())).toBe(false);
    });

    it('is false for a vessel the view does not know', () => {
      expect(stateWith().vesselBelongsTo(vessel.id, vessel.tenantId)).toBe(false);
    });

    it('stays true for an archived vessel, whose history the tenant keeps', () => {
      const state = stateWith((s) => s.applyVessel({ ...vessel, archived: true, version: 2 }));
      expect(state.vesselBelongsTo(vessel.id, vessel.tenantId)).toBe(true);
    });

    it('follows the newest version when a vessel moves to another tenant', () => {
      const newOwner = randomUUID();
      const state = stateWith((s) => s.applyVessel({ ...vessel, tenantId: newOwner, version: 2 }));
      state.applyVessel(vessel); // version 1, late

      expect(state.vesselBelongsTo(vessel.id, newOwner)).toBe(true);
      expect(state.vesselBelongsTo(vessel.id, vessel.tenantId)).toBe(false);
    });
  });

  describe('verifyDeviceKey', () => {
    it('returns the key, vessel and tenant for a valid key', () => {
      const state = stateWith(
        (s) => s.applyVessel(vessel),
        (s) => s.applyDeviceKey(keyState),
      );
      expect(state.verifyDeviceKey(key)).toEqual({
        keyId: keyState.id,
        vesselId: vessel.id,
        tenantId: vessel.tenantId,
      });
    });

    it('accepts a key whose state arrived before its vessel, once the vessel arrives', () => {
      const state = stateWith((s) => s.applyDeviceKey(keyState));
      expect(state.verifyDeviceKey(key)).toBeNull();

      state.applyVessel(vessel);
      expect(state.verifyDeviceKey(key)?.keyId).toBe(keyState.id);
    });

    it('rejects a wrong secret, an unknown id and a malformed key', () => {
      const state = stateWith(
        (s) => s.applyVessel(vessel),
        (s) => s.applyDeviceKey(keyState),
      );
      const { key: otherKey } = deviceKeyFor(vessel);
      const wrongSecret = `fwdk_${keyState.id}.${otherKey.split('.')[1] ?? ''}`;

      expect(state.verifyDeviceKey(wrongSecret)).toBeNull();
      expect(state.verifyDeviceKey(otherKey)).toBeNull();
      expect(state.verifyDeviceKey('fwdk_nonsense')).toBeNull();
      expect(state.verifyDeviceKey('')).toBeNull();
    });

    it('rejects a revoked key, even when an older non-revoked state arrives afterwards', () => {
      const state = stateWith(
        (s) => s.applyVessel(vessel),
        (s) => s.applyDeviceKey(revoked(keyState)),
        (s) => s.applyDeviceKey(keyState),
      );
      expect(state.verifyDeviceKey(key)).toBeNull();
    });

    it('rejects the keys of an archived vessel, and accepts them again once it is unarchived', () => {
      const state = stateWith(
        (s) => s.applyVessel({ ...vessel, archived: true, version: 2 }),
        (s) => s.applyDeviceKey(keyState),
      );
      expect(state.verifyDeviceKey(key)).toBeNull();

      state.applyVessel({ ...vessel, archived: false, version: 3 });
      expect(state.verifyDeviceKey(key)).not.toBeNull();
    });

    it('rejects a key whose vessel now belongs to another tenant', () => {
      const state = stateWith(
        (s) => s.applyVessel({ ...vessel, tenantId: randomUUID(), version: 2 }),
        (s) => s.applyDeviceKey(keyState),
      );
      expect(state.verifyDeviceKey(key)).toBeNull();
    });

    it('rejects keys of an erased (tombstoned) key or vessel', () => {
      const keyErased = stateWith(
        (s) => s.applyVessel(vessel),
        (s) => s.applyDeviceKey(keyState),
        (s) => s.removeDeviceKey(keyState.id),
      );
      const vesselErased = stateWith(
        (s) => s.applyVessel(vessel),
        (s) => s.applyDeviceKey(keyState),
        (s) => s.removeVessel(vessel.id),
      );

      expect(keyErased.verifyDeviceKey(key)).toBeNull();
      expect(vesselErased.verifyDeviceKey(key)).toBeNull();
      expect(vesselErased.vessel(vessel.id)).toBeNull();
      expect(keyErased.size()).toEqual({ vessels: 1, deviceKeys: 0 });
    });
  });
});
