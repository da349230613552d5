import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, notFound, ProblemError, scopeOf } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, subjectOf, visibleVessel } from '../../access.js';
import { componentsOf, duplicateOf, findComponent, insertComponent } from '../../db/components.js';
import { appendHistory, historyOf } from '../../db/history.js';
import { insertJob, jobsOf } from '../../db/jobs.js';
import { readingsOf } from '../../db/readings.js';
import { insertWorkOrder, workOrdersOfJob } from '../../db/work-orders.js';
import { averageDailyHours } from '../../domain/counters.js';
import { AVERAGE_WINDOW_DAYS, averagesOf, dueOfWorkOrder, recordReading } from '../../planning.js';
import { componentResource, historyResource, jobResource, readingResource } from '../mappers.js';
import {
  Component,
  ComponentCreate,
  ComponentList,
  History,
  IdParams,
  Job,
  JobCreate,
  JobList,
  ReadingCreate,
  ReadingList,
  VesselParams,
} from '../schemas.js';

export interface ComponentRouteOptions {
  pool: pg.Pool;
  registry: FleetRegistryView;
  now: () => Date;
}

/** Components (the equipment tree), their counters and readings, their jobs and history. */
export const componentRoutes: FastifyPluginAsyncTypebox<ComponentRouteOptions> = async (
  app,
  { pool, registry, now },
) => {
  const today = () => now().toISOString().slice(0, 10);

  app.post(
    '/vessels/:vesselId/components',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags: ['components'],
        summary: 'Add a component to a vessel’s equipment tree',
        description:
          'A top-level code has three digits (`601`); a child’s code extends its parent’s (`601.01`). Codes ' +
          'are unique per vessel (409), as is the telemetry engine that drives a counter.',
        params: VesselParams,
        body: Type.Ref(ComponentCreate),
        response: { 201: Type.Ref(Component) },
      },
    },
    async (request, reply) => {
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const body = request.body;
      const hasCounter = body.hasCounter ?? false;
      if (body.telemetryEngine && !hasCounter) {
        throw invalidField('body', '/telemetryEngine', 'needs hasCounter: true');
      }
      if (body.initialRunningHours !== undefined && !hasCounter) {
        throw invalidField('body', '/initialRunningHours', 'needs hasCounter: true');
      }
      const row = await withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, async (client) => {
        const parentId = body.parentId ?? null;
        if (parentId) {
          const parent = await findComponent(client, parentId);
          if (!parent || parent.vessel_id !== vessel.id) {
            throw invalidField('body', '/parentId', 'is not a component of this vessel');
          }
          if (!body.code.startsWith(`${parent.code}.`)) {
            throw invalidField('body', '/code', `must extend the parent’s code ${parent.code}`);
          }
        } else if (body.code.includes('.')) {
          throw invalidField('body', '/parentId', `is required for the sub-component code ${body.code}`);
        }
        return insertComponent(
          client,
          vessel.tenantId,
          vessel.id,
          {
            parentId,
            code: body.code,
            name: body.name,
            maker: body.maker ?? null,
            model: body.model ?? null,
            serialNumber: body.serialNumber ?? null,
            criticality: body.criticality,
            telemetryEngine: body.telemetryEngine ?? null,
            hasCounter,
          },
          body.initialRunningHours ?? 0,
        );
      }).catch((error: unknown) => {
        const duplicate = duplicateOf(error);
        if (duplicate === 'code') {
          throw new ProblemError(409, {
            title: 'Conflict',
            detail: `Code ${body.code} is used on this vessel already.`,
          });
        }
        if (duplicate === 'telemetry-engine') {
          throw new ProblemError(409, {
            title: 'Conflict',
            detail: `Another component of this vessel takes its counter from engine ${body.telemetryEngine}.`,
          });
        }
        throw error;
      });
      return reply
        .code(201)
        .header('location', `/v1/maintenance/components/${row.id}`)
        .send(componentResource(row));
    },
  );

  app.get(
    '/vessels/:vesselId/components',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['components'],
        summary: 'A vessel’s components, in code order (parents before children)',
        params: VesselParams,
        response: { 200: Type.Ref(ComponentList) },
      },
    },
    async (request) => {
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const rows = await withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, (client) =>
        componentsOf(client, vessel.id),
      );
      return { items: rows.map(componentResource) };
    },
  );

  app.get(
    '/components/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['components'],
        summary: 'Get a component',
        params: IdParams,
        response: { 200: Type.Ref(Component) },
      },
    },
    async (request) => {
      const row = await withScope(pool, scopeOf(request.principal), (client) =>
        findComponent(client, request.params.id),
      );
      if (!row) throw notFound('Component');
      return componentResource(row);
    },
  );

  app.post(
    '/components/:id/readings',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags: ['running hours'],
        summary: 'Record a manual counter reading or a counter replacement',
        description:
          'A reading below the counter is refused (409) unless recorded as a `replacement`, which restarts ' +
          'the meter without changing the running hours. A reading not newer than the last one is refused ' +
          '(409) too: telemetry may have recorded a later one.',
        params: IdParams,
        body: Type.Ref(ReadingCreate),
        response: { 201: Type.Ref(Component) },
      },
    },
    async (request, reply) => {
      const { kind = 'reading', meter, observedAt } = request.body;
      if (Date.parse(observedAt) > now().getTime() + 5 * 60_000) {
        throw invalidField('body', '/observedAt', 'must not be in the future');
      }
      const actor = subjectOf(request.principal);
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const component = await findComponent(client, request.params.id, { forUpdate: true });
        if (!component) throw notFound('Component');
        if (!component.has_counter) throw invalidField('params', '/id', 'is a component without a counter');
        const { outcome } = await recordReading(
          client,
          component,
          kind === 'replacement'
            ? { kind, newMeter: meter, observedAt: new Date(observedAt).toISOString() }
            : { kind, meter, observedAt: new Date(observedAt).toISOString() },
          { kind: 'manual', eventId: null, actor },
        );
        if (outcome === 'rejected-backwards') {
          throw new ProblemError(409, {
            title: 'Conflict',
            detail: `The counter shows ${component.counter_meter}; a lower reading is only accepted as a counter replacement.`,
          });
        }
        if (outcome === 'ignored-older') {
          throw new ProblemError(409, {
            title: 'Conflict',
            detail: `A reading observed at ${component.counter_observed_at?.toISOString()} is recorded already; this one is not newer.`,
          });
        }
        return findComponent(client, component.id);
      });
      if (!row) throw notFound('Component');
      return reply.code(201).send(componentResource(row));
    },
  );

  app.get(
    '/components/:id/readings',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['running hours'],
        summary: 'Counter readings of the last days, with the average daily running hours',
        params: IdParams,
        querystring: Type.Object(
          { days: Type.Integer({ minimum: 1, maximum: 3660, default: AVERAGE_WINDOW_DAYS }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(ReadingList) },
      },
    },
    async (request) => {
      const at = now();
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findComponent(client, request.params.id))) throw notFound('Component');
        return readingsOf(
          client,
          request.params.id,
          new Date(at.getTime() - request.query.days * 86_400_000),
        );
      });
      return {
        items: rows.map(readingResource),
        averageDailyHours: averageDailyHours(
          rows.map((r) => ({ observedAt: r.observed_at.toISOString(), runningHours: r.running_hours })),
          at.toISOString(),
          AVERAGE_WINDOW_DAYS,
        ),
      };
    },
  );

  app.get(
    '/components/:id/history',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['components'],
        summary: 'Everything that happened to a component and its jobs, oldest first',
        params: IdParams,
        response: { 200: Type.Ref(History) },
      },
    },
    async (request) => {
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findComponent(client, request.params.id))) throw notFound('Component');
        return historyOf(client, { componentId: request.params.id });
      });
      return { items: rows.map(historyResource) };
    },
  );

  app.post(
    '/components/:id/jobs',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags: ['jobs'],
        summary: 'Plan a maintenance job on a component',
        description:
          'By calendar interval, running-hour interval, or both (due at whichever comes first), with a ' +
          'tolerance window either side. The first due counts from `lastDoneOn` (and `lastDoneHours`, by ' +
          'default the counter now). Its work order is opened at once.',
        params: IdParams,
        body: Type.Ref(JobCreate),
        response: { 201: Type.Ref(Job) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const calendarInterval = body.calendarInterval ?? null;
      const hoursInterval = body.hoursInterval ?? null;
      if (!calendarInterval && hoursInterval === null) {
        throw invalidField('body', '/calendarInterval', 'or hoursInterval is required');
      }
      if (body.lastDoneOn > today()) throw invalidField('body', '/lastDoneOn', 'must not be in the future');
      const actor = subjectOf(request.principal);
      const { job, planned } = await withScope(pool, scopeOf(request.principal), async (client) => {
        const component = await findComponent(client, request.params.id);
        if (!component) throw notFound('Component');
        if (hoursInterval !== null && !component.has_counter) {
          throw invalidField('body', '/hoursInterval', 'needs a component with a running-hour counter');
        }
        const job = await insertJob(client, {
          tenantId: component.tenant_id,
          vesselId: component.vessel_id,
          componentId: component.id,
          title: body.title,
          instructions: body.instructions ?? '',
          responsibleRank: body.responsibleRank,
          calendarInterval,
          hoursInterval,
          toleranceDays: body.toleranceDays ?? 0,
          toleranceHours: body.toleranceHours ?? 0,
          lastDoneOn: body.lastDoneOn,
          lastDoneHours:
            hoursInterval === null
              ? (body.lastDoneHours ?? null)
              : (body.lastDoneHours ?? component.running_hours),
        });
        const workOrder = await insertWorkOrder(client, job);
        await appendHistory(client, {
          tenantId: job.tenant_id,
          componentId: component.id,
          jobId: job.id,
          workOrderId: workOrder.id,
          kind: 'job-created',
          details: { title: job.title, lastDoneOn: job.last_done_on, lastDoneHours: job.last_done_hours },
          actor,
        });
        const [planned] = await workOrdersOfJob(client, job.id);
        const averages = await averagesOf(client, [component.id], now());
        return { job, planned: planned && { planned, average: averages.get(component.id) ?? null } };
      });
      const open = planned
        ? {
            workOrderId: planned.planned.workOrder.id,
            due: dueOfWorkOrder(planned.planned, today(), planned.average),
          }
        : null;
      return reply
        .code(201)
        .header('location', `/v1/maintenance/jobs/${job.id}`)
        .send(jobResource(job, open));
    },
  );

  app.get(
    '/components/:id/jobs',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags: ['jobs'],
        summary: 'A component’s jobs with where each stands',
        params: IdParams,
        response: { 200: Type.Ref(JobList) },
      },
    },
    async (request) => {
      const { jobs, open, averages } = await withScope(pool, scopeOf(request.principal), async (client) => {
        const component = await findComponent(client, request.params.id);
        if (!component) throw notFound('Component');
        const jobs = await jobsOf(client, component.id);
        const open = (await Promise.all(jobs.map((job) => workOrdersOfJob(client, job.id))))
          .flat()
          .filter((planned) => !planned.workOrder.completed_on);
        return { jobs, open, averages: await averagesOf(client, [component.id], now()) };
      });
      return {
        items: jobs.map((job) => {
          const planned = open.find((candidate) => candidate.job.id === job.id);
          return jobResource(
            job,
            planned
              ? {
                  workOrderId: planned.workOrder.id,
                  due: dueOfWorkOrder(planned, today(), averages.get(job.component_id) ?? null),
                }
              : null,
          );
        }),
      };
    },
  );
};
