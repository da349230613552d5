import type pg from 'pg';

export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

export interface ComponentRow {
  id: string;
  tenant_id: string;
  vessel_id: string;
  parent_id: string | null;
  code: string;
  name: string;
  maker: string | null;
  model: string | null;
  serial_number: string | null;
  criticality: Criticality;
  telemetry_engine: string | null;
  has_counter: boolean;
  running_hours: number;
  counter_meter: number;
  counter_observed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

// numeric as float8: pg hands float8 over as a JavaScript number.
const COLUMNS = `c.id, c.tenant_id, c.vessel_id, c.parent_id, c.code, c.name, c.maker, c.model, c.serial_number,
  c.criticality, c.telemetry_engine, c.has_counter, c.running_hours::float8 AS running_hours,
  c.counter_meter::float8 AS counter_meter, c.counter_observed_at, c.created_at, c.updated_at`;

export interface ComponentFields {
  parentId: string | null;
  code: string;
  name: string;
  maker: string | null;
  model: string | null;
  serialNumber: string | null;
  criticality: Criticality;
  telemetryEngine: string | null;
  hasCounter: boolean;
}

/** Unique violations: a code used twice on a vessel, or two components on one telemetry engine. */
export function duplicateOf(error: unknown): 'code' | 'telemetry-engine' | null {
  if (typeof error !== 'object' || error === null || (error as { code?: string }).code !== '23505')
    return null;
  const constraint = (error as { constraint?: string }).constraint;
  if (constraint === 'components_vessel_id_code_key') return 'code';
  if (constraint === 'components_telemetry_engine') return 'telemetry-engine';
  return null;
}

export async function insertComponent(
  client: pg.ClientBase,
  tenantId: string,
  vesselId: string,
  f: ComponentFields,
  initialHours: number,
): Promise<ComponentRow> {
  const { rows } = await client.query<ComponentRow>(
    `INSERT INTO maintenance.components AS c (tenant_id, vessel_id, parent_id, code, name, maker, model,
       serial_number, criticality, telemetry_engine, has_counter, running_hours, counter_meter)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING ${COLUMNS}`,
    [
      tenantId,
      vesselId,
      f.parentId,
      f.code,
      f.name,
      f.maker,
      f.model,
      f.serialNumber,
      f.criticality,
      f.telemetryEngine,
      f.hasCounter,
      initialHours,
    ],
  );
  return rows[0] as ComponentRow;
}

export async function findComponent(
  client: pg.ClientBase,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<ComponentRow | undefined> {
  const { rows } = await client.query<ComponentRow>(
    `SELECT ${COLUMNS} FROM maintenance.components c WHERE c.id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/** The vessel's components in code order, which lists each parent before its children. */
export async function componentsOf(client: pg.ClientBase, vesselId: string): Promise<ComponentRow[]> {
  const { rows } = await client.query<ComponentRow>(
    `SELECT ${COLUMNS} FROM maintenance.components c WHERE c.vessel_id = $1 ORDER BY c.code`,
    [vesselId],
  );
  return rows;
}

/** The component a telemetry engine's counter drives, locked for the counter update. */
export async function componentOfEngine(
  client: pg.ClientBase,
  vesselId: string,
  engine: string,
): Promise<ComponentRow | undefined> {
  const { rows } = await client.query<ComponentRow>(
    `SELECT ${COLUMNS} FROM maintenance.components c WHERE c.vessel_id = $1 AND c.telemetry_engine = $2 FOR UPDATE`,
    [vesselId, engine],
  );
  return rows[0];
}

export async function setCounter(
  client: pg.ClientBase,
  id: string,
  counter: { runningHours: number; meter: number; lastObservedAt: string | null },
): Promise<void> {
  await client.query(
    `UPDATE maintenance.components
        SET running_hours = $2, counter_meter = $3, counter_observed_at = $4, updated_at = now()
      WHERE id = $1`,
    [id, counter.runningHours, counter.meter, counter.lastObservedAt],
  );
}
