import { vesselVisibleTo, type FleetRegistryView, type VesselState } from '@fleetwatch/fleet-registry';
import {
  FLEET_MANAGER,
  invalidField,
  notFound,
  OWNER_ADMIN,
  PLATFORM_ADMIN,
  ProblemError,
  VIEWER,
  type Principal,
  type Scope,
} from '@fleetwatch/service-kit';

/** Who may do what; the README's access table lists the same. */
export const CAN_READ = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER, VIEWER];
export const CAN_WRITE = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER];

/** The vessel if the caller may see it, else 404 whether it exists or not. */
export function visibleVessel(
  registry: FleetRegistryView,
  principal: Principal | null,
  vesselId: string,
): VesselState {
  const vessel = vesselVisibleTo(registry, principal, vesselId);
  if (!vessel) throw notFound('Vessel');
  return vessel;
}

/**
 * The tenant a new record belongs to: the caller's own, or for platform operators the one named in
 * the request (required of them).
 */
export function tenantForWrite(scope: Scope, requested: string | undefined): string {
  if (scope.kind === 'tenant') {
    if (requested && requested.toLowerCase() !== scope.tenantId) {
      throw new ProblemError(403, {
        title: 'Forbidden',
        detail: 'Records can only be added to your own tenant.',
      });
    }
    return scope.tenantId;
  }
  if (!requested) throw invalidField('body', '/tenantId', 'is required for platform operators');
  return requested.toLowerCase();
}

/** The subject recorded as who did something. */
export function subjectOf(principal: Principal | null): string {
  if (!principal) throw new ProblemError(401, { title: 'Unauthorized' });
  return principal.subject;
}
