import type { FleetRegistryView, VerifiedDeviceKey, VesselState } from '@fleetwatch/fleet-registry';
import { deviceKeyFromAuthorization, vesselVisibleTo } from '@fleetwatch/fleet-registry';
import { notFound, ProblemError, type Principal } from '@fleetwatch/service-kit';

/** The vessel if the caller may see it, else 404 whether it exists or not (see vesselVisibleTo). */
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
 * The vessel a `DeviceKey` Authorization header authenticates, checked against the fleet registry
 * read model; null when the header is not a device key (the caller then expects a bearer token).
 */
export function deviceFromAuthorization(
  registry: FleetRegistryView,
  authorization: string | undefined,
): VerifiedDeviceKey | null {
  const presented = deviceKeyFromAuthorization(authorization);
  if (presented === null) return null;
  if (!registry.isCaughtUp()) {
    // Until the view has caught up it cannot know about revocations.
    throw new ProblemError(
      503,
      { title: 'Service Unavailable', detail: 'The vessel registry is still loading; retry shortly.' },
      { headers: { 'retry-after': '5' } },
    );
  }
  const verified = registry.verifyDeviceKey(presented);
  if (!verified) {
    throw new ProblemError(
      401,
      { title: 'Unauthorized', detail: 'The device key is not valid.' },
      { headers: { 'www-authenticate': 'DeviceKey realm="fleetwatch"' } },
    );
  }
  return verified;
}
