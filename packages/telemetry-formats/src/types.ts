/** One Signal K value: a path, its value in SI units, and when it was measured if the source said so. */
export interface TelemetryPoint {
  path: string;
  value: unknown;
  /** RFC 3339, UTC, milliseconds (`2024-01-07T07:18:44.000Z`); absent when the source carries no time. */
  timestamp?: string;
}

/** Signal K's `navigation.position` value, the one path in degrees rather than radians. */
export interface Position {
  latitude: number;
  longitude: number;
}
