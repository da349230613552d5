import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, notFound, ProblemError, scopeOf } from '@fleetwatch/service-kit';
import type { Static } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, visibleVessel } from '../../access.js';
import {
  completeSurvey,
  findSurvey,
  insertSurveys,
  surveysOf,
  type SurveyRow,
} from '../../db/class-surveys.js';
import { classSurveyCycle } from '../../domain/class-surveys.js';
import {
  ClassSurvey,
  ClassSurveyComplete,
  ClassSurveyCycleCreate,
  ClassSurveyList,
  IdParams,
  VesselParams,
} from '../schemas.js';

const tags = ['class surveys'];

function surveyResource(row: SurveyRow, today: string): Static<typeof ClassSurvey> {
  return {
    id: row.id,
    vesselId: row.vessel_id,
    periodStart: row.period_start,
    kind: row.kind,
    number: row.number,
    dueDate: row.due_date,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    completedOn: row.completed_on,
    remarks: row.remarks,
    state: row.completed_on
      ? 'done'
      : today > row.window_end
        ? 'overdue'
        : today >= row.window_start
          ? 'open'
          : 'not-yet-open',
  };
}

export const classSurveyRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  registry: FleetRegistryView;
  now: () => Date;
}> = async (app, { pool, registry, now }) => {
  const today = () => now().toISOString().slice(0, 10);

  app.post(
    '/vessels/:vesselId/class-surveys',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Plan a 5-year class period’s surveys',
        description:
          'Annual surveys within 3 months of each anniversary, the intermediate in place of the 2nd or 3rd ' +
          'annual, the special survey from the 4th anniversary to the 5th. Entering a period twice changes nothing.',
        params: VesselParams,
        body: Type.Ref(ClassSurveyCycleCreate),
        response: { 201: Type.Ref(ClassSurveyList) },
      },
    },
    async (request, reply) => {
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const { periodStart } = request.body;
      const rows = await withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, async (client) => {
        await insertSurveys(client, vessel.tenantId, vessel.id, periodStart, classSurveyCycle(periodStart));
        return (await surveysOf(client, vessel.id)).filter((row) => row.period_start === periodStart);
      });
      return reply.code(201).send({ items: rows.map((row) => surveyResource(row, today())) });
    },
  );

  app.get(
    '/vessels/:vesselId/class-surveys',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A vessel’s class surveys, by due date',
        params: VesselParams,
        response: { 200: Type.Ref(ClassSurveyList) },
      },
    },
    async (request) => {
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const rows = await withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, (client) =>
        surveysOf(client, vessel.id),
      );
      return { items: rows.map((row) => surveyResource(row, today())) };
    },
  );

  app.post(
    '/class-surveys/:id/complete',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Record a class survey held',
        description: 'On a date not in the future and not before the survey’s window opens.',
        params: IdParams,
        body: Type.Ref(ClassSurveyComplete),
        response: { 200: Type.Ref(ClassSurvey) },
      },
    },
    async (request) => {
      const { completedOn, remarks } = request.body;
      if (completedOn > today()) throw invalidField('body', '/completedOn', 'must not be in the future');
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const survey = await findSurvey(client, request.params.id);
        if (!survey) throw notFound('Class survey');
        if (survey.completed_on)
          throw new ProblemError(409, { title: 'Conflict', detail: 'The survey is recorded already.' });
        if (completedOn < survey.window_start) {
          throw invalidField(
            'body',
            '/completedOn',
            `must be within the survey window from ${survey.window_start}`,
          );
        }
        return completeSurvey(client, survey.id, { completedOn, remarks });
      });
      if (!row) throw notFound('Class survey');
      return surveyResource(row, today());
    },
  );
};
