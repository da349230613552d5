import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, invalidFields, notFound, ProblemError, scopeOf } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, subjectOf, visibleVessel } from '../../access.js';
import { crewOn } from '../../db/assignments.js';
import {
  deleteRestPeriod,
  insertRestPeriods,
  isRestOverlap,
  restPeriodsOf,
  seafarersWithRestOn,
  type RestPeriodRow,
} from '../../db/rest-periods.js';
import { findSeafarer } from '../../db/seafarers.js';
import { restRegimeOf } from '../../db/vessel-crew-rules.js';
import { evaluateHoursOfRest, type RestRegime } from '../../domain/hours-of-rest.js';
import { restPeriodResource } from '../mappers.js';
import {
  RestEvaluation,
  RestPeriodList,
  RestPeriodsCreate,
  SeafarerParams,
  Uuid,
  VesselParams,
  VesselRestReport,
} from '../schemas.js';

const tags = ['hours of rest'];
const HOUR_MS = 3_600_000;
/** The longest range one evaluation covers: a month of records is what a flag inspection asks for. */
const MAX_RANGE_DAYS = 31;

const RangeQuery = {
  from: Type.String({ format: 'date-time', examples: ['2026-03-01T00:00:00Z'] }),
  to: Type.String({ format: 'date-time', examples: ['2026-03-08T00:00:00Z'] }),
};

function checkRange(from: string, to: string): void {
  const span = Date.parse(to) - Date.parse(from);
  if (span <= 0) throw invalidField('querystring', '/to', 'must be after from');
  if (span > MAX_RANGE_DAYS * 24 * HOUR_MS) {
    throw invalidField('querystring', '/to', `must be at most ${MAX_RANGE_DAYS} days after from`);
  }
}

function evaluate(regime: RestRegime, from: string, to: string, rows: RestPeriodRow[]) {
  return evaluateHoursOfRest({
    regime,
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    rests: rows.map((row) => ({ start: row.start.toISOString(), end: row.end.toISOString() })),
  });
}

export const restRoutes: FastifyPluginAsyncTypebox<{
  pool: pg.Pool;
  registry: FleetRegistryView;
  now: () => Date;
}> = async (app, { pool, registry, now }) => {
  app.post(
    '/seafarers/:seafarerId/rest-periods',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Record rest periods',
        description:
          'Periods are half-open [start, end). All are stored or none: one that overlaps another of the ' +
          'request is refused with 400, one that overlaps a stored record with 409. Ends may lie at most ' +
          '24 hours ahead (a day’s schedule entered in advance).',
        params: SeafarerParams,
        body: Type.Ref(RestPeriodsCreate),
        response: { 201: Type.Ref(RestPeriodList) },
      },
    },
    async (request, reply) => {
      const { vesselId, periods } = request.body;
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, vesselId);
      const latestEnd = now().getTime() + 24 * HOUR_MS;
      const errors = periods.flatMap(({ start, end }, index) =>
        Date.parse(end) <= Date.parse(start)
          ? [{ pointer: `/periods/${index}/end`, message: 'must be after start' }]
          : Date.parse(end) > latestEnd
            ? [{ pointer: `/periods/${index}/end`, message: 'must not be more than 24 hours ahead' }]
            : [],
      );
      if (errors.length > 0) throw invalidFields('body', errors);
      const sorted = periods
        .map((period, index) => ({ index, start: Date.parse(period.start), end: Date.parse(period.end) }))
        .sort((a, b) => a.start - b.start);
      sorted.slice(1).forEach((period, i) => {
        if (period.start < (sorted[i]?.end ?? 0)) {
          throw invalidField('body', `/periods/${period.index}`, 'overlaps another period of this request');
        }
      });
      const rows = await withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, async (client) => {
        if (!(await findSeafarer(client, request.params.seafarerId))) throw notFound('Seafarer');
        return insertRestPeriods(
          client,
          {
            tenantId: vessel.tenantId,
            seafarerId: request.params.seafarerId,
            vesselId,
            recordedBy: subjectOf(request.principal),
          },
          periods,
        );
      }).catch((error: unknown) => {
        if (isRestOverlap(error)) {
          throw new ProblemError(409, {
            title: 'Conflict',
            detail:
              'A period overlaps rest already recorded for the seafarer; correct or delete that record first.',
          });
        }
        throw error;
      });
      return reply.code(201).send({ items: rows.map(restPeriodResource) });
    },
  );

  app.get(
    '/seafarers/:seafarerId/rest-periods',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A seafarer’s rest records in a range',
        params: SeafarerParams,
        querystring: Type.Object(RangeQuery, { additionalProperties: false }),
        response: { 200: Type.Ref(RestPeriodList) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      checkRange(from, to);
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findSeafarer(client, request.params.seafarerId))) throw notFound('Seafarer');
        return restPeriodsOf(client, request.params.seafarerId, from, to);
      });
      return { items: rows.map(restPeriodResource) };
    },
  );

  app.delete(
    '/seafarers/:seafarerId/rest-periods/:id',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Delete a rest record (to correct it)',
        params: Type.Object({ seafarerId: Uuid, id: Uuid }, { additionalProperties: false }),
        response: { 204: { description: 'Deleted', type: 'null' } },
      },
    },
    async (request, reply) => {
      const deleted = await withScope(pool, scopeOf(request.principal), (client) =>
        deleteRestPeriod(client, request.params.seafarerId, request.params.id),
      );
      if (!deleted) throw notFound('Rest period');
      return reply.code(204).send();
    },
  );

  app.get(
    '/seafarers/:seafarerId/hours-of-rest',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Hours-of-rest compliance of a seafarer',
        description:
          'Evaluates the records in [from, to] under the vessel’s regime (MLC A2.3, STCW A-VIII/1): rolling ' +
          '24-hour and 7-day windows, rest in at most two periods of which one is at least 6 h, at most 14 h ' +
          'between rest periods. Time without a rest record counts as work. Each violation names the rule ' +
          'and the exact window.',
        params: SeafarerParams,
        querystring: Type.Object({ vesselId: Uuid, ...RangeQuery }, { additionalProperties: false }),
        response: { 200: Type.Ref(RestEvaluation) },
      },
    },
    async (request) => {
      const { vesselId, from, to } = request.query;
      checkRange(from, to);
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, vesselId);
      const { regime, rows } = await withScope(
        pool,
        { kind: 'tenant', tenantId: vessel.tenantId },
        async (client) => {
          if (!(await findSeafarer(client, request.params.seafarerId))) throw notFound('Seafarer');
          return {
            regime: await restRegimeOf(client, vessel.id),
            rows: await restPeriodsOf(client, request.params.seafarerId, from, to),
          };
        },
      );
      return { seafarerId: request.params.seafarerId, vesselId, ...evaluate(regime, from, to, rows) };
    },
  );

  app.get(
    '/vessels/:vesselId/hours-of-rest',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Hours-of-rest compliance of a vessel’s crew',
        description:
          'The evaluation for every seafarer with rest records on the vessel in the range, and everyone ' +
          'aboard at its end (with no records, all their time counts as work).',
        params: VesselParams,
        querystring: Type.Object(RangeQuery, { additionalProperties: false }),
        response: { 200: Type.Ref(VesselRestReport) },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      checkRange(from, to);
      scopeOf(request.principal);
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const { regime, records } = await withScope(
        pool,
        { kind: 'tenant', tenantId: vessel.tenantId },
        async (client) => {
          const aboard = await crewOn(client, vessel.id, new Date(to).toISOString().slice(0, 10));
          const ids = new Set([
            ...(await seafarersWithRestOn(client, vessel.id, from, to)),
            ...aboard.map((row) => row.seafarer_id),
          ]);
          const records = new Map<string, RestPeriodRow[]>();
          for (const id of [...ids].sort()) records.set(id, await restPeriodsOf(client, id, from, to));
          return { regime: await restRegimeOf(client, vessel.id), records };
        },
      );
      return {
        vesselId: vessel.id,
        regime,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        seafarers: [...records].map(([seafarerId, rows]) => ({
          seafarerId,
          vesselId: vessel.id,
          ...evaluate(regime, from, to, rows),
        })),
      };
    },
  );
};
