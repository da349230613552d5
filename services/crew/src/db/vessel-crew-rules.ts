import type pg from 'pg';
import type { CertificateType } from '../domain/certificate-types.js';
import type { RestRegime } from '../domain/hours-of-rest.js';
import type { ManningRequirement } from '../domain/safe-manning.js';
import { RANKS, type Rank } from '../domain/ranks.js';

/** The vessel's safe manning, in rank order (master first). */
export async function safeManningOf(client: pg.ClientBase, vesselId: string): Promise<ManningRequirement[]> {
  const { rows } = await client.query<{
    rank: Rank;
    minimum: number;
    required_certificates: CertificateType[];
  }>('SELECT rank, minimum, required_certificates FROM crew.safe_manning WHERE vessel_id = $1', [vesselId]);
  return rows
    .map((row) => ({ rank: row.rank, minimum: row.minimum, requiredCertificates: row.required_certificates }))
    .sort((a, b) => RANKS.indexOf(a.rank) - RANKS.indexOf(b.rank));
}

/** Replaces the vessel's safe manning as a whole. */
export async function replaceSafeManning(
  client: pg.ClientBase,
  tenantId: string,
  vesselId: string,
  requirements: ManningRequirement[],
): Promise<void> {
  await client.query('DELETE FROM crew.safe_manning WHERE vessel_id = $1', [vesselId]);
  await client.query(
    `INSERT INTO crew.safe_manning (tenant_id, vessel_id, rank, minimum, required_certificates)
     SELECT $1, $2, r.rank, r.minimum, ARRAY(SELECT jsonb_array_elements_text(r.certificates))
       FROM jsonb_to_recordset($3::jsonb) AS r(rank text, minimum integer, certificates jsonb)`,
    [
      tenantId,
      vesselId,
      JSON.stringify(
        requirements.map((r) => ({ rank: r.rank, minimum: r.minimum, certificates: r.requiredCertificates })),
      ),
    ],
  );
}

export const DEFAULT_REST_REGIME: RestRegime = 'minimum-rest';

export async function restRegimeOf(client: pg.ClientBase, vesselId: string): Promise<RestRegime> {
  const { rows } = await client.query<{ rest_regime: RestRegime }>(
    'SELECT rest_regime FROM crew.vessel_settings WHERE vessel_id = $1',
    [vesselId],
  );
  return rows[0]?.rest_regime ?? DEFAULT_REST_REGIME;
}

export async function setRestRegime(
  client: pg.ClientBase,
  tenantId: string,
  vesselId: string,
  regime: RestRegime,
): Promise<void> {
  await client.query(
    `INSERT INTO crew.vessel_settings (tenant_id, vessel_id, rest_regime) VALUES ($1, $2, $3)
     ON CONFLICT (vessel_id) DO UPDATE SET rest_regime = excluded.rest_regime, updated_at = now()`,
    [tenantId, vesselId, regime],
  );
}
