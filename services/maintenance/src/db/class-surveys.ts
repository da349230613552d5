import type pg from 'pg';
import type { SurveyItem } from '../domain/class-surveys.js';

export interface SurveyRow {
  id: string;
  tenant_id: string;
  vessel_id: string;
  period_start: string;
  kind: SurveyItem['kind'];
  number: number;
  due_date: string;
  window_start: string;
  window_end: string;
  completed_on: string | null;
  remarks: string | null;
}

const COLUMNS = `id, tenant_id, vessel_id, period_start::text AS period_start, kind, number, due_date::text AS due_date,
  window_start::text AS window_start, window_end::text AS window_end, completed_on::text AS completed_on, remarks`;

/** Inserts a class period's surveys; a period entered twice keeps the first (ON CONFLICT). */
export async function insertSurveys(
  client: pg.ClientBase,
  tenantId: string,
  vesselId: string,
  periodStart: string,
  items: SurveyItem[],
): Promise<void> {
  await client.query(
    `INSERT INTO maintenance.class_surveys (tenant_id, vessel_id, period_start, kind, number, due_date, window_start, window_end)
     SELECT $1, $2, $3, s.kind, s.number, s.due_date, s.window_start, s.window_end
       FROM jsonb_to_recordset($4::jsonb) AS s(kind text, number integer, due_date date, window_start date, window_end date)
     ON CONFLICT (vessel_id, period_start, kind, number) DO NOTHING`,
    [
      tenantId,
      vesselId,
      periodStart,
      JSON.stringify(
        items.map((i) => ({
          kind: i.kind,
          number: i.number,
          due_date: i.dueDate,
          window_start: i.windowStart,
          window_end: i.windowEnd,
        })),
      ),
    ],
  );
}

export async function surveysOf(client: pg.ClientBase, vesselId: string): Promise<SurveyRow[]> {
  const { rows } = await client.query<SurveyRow>(
    `SELECT ${COLUMNS} FROM maintenance.class_surveys WHERE vessel_id = $1 ORDER BY due_date, kind, number`,
    [vesselId],
  );
  return rows;
}

export async function completeSurvey(
  client: pg.ClientBase,
  id: string,
  completion: { completedOn: string; remarks: string },
): Promise<SurveyRow | undefined> {
  const { rows } = await client.query<SurveyRow>(
    `UPDATE maintenance.class_surveys SET completed_on = $2, remarks = $3 WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, completion.completedOn, completion.remarks],
  );
  return rows[0];
}

export async function findSurvey(client: pg.ClientBase, id: string): Promise<SurveyRow | undefined> {
  const { rows } = await client.query<SurveyRow>(
    `SELECT ${COLUMNS} FROM maintenance.class_surveys WHERE id = $1`,
    [id],
  );
  return rows[0];
}
