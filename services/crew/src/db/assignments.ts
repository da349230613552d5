import type pg from 'pg';
import { RANKS, type Rank } from '../domain/ranks.js';

export interface AssignmentRow {
  id: string;
  tenant_id: string;
  seafarer_id: string;
  vessel_id: string;
  rank: Rank;
  planned_sign_on: string;
  planned_sign_off: string;
  actual_sign_on: string | null;
  actual_sign_off: string | null;
  relieves_assignment_id: string | null;
  cancelled_at: Date | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `a.id, a.tenant_id, a.seafarer_id, a.vessel_id, a.rank, a.planned_sign_on::text AS planned_sign_on,
  a.planned_sign_off::text AS planned_sign_off, a.actual_sign_on::text AS actual_sign_on,
  a.actual_sign_off::text AS actual_sign_off, a.relieves_assignment_id, a.cancelled_at, a.version,
  a.created_at, a.updated_at`;

/** The exclusion constraint that keeps a seafarer on one vessel at a time. */
export function isOverlap(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: string }).code === '23P01' &&
    (error as { constraint?: string }).constraint === 'assignments_no_overlap'
  );
}

export interface NewAssignment {
  tenantId: string;
  seafarerId: string;
  vesselId: string;
  rank: Rank;
  plannedSignOn: string;
  plannedSignOff: string;
  relievesAssignmentId: string | null;
}

export async function insertAssignment(client: pg.ClientBase, a: NewAssignment): Promise<AssignmentRow> {
  const { rows } = await client.query<AssignmentRow>(
    `INSERT INTO crew.assignments AS a (tenant_id, seafarer_id, vessel_id, rank, planned_sign_on, planned_sign_off, relieves_assignment_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
    [a.tenantId, a.seafarerId, a.vesselId, a.rank, a.plannedSignOn, a.plannedSignOff, a.relievesAssignmentId],
  );
  return rows[0] as AssignmentRow;
}

export async function findAssignment(
  client: pg.ClientBase,
  id: string,
  { forUpdate = false }: { forUpdate?: boolean } = {},
): Promise<AssignmentRow | undefined> {
  const { rows } = await client.query<AssignmentRow>(
    `SELECT ${COLUMNS} FROM crew.assignments a WHERE a.id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0];
}

/**
 * The seafarer's live assignment whose period overlaps [from, to), other than `except`: the one an
 * insert or update collided with.
 */
export async function overlappingAssignment(
  client: pg.ClientBase,
  { seafarerId, from, to, except }: { seafarerId: string; from: string; to: string; except?: string },
): Promise<AssignmentRow | undefined> {
  const { rows } = await client.query<AssignmentRow>(
    `SELECT ${COLUMNS} FROM crew.assignments a
      WHERE a.seafarer_id = $1 AND a.cancelled_at IS NULL AND a.period && daterange($2::date, $3::date, '[)')
        AND a.id IS DISTINCT FROM $4::uuid
      ORDER BY lower(a.period) LIMIT 1`,
    [seafarerId, from, to, except ?? null],
  );
  return rows[0];
}

export type AssignmentChange =
  { kind: 'sign-on'; date: string } | { kind: 'sign-off'; date: string } | { kind: 'cancel' };

export async function changeAssignment(
  client: pg.ClientBase,
  id: string,
  change: AssignmentChange,
): Promise<AssignmentRow> {
  const set =
    change.kind === 'sign-on'
      ? 'actual_sign_on = $2'
      : change.kind === 'sign-off'
        ? 'actual_sign_off = $2'
        : 'cancelled_at = now()';
  const { rows } = await client.query<AssignmentRow>(
    `UPDATE crew.assignments AS a SET ${set}, version = version + 1, updated_at = now()
      WHERE a.id = $1 RETURNING ${COLUMNS}`,
    change.kind === 'cancel' ? [id] : [id, change.date],
  );
  return rows[0] as AssignmentRow;
}

export async function assignmentsOf(
  client: pg.ClientBase,
  { seafarerId, vesselId }: { seafarerId?: string; vesselId?: string },
): Promise<AssignmentRow[]> {
  const { rows } = await client.query<AssignmentRow>(
    `SELECT ${COLUMNS} FROM crew.assignments a
      WHERE ($1::uuid IS NULL OR a.seafarer_id = $1) AND ($2::uuid IS NULL OR a.vessel_id = $2)
      ORDER BY lower(a.period) DESC, a.id`,
    [seafarerId ?? null, vesselId ?? null],
  );
  return rows;
}

export interface CrewRow extends AssignmentRow {
  seafarer_name: string;
  nationality: string;
}

/** Who is aboard the vessel on the date (actual dates where known, planned otherwise), by rank. */
export async function crewOn(client: pg.ClientBase, vesselId: string, date: string): Promise<CrewRow[]> {
  const { rows } = await client.query<CrewRow>(
    `SELECT ${COLUMNS}, s.given_name || ' ' || s.family_name AS seafarer_name, s.nationality
       FROM crew.assignments a JOIN crew.seafarers s ON s.id = a.seafarer_id
      WHERE a.vessel_id = $1 AND a.cancelled_at IS NULL AND a.period @> $2::date
      ORDER BY array_position($3::text[], a.rank), s.family_name, a.id`,
    [vesselId, date, RANKS],
  );
  return rows;
}

/** Live assignments on the vessel signing off (actual or planned end) within [from, to]. */
export async function signingOff(
  client: pg.ClientBase,
  vesselId: string,
  from: string,
  to: string,
): Promise<CrewRow[]> {
  const { rows } = await client.query<CrewRow>(
    `SELECT ${COLUMNS}, s.given_name || ' ' || s.family_name AS seafarer_name, s.nationality
       FROM crew.assignments a JOIN crew.seafarers s ON s.id = a.seafarer_id
      WHERE a.vessel_id = $1 AND a.cancelled_at IS NULL AND upper(a.period) BETWEEN $2::date AND $3::date
      ORDER BY upper(a.period), a.id`,
    [vesselId, from, to],
  );
  return rows;
}

/** Live assignments that name one of the given assignments as the one they relieve. */
export async function relieversOf(client: pg.ClientBase, assignmentIds: string[]): Promise<CrewRow[]> {
  const { rows } = await client.query<CrewRow>(
    `SELECT ${COLUMNS}, s.given_name || ' ' || s.family_name AS seafarer_name, s.nationality
       FROM crew.assignments a JOIN crew.seafarers s ON s.id = a.seafarer_id
      WHERE a.relieves_assignment_id = ANY($1::uuid[]) AND a.cancelled_at IS NULL`,
    [assignmentIds],
  );
  return rows;
}
