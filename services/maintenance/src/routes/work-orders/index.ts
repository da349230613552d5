import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, invalidFields, notFound, ProblemError, scopeOf } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_APPROVE, CAN_READ, CAN_WRITE, subjectOf, visibleVessel } from '../../access.js';
import type { CRITICALITIES } from '../../db/components.js';
import { appendHistory, historyOf } from '../../db/history.js';
import { findJob, setBaseline } from '../../db/jobs.js';
import {
  decidePostponement,
  findPostponement,
  insertPostponement,
  isPendingAlready,
  postponementsOf,
} from '../../db/postponements.js';
import {
  completeWorkOrder,
  findWorkOrder,
  insertWorkOrder,
  openWorkOrders,
  postponeWorkOrder,
  type PlannedWorkOrder,
} from '../../db/work-orders.js';
import { addDays } from '../../domain/dates.js';
import { nextCycleBaseline, type DueState } from '../../domain/due.js';
import { averagesOf, dueOfWorkOrder } from '../../planning.js';
import { historyResource, jobResource, postponementResource, workOrderResource } from '../mappers.js';
import {
  Completion,
  CriticalitySchema,
  DueList,
  History,
  IdParams,
  Job,
  Postponement,
  PostponementCreate,
  Uuid,
  VesselParams,
  WorkOrder,
} from '../schemas.js';

const tags = ['work orders'];
const PostponementParams = Type.Object({ id: Uuid, postponementId: Uuid }, { additionalProperties: false });

const DueListQuery = Type.Object(
  {
    withinDays: Type.Integer({
      minimum: 0,
      maximum: 3660,
      default: 30,
      description: 'Work orders due within this many days, besides every one due or overdue now',
    }),
    criticality: Type.Optional(CriticalitySchema),
    componentId: Type.Optional(Type.String({ format: 'uuid', description: 'A component or its children' })),
  },
  { additionalProperties: false },
);

/** Overdue first, then by the date due (undated last), then by component code. */
function byUrgency(a: { due: DueState; code: string }, b: { due: DueState; code: string }): number {
  const overdue = Number(b.due.status === 'overdue') - Number(a.due.status === 'overdue');
  if (overdue !== 0) return overdue;
  const dateA = a.due.effectiveDueDate ?? '9999-12-31';
  const dateB = b.due.effectiveDueDate ?? '9999-12-31';
  return dateA < dateB ? -1 : dateA > dateB ? 1 : a.code.localeCompare(b.code);
}

export const workOrderRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  registry: FleetRegistryView;
  now: () => Date;
}> = async (app, { pool, registry, now }) => {
  const today = () => now().toISOString().slice(0, 10);

  /** The work order with its due state and postponements, as the API shows it. */
  const present = async (client: pg.ClientBase, planned: PlannedWorkOrder) => {
    const averages = await averagesOf(client, [planned.workOrder.component_id], now());
    const due = planned.workOrder.completed_on
      ? null
      : dueOfWorkOrder(planned, today(), averages.get(planned.workOrder.component_id) ?? null);
    return workOrderResource(planned, due, await postponementsOf(client, planned.workOrder.id));
  };

  const dueList = async (
    client: pg.ClientBase,
    filter: { vesselId?: string; componentId?: string; criticality?: (typeof CRITICALITIES)[number] },
    withinDays: number,
  ) => {
    const open = await openWorkOrders(client, filter);
    const averages = await averagesOf(
      client,
      open.filter((p) => p.job.interval_hours !== null).map((p) => p.workOrder.component_id),
      now(),
    );
    const horizon = addDays(today(), withinDays);
    return open
      .map((planned) => ({
        planned,
        code: planned.component.code,
        due: dueOfWorkOrder(planned, today(), averages.get(planned.workOrder.component_id) ?? null),
      }))
      .filter(
        ({ due }) =>
          due.status !== 'planned' || (due.effectiveDueDate !== null && due.effectiveDueDate <= horizon),
      )
      .sort(byUrgency)
      .map(({ planned, due }) => workOrderResource(planned, due, []));
  };

  app.get(
    '/vessels/:vesselId/due-list',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['due lists'],
        summary: 'What is due on a vessel',
        description:
          'Open work orders overdue, due, or due within `withinDays`: overdue first, then by the date due.',
        params: VesselParams,
        querystring: DueListQuery,
        response: { 200: Type.Ref(DueList) },
      },
    },
    async (request) => {
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const { withinDays, criticality, componentId } = request.query;
      const items = await withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, (client) =>
        dueList(
          client,
          {
            vesselId: vessel.id,
            ...(criticality ? { criticality } : {}),
            ...(componentId ? { componentId } : {}),
          },
          withinDays,
        ),
      );
      return { asOf: today(), items };
    },
  );

  app.get(
    '/due-list',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['due lists'],
        summary: 'What is due across the tenant’s fleet',
        description:
          'As the vessel due list, over every vessel of the caller’s tenant (operators: every tenant).',
        querystring: DueListQuery,
        response: { 200: Type.Ref(DueList) },
      },
    },
    async (request) => {
      const { withinDays, criticality, componentId } = request.query;
      const items = await withScope(pool, scopeOf(request.principal), (client) =>
        dueList(
          client,
          { ...(criticality ? { criticality } : {}), ...(componentId ? { componentId } : {}) },
          withinDays,
        ),
      );
      return { asOf: today(), items };
    },
  );

  app.get(
    '/work-orders/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: { tags, summary: 'Get a work order', params: IdParams, response: { 200: Type.Ref(WorkOrder) } },
    },
    async (request) =>
      withScope(pool, scopeOf(request.principal), async (client) => {
        const planned = await findWorkOrder(client, request.params.id);
        if (!planned) throw notFound('Work order');
        return present(client, planned);
      }),
  );

  app.post(
    '/work-orders/:id/complete',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Record a work order done',
        description:
          'Records the date, running hours (required for hour-based jobs), remarks and who signed (the chief ' +
          'engineer, as a rule). The job’s next cycle counts from this completion; its next work order opens.',
        params: IdParams,
        body: Type.Ref(Completion),
        response: { 200: Type.Ref(WorkOrder) },
      },
    },
    async (request) => {
      const body = request.body;
      const actor = subjectOf(request.principal);
      if (body.completedOn > today()) throw invalidField('body', '/completedOn', 'must not be in the future');
      return withScope(pool, scopeOf(request.principal), async (client) => {
        const planned = await findWorkOrder(client, request.params.id, { forUpdate: true });
        if (!planned) throw notFound('Work order');
        const { workOrder, job } = planned;
        if (workOrder.completed_on)
          throw new ProblemError(409, { title: 'Conflict', detail: 'The work order is done already.' });
        const errors: { pointer: string; message: string }[] = [];
        if (body.completedOn < job.last_done_on) {
          errors.push({
            pointer: '/completedOn',
            message: `must not be before the previous completion (${job.last_done_on})`,
          });
        }
        if (job.interval_hours !== null && body.runningHours === undefined) {
          errors.push({ pointer: '/runningHours', message: 'is required for an hour-based job' });
        }
        if (
          body.runningHours !== undefined &&
          job.last_done_hours !== null &&
          body.runningHours < job.last_done_hours
        ) {
          errors.push({
            pointer: '/runningHours',
            message: `must not be below the previous completion’s ${job.last_done_hours}`,
          });
        }
        if (errors.length > 0) throw invalidFields('body', errors);
        const runningHours = body.runningHours ?? null;
        await completeWorkOrder(client, workOrder.id, {
          completedOn: body.completedOn,
          runningHours,
          remarks: body.remarks,
          signedByName: body.signedBy.name,
          signedByRank: body.signedBy.rank,
          completedBy: actor,
        });
        await setBaseline(client, job.id, nextCycleBaseline({ date: body.completedOn, runningHours }));
        const next = await insertWorkOrder(client, job);
        await appendHistory(client, {
          tenantId: workOrder.tenant_id,
          componentId: workOrder.component_id,
          jobId: job.id,
          workOrderId: workOrder.id,
          kind: 'work-order-completed',
          details: {
            completedOn: body.completedOn,
            runningHours,
            remarks: body.remarks,
            signedBy: body.signedBy,
            nextWorkOrderId: next.id,
          },
          actor,
        });
        const done = await findWorkOrder(client, workOrder.id);
        if (!done) throw notFound('Work order');
        return present(client, done);
      });
    },
  );

  app.post(
    '/work-orders/:id/postponements',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Request a postponement',
        description:
          'With a reason and a later due date and/or due hours. It changes nothing until an `owner-admin` ' +
          'approves it; one request may be pending at a time (409).',
        params: IdParams,
        body: Type.Ref(PostponementCreate),
        response: { 201: Type.Ref(Postponement) },
      },
    },
    async (request, reply) => {
      const { dueDate, dueHours, reason } = request.body;
      if (dueDate === undefined && dueHours === undefined)
        throw invalidField('body', '/dueDate', 'or dueHours is required');
      const actor = subjectOf(request.principal);
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const planned = await findWorkOrder(client, request.params.id, { forUpdate: true });
        if (!planned) throw notFound('Work order');
        if (planned.workOrder.completed_on)
          throw new ProblemError(409, { title: 'Conflict', detail: 'The work order is done.' });
        const due = dueOfWorkOrder(planned, today(), null);
        const errors: { pointer: string; message: string }[] = [];
        if (dueDate !== undefined) {
          if (due.dueDate === null)
            errors.push({ pointer: '/dueDate', message: 'the job has no calendar interval' });
          else if (dueDate <= due.dueDate)
            errors.push({
              pointer: '/dueDate',
              message: `must be after the current due date ${due.dueDate}`,
            });
        }
        if (dueHours !== undefined) {
          if (due.dueHours === null)
            errors.push({ pointer: '/dueHours', message: 'the job has no running-hour interval' });
          else if (dueHours <= due.dueHours)
            errors.push({
              pointer: '/dueHours',
              message: `must be above the current due hours ${due.dueHours}`,
            });
        }
        if (errors.length > 0) throw invalidFields('body', errors);
        const postponement = await insertPostponement(client, {
          tenantId: planned.workOrder.tenant_id,
          workOrderId: planned.workOrder.id,
          dueDate: dueDate ?? null,
          dueHours: dueHours ?? null,
          reason,
          requestedBy: actor,
        });
        await appendHistory(client, {
          tenantId: planned.workOrder.tenant_id,
          componentId: planned.workOrder.component_id,
          jobId: planned.job.id,
          workOrderId: planned.workOrder.id,
          kind: 'postponement-requested',
          details: {
            postponementId: postponement.id,
            dueDate: dueDate ?? null,
            dueHours: dueHours ?? null,
            reason,
          },
          actor,
        });
        return postponement;
      }).catch((error: unknown) => {
        if (isPendingAlready(error)) {
          throw new ProblemError(409, {
            title: 'Conflict',
            detail: 'A postponement of this work order is awaiting a decision.',
          });
        }
        throw error;
      });
      return reply.code(201).send(postponementResource(row));
    },
  );

  const decide = (decision: 'approved' | 'rejected') =>
    app.post(
      `/work-orders/:id/postponements/:postponementId/${decision === 'approved' ? 'approve' : 'reject'}`,
      {
        onRequest: app.requireRole(...CAN_APPROVE),
        schema: {
          tags,
          summary:
            decision === 'approved'
              ? 'Approve a postponement (owner-admin)'
              : 'Reject a postponement (owner-admin)',
          description:
            decision === 'approved'
              ? 'The work order’s due date and/or hours move to the requested ones; recorded in the history.'
              : 'The due date stays; recorded in the history.',
          params: PostponementParams,
          response: { 200: Type.Ref(WorkOrder) },
        },
      },
      async (request) => {
        const actor = subjectOf(request.principal);
        return withScope(pool, scopeOf(request.principal), async (client) => {
          const planned = await findWorkOrder(client, request.params.id, { forUpdate: true });
          const postponement =
            planned && (await findPostponement(client, planned.workOrder.id, request.params.postponementId));
          if (!planned || !postponement) throw notFound('Postponement');
          if (postponement.decision) {
            throw new ProblemError(409, {
              title: 'Conflict',
              detail: `The postponement was ${postponement.decision} already.`,
            });
          }
          if (planned.workOrder.completed_on)
            throw new ProblemError(409, { title: 'Conflict', detail: 'The work order is done.' });
          await decidePostponement(client, postponement.id, decision, actor);
          if (decision === 'approved') {
            await postponeWorkOrder(client, planned.workOrder.id, {
              dueDate: postponement.requested_due_date,
              dueHours: postponement.requested_due_hours,
            });
          }
          await appendHistory(client, {
            tenantId: planned.workOrder.tenant_id,
            componentId: planned.workOrder.component_id,
            jobId: planned.job.id,
            workOrderId: planned.workOrder.id,
            kind: decision === 'approved' ? 'postponement-approved' : 'postponement-rejected',
            details: {
              postponementId: postponement.id,
              dueDate: postponement.requested_due_date,
              dueHours: postponement.requested_due_hours,
            },
            actor,
          });
          const updated = await findWorkOrder(client, planned.workOrder.id);
          if (!updated) throw notFound('Work order');
          return present(client, updated);
        });
      },
    );
  decide('approved');
  decide('rejected');

  app.get(
    '/jobs/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['jobs'],
        summary: 'Get a job with where it stands',
        params: IdParams,
        response: { 200: Type.Ref(Job) },
      },
    },
    async (request) =>
      withScope(pool, scopeOf(request.principal), async (client) => {
        const job = await findJob(client, request.params.id);
        if (!job) throw notFound('Job');
        const [open] = await openWorkOrders(client, { componentId: job.component_id }).then((all) =>
          all.filter((planned) => planned.job.id === job.id),
        );
        const averages = await averagesOf(client, [job.component_id], now());
        return jobResource(
          job,
          open
            ? {
                workOrderId: open.workOrder.id,
                due: dueOfWorkOrder(open, today(), averages.get(job.component_id) ?? null),
              }
            : null,
        );
      }),
  );

  app.get(
    '/jobs/:id/history',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['jobs'],
        summary: 'A job’s history, oldest first',
        params: IdParams,
        response: { 200: Type.Ref(History) },
      },
    },
    async (request) => {
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findJob(client, request.params.id))) throw notFound('Job');
        return historyOf(client, { jobId: request.params.id });
      });
      return { items: rows.map(historyResource) };
    },
  );
};
