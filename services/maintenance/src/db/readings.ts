import type pg from 'pg';

export interface ReadingRow {
  id: string;
  component_id: string;
  kind: 'reading' | 'replacement';
  meter: number;
  running_hours: number;
  observed_at: Date;
  source: 'manual' | 'telemetry';
  event_id: string | null;
  recorded_by: string;
  recorded_at: Date;
}

const COLUMNS = `id, component_id, kind, meter::float8 AS meter, running_hours::float8 AS running_hours, observed_at,
  source, event_id, recorded_by, recorded_at`;

export interface NewReading {
  tenantId: string;
  componentId: string;
  kind: ReadingRow['kind'];
  meter: number;
  runningHours: number;
  observedAt: string;
  source: ReadingRow['source'];
  eventId: string | null;
  recordedBy: string;
}

/** Inserts the applied reading; undefined when its event was recorded before (a redelivery). */
export async function insertReading(client: pg.ClientBase, r: NewReading): Promise<ReadingRow | undefined> {
  const { rows } = await client.query<ReadingRow>(
    `INSERT INTO maintenance.counter_readings (tenant_id, component_id, kind, meter, running_hours, observed_at, source, event_id, recorded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (event_id) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      r.tenantId,
      r.componentId,
      r.kind,
      r.meter,
      r.runningHours,
      r.observedAt,
      r.source,
      r.eventId,
      r.recordedBy,
    ],
  );
  return rows[0];
}

export async function isRecordedEvent(client: pg.ClientBase, eventId: string): Promise<boolean> {
  const { rowCount } = await client.query('SELECT 1 FROM maintenance.counter_readings WHERE event_id = $1', [
    eventId,
  ]);
  return rowCount === 1;
}

/** The component's readings since a time, oldest first. */
export async function readingsOf(
  client: pg.ClientBase,
  componentId: string,
  since: Date,
): Promise<ReadingRow[]> {
  const { rows } = await client.query<ReadingRow>(
    `SELECT ${COLUMNS} FROM maintenance.counter_readings
      WHERE component_id = $1 AND observed_at >= $2 ORDER BY observed_at, recorded_at`,
    [componentId, since],
  );
  return rows;
}
