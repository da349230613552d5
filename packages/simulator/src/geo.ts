import type { Position } from '@fleetwatch/telemetry-formats';

/**
 * Great-circle navigation on a sphere. Vessels follow the great circle between ports, which may cross
 * land (Rotterdam to Singapore crosses Europe and Arabia): routing around coasts and through canals
 * is out of scope, and the platform does not check positions against land.
 */

/** Mean Earth radius in nautical miles. */
export const EARTH_RADIUS_NM = 3440.065;

const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
const toDegrees = (radians: number): number => (radians * 180) / Math.PI;

/** Central angle between two points, radians (haversine: accurate for short and long distances). */
function centralAngle(from: Position, to: Position): number {
  const phi1 = toRadians(from.latitude);
  const phi2 = toRadians(to.latitude);
  const dPhi = phi2 - phi1;
  const dLambda = toRadians(to.longitude - from.longitude);
  const h = Math.sin(dPhi / 2) ** 2 + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function distanceNm(from: Position, to: Position): number {
  return EARTH_RADIUS_NM * centralAngle(from, to);
}

/** Initial great-circle bearing from `from` towards `to`, degrees true in [0, 360). */
export function initialBearing(from: Position, to: Position): number {
  const phi1 = toRadians(from.latitude);
  const phi2 = toRadians(to.latitude);
  const dLambda = toRadians(to.longitude - from.longitude);
  const y = Math.sin(dLambda) * Math.cos(phi2);
  const x = Math.cos(phi1) * Math.sin(phi2) - Math.sin(phi1) * Math.cos(phi2) * Math.cos(dLambda);
  return normalizeDegrees(toDegrees(Math.atan2(y, x)));
}

/** The point a fraction `f` (0 = from, 1 = to) of the way along the great circle. */
export function intermediatePoint(from: Position, to: Position, f: number): Position {
  const delta = centralAngle(from, to);
  if (delta === 0) return { latitude: from.latitude, longitude: from.longitude };
  const a = Math.sin((1 - f) * delta) / Math.sin(delta);
  const b = Math.sin(f * delta) / Math.sin(delta);
  const phi1 = toRadians(from.latitude);
  const phi2 = toRadians(to.latitude);
  const lambda1 = toRadians(from.longitude);
  const lambda2 = toRadians(to.longitude);
  const x = a * Math.cos(phi1) * Math.cos(lambda1) + b * Math.cos(phi2) * Math.cos(lambda2);
  const y = a * Math.cos(phi1) * Math.sin(lambda1) + b * Math.cos(phi2) * Math.sin(lambda2);
  const z = a * Math.sin(phi1) + b * Math.sin(phi2);
  return {
    latitude: toDegrees(Math.atan2(z, Math.hypot(x, y))),
    longitude: normalizeLongitude(toDegrees(Math.atan2(y, x))),
  };
}

export function normalizeDegrees(degrees: number): number {
  const wrapped = degrees % 360;
  // `% 360` of a tiny negative number rounds to 360 itself.
  const positive = wrapped < 0 ? wrapped + 360 : wrapped;
  return positive >= 360 ? 0 : positive;
}

function normalizeLongitude(longitude: number): number {
  return longitude > 180 ? longitude - 360 : longitude < -180 ? longitude + 360 : longitude;
}
