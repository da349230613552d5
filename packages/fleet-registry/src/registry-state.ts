import type { DeviceKeyState, VesselState } from './contracts.js';
import { parseDeviceKey, secretMatches } from './device-keys.js';

/** Who a valid device key speaks for. */
export interface VerifiedDeviceKey {
  keyId: string;
  vesselId: string;
  tenantId: string;
}

/**
 * The vessel state to keep: the incoming one unless the held one is newer. An equal version wins
 * too, so a redelivered message changes nothing and a re-published state is taken as it is.
 */
export function mergeVesselState(held: VesselState | undefined, incoming: VesselState): VesselState {
  if (held !== undefined && incoming.version < held.version) return held;
  return incoming;
}

/**
 * The device-key state to keep. Key states carry no version, and revocation is final: a key is never
 * un-revoked (a vessel gets a new key instead), so a non-revoked state arriving after a revoked one
 * was written before it (a replay, or delivery out of order) and must not bring the key back.
 */
export function mergeDeviceKeyState(
  held: DeviceKeyState | undefined,
  incoming: DeviceKeyState,
): DeviceKeyState {
  if (held?.revoked && !incoming.revoked) return held;
  return incoming;
}

/**
 * The in-memory registry a view keeps: pure, so the merge and verification rules are tested without
 * Kafka. Entries are replaced, never mutated, so a state handed out stays as it was.
 */
export interface RegistryState {
  applyVessel(state: VesselState): void;
  applyDeviceKey(state: DeviceKeyState): void;
  /** A tombstone (null value) on the compacted topic: the entity was erased. */
  removeVessel(id: string): void;
  removeDeviceKey(id: string): void;
  vessel(id: string): VesselState | null;
  vesselBelongsTo(vesselId: string, tenantId: string): boolean;
  verifyDeviceKey(presented: string): VerifiedDeviceKey | null;
  size(): { vessels: number; deviceKeys: number };
}

export function createRegistryState(): RegistryState {
  const vessels = new Map<string, VesselState>();
  const deviceKeys = new Map<string, DeviceKeyState>();

  return {
    applyVessel(state) {
      vessels.set(state.id, mergeVesselState(vessels.get(state.id), state));
    },
    applyDeviceKey(state) {
      deviceKeys.set(state.id, mergeDeviceKeyState(deviceKeys.get(state.id), state));
    },
    removeVessel(id) {
      vessels.delete(id);
    },
    removeDeviceKey(id) {
      deviceKeys.delete(id);
    },
    vessel(id) {
      return vessels.get(id) ?? null;
    },
    // Archived vessels still belong to their tenant: the tenant keeps reading their history.
    vesselBelongsTo(vesselId, tenantId) {
      return vessels.get(vesselId)?.tenantId === tenantId;
    },
    verifyDeviceKey(presented) {
      const parsed = parseDeviceKey(presented);
      if (parsed === null) return null;
      const key = deviceKeys.get(parsed.id);
      if (key === undefined || !secretMatches(parsed.secret, key.secretHash) || key.revoked) return null;
      // The two topics are not ordered with each other, so a key's state can arrive before its
      // vessel's; the key is kept (above) but only works once the vessel is known. That fails closed
      // for the moment in between, and an archived vessel or one now owned by another tenant must
      // not send telemetry on an old key either.
      const vessel = vessels.get(key.vesselId);
      if (vessel === undefined || vessel.archived || vessel.tenantId !== key.tenantId) return null;
      return { keyId: key.id, vesselId: key.vesselId, tenantId: key.tenantId };
    },
    size() {
      return { vessels: vessels.size, deviceKeys: deviceKeys.size };
    },
  };
}
