import type { CertificateType } from './certificate-types.js';
import { addMonths, isValidOn, type IsoDate } from './certificates.js';
import type { Rank } from './ranks.js';

export interface ManningRequirement {
  rank: Rank;
  minimum: number;
  requiredCertificates: CertificateType[];
}

export interface CrewMember {
  seafarerId: string;
  name: string;
  /** The rank the seafarer serves in on this assignment. */
  rank: Rank;
  /** The first day aboard on this assignment (actual sign-on, else planned). */
  aboardSince: IsoDate;
  certificates: { type: CertificateType; issuedOn: IsoDate; expiresOn: IsoDate | null }[];
}

export interface RankShortfall {
  rank: Rank;
  minimum: number;
  aboard: number;
  short: number;
}

export interface MissingCertificate {
  seafarerId: string;
  name: string;
  rank: Rank;
  certificateType: CertificateType;
  /** 'missing': none on record; 'expired': the latest ended before the date; 'not-yet-valid': issued after it. */
  reason: 'missing' | 'expired' | 'not-yet-valid';
  expiredOn?: IsoDate;
}

/** A medical certificate that expired at sea and still counts, until the next port (at most 3 months). */
export interface MedicalGrace {
  seafarerId: string;
  name: string;
  rank: Rank;
  expiredOn: IsoDate;
  validUntil: IsoDate;
}

export interface ManningCompliance {
  date: IsoDate;
  compliant: boolean;
  ranks: { rank: Rank; minimum: number; aboard: number; qualified: number }[];
  shortfalls: RankShortfall[];
  missingCertificates: MissingCertificate[];
  medicalGrace: MedicalGrace[];
}

/**
 * STCW I/9 and MLC A1.2 §9: a medical certificate that expires during a voyage stays valid until the
 * next port where a recognised medical practitioner is available, for at most 3 months. Port calls are
 * not known here, so the full 3 months are allowed, and listed so the office can arrange the examination.
 */
const MEDICAL_GRACE_MONTHS = 3;

/**
 * Safe manning on a date: each rank needs `minimum` seafarers aboard in that rank, and each of them
 * must hold every certificate the rank requires, valid on the date. A seafarer without a required
 * certificate is listed under missingCertificates and does not count towards the rank's minimum. The
 * crew list is compliant when no rank is short and nobody serves in a rank without its certificates:
 * an unqualified seafarer in a filled rank is still a deficiency a port state inspector would write up.
 * A medical certificate that expired at sea still counts for up to 3 months (medicalGrace).
 */
export function evaluateSafeManning(
  requirements: ManningRequirement[],
  crew: CrewMember[],
  date: IsoDate,
): ManningCompliance {
  const missingCertificates: MissingCertificate[] = [];
  const medicalGrace: MedicalGrace[] = [];
  const required = new Map(requirements.map((requirement) => [requirement.rank, requirement]));
  const qualifiedByRank = new Map<Rank, number>();
  const aboardByRank = new Map<Rank, number>();

  for (const member of crew) {
    aboardByRank.set(member.rank, (aboardByRank.get(member.rank) ?? 0) + 1);
    const needed = required.get(member.rank)?.requiredCertificates ?? [];
    const gaps = needed.flatMap((type) => certificateGap(member, type, date));
    const graceIndex = gaps.findIndex((gap) => gap.certificateType === 'medical-fitness');
    const grace = graceIndex >= 0 ? medicalGraceOf(member, gaps[graceIndex], date) : null;
    if (grace) {
      medicalGrace.push(grace);
      gaps.splice(graceIndex, 1);
    }
    missingCertificates.push(...gaps);
    if (gaps.length === 0) qualifiedByRank.set(member.rank, (qualifiedByRank.get(member.rank) ?? 0) + 1);
  }

  const ranks = requirements.map(({ rank, minimum }) => ({
    rank,
    minimum,
    aboard: aboardByRank.get(rank) ?? 0,
    qualified: qualifiedByRank.get(rank) ?? 0,
  }));
  const shortfalls = ranks
    .filter(({ minimum, qualified }) => qualified < minimum)
    .map(({ rank, minimum, aboard, qualified }) => ({ rank, minimum, aboard, short: minimum - qualified }));
  return {
    date,
    compliant: shortfalls.length === 0 && missingCertificates.length === 0,
    ranks,
    shortfalls,
    missingCertificates,
    medicalGrace,
  };
}

function medicalGraceOf(
  member: CrewMember,
  gap: MissingCertificate | undefined,
  date: IsoDate,
): MedicalGrace | null {
  if (gap?.reason !== 'expired' || !gap.expiredOn) return null;
  // Expired at sea: on or after the first day aboard, so the seafarer joined with a valid one.
  if (gap.expiredOn < member.aboardSince) return null;
  const validUntil = addMonths(gap.expiredOn, MEDICAL_GRACE_MONTHS);
  if (date > validUntil) return null;
  return {
    seafarerId: member.seafarerId,
    name: member.name,
    rank: member.rank,
    expiredOn: gap.expiredOn,
    validUntil,
  };
}

function certificateGap(member: CrewMember, type: CertificateType, date: IsoDate): MissingCertificate[] {
  const held = member.certificates.filter((certificate) => certificate.type === type);
  if (held.some((certificate) => isValidOn(certificate, date))) return [];
  const base = { seafarerId: member.seafarerId, name: member.name, rank: member.rank, certificateType: type };
  const expired = held
    .filter((certificate) => certificate.expiresOn !== null && certificate.expiresOn < date)
    .map((certificate) => certificate.expiresOn as IsoDate)
    .sort()
    .at(-1);
  if (expired) return [{ ...base, reason: 'expired', expiredOn: expired }];
  if (held.length > 0) return [{ ...base, reason: 'not-yet-valid' }];
  return [{ ...base, reason: 'missing' }];
}
