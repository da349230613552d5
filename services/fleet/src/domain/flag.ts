import countries from 'i18n-iso-countries';

const alpha2 = new Set(Object.keys(countries.getAlpha2Codes()));

/** A flag state as an ISO 3166-1 alpha-2 code (upper case). */
export function isValidFlag(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && alpha2.has(code);
}
