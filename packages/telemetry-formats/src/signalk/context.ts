/**
 * Vessel identities in Signal K contexts, so the ingestion API can check that a delta is about the
 * vessel that sent it. Signal K names vessels by URN: `vessels.urn:mrn:imo:mmsi:<9 digits>`, and
 * `vessels.urn:mrn:imo:imo-number:<7 digits>` for IMO numbers; `vessels.self` is the sender itself.
 */
export type VesselIdentity =
  { kind: 'mmsi'; value: string } | { kind: 'imo'; value: string } | { kind: 'self' };

const MMSI_CONTEXT = /^vessels\.urn:mrn:imo:mmsi:(\d{9})$/;
const IMO_CONTEXT = /^vessels\.urn:mrn:imo:imo-number:(\d{7})$/;

/**
 * The vessel a context names, or `undefined` when it names none: another URN scheme (e.g.
 * `urn:mrn:signalk:uuid:…`), something that is not a vessel (`atons.…`, `aircraft.…`), or not nine
 * (MMSI) or seven (IMO) digits. Only the syntax is checked, not MMSI ranges or the IMO check digit:
 * the number is only ever compared with the registered vessel's, which were validated on the way in.
 * Treat `undefined` as "not this vessel", never as "no claim" (`contextIsVessel` does).
 * The URN is matched exactly as Signal K writes it (lower case).
 */
export function vesselIdFromContext(context: string): VesselIdentity | undefined {
  if (context === 'vessels.self') return { kind: 'self' };
  const mmsi = MMSI_CONTEXT.exec(context)?.[1];
  if (mmsi !== undefined) return { kind: 'mmsi', value: mmsi };
  const imo = IMO_CONTEXT.exec(context)?.[1];
  if (imo !== undefined) return { kind: 'imo', value: imo };
  return undefined;
}

/**
 * Whether a delta's context is about the given vessel: a missing context and `vessels.self` mean the
 * sender; otherwise the context's MMSI or IMO number must equal the vessel's.
 */
export function contextIsVessel(
  context: string | undefined,
  vessel: { mmsi?: string | null; imo?: string | null },
): boolean {
  if (context === undefined) return true;
  const identity = vesselIdFromContext(context);
  switch (identity?.kind) {
    case 'self':
      return true;
    case 'mmsi':
      return identity.value === vessel.mmsi;
    case 'imo':
      return identity.value === vessel.imo;
    case undefined:
      return false;
  }
}
