import { describe, expect, it } from 'vitest';

import type { CertificateType } from '../src/domain/certificate-types.js';
import type { IsoDate } from '../src/domain/certificates.js';
import type { Rank } from '../src/domain/ranks.js';
import {
  evaluateSafeManning,
  type CrewMember,
  type ManningCompliance,
  type ManningRequirement,
} from '../src/domain/safe-manning.js';

const DATE = '2026-06-01';

type Certificate = CrewMember['certificates'][number];

function cert(type: CertificateType, issuedOn: IsoDate, expiresOn: IsoDate | null): Certificate {
  return { type, issuedOn, expiresOn };
}

/** Aboard since the evaluation date unless said otherwise: nothing expired at sea. */
function member(seafarerId: string, rank: Rank, ...certificates: Certificate[]): CrewMember {
  return { seafarerId, name: `Seafarer ${seafarerId}`, rank, aboardSince: DATE, certificates };
}

/** Certificates valid on DATE. */
const valid = {
  cocMaster: cert('coc-master', '2024-01-15', '2029-01-15'),
  cocChiefEngineer: cert('coc-chief-engineer', '2023-04-01', '2028-04-01'),
  ableDeck: cert('able-seafarer-deck', '2020-02-10', null),
  medical: cert('medical-fitness', '2025-09-01', '2027-09-01'),
};

/** The seeded vessel: master 1, chief engineer 1, able seafarers 3. */
const REQUIREMENTS: ManningRequirement[] = [
  { rank: 'master', minimum: 1, requiredCertificates: ['coc-master', 'medical-fitness'] },
  { rank: 'chief-engineer', minimum: 1, requiredCertificates: ['coc-chief-engineer', 'medical-fitness'] },
  { rank: 'able-seafarer', minimum: 3, requiredCertificates: ['able-seafarer-deck', 'medical-fitness'] },
];

const qualifiedMaster = member('m1', 'master', valid.cocMaster, valid.medical);
const qualifiedChiefEngineer = member('ce1', 'chief-engineer', valid.cocChiefEngineer, valid.medical);
const qualifiedAbs = ['ab1', 'ab2', 'ab3'].map((id) =>
  member(id, 'able-seafarer', valid.ableDeck, valid.medical),
);
const fullyQualifiedCrew = [qualifiedMaster, qualifiedChiefEngineer, ...qualifiedAbs];

interface Case {
  name: string;
  requirements: ManningRequirement[];
  crew: CrewMember[];
  date?: IsoDate;
  expected: Omit<ManningCompliance, 'date' | 'medicalGrace'> &
    Partial<Pick<ManningCompliance, 'medicalGrace'>>;
}

const cases: Case[] = [
  {
    name: 'the seeded vessel with an expired medical, a missing and a not-yet-valid certificate',
    requirements: REQUIREMENTS,
    crew: [
      qualifiedMaster,
      // Medical expired: three expired certificates, the latest (2026-03-05) neither first nor last.
      member(
        'ce1',
        'chief-engineer',
        valid.cocChiefEngineer,
        cert('medical-fitness', '2020-02-01', '2022-02-01'),
        cert('medical-fitness', '2024-03-05', '2026-03-05'),
        cert('medical-fitness', '2022-03-01', '2024-03-01'),
      ),
      // Renewed: the old able-seafarer-deck expired, the new one is valid.
      member(
        'ab1',
        'able-seafarer',
        cert('able-seafarer-deck', '2021-05-10', '2026-05-10'),
        cert('able-seafarer-deck', '2026-05-01', '2031-05-01'),
        valid.medical,
      ),
      // The engine-room certificate is not the deck one.
      member('ab2', 'able-seafarer', cert('able-seafarer-engine', '2020-01-01', null), valid.medical),
      // Medical issued after the date.
      member('ab3', 'able-seafarer', valid.ableDeck, cert('medical-fitness', '2026-06-10', '2028-06-10')),
    ],
    expected: {
      compliant: false,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'chief-engineer', minimum: 1, aboard: 1, qualified: 0 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, qualified: 1 },
      ],
      shortfalls: [
        { rank: 'chief-engineer', minimum: 1, aboard: 1, short: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, short: 2 },
      ],
      missingCertificates: [
        {
          seafarerId: 'ce1',
          name: 'Seafarer ce1',
          rank: 'chief-engineer',
          certificateType: 'medical-fitness',
          reason: 'expired',
          expiredOn: '2026-03-05',
        },
        {
          seafarerId: 'ab2',
          name: 'Seafarer ab2',
          rank: 'able-seafarer',
          certificateType: 'able-seafarer-deck',
          reason: 'missing',
        },
        {
          seafarerId: 'ab3',
          name: 'Seafarer ab3',
          rank: 'able-seafarer',
          certificateType: 'medical-fitness',
          reason: 'not-yet-valid',
        },
      ],
    },
  },
  {
    name: 'an empty crew: every rank short by its minimum',
    requirements: REQUIREMENTS,
    crew: [],
    expected: {
      compliant: false,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 0, qualified: 0 },
        { rank: 'chief-engineer', minimum: 1, aboard: 0, qualified: 0 },
        { rank: 'able-seafarer', minimum: 3, aboard: 0, qualified: 0 },
      ],
      shortfalls: [
        { rank: 'master', minimum: 1, aboard: 0, short: 1 },
        { rank: 'chief-engineer', minimum: 1, aboard: 0, short: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 0, short: 3 },
      ],
      missingCertificates: [],
    },
  },
  {
    name: 'a fully qualified crew',
    requirements: REQUIREMENTS,
    crew: fullyQualifiedCrew,
    expected: {
      compliant: true,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'chief-engineer', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, qualified: 3 },
      ],
      shortfalls: [],
      missingCertificates: [],
    },
  },
  {
    name: 'a rank with minimum 0 and nobody aboard is never short',
    requirements: [
      ...REQUIREMENTS,
      { rank: 'deck-cadet', minimum: 0, requiredCertificates: ['bst-personal-survival-techniques'] },
    ],
    crew: fullyQualifiedCrew,
    expected: {
      compliant: true,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'chief-engineer', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, qualified: 3 },
        { rank: 'deck-cadet', minimum: 0, aboard: 0, qualified: 0 },
      ],
      shortfalls: [],
      missingCertificates: [],
    },
  },
  {
    name: 'a rank with minimum 0 and a qualified seafarer aboard',
    requirements: [
      { rank: 'deck-cadet', minimum: 0, requiredCertificates: ['bst-personal-survival-techniques'] },
    ],
    crew: [member('dc1', 'deck-cadet', cert('bst-personal-survival-techniques', '2025-01-01', '2030-01-01'))],
    expected: {
      compliant: true,
      ranks: [{ rank: 'deck-cadet', minimum: 0, aboard: 1, qualified: 1 }],
      shortfalls: [],
      missingCertificates: [],
    },
  },
  {
    name: 'crew in ranks without requirements are ignored',
    requirements: REQUIREMENTS,
    crew: [
      ...fullyQualifiedCrew,
      member('cook1', 'cook'),
      member('st1', 'steward', cert('medical-fitness', '2020-01-01', '2022-01-01')),
    ],
    expected: {
      compliant: true,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'chief-engineer', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, qualified: 3 },
      ],
      shortfalls: [],
      missingCertificates: [],
    },
  },
  {
    name: 'a qualified seafarer in the wrong rank does not fill another rank',
    requirements: REQUIREMENTS,
    // The chief engineer is signed on as an able seafarer.
    crew: [
      qualifiedMaster,
      member('ce1', 'able-seafarer', valid.cocChiefEngineer, valid.medical),
      ...qualifiedAbs.slice(0, 2),
    ],
    expected: {
      compliant: false,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'chief-engineer', minimum: 1, aboard: 0, qualified: 0 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, qualified: 2 },
      ],
      shortfalls: [
        { rank: 'chief-engineer', minimum: 1, aboard: 0, short: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 3, short: 1 },
      ],
      missingCertificates: [
        {
          seafarerId: 'ce1',
          name: 'Seafarer ce1',
          rank: 'able-seafarer',
          certificateType: 'able-seafarer-deck',
          reason: 'missing',
        },
      ],
    },
  },
  {
    name: 'more qualified seafarers than the minimum',
    requirements: REQUIREMENTS,
    crew: [
      ...fullyQualifiedCrew,
      member('ab4', 'able-seafarer', valid.ableDeck, valid.medical),
      member('m2', 'master', valid.cocMaster, valid.medical),
    ],
    expected: {
      compliant: true,
      ranks: [
        { rank: 'master', minimum: 1, aboard: 2, qualified: 2 },
        { rank: 'chief-engineer', minimum: 1, aboard: 1, qualified: 1 },
        { rank: 'able-seafarer', minimum: 3, aboard: 4, qualified: 4 },
      ],
      shortfalls: [],
      missingCertificates: [],
    },
  },
  {
    name: 'certificates issued on the date and expiring on the date count',
    requirements: [REQUIREMENTS[0] as ManningRequirement],
    crew: [
      member(
        'm1',
        'master',
        cert('coc-master', DATE, '2031-06-01'),
        cert('medical-fitness', '2024-06-01', DATE),
      ),
    ],
    expected: {
      compliant: true,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 1 }],
      shortfalls: [],
      missingCertificates: [],
    },
  },
  {
    name: 'expired the day before the date, with a renewal not yet valid: expired',
    requirements: [REQUIREMENTS[0] as ManningRequirement],
    crew: [
      member(
        'm1',
        'master',
        valid.cocMaster,
        cert('medical-fitness', '2026-06-02', '2028-06-02'),
        cert('medical-fitness', '2024-05-31', '2026-05-31'),
      ),
    ],
    expected: {
      compliant: false,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 0 }],
      shortfalls: [{ rank: 'master', minimum: 1, aboard: 1, short: 1 }],
      missingCertificates: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          certificateType: 'medical-fitness',
          reason: 'expired',
          expiredOn: '2026-05-31',
        },
      ],
    },
  },
  {
    name: 'a seafarer missing every required certificate: one entry per certificate, in requirement order',
    requirements: [REQUIREMENTS[0] as ManningRequirement],
    crew: [member('m1', 'master', cert('coc-chief-mate', '2024-01-01', '2029-01-01'))],
    expected: {
      compliant: false,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 0 }],
      shortfalls: [{ rank: 'master', minimum: 1, aboard: 1, short: 1 }],
      missingCertificates: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          certificateType: 'coc-master',
          reason: 'missing',
        },
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          certificateType: 'medical-fitness',
          reason: 'missing',
        },
      ],
    },
  },
  {
    name: 'a different date: the seeded master, joining that day, has a medical expired by 2027-09-02',
    requirements: [REQUIREMENTS[0] as ManningRequirement],
    crew: [{ ...qualifiedMaster, aboardSince: '2027-09-02' }],
    date: '2027-09-02',
    expected: {
      compliant: false,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 0 }],
      shortfalls: [{ rank: 'master', minimum: 1, aboard: 1, short: 1 }],
      missingCertificates: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          certificateType: 'medical-fitness',
          reason: 'expired',
          expiredOn: '2027-09-01',
        },
      ],
    },
  },
  {
    name: 'no requirements at all',
    requirements: [],
    crew: fullyQualifiedCrew,
    expected: { compliant: true, ranks: [], shortfalls: [], missingCertificates: [] },
  },
];

// Someone serving in a rank without its required certificates makes the crew list non-compliant even
// when others fill the rank's minimum (a port state control deficiency); the rank itself is not short.
cases.push({
  name: 'a filled rank with a surplus unqualified seafarer: the rank is not short, the crew list is not compliant',
  requirements: [REQUIREMENTS[0] as ManningRequirement],
  crew: [qualifiedMaster, member('m2', 'master', valid.cocMaster)],
  expected: {
    compliant: false,
    ranks: [{ rank: 'master', minimum: 1, aboard: 2, qualified: 1 }],
    shortfalls: [],
    missingCertificates: [
      {
        seafarerId: 'm2',
        name: 'Seafarer m2',
        rank: 'master',
        certificateType: 'medical-fitness',
        reason: 'missing',
      },
    ],
  },
});

// A medical that expires at sea counts for up to 3 months after its expiry (STCW I/9, MLC A1.2).
const MEDICAL_MASTER = [
  { rank: 'master', minimum: 1, requiredCertificates: ['medical-fitness'] },
] as ManningRequirement[];
const atSea = (aboardSince: IsoDate, expiresOn: IsoDate): CrewMember => ({
  ...member('m1', 'master', cert('medical-fitness', '2024-01-01', expiresOn)),
  aboardSince,
});
cases.push(
  {
    name: 'a medical that expired at sea 2 months ago still counts, listed under medicalGrace',
    requirements: MEDICAL_MASTER,
    crew: [atSea('2026-02-01', '2026-04-01')],
    expected: {
      compliant: true,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 1 }],
      shortfalls: [],
      missingCertificates: [],
      medicalGrace: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          expiredOn: '2026-04-01',
          validUntil: '2026-07-01',
        },
      ],
    },
  },
  {
    name: 'a medical that expired at sea on the first day aboard, 3 months ago to the day, still counts',
    requirements: MEDICAL_MASTER,
    crew: [atSea('2026-03-01', '2026-03-01')],
    expected: {
      compliant: true,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 1 }],
      shortfalls: [],
      missingCertificates: [],
      medicalGrace: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          expiredOn: '2026-03-01',
          validUntil: '2026-06-01',
        },
      ],
    },
  },
  {
    name: 'a medical that expired at sea over 3 months ago no longer counts',
    requirements: MEDICAL_MASTER,
    crew: [atSea('2026-01-01', '2026-02-28')],
    expected: {
      compliant: false,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 0 }],
      shortfalls: [{ rank: 'master', minimum: 1, aboard: 1, short: 1 }],
      missingCertificates: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          certificateType: 'medical-fitness',
          reason: 'expired',
          expiredOn: '2026-02-28',
        },
      ],
    },
  },
  {
    name: 'a medical that expired before joining gets no grace',
    requirements: MEDICAL_MASTER,
    crew: [atSea('2026-05-01', '2026-04-30')],
    expected: {
      compliant: false,
      ranks: [{ rank: 'master', minimum: 1, aboard: 1, qualified: 0 }],
      shortfalls: [{ rank: 'master', minimum: 1, aboard: 1, short: 1 }],
      missingCertificates: [
        {
          seafarerId: 'm1',
          name: 'Seafarer m1',
          rank: 'master',
          certificateType: 'medical-fitness',
          reason: 'expired',
          expiredOn: '2026-04-30',
        },
      ],
    },
  },
);

describe('evaluateSafeManning', () => {
  it.each(cases)('$name', ({ requirements, crew, date = DATE, expected }) => {
    expect(evaluateSafeManning(requirements, crew, date)).toStrictEqual({
      date,
      medicalGrace: [],
      ...expected,
    });
  });

  it('does not modify its arguments', () => {
    const requirements = structuredClone(REQUIREMENTS);
    const crew = structuredClone(fullyQualifiedCrew);
    evaluateSafeManning(requirements, crew, DATE);
    expect(requirements).toStrictEqual(REQUIREMENTS);
    expect(crew).toStrictEqual(fullyQualifiedCrew);
  });
});
