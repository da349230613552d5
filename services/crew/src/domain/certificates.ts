import { MAXIMUM_VALIDITY, type CertificateType } from './certificate-types.js';

/** Calendar dates as `YYYY-MM-DD`; arithmetic in UTC so no time zone moves a date. */
export type IsoDate = string;

export function parseIsoDate(value: IsoDate): Date {
  const date = new Date(`${value}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(date.getTime()) || toIsoDate(date) !== value) {
    throw new RangeError(`${value} is not a calendar date (YYYY-MM-DD)`);
  }
  return date;
}

export function toIsoDate(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** The date `months` later; a day the month lacks moves to its last day (31 January + 1 month: 28/29 February). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return toIsoDate(new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))));
}

/** The date `years` later; 29 February moves to 28 February in a common year (no rollover into March). */
export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, years * 12);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return toIsoDate(new Date(parseIsoDate(date).getTime() + days * 86_400_000));
}

/** Whole years of age on a date. */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export interface CertificateDates {
  type: CertificateType;
  issuedOn: IsoDate;
  expiresOn: IsoDate | null;
}

export interface CertificateProblem {
  /** The field at fault, as a JSON pointer into the certificate. */
  pointer: '/issuedOn' | '/expiresOn';
  message: string;
}

/** The longest validity the rules allow the certificate, or null where no rule of ours applies. */
export function maximumExpiry(
  { type, issuedOn }: Pick<CertificateDates, 'type' | 'issuedOn'>,
  holderDateOfBirth: IsoDate,
): IsoDate | null {
  const rule = MAXIMUM_VALIDITY[type];
  if (!rule) return null;
  // Medical fitness: at most 1 year for a seafarer under 18 (STCW I/9, MLC A1.2).
  const years = type === 'medical-fitness' && ageOn(holderDateOfBirth, issuedOn) < 18 ? 1 : rule.years;
  return addYears(issuedOn, years);
}

/**
 * What is wrong with a certificate's dates, per the rules in the domain reference: expiry after issue,
 * no issue date in the future or before the holder was born, validity no longer than the type allows,
 * and an expiry date on every type that has a maximum validity.
 */
export function certificateProblems(
  certificate: CertificateDates,
  holderDateOfBirth: IsoDate,
  today: IsoDate,
): CertificateProblem[] {
  const { issuedOn, expiresOn } = certificate;
  const problems: CertificateProblem[] = [];
  if (issuedOn > today) problems.push({ pointer: '/issuedOn', message: 'must not be in the future' });
  if (issuedOn < holderDateOfBirth) {
    problems.push({ pointer: '/issuedOn', message: 'must not be before the holder’s date of birth' });
  }
  const maximum = maximumExpiry(certificate, holderDateOfBirth);
  if (expiresOn === null) {
    if (maximum !== null) {
      problems.push({ pointer: '/expiresOn', message: `is required for ${certificate.type}` });
    }
    return problems;
  }
  if (expiresOn <= issuedOn) {
    problems.push({ pointer: '/expiresOn', message: 'must be after the issue date' });
  } else if (maximum !== null && expiresOn > maximum) {
    problems.push({
      pointer: '/expiresOn',
      message: `is later than ${certificate.type} may be valid: at most until ${maximum}`,
    });
  }
  return problems;
}

export type CertificateStatus = 'valid' | 'expiring' | 'expired';

/**
 * Valid through its expiry date; 'expiring' when that is within `warningDays` of the date given. A
 * certificate issued after the date does not count for that date (see isValidOn).
 */
export function certificateStatus(
  { expiresOn }: Pick<CertificateDates, 'expiresOn'>,
  on: IsoDate,
  warningDays: number,
): CertificateStatus {
  if (expiresOn === null) return 'valid';
  if (expiresOn < on) return 'expired';
  return expiresOn <= addDays(on, warningDays) ? 'expiring' : 'valid';
}

export function isValidOn(
  certificate: Pick<CertificateDates, 'issuedOn' | 'expiresOn'>,
  on: IsoDate,
): boolean {
  return certificate.issuedOn <= on && (certificate.expiresOn === null || certificate.expiresOn >= on);
}
