/**
 * Unit conversions to the SI units Signal K stores. Exact definitions are used rather than rounded
 * ratios (`@signalk/nmea0183-utilities` divides knots by 1.943844, which is off by 1.5e-7 relative).
 */

/** 1 international knot = 1 nautical mile (1852 m) per hour. */
export const METRES_PER_SECOND_PER_KNOT = 1852 / 3600;
/** 1 km/h in m/s. */
export const METRES_PER_SECOND_PER_KILOMETRE_PER_HOUR = 1000 / 3600;
export const RADIANS_PER_DEGREE = Math.PI / 180;
/** 0 °C in kelvin. */
export const KELVIN_AT_ZERO_CELSIUS = 273.15;
export const PASCALS_PER_BAR = 100_000;
export const SECONDS_PER_MINUTE = 60;

export function knotsToMetresPerSecond(knots: number): number {
  return knots * METRES_PER_SECOND_PER_KNOT;
}

export function kilometresPerHourToMetresPerSecond(kilometresPerHour: number): number {
  return kilometresPerHour * METRES_PER_SECOND_PER_KILOMETRE_PER_HOUR;
}

export function degreesToRadians(degrees: number): number {
  return degrees * RADIANS_PER_DEGREE;
}

export function celsiusToKelvin(celsius: number): number {
  return celsius + KELVIN_AT_ZERO_CELSIUS;
}

export function barsToPascals(bars: number): number {
  return bars * PASCALS_PER_BAR;
}

/** Revolutions per minute to revolutions per second, which Signal K stores as Hz. */
export function rpmToHertz(rpm: number): number {
  return rpm / SECONDS_PER_MINUTE;
}

export function percentToRatio(percent: number): number {
  return percent / 100;
}
