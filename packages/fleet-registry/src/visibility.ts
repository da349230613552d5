import type { VesselState } from './contracts.js';

/** The caller as the services' principals describe it. */
export interface RegistryCaller {
  roles: readonly string[];
  /** The ship owner the caller belongs to; absent for platform operators. */
  tenant?: string | undefined;
}

/**
 * The vessel if the caller may see it: platform operators see every vessel, tenant users their own
 * owner's. Null otherwise, whether it exists or not; callers answer 404 so another owner's fleet is
 * not revealed.
 */
export function vesselVisibleTo(
  registry: { vessel(id: string): VesselState | null },
  caller: RegistryCaller | null,
  vesselId: string,
): VesselState | null {
  const vessel = registry.vessel(vesselId);
  if (!vessel || !caller) return null;
  if (caller.roles.includes('platform-admin')) return vessel;
  return caller.tenant !== undefined && vessel.tenantId === caller.tenant.toLowerCase() ? vessel : null;
}
