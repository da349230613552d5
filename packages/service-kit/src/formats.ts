import countries from 'i18n-iso-countries';

const alpha2 = new Set(Object.keys(countries.getAlpha2Codes()));

/** An ISO 3166-1 alpha-2 country code, upper case (flag states, nationalities, issuing countries). */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && alpha2.has(code);
}
