import type { Static } from '@sinclair/typebox';
import type { AssignmentRow } from '../db/assignments.js';
import type { CertificateRow } from '../db/certificates.js';
import type { RestPeriodRow } from '../db/rest-periods.js';
import type { SeafarerRow } from '../db/seafarers.js';
import { certificateStatus } from '../domain/certificates.js';
import type { Assignment, Certificate, RestPeriod, Seafarer } from './schemas.js';

export function seafarerResource(row: SeafarerRow): Static<typeof Seafarer> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    givenName: row.given_name,
    familyName: row.family_name,
    nationality: row.nationality,
    dateOfBirth: row.date_of_birth,
    rank: row.rank,
    email: row.email,
    phone: row.phone,
    status: row.status,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function certificateResource(
  row: CertificateRow,
  { today, warningDays }: { today: string; warningDays: number },
): Static<typeof Certificate> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    seafarerId: row.seafarer_id,
    type: row.type,
    number: row.number,
    issuingAuthority: row.issuing_authority,
    issuingCountry: row.issuing_country,
    issuedOn: row.issued_on,
    expiresOn: row.expires_on,
    status: certificateStatus({ expiresOn: row.expires_on }, today, warningDays),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function assignmentStatus(row: AssignmentRow): Static<typeof Assignment>['status'] {
  if (row.cancelled_at) return 'cancelled';
  if (row.actual_sign_off) return 'signed-off';
  return row.actual_sign_on ? 'on-board' : 'planned';
}

export function assignmentResource(row: AssignmentRow): Static<typeof Assignment> {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    seafarerId: row.seafarer_id,
    vesselId: row.vessel_id,
    rank: row.rank,
    plannedSignOn: row.planned_sign_on,
    plannedSignOff: row.planned_sign_off,
    actualSignOn: row.actual_sign_on,
    actualSignOff: row.actual_sign_off,
    relievesAssignmentId: row.relieves_assignment_id,
    status: assignmentStatus(row),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function restPeriodResource(row: RestPeriodRow): Static<typeof RestPeriod> {
  return {
    id: row.id,
    seafarerId: row.seafarer_id,
    vesselId: row.vessel_id,
    start: row.start.toISOString(),
    end: row.end.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by,
  };
}
