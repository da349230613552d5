import { describe, expect, it } from 'vitest';

import { MAXIMUM_VALIDITY, type CertificateType } from '../src/domain/certificate-types.js';
import {
  addDays,
  addYears,
  ageOn,
  certificateProblems,
  certificateStatus,
  isValidOn,
  maximumExpiry,
  parseIsoDate,
  toIsoDate,
  type CertificateDates,
  type CertificateProblem,
  type CertificateStatus,
  type IsoDate,
} from '../src/domain/certificates.js';

// Every expectation below is worked out by hand from the calendar, never from the functions under test.

describe('parseIsoDate and toIsoDate', () => {
  it.each([
    { name: 'an ordinary date', value: '2026-03-15', utc: Date.UTC(2026, 2, 15) },
    { name: 'a leap day', value: '2028-02-29', utc: Date.UTC(2028, 1, 29) },
    { name: 'the last day of a year', value: '2026-12-31', utc: Date.UTC(2026, 11, 31) },
  ])('parses $name ($value) as UTC midnight', ({ value, utc }) => {
    expect(parseIsoDate(value).getTime()).toBe(utc);
  });

  it.each([
    { name: '30 February', value: '2026-02-30' },
    { name: '29 February in a common year', value: '2027-02-29' },
    { name: '31 April', value: '2026-04-31' },
    { name: 'month 13', value: '2026-13-01' },
    { name: 'month 00', value: '2026-00-10' },
    { name: 'day 00', value: '2026-01-00' },
    { name: 'unpadded month and day', value: '2026-2-1' },
    { name: 'not a date at all', value: 'x' },
    { name: 'the empty string', value: '' },
    { name: 'a date-time', value: '2026-01-01T00:00:00Z' },
    { name: 'a leading space', value: ' 2026-01-01' },
  ])('rejects $name ($value) with a RangeError', ({ value }) => {
    expect(() => parseIsoDate(value)).toThrow(RangeError);
  });

  it.each([
    { name: 'midnight UTC', date: new Date(Date.UTC(2026, 0, 5)), expected: '2026-01-05' },
    {
      name: 'one minute before midnight UTC',
      date: new Date(Date.UTC(2026, 0, 5, 23, 59)),
      expected: '2026-01-05',
    },
    { name: 'a leap day', date: new Date(Date.UTC(2028, 1, 29, 12)), expected: '2028-02-29' },
  ])('formats $name as $expected', ({ date, expected }) => {
    expect(toIsoDate(date)).toBe(expected);
  });
});

describe('addYears', () => {
  it.each([
    { name: 'leap day into a common year', date: '2028-02-29', years: 1, expected: '2029-02-28' },
    { name: 'leap day into the next leap year', date: '2028-02-29', years: 4, expected: '2032-02-29' },
    { name: 'leap day plus zero years', date: '2028-02-29', years: 0, expected: '2028-02-29' },
    { name: 'leap day back into a common year', date: '2028-02-29', years: -1, expected: '2027-02-28' },
    { name: '31 January plus 5 years', date: '2026-01-31', years: 5, expected: '2031-01-31' },
    {
      name: '28 February into a leap year stays the 28th',
      date: '2027-02-28',
      years: 1,
      expected: '2028-02-28',
    },
    { name: '1 March across a leap day', date: '2027-03-01', years: 1, expected: '2028-03-01' },
    { name: '31 December', date: '2026-12-31', years: 2, expected: '2028-12-31' },
    { name: 'an ordinary date plus 10 years', date: '2026-06-15', years: 10, expected: '2036-06-15' },
  ])('$name: $date + $years → $expected', ({ date, years, expected }) => {
    expect(addYears(date, years)).toBe(expected);
  });
});

describe('addDays', () => {
  it.each([
    { name: 'into March of a common year', date: '2026-02-28', days: 1, expected: '2026-03-01' },
    { name: 'onto a leap day', date: '2028-02-28', days: 1, expected: '2028-02-29' },
    { name: 'across the year end', date: '2026-12-31', days: 1, expected: '2027-01-01' },
    { name: 'backwards across a month end', date: '2026-03-01', days: -1, expected: '2026-02-28' },
    {
      name: 'across the European DST change (UTC has none)',
      date: '2026-03-28',
      days: 3,
      expected: '2026-03-31',
    },
    { name: 'zero days', date: '2026-06-01', days: 0, expected: '2026-06-01' },
    { name: 'sixty days', date: '2026-06-01', days: 60, expected: '2026-07-31' },
  ])('$name: $date + $days → $expected', ({ date, days, expected }) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe('ageOn', () => {
  it.each([
    { name: 'the day before the birthday', born: '2000-06-15', on: '2026-06-14', expected: 25 },
    { name: 'on the birthday', born: '2000-06-15', on: '2026-06-15', expected: 26 },
    { name: 'the day after the birthday', born: '2000-06-15', on: '2026-06-16', expected: 26 },
    { name: 'an earlier month, later day', born: '2000-06-15', on: '2026-05-20', expected: 25 },
    { name: 'a later month, earlier day', born: '2000-06-15', on: '2026-07-01', expected: 26 },
    { name: 'the date of birth itself', born: '2000-06-15', on: '2000-06-15', expected: 0 },
    { name: 'the day before the 18th birthday', born: '2008-05-02', on: '2026-05-01', expected: 17 },
    { name: 'the 18th birthday', born: '2008-05-02', on: '2026-05-02', expected: 18 },
    // Leap-day birthdays: the year is only completed on 1 March in a common year.
    {
      name: 'leap-day birthday, 28 Feb of a common year',
      born: '2008-02-29',
      on: '2026-02-28',
      expected: 17,
    },
    { name: 'leap-day birthday, 1 Mar of a common year', born: '2008-02-29', on: '2026-03-01', expected: 18 },
    { name: 'leap-day birthday, 28 Feb of a leap year', born: '2008-02-29', on: '2028-02-28', expected: 19 },
    { name: 'leap-day birthday, on a leap day', born: '2008-02-29', on: '2028-02-29', expected: 20 },
  ])('$name: born $born, on $on → $expected', ({ born, on, expected }) => {
    expect(ageOn(born, on)).toBe(expected);
  });
});

describe('maximumExpiry', () => {
  const ADULT = '1980-05-20';
  it.each<{
    name: string;
    type: CertificateType;
    issuedOn: IsoDate;
    born: IsoDate;
    expected: IsoDate | null;
  }>([
    {
      name: 'CoC master: 5 years',
      type: 'coc-master',
      issuedOn: '2026-03-10',
      born: ADULT,
      expected: '2031-03-10',
    },
    {
      name: 'CoC chief engineer: 5 years',
      type: 'coc-chief-engineer',
      issuedOn: '2026-03-10',
      born: ADULT,
      expected: '2031-03-10',
    },
    {
      name: 'BST personal survival: 5 years',
      type: 'bst-personal-survival-techniques',
      issuedOn: '2025-07-01',
      born: ADULT,
      expected: '2030-07-01',
    },
    {
      name: 'BST fire fighting: 5 years',
      type: 'bst-fire-prevention-and-fire-fighting',
      issuedOn: '2025-07-01',
      born: ADULT,
      expected: '2030-07-01',
    },
    {
      name: 'medical, adult: 2 years',
      type: 'medical-fitness',
      issuedOn: '2026-01-10',
      born: ADULT,
      expected: '2028-01-10',
    },
    {
      name: 'medical, 17 on the issue date: 1 year',
      type: 'medical-fitness',
      issuedOn: '2026-05-01',
      born: '2009-01-10',
      expected: '2027-05-01',
    },
    {
      name: 'medical, 18 on the issue date: 2 years',
      type: 'medical-fitness',
      issuedOn: '2026-05-01',
      born: '2008-05-01',
      expected: '2028-05-01',
    },
    {
      name: 'medical issued on a leap day, adult',
      type: 'medical-fitness',
      issuedOn: '2024-02-29',
      born: ADULT,
      expected: '2026-02-28',
    },
    {
      name: 'colour vision: 6 years',
      type: 'colour-vision',
      issuedOn: '2025-09-01',
      born: ADULT,
      expected: '2031-09-01',
    },
    {
      name: 'colour vision, under 18: still 6 years',
      type: 'colour-vision',
      issuedOn: '2026-03-01',
      born: '2009-01-01',
      expected: '2032-03-01',
    },
    {
      name: 'passport: 10 years',
      type: 'passport',
      issuedOn: '2020-11-30',
      born: ADULT,
      expected: '2030-11-30',
    },
    {
      name: 'security awareness: no rule',
      type: 'security-awareness',
      issuedOn: '2026-03-10',
      born: ADULT,
      expected: null,
    },
    { name: 'ship cook: no rule', type: 'ship-cook', issuedOn: '2026-03-10', born: ADULT, expected: null },
  ])('$name', ({ type, issuedOn, born, expected }) => {
    expect(maximumExpiry({ type, issuedOn }, born)).toBe(expected);
  });

  it('has the validity periods of the domain reference', () => {
    expect(MAXIMUM_VALIDITY['coc-master']).toEqual({ years: 5 });
    expect(MAXIMUM_VALIDITY['medical-fitness']).toEqual({ years: 2 });
    expect(MAXIMUM_VALIDITY['colour-vision']).toEqual({ years: 6 });
    expect(MAXIMUM_VALIDITY['security-awareness']).toBeUndefined();
  });
});

describe('certificateProblems', () => {
  const ADULT = '1980-05-20';
  const TODAY = '2026-06-01';

  interface Case {
    name: string;
    certificate: CertificateDates;
    born?: IsoDate;
    today?: IsoDate;
    pointers: CertificateProblem['pointer'][];
  }

  it.each<Case>([
    // Expiry against issue.
    {
      name: 'expiry before issue',
      certificate: { type: 'coc-master', issuedOn: '2024-03-01', expiresOn: '2024-02-28' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'expiry equal to issue',
      certificate: { type: 'coc-master', issuedOn: '2024-03-01', expiresOn: '2024-03-01' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'expiry before issue on a type without a rule',
      certificate: { type: 'security-awareness', issuedOn: '2024-03-01', expiresOn: '2023-03-01' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'expiry the day after issue',
      certificate: { type: 'coc-master', issuedOn: '2024-03-01', expiresOn: '2024-03-02' },
      pointers: [],
    },
    // Certificates of Competency: 5 years.
    {
      name: 'CoC valid exactly 5 years',
      certificate: { type: 'coc-master', issuedOn: '2024-03-01', expiresOn: '2029-03-01' },
      pointers: [],
    },
    {
      name: 'CoC valid 5 years and 1 day',
      certificate: { type: 'coc-master', issuedOn: '2024-03-01', expiresOn: '2029-03-02' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'CoC chief engineer valid 5 years and 1 day',
      certificate: { type: 'coc-chief-engineer', issuedOn: '2022-10-15', expiresOn: '2027-10-16' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'BST fire fighting valid 5 years and 1 day',
      certificate: {
        type: 'bst-fire-prevention-and-fire-fighting',
        issuedOn: '2022-10-15',
        expiresOn: '2027-10-16',
      },
      pointers: ['/expiresOn'],
    },
    // Medical fitness: 2 years, 1 year under 18 (age on the issue date).
    {
      name: 'medical (adult) valid exactly 2 years',
      certificate: { type: 'medical-fitness', issuedOn: '2026-01-10', expiresOn: '2028-01-10' },
      pointers: [],
    },
    {
      name: 'medical (adult) valid 2 years and 1 day',
      certificate: { type: 'medical-fitness', issuedOn: '2026-01-10', expiresOn: '2028-01-11' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'medical issued on a leap day, expiring 28 Feb two years on',
      certificate: { type: 'medical-fitness', issuedOn: '2024-02-29', expiresOn: '2026-02-28' },
      pointers: [],
    },
    {
      name: 'medical issued on a leap day, expiring 1 Mar two years on',
      certificate: { type: 'medical-fitness', issuedOn: '2024-02-29', expiresOn: '2026-03-01' },
      pointers: ['/expiresOn'],
    },
    {
      name: 'medical for a 17-year-old valid exactly 1 year',
      certificate: { type: 'medical-fitness', issuedOn: '2026-05-01', expiresOn: '2027-05-01' },
      born: '2009-01-10',
      pointers: [],
    },
    {
      name: 'medical for a 17-year-old valid 1 year and 1 day',
      certificate: { type: 'medical-fitness', issuedOn: '2026-05-01', expiresOn: '2027-05-02' },
      born: '2009-01-10',
      pointers: ['/expiresOn'],
    },
    {
      name: 'medical for a 17-year-old valid 2 years',
      certificate: { type: 'medical-fitness', issuedOn: '2026-05-01', expiresOn: '2028-05-01' },
      born: '2009-01-10',
      pointers: ['/expiresOn'],
    },
    {
      name: 'medical for someone turning 18 the day after issue, 1 year',
      certificate: { type: 'medical-fitness', issuedOn: '2026-05-01', expiresOn: '2027-05-01' },
      born: '2008-05-02',
      pointers: [],
    },
    {
      name: 'medical for someone turning 18 the day after issue, 1 year and 1 day',
      certificate: { type: 'medical-fitness', issuedOn: '2026-05-01', expiresOn: '2027-05-02' },
      born: '2008-05-02',
      pointers: ['/expiresOn'],
    },
    {
      name: 'medical for someone turning 18 on the issue date, 2 years',
      certificate: { type: 'medical-fitness', issuedOn: '2026-05-01', expiresOn: '2028-05-01' },
      born: '2008-05-01',
      pointers: [],
    },
    // Colour vision: 6 years.
    {
      name: 'colour vision valid exactly 6 years',
      certificate: { type: 'colour-vision', issuedOn: '2025-09-01', expiresOn: '2031-09-01' },
      pointers: [],
    },
    {
      name: 'colour vision valid 6 years and 1 day',
      certificate: { type: 'colour-vision', issuedOn: '2025-09-01', expiresOn: '2031-09-02' },
      pointers: ['/expiresOn'],
    },
    // Expiry required where a rule applies.
    {
      name: 'passport without expiry',
      certificate: { type: 'passport', issuedOn: '2020-11-30', expiresOn: null },
      pointers: ['/expiresOn'],
    },
    {
      name: 'medical without expiry',
      certificate: { type: 'medical-fitness', issuedOn: '2026-01-10', expiresOn: null },
      pointers: ['/expiresOn'],
    },
    {
      name: 'passport valid exactly 10 years',
      certificate: { type: 'passport', issuedOn: '2020-11-30', expiresOn: '2030-11-30' },
      pointers: [],
    },
    {
      name: 'security awareness without expiry (no rule)',
      certificate: { type: 'security-awareness', issuedOn: '2019-04-01', expiresOn: null },
      pointers: [],
    },
    {
      name: 'security awareness valid 20 years (no rule)',
      certificate: { type: 'security-awareness', issuedOn: '2019-04-01', expiresOn: '2039-04-01' },
      pointers: [],
    },
    // Issue date against today and the date of birth.
    {
      name: 'issued today',
      certificate: { type: 'coc-master', issuedOn: TODAY, expiresOn: '2031-06-01' },
      pointers: [],
    },
    {
      name: 'issued tomorrow',
      certificate: { type: 'coc-master', issuedOn: '2026-06-02', expiresOn: '2031-06-02' },
      pointers: ['/issuedOn'],
    },
    {
      name: 'issued the day before the holder was born',
      certificate: { type: 'security-awareness', issuedOn: '1980-05-19', expiresOn: null },
      pointers: ['/issuedOn'],
    },
    {
      name: 'issued on the holder’s date of birth',
      certificate: { type: 'security-awareness', issuedOn: ADULT, expiresOn: null },
      pointers: [],
    },
    // Several problems at once, in field order.
    {
      name: 'passport issued tomorrow without expiry',
      certificate: { type: 'passport', issuedOn: '2026-06-02', expiresOn: null },
      pointers: ['/issuedOn', '/expiresOn'],
    },
    {
      name: 'issued before birth and expiring before issue',
      certificate: { type: 'coc-master', issuedOn: '1980-01-01', expiresOn: '1979-12-31' },
      pointers: ['/issuedOn', '/expiresOn'],
    },
    {
      name: 'issued tomorrow by someone born the day after (both issue-date rules)',
      certificate: { type: 'security-awareness', issuedOn: '2026-06-02', expiresOn: null },
      born: '2026-06-03',
      pointers: ['/issuedOn', '/issuedOn'],
    },
  ])('$name → $pointers', ({ certificate, born = ADULT, today = TODAY, pointers }) => {
    const problems = certificateProblems(certificate, born, today);
    expect(problems.map((problem) => problem.pointer)).toEqual(pointers);
    for (const problem of problems) {
      expect(typeof problem.message).toBe('string');
      expect(problem.message.trim()).not.toBe('');
    }
  });
});

describe('certificateStatus', () => {
  it.each<{
    name: string;
    expiresOn: IsoDate | null;
    on: IsoDate;
    warningDays: number;
    expected: CertificateStatus;
  }>([
    { name: 'no expiry', expiresOn: null, on: '2026-06-01', warningDays: 60, expected: 'valid' },
    {
      name: 'no expiry, no warning period',
      expiresOn: null,
      on: '2026-06-01',
      warningDays: 0,
      expected: 'valid',
    },
    {
      name: 'expired yesterday',
      expiresOn: '2026-05-31',
      on: '2026-06-01',
      warningDays: 60,
      expected: 'expired',
    },
    {
      name: 'expired long ago',
      expiresOn: '2020-01-01',
      on: '2026-06-01',
      warningDays: 60,
      expected: 'expired',
    },
    {
      name: 'expires today',
      expiresOn: '2026-06-01',
      on: '2026-06-01',
      warningDays: 60,
      expected: 'expiring',
    },
    {
      name: 'expires today, no warning period',
      expiresOn: '2026-06-01',
      on: '2026-06-01',
      warningDays: 0,
      expected: 'expiring',
    },
    {
      name: 'expires tomorrow',
      expiresOn: '2026-06-02',
      on: '2026-06-01',
      warningDays: 60,
      expected: 'expiring',
    },
    {
      name: 'expires tomorrow, no warning period',
      expiresOn: '2026-06-02',
      on: '2026-06-01',
      warningDays: 0,
      expected: 'valid',
    },
    {
      name: 'expires in exactly 60 warning days',
      expiresOn: '2026-07-31',
      on: '2026-06-01',
      warningDays: 60,
      expected: 'expiring',
    },
    {
      name: 'expires in 61 days, warning 60',
      expiresOn: '2026-08-01',
      on: '2026-06-01',
      warningDays: 60,
      expected: 'valid',
    },
    {
      name: 'expires in exactly 30 warning days',
      expiresOn: '2026-07-01',
      on: '2026-06-01',
      warningDays: 30,
      expected: 'expiring',
    },
    {
      name: 'expires in 31 days, warning 30',
      expiresOn: '2026-07-02',
      on: '2026-06-01',
      warningDays: 30,
      expected: 'valid',
    },
    {
      name: 'exactly 30 warning days across the year end',
      expiresOn: '2027-01-14',
      on: '2026-12-15',
      warningDays: 30,
      expected: 'expiring',
    },
    {
      name: '31 days across the year end, warning 30',
      expiresOn: '2027-01-15',
      on: '2026-12-15',
      warningDays: 30,
      expected: 'valid',
    },
  ])('$name → $expected', ({ expiresOn, on, warningDays, expected }) => {
    expect(certificateStatus({ expiresOn }, on, warningDays)).toBe(expected);
  });

  it('a certificate expiring today is "expiring" and still valid today', () => {
    const certificate = { issuedOn: '2024-06-01', expiresOn: '2026-06-01' };
    expect(certificateStatus(certificate, '2026-06-01', 60)).toBe('expiring');
    expect(isValidOn(certificate, '2026-06-01')).toBe(true);
  });
});

describe('isValidOn', () => {
  it.each<{ name: string; issuedOn: IsoDate; expiresOn: IsoDate | null; expected: boolean }>([
    { name: 'issued tomorrow, no expiry', issuedOn: '2026-06-02', expiresOn: null, expected: false },
    {
      name: 'issued tomorrow, expiring later',
      issuedOn: '2026-06-02',
      expiresOn: '2031-06-02',
      expected: false,
    },
    { name: 'issued today', issuedOn: '2026-06-01', expiresOn: '2028-06-01', expected: true },
    { name: 'issued and expiring today', issuedOn: '2026-06-01', expiresOn: '2026-06-01', expected: true },
    { name: 'expires today', issuedOn: '2024-06-01', expiresOn: '2026-06-01', expected: true },
    { name: 'expires tomorrow', issuedOn: '2024-06-01', expiresOn: '2026-06-02', expected: true },
    { name: 'expired yesterday', issuedOn: '2024-06-01', expiresOn: '2026-05-31', expected: false },
    { name: 'no expiry, issued long ago', issuedOn: '2001-01-01', expiresOn: null, expected: true },
  ])('$name → $expected', ({ issuedOn, expiresOn, expected }) => {
    expect(isValidOn({ issuedOn, expiresOn }, '2026-06-01')).toBe(expected);
  });
});
