import type pg from 'pg';
import type { CertificateType } from '../domain/certificate-types.js';
import type { Rank } from '../domain/ranks.js';

export interface CertificateRow {
  id: string;
  tenant_id: string;
  seafarer_id: string;
  type: CertificateType;
  number: string;
  issuing_authority: string;
  issuing_country: string | null;
  issued_on: string;
  expires_on: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface CertificateFields {
  type: CertificateType;
  number: string;
  issuingAuthority: string;
  issuingCountry: string | null;
  issuedOn: string;
  expiresOn: string | null;
}

const COLUMNS = `c.id, c.tenant_id, c.seafarer_id, c.type, c.number, c.issuing_authority, c.issuing_country,
  c.issued_on::text AS issued_on, c.expires_on::text AS expires_on, c.created_at, c.updated_at`;

function values(fields: CertificateFields): unknown[] {
  return [
    fields.type,
    fields.number,
    fields.issuingAuthority,
    fields.issuingCountry,
    fields.issuedOn,
    fields.expiresOn,
  ];
}

export async function insertCertificate(
  client: pg.ClientBase,
  tenantId: string,
  seafarerId: string,
  fields: CertificateFields,
): Promise<CertificateRow> {
  const { rows } = await client.query<CertificateRow>(
    `INSERT INTO crew.certificates AS c (tenant_id, seafarer_id, type, number, issuing_authority, issuing_country, issued_on, expires_on)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [tenantId, seafarerId, ...values(fields)],
  );
  return rows[0] as CertificateRow;
}

export async function updateCertificate(
  client: pg.ClientBase,
  id: string,
  fields: CertificateFields,
): Promise<CertificateRow | undefined> {
  const { rows } = await client.query<CertificateRow>(
    `UPDATE crew.certificates AS c
        SET type = $2, number = $3, issuing_authority = $4, issuing_country = $5, issued_on = $6,
            expires_on = $7, updated_at = now()
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, ...values(fields)],
  );
  return rows[0];
}

export async function findCertificate(
  client: pg.ClientBase,
  seafarerId: string,
  id: string,
): Promise<CertificateRow | undefined> {
  const { rows } = await client.query<CertificateRow>(
    `SELECT ${COLUMNS} FROM crew.certificates c WHERE c.id = $1 AND c.seafarer_id = $2`,
    [id, seafarerId],
  );
  return rows[0];
}

export async function deleteCertificate(
  client: pg.ClientBase,
  seafarerId: string,
  id: string,
): Promise<boolean> {
  const { rowCount } = await client.query(
    'DELETE FROM crew.certificates WHERE id = $1 AND seafarer_id = $2',
    [id, seafarerId],
  );
  return rowCount === 1;
}

/** Certificates of the seafarers, by seafarer then type then expiry (latest last). */
export async function certificatesOf(
  client: pg.ClientBase,
  seafarerIds: string[],
): Promise<CertificateRow[]> {
  const { rows } = await client.query<CertificateRow>(
    `SELECT ${COLUMNS} FROM crew.certificates c WHERE c.seafarer_id = ANY($1::uuid[])
      ORDER BY c.seafarer_id, c.type, c.expires_on NULLS LAST, c.id`,
    [seafarerIds],
  );
  return rows;
}

/** A renewed certificate replaces the older one of the same type: only the latest can expire. */
export const NOT_SUPERSEDED = `NOT EXISTS (SELECT 1 FROM crew.certificates newer
  WHERE newer.seafarer_id = c.seafarer_id AND newer.type = c.type AND newer.id <> c.id
    AND (newer.expires_on IS NULL OR newer.expires_on > c.expires_on))`;

export interface ExpiringRow extends CertificateRow {
  seafarer_name: string;
  seafarer_rank: Rank;
  days_left: number;
}

/**
 * Certificates whose expiry date is on or before `until` (already expired ones included) and that no
 * renewal has replaced, soonest first; only those of seafarers assigned to the vessel on `asOf` or later when a vessel is given.
 */
export async function expiringCertificates(
  client: pg.ClientBase,
  { asOf, until, vesselId, tenantId }: { asOf: string; until: string; vesselId?: string; tenantId?: string },
): Promise<ExpiringRow[]> {
  const params: unknown[] = [asOf, until];
  let filter = '';
  if (vesselId) {
    params.push(vesselId);
    filter += ` AND EXISTS (SELECT 1 FROM crew.assignments a WHERE a.seafarer_id = c.seafarer_id
      AND a.vessel_id = $${params.length} AND a.cancelled_at IS NULL AND upper(a.period) > $1::date)`;
  }
  if (tenantId) {
    params.push(tenantId);
    filter += ` AND c.tenant_id = $${params.length}`;
  }
  const { rows } = await client.query<ExpiringRow>(
    `SELECT ${COLUMNS}, s.given_name || ' ' || s.family_name AS seafarer_name, s.rank AS seafarer_rank,
            (c.expires_on - $1::date) AS days_left
       FROM crew.certificates c JOIN crew.seafarers s ON s.id = c.seafarer_id
      WHERE c.expires_on IS NOT NULL AND c.expires_on <= $2::date AND s.status <> 'inactive'
        AND ${NOT_SUPERSEDED}${filter}
      ORDER BY c.expires_on, c.id`,
    params,
  );
  return rows;
}
