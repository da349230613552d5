/**
 * Certificate and document types, and the longest validity each may have
 * (../../../../../shared/reference/domain.md, "Crew compliance"; STCW I/9, I/11, VI/1; MLC A1.2).
 */
export const CERTIFICATE_TYPES = [
  // Certificates of Competency by capacity (STCW II, III, IV): revalidated at most every 5 years.
  'coc-master',
  'coc-chief-mate',
  'coc-officer-in-charge-of-navigational-watch',
  'coc-chief-engineer',
  'coc-second-engineer',
  'coc-officer-in-charge-of-engineering-watch',
  'coc-electro-technical-officer',
  'gmdss-general-operator',
  // Certificates of proficiency.
  'rating-navigational-watch',
  'rating-engineering-watch',
  'able-seafarer-deck',
  'able-seafarer-engine',
  'ship-cook',
  // Basic safety training (STCW VI/1) parts: refresher evidence every 5 years.
  'bst-personal-survival-techniques',
  'bst-fire-prevention-and-fire-fighting',
  'bst-elementary-first-aid',
  'bst-personal-safety-and-social-responsibilities',
  'advanced-fire-fighting',
  'proficiency-in-survival-craft',
  'medical-first-aid',
  'medical-care',
  'security-awareness',
  'ship-security-officer',
  // Medical fitness (STCW I/9, MLC A1.2; e.g. the UK's ENG1) and its colour-vision part.
  'medical-fitness',
  'colour-vision',
  // Identity and flag documents.
  'passport',
  'seamans-book',
  'flag-endorsement',
] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

const FIVE_YEARS = { years: 5 } as const;

/** Longest validity from the issue date; types absent here have no rule of ours (the issuer's dates stand). */
export const MAXIMUM_VALIDITY: Partial<Record<CertificateType, { years: number }>> = {
  'coc-master': FIVE_YEARS,
  'coc-chief-mate': FIVE_YEARS,
  'coc-officer-in-charge-of-navigational-watch': FIVE_YEARS,
  'coc-chief-engineer': FIVE_YEARS,
  'coc-second-engineer': FIVE_YEARS,
  'coc-officer-in-charge-of-engineering-watch': FIVE_YEARS,
  'coc-electro-technical-officer': FIVE_YEARS,
  'gmdss-general-operator': FIVE_YEARS,
  'flag-endorsement': FIVE_YEARS,
  'bst-personal-survival-techniques': FIVE_YEARS,
  'bst-fire-prevention-and-fire-fighting': FIVE_YEARS,
  'advanced-fire-fighting': FIVE_YEARS,
  'proficiency-in-survival-craft': FIVE_YEARS,
  // 2 years, 1 year when the holder is under 18 on the issue date: see maximumExpiry in ./certificates.ts.
  'medical-fitness': { years: 2 },
  'colour-vision': { years: 6 },
  passport: { years: 10 },
};
