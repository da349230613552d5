import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CII_RATINGS, REDUCTION_FACTORS, SHIP_TYPES as CII_SHIP_TYPES } from '@fleetwatch/cii';
import { withPlatformAccess, withTenant } from '@fleetwatch/db';
import type { FleetRegistryView, VesselState } from '@fleetwatch/fleet-registry';
import { Nullable, ProblemError, StringEnum } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { visibleVessel } from '../../access.js';
import { yearTotals, type VesselYearTotals } from '../../db/noon-reports.js';
import { assessFleetCii, calendarYear } from '../../domain/fleet-cii.js';
import { assessVesselCii, countRatings } from '../../domain/vessel-cii.js';

export interface CiiRouteOptions {
  pool: pg.Pool;
  registry: FleetRegistryView;
  /** The clock: whether the year is over, and the default year. */
  now?: () => Date;
}

const READ_ROLES = ['platform-admin', 'owner-admin', 'fleet-manager', 'viewer'];
const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
const TENANT_UUID = new RegExp(UUID, 'i');
const tags = ['cii'];

// The years with an adopted reduction factor: every other year cannot be rated, so it is a 400.
const RATED_YEARS = Object.keys(REDUCTION_FACTORS).map(Number);
const YearQuery = Type.Object(
  {
    year: Type.Optional(
      Type.Integer({
        minimum: Math.min(...RATED_YEARS),
        maximum: Math.max(...RATED_YEARS),
        description: 'Calendar year (UTC); default: the current year',
      }),
    ),
  },
  { additionalProperties: false },
);

const Rating = StringEnum(CII_RATINGS);
const FuelTonnes = Type.Record(Type.String(), Type.Number(), { description: 'Tonnes per fuel' });
const CiiResult = Type.Object(
  {
    attained: Type.Number({ description: 'g CO2 per capacity (DWT or GT) per nautical mile' }),
    required: Type.Number(),
    boundaries: Type.Object({
      superior: Type.Number(),
      lower: Type.Number(),
      upper: Type.Number(),
      inferior: Type.Number(),
    }),
    rating: Rating,
  },
  { $id: 'CiiResult', title: 'CiiResult', description: 'Unrounded; round for display only' },
);

const VesselCii = Type.Object(
  {
    vesselId: Type.String({ format: 'uuid' }),
    name: Type.String(),
    imo: Type.String(),
    year: Type.Integer(),
    shipType: StringEnum(CII_SHIP_TYPES, { description: "The CII ship type, from the registry's" }),
    dwt: Nullable(Type.Integer()),
    gt: Nullable(Type.Integer()),
    applies: Nullable(
      Type.Boolean({
        description: 'Whether the CII applies (5,000 GT and above); null when the GT is not known',
      }),
    ),
    notes: Type.Array(Type.String(), { description: 'Why a rating is missing or uncertain' }),
    reports: Type.Integer({ minimum: 0, description: 'Noon reports of the year counted (current versions)' }),
    yearToDate: Type.Union([
      Type.Object({
        through: Type.String({ format: 'date-time', description: 'The latest report counted' }),
        dayOfYear: Type.Integer({ description: 'Days covered, from 1 January' }),
        distanceNm: Type.Number(),
        fuelTonnes: FuelTonnes,
        cii: Type.Union([Type.Ref(CiiResult), Type.Null()]),
      }),
      Type.Null(),
    ]),
    projection: Type.Union([
      Type.Object({
        daysInYear: Type.Integer(),
        distanceNm: Type.Number(),
        fuelTonnes: FuelTonnes,
        cii: Type.Union([Type.Ref(CiiResult), Type.Null()]),
      }),
      Type.Null(),
    ]),
  },
  {
    $id: 'VesselCii',
    title: 'VesselCii',
    description:
      'Attained CII year to date from the current versions of the year’s noon reports, and a naive linear projection to the year end',
  },
);

const RatingCounts = Type.Object(
  {
    A: Type.Integer(),
    B: Type.Integer(),
    C: Type.Integer(),
    D: Type.Integer(),
    E: Type.Integer(),
    notRated: Type.Integer(),
  },
  { $id: 'CiiRatingCounts', title: 'CiiRatingCounts' },
);

const FleetCii = Type.Object(
  {
    year: Type.Integer(),
    counts: Type.Ref(RatingCounts, { description: 'Vessels by year-to-date rating' }),
    projectedCounts: Type.Ref(RatingCounts, { description: 'Vessels by projected year-end rating' }),
    vessels: Type.Array(
      Type.Object({
        vesselId: Type.String({ format: 'uuid' }),
        name: Nullable(Type.String()),
        imo: Nullable(Type.String()),
        rating: Nullable(Rating),
        projectedRating: Nullable(Rating),
        applies: Nullable(Type.Boolean()),
        notes: Type.Array(Type.String()),
      }),
    ),
  },
  {
    $id: 'FleetCii',
    title: 'FleetCii',
    description: 'Every vessel of the caller’s fleet with noon reports in the year (operators: every fleet)',
  },
);

export const CII_SCHEMAS = [CiiResult, VesselCii, RatingCounts, FleetCii];

export const ciiRoutes: FastifyPluginAsyncTypebox<CiiRouteOptions> = async (app, options) => {
  const { pool, registry, now = () => new Date() } = options;
  const guard = app.requireRole(...READ_ROLES);

  function assess(vessel: VesselState, year: number, totals: VesselYearTotals | null) {
    return {
      vesselId: vessel.id,
      name: vessel.name,
      imo: vessel.imo,
      ...assessVesselCii({ vessel, year, totals, now: now() }),
    };
  }

  app.get(
    '/vessels/:vesselId/cii',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: "A vessel's CII for a year: attained to date, projected to the year end, rated A–E",
        description:
          'From the current versions of the noon reports whose time falls in the year (UTC): distance and fuel of all consumers summed. The year to date runs to the latest report; the projection scales it linearly to the whole year. Ship type, DWT and GT come from the fleet registry. Ships below 5,000 GT are not rated (`applies: false`).',
        params: Type.Object({ vesselId: Type.String({ pattern: UUID }) }, { additionalProperties: false }),
        querystring: YearQuery,
        response: { 200: Type.Ref(VesselCii) },
      },
    },
    async (request) => {
      const vessel = visibleVessel(registry, request.principal, request.params.vesselId);
      const year = request.query.year ?? now().getUTCFullYear();
      const [totals] = await withTenant(pool, vessel.tenantId, (client) =>
        yearTotals(client, { ...calendarYear(year), vesselId: vessel.id }),
      );
      return assess(vessel, year, totals ?? null);
    },
  );

  app.get(
    '/fleet/cii',
    {
      onRequest: guard,
      schema: {
        tags,
        summary: "The CII ratings of the caller's fleet for a year, with counts per rating",
        description:
          'Every vessel with noon reports in the year (the registry view holds no list of a fleet, so a vessel without reports that year is not listed). Platform operators see every fleet.',
        querystring: YearQuery,
        response: { 200: Type.Ref(FleetCii) },
      },
    },
    async (request) => {
      const principal = request.principal;
      const year = request.query.year ?? now().getUTCFullYear();
      const range = calendarYear(year);
      let rows: VesselYearTotals[];
      if (principal?.roles.includes('platform-admin')) {
        rows = await withPlatformAccess(pool, (client) => yearTotals(client, range));
      } else if (principal?.tenant && TENANT_UUID.test(principal.tenant)) {
        rows = await withTenant(pool, principal.tenant.toLowerCase(), (client) => yearTotals(client, range));
      } else {
        throw new ProblemError(403, {
          title: 'Forbidden',
          detail: 'The token carries no tenant; only platform operators work across tenants.',
        });
      }
      const vessels = assessFleetCii({
        totals: rows,
        vessel: (id) => registry.vessel(id),
        year,
        now: now(),
      }).map(({ vesselId, vessel, rating, projectedRating, applies, notes }) => ({
        vesselId,
        name: vessel?.name ?? null,
        imo: vessel?.imo ?? null,
        rating,
        projectedRating,
        applies,
        notes,
      }));
      return {
        year,
        counts: countRatings(vessels.map((vessel) => vessel.rating)),
        projectedCounts: countRatings(vessels.map((vessel) => vessel.projectedRating)),
        vessels,
      };
    },
  );
};
