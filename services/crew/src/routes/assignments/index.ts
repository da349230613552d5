import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, notFound, ProblemError, scopeOf } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, visibleVessel } from '../../access.js';
import {
  assignmentsOf,
  changeAssignment,
  findAssignment,
  insertAssignment,
  isOverlap,
  overlappingAssignment,
  type AssignmentChange,
  type AssignmentRow,
} from '../../db/assignments.js';
import { findSeafarer } from '../../db/seafarers.js';
import { assignmentResource, assignmentStatus } from '../mappers.js';
import {
  Assignment,
  AssignmentCreate,
  AssignmentList,
  IdParams,
  AssignmentDate,
  SeafarerParams,
} from '../schemas.js';

const tags = ['assignments'];

/** Where the seafarer would be aboard: the actual dates where known, else the planned ones. */
function periodOf(
  row: Pick<AssignmentRow, 'planned_sign_on' | 'planned_sign_off' | 'actual_sign_on' | 'actual_sign_off'>,
) {
  return { from: row.actual_sign_on ?? row.planned_sign_on, to: row.actual_sign_off ?? row.planned_sign_off };
}

function conflict(existing: AssignmentRow): ProblemError {
  const { from, to } = periodOf(existing);
  return new ProblemError(409, {
    title: 'Conflict',
    detail: `The seafarer is assigned to vessel ${existing.vessel_id} from ${from} to ${to} (assignment ${existing.id}).`,
    conflictingAssignmentId: existing.id,
  });
}

/**
 * Runs an insert or update that the no-overlap constraint may refuse, turning the refusal into a 409
 * that names the assignment it collided with (looked up in a fresh transaction, as this one has failed).
 */
async function orConflict<T>(
  pool: pg.Pool,
  tenantId: string,
  collision: { seafarerId: string; from: string; to: string; except?: string },
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isOverlap(error)) throw error;
    const existing = await withScope(pool, { kind: 'tenant', tenantId }, (client) =>
      overlappingAssignment(client, collision),
    );
    if (existing) throw conflict(existing);
    throw new ProblemError(409, { title: 'Conflict', detail: 'The seafarer is assigned elsewhere then.' });
  }
}

export const assignmentRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  registry: FleetRegistryView;
}> = async (app, { pool, registry }) => {
  app.post(
    '/assignments',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Plan a seafarer’s assignment to a vessel',
        description:
          'Sign-on is inclusive and sign-off exclusive, so a seafarer may sign off one vessel and on another ' +
          'the same day. A seafarer is never on two vessels at once: an overlap is refused with 409 naming ' +
          'the conflicting assignment. A reliever (`relievesAssignmentId`) must join the same vessel in the ' +
          'same rank no later than the relieved assignment ends.',
        body: Type.Ref(AssignmentCreate),
        response: { 201: Type.Ref(Assignment) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, body.vesselId);
      if (body.plannedSignOff <= body.plannedSignOn) {
        throw invalidField('body', '/plannedSignOff', 'must be after plannedSignOn');
      }
      const tenantId = vessel.tenantId;
      const row = await orConflict(
        pool,
        tenantId,
        { seafarerId: body.seafarerId, from: body.plannedSignOn, to: body.plannedSignOff },
        () =>
          withScope(pool, { kind: 'tenant', tenantId }, async (client) => {
            // Under the vessel's tenant: another owner's seafarer is not found.
            if (!(await findSeafarer(client, body.seafarerId))) throw notFound('Seafarer');
            if (body.relievesAssignmentId) {
              const relieved = await findAssignment(client, body.relievesAssignmentId);
              if (!relieved || relieved.cancelled_at)
                throw invalidField('body', '/relievesAssignmentId', 'is not a live assignment');
              if (relieved.vessel_id !== body.vesselId || relieved.rank !== body.rank) {
                throw invalidField(
                  'body',
                  '/relievesAssignmentId',
                  'must be on the same vessel in the same rank',
                );
              }
              const relievedUntil = periodOf(relieved).to;
              if (body.plannedSignOn > relievedUntil) {
                throw invalidField(
                  'body',
                  '/plannedSignOn',
                  `must be no later than ${relievedUntil}, when the relieved seafarer signs off`,
                );
              }
            }
            return insertAssignment(client, {
              tenantId,
              seafarerId: body.seafarerId,
              vesselId: body.vesselId,
              rank: body.rank,
              plannedSignOn: body.plannedSignOn,
              plannedSignOff: body.plannedSignOff,
              relievesAssignmentId: body.relievesAssignmentId ?? null,
            });
          }),
      );
      return reply
        .code(201)
        .header('location', `/v1/crew/assignments/${row.id}`)
        .send(assignmentResource(row));
    },
  );

  app.get(
    '/assignments/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Get an assignment',
        params: IdParams,
        response: { 200: Type.Ref(Assignment) },
      },
    },
    async (request) => {
      const row = await withScope(pool, scopeOf(request.principal), (client) =>
        findAssignment(client, request.params.id),
      );
      if (!row) throw notFound('Assignment');
      return assignmentResource(row);
    },
  );

  app.get(
    '/seafarers/:seafarerId/assignments',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A seafarer’s assignments, latest first',
        params: SeafarerParams,
        response: { 200: Type.Ref(AssignmentList) },
      },
    },
    async (request) => {
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findSeafarer(client, request.params.seafarerId))) throw notFound('Seafarer');
        return assignmentsOf(client, { seafarerId: request.params.seafarerId });
      });
      return { items: rows.map(assignmentResource) };
    },
  );

  /** Sign-on, sign-off and cancel: checked against the assignment's state, then the overlap rule. */
  const transition = (
    path: string,
    summary: string,
    description: string,
    toChange: (body: { date?: string }) => AssignmentChange,
  ) =>
    app.post(
      `/assignments/:id/${path}`,
      {
        onRequest: app.requireRole(...CAN_WRITE),
        schema: {
          tags,
          summary,
          description,
          params: IdParams,
          ...(path === 'cancel' ? {} : { body: Type.Ref(AssignmentDate) }),
          response: { 200: Type.Ref(Assignment) },
        },
      },
      async (request) => {
        const change = toChange(request.body ?? {});
        const scope = scopeOf(request.principal);
        const current = await withScope(pool, scope, (client) => findAssignment(client, request.params.id));
        if (!current) throw notFound('Assignment');
        const tenantId = current.tenant_id;
        const next = { ...current };
        if (change.kind === 'sign-on') next.actual_sign_on = change.date;
        if (change.kind === 'sign-off') next.actual_sign_off = change.date;
        const row = await orConflict(
          pool,
          tenantId,
          { seafarerId: current.seafarer_id, ...periodOf(next), except: current.id },
          () =>
            withScope(pool, { kind: 'tenant', tenantId }, async (client) => {
              const locked = await findAssignment(client, current.id, { forUpdate: true });
              if (!locked) throw notFound('Assignment');
              checkTransition(locked, change);
              return changeAssignment(client, locked.id, change);
            }),
        );
        return assignmentResource(row);
      },
    );

  transition(
    'sign-on',
    'Record the actual sign-on',
    'Only a planned assignment signs on. The actual date replaces the planned one for the overlap rule.',
    ({ date }) => ({ kind: 'sign-on', date: date ?? '' }),
  );
  transition(
    'sign-off',
    'Record the actual sign-off',
    'Only an assignment aboard signs off, on a date after its sign-on (400 otherwise).',
    ({ date }) => ({ kind: 'sign-off', date: date ?? '' }),
  );
  transition(
    'cancel',
    'Cancel a planned assignment',
    'Only an assignment not yet signed on can be cancelled.',
    () => ({
      kind: 'cancel',
    }),
  );
};

function checkTransition(row: AssignmentRow, change: AssignmentChange): void {
  const status = assignmentStatus(row);
  const refuse = (detail: string) => new ProblemError(409, { title: 'Conflict', detail });
  if (change.kind === 'sign-on') {
    if (status !== 'planned') throw refuse(`The assignment is ${status}; only a planned one signs on.`);
    if (change.date >= row.planned_sign_off) {
      throw invalidField('body', '/date', `must be before the planned sign-off (${row.planned_sign_off})`);
    }
  } else if (change.kind === 'sign-off') {
    if (status !== 'on-board') throw refuse(`The assignment is ${status}; only one aboard signs off.`);
    if (row.actual_sign_on && change.date <= row.actual_sign_on) {
      throw invalidField('body', '/date', `must be after the sign-on (${row.actual_sign_on})`);
    }
  } else if (status !== 'planned') {
    throw refuse(`The assignment is ${status}; only a planned one can be cancelled.`);
  }
}
