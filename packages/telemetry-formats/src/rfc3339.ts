/**
 * RFC 3339 date-times (section 5.6): `2024-01-07T07:18:44Z`, `2024-01-07T07:18:44.123+02:00`.
 * `Date.parse` alone is not enough: it accepts many other shapes and rolls impossible dates such as
 * 30 February over into March, so the fields are matched and range-checked here.
 */
const RFC_3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_MINUTE = 60_000;

/**
 * Milliseconds since the epoch of an RFC 3339 date-time, or `undefined` when the text is not one.
 * Fractions beyond milliseconds are truncated. A leap second (`:60`) is refused: JavaScript dates
 * cannot represent it, and no vessel clock should be sending one.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC_3339.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zulu, offsetSign, offsetHour, offsetMinute] =
    match;
  const fields = [year, month, day, hour, minute, second].map(Number);
  const [y, mo, d, h, mi, s] = fields as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || s > 59) return undefined;

  let offsetMinutes = 0;
  if (zulu === undefined) {
    const oh = Number(offsetHour);
    const om = Number(offsetMinute);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (offsetSign === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const milliseconds = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  return utcMilliseconds(y, mo, d, h, mi, s, milliseconds) - offsetMinutes * MS_PER_MINUTE;
}

/** The canonical form every timestamp leaves this package in: UTC, milliseconds, `Z`. */
export function formatTimestamp(epochMilliseconds: number): string {
  return new Date(epochMilliseconds).toISOString();
}

export function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(utcMilliseconds(year, month + 1, 0, 0, 0, 0, 0)).getUTCDate();
}

/** Date.UTC without its quirk of mapping years 0–99 to 1900–1999. */
export function utcMilliseconds(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date.getTime();
}
