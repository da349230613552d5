import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withPlatformAccess, withTenant } from '@fleetwatch/db';
import { Nullable, ProblemError, StringEnum } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { visibleVessel } from '../../access.js';
import {
  fleetOverview,
  latestValues,
  rawSeries,
  rollupSeries,
  track,
  type AggregateSample,
  type RawSample,
  type Resolution,
} from '../../db/queries.js';

const READ_ROLES = ['platform-admin', 'owner-admin', 'fleet-manager', 'viewer'];
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const HOUR_MS = 3_600_000;

/** Raw points for ranges up to 6 hours, minute rollups up to 7 days, hourly rollups beyond. */
export function resolutionFor(rangeMs: number): Resolution {
  if (rangeMs <= 6 * HOUR_MS) return 'raw';
  if (rangeMs <= 7 * 24 * HOUR_MS) return '1m';
  return '1h';
}

const COARSER: Record<Resolution, Resolution | null> = { raw: '1m', '1m': '1h', '1h': null };

const VesselParams = Type.Object(
  { vesselId: Type.String({ pattern: UUID }) },
  { additionalProperties: false },
);
const Range = {
  from: Type.String({ format: 'date-time', description: 'Start (inclusive), RFC 3339' }),
  to: Type.String({ format: 'date-time', description: 'End (exclusive), RFC 3339' }),
  maxPoints: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 2_000,
    description: 'Cap on returned points',
  }),
};

const LatestValues = Type.Object(
  {
    vesselId: Type.String(),
    values: Type.Array(
      Type.Object({ path: Type.String(), ts: Type.String({ format: 'date-time' }), value: Type.Unknown() }),
    ),
  },
  { $id: 'LatestValues', title: 'LatestValues' },
);
const Series = Type.Object(
  {
    vesselId: Type.String(),
    path: Type.String(),
    resolution: StringEnum(['raw', '1m', '1h']),
    truncated: Type.Boolean({
      description: 'More points existed than maxPoints even at the coarsest resolution',
    }),
    points: Type.Array(
      Type.Object({
        ts: Type.String({ format: 'date-time' }),
        value: Type.Optional(Type.Unknown()),
        min: Type.Optional(Type.Number()),
        max: Type.Optional(Type.Number()),
        avg: Type.Optional(Type.Number()),
        count: Type.Optional(Type.Integer()),
      }),
    ),
  },
  { $id: 'Series', title: 'Series' },
);
const Track = Type.Object(
  {
    vesselId: Type.String(),
    points: Type.Array(
      Type.Object({
        ts: Type.String({ format: 'date-time' }),
        latitude: Type.Number(),
        longitude: Type.Number(),
      }),
    ),
  },
  { $id: 'Track', title: 'Track' },
);
const FleetOverview = Type.Object(
  {
    vessels: Type.Array(
      Type.Object({
        vesselId: Type.String(),
        name: Nullable(Type.String()),
        imo: Nullable(Type.String()),
        lastSeen: Type.String({ format: 'date-time' }),
        position: Nullable(Type.Object({ latitude: Type.Number(), longitude: Type.Number() })),
        positionAt: Nullable(Type.String({ format: 'date-time' })),
        speedOverGround: Nullable(Type.Number({ description: 'm/s' })),
      }),
    ),
  },
  { $id: 'FleetOverview', title: 'FleetOverview' },
);
export const QUERY_SCHEMAS = [LatestValues, Series, Track, FleetOverview];

export interface QueryRouteOptions {
  pool: pg.Pool;
  registry: FleetRegistryView;
}

export const queryRoutes: FastifyPluginAsyncTypebox<QueryRouteOptions> = async (app, { pool, registry }) => {
  const guard = app.requireRole(...READ_ROLES);

  function range(from: string, to: string): { from: Date; to: Date } {
    const start = new Date(from);
    const end = new Date(to);
    if (!(start < end))
      throw new ProblemError(400, { title: 'Bad Request', detail: '`from` must be before `to`.' });
    return { from: start, to: end };
  }

  app.get(
    '/vessels/:vesselId/latest',
    {
      onRequest: guard,
      schema: {
        tags: ['queries'],
        summary: 'The latest value of every path of a vessel',
        params: VesselParams,
        response: { 200: Type.Ref(LatestValues) },
      },
    },
    async (request) => {
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const rows = await withTenant(pool, vessel.tenantId, (client) => latestValues(client, vessel.id));
      return { vesselId: vessel.id, values: rows.map((row) => ({ ...row, ts: row.ts.toISOString() })) };
    },
  );

  app.get(
    '/vessels/:vesselId/series',
    {
      onRequest: guard,
      schema: {
        tags: ['queries'],
        summary: 'A path over time, at a resolution chosen from the range (raw, 1 m, 1 h)',
        params: VesselParams,
        querystring: Type.Object(
          {
            path: Type.String({ minLength: 1, maxLength: 200, examples: ['navigation.speedOverGround'] }),
            ...Range,
            resolution: StringEnum(['auto', 'raw', '1m', '1h'], { default: 'auto' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(Series) },
      },
    },
    async (request) => {
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const { path, maxPoints } = request.query;
      const { from, to } = range(request.query.from, request.query.to);
      let resolution: Resolution | null =
        request.query.resolution === 'auto'
          ? resolutionFor(to.getTime() - from.getTime())
          : request.query.resolution;
      const query = { vesselId: vessel.id, path, from, to, limit: maxPoints + 1 };
      return withTenant(pool, vessel.tenantId, async (client) => {
        // Coarser until the answer fits the cap.
        for (;;) {
          const current: Resolution = resolution ?? '1h';
          const rows: (RawSample | AggregateSample)[] =
            current === 'raw' ? await rawSeries(client, query) : await rollupSeries(client, current, query);
          const next = COARSER[current];
          if (rows.length <= maxPoints || next === null || request.query.resolution !== 'auto') {
            return {
              vesselId: vessel.id,
              path,
              resolution: current,
              truncated: rows.length > maxPoints,
              points: rows.slice(0, maxPoints).map((row) => ({ ...row, ts: row.ts.toISOString() })),
            };
          }
          resolution = next;
        }
      });
    },
  );

  app.get(
    '/vessels/:vesselId/track',
    {
      onRequest: guard,
      schema: {
        tags: ['queries'],
        summary: 'Where a vessel went: positions in a range, thinned evenly to maxPoints',
        params: VesselParams,
        querystring: Type.Object(Range, { additionalProperties: false }),
        response: { 200: Type.Ref(Track) },
      },
    },
    async (request) => {
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const { from, to } = range(request.query.from, request.query.to);
      const rows = await withTenant(pool, vessel.tenantId, (client) =>
        track(client, { vesselId: vessel.id, from, to, limit: request.query.maxPoints }),
      );
      return { vesselId: vessel.id, points: rows.map((row) => ({ ...row, ts: row.ts.toISOString() })) };
    },
  );

  app.get(
    '/fleet/overview',
    {
      onRequest: guard,
      schema: {
        tags: ['queries'],
        summary: "Every vessel of the caller's fleet: last position, speed and when last heard of",
        response: { 200: Type.Ref(FleetOverview) },
      },
    },
    async (request) => {
      const principal = request.principal;
      const rows = principal?.roles.includes('platform-admin')
        ? await withPlatformAccess(pool, fleetOverview)
        : await withTenant(pool, principal?.tenant ?? '', fleetOverview);
      return {
        vessels: rows.map((row) => {
          const vessel = registry.vessel(row.vessel_id);
          return {
            vesselId: row.vessel_id,
            name: vessel?.name ?? null,
            imo: vessel?.imo ?? null,
            lastSeen: row.last_seen.toISOString(),
            position: row.position,
            positionAt: row.position_ts?.toISOString() ?? null,
            speedOverGround: row.speed_over_ground,
          };
        }),
      };
    },
  );
};
