import { vesselVisibleTo, type FleetRegistryView, type VesselState } from '@fleetwatch/fleet-registry';
import {
  FLEET_MANAGER,
  notFound,
  OWNER_ADMIN,
  PLATFORM_ADMIN,
  ProblemError,
  VIEWER,
  type Principal,
} from '@fleetwatch/service-kit';

/** Who may do what; the README's access table lists the same. */
export const CAN_READ = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER, VIEWER];
export const CAN_WRITE = [PLATFORM_ADMIN, OWNER_ADMIN, FLEET_MANAGER];
/** Postponing a job moves its due date: the owner's approval (or the operator's). */
export const CAN_APPROVE = [PLATFORM_ADMIN, OWNER_ADMIN];

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

/** The subject recorded as who did something. */
export function subjectOf(principal: Principal | null): string {
  if (!principal) throw new ProblemError(401, { title: 'Unauthorized' });
  return principal.subject;
}
