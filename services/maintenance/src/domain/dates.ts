/** A calendar date as `YYYY-MM-DD`; all arithmetic is in UTC so no time zone or DST shift moves a date. */
export type IsoDate = string;

const DAY_MS = 86_400_000;

/** UTC midnight of a date; setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999. */
function utcDate(year: number, monthIndex: number, day: number): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  return date;
}

export function parseIsoDate(value: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = match ? utcDate(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
  // The round trip catches days the month lacks (2026-02-30 would otherwise roll into March).
  if (!date || toIsoDate(date) !== value)
    throw new RangeError(`${value} is not a calendar date (YYYY-MM-DD)`);
  return date;
}

export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

function requireInteger(value: number, name: string): void {
  if (!Number.isInteger(value)) throw new RangeError(`${name} must be a whole number, got ${value}`);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  requireInteger(days, 'days');
  return toIsoDate(new Date(parseIsoDate(date).getTime() + days * DAY_MS));
}

/** The date `months` later (or earlier); a day the target month lacks becomes its last day, never a day of the next month. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  requireInteger(months, 'months');
  const start = parseIsoDate(date);
  const total = start.getUTCFullYear() * 12 + start.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const monthIndex = total - year * 12;
  const lastDay = utcDate(year, monthIndex + 1, 0).getUTCDate();
  return toIsoDate(utcDate(year, monthIndex, Math.min(start.getUTCDate(), lastDay)));
}

export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((parseIsoDate(to).getTime() - parseIsoDate(from).getTime()) / DAY_MS);
}
