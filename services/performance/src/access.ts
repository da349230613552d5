import type { FleetRegistryView, VerifiedDeviceKey, VesselState } from '@fleetwatch/fleet-registry';
import { deviceKeyFromAuthorization } from '@fleetwatch/fleet-registry';
import { ProblemError, type Principal } from '@fleetwatch/service-kit';

/**
 * The vessel if the caller may see it: operators see every vessel, tenant users their own. 404
 * otherwise, whether it exists or not, so another owner's fleet is not revealed.
 */
export function visibleVessel(
  registry: FleetRegistryView,
  principal: Principal | null,
  vesselId: string,
): VesselState {
  const vessel = registry.vessel(vesselId);
  if (vessel && (principal?.roles.includes('platform-admin') || vessel.tenantId === principal?.tenant)) {
    return vessel;
  }
  throw new ProblemError(404, { title: 'Not Found', detail: 'Vessel was not found.' });
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
