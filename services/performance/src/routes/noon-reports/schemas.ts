import type { FuelType } from '@fleetwatch/cii';
import { Nullable, StringEnum } from '@fleetwatch/service-kit';
import { Type, type TNumber, type TOptional } from '@sinclair/typebox';
import { CHECK_NAMES } from '../../domain/noon-report-checks.js';
import { NOON_REPORT_EVENTS } from '../../domain/noon-report.js';

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Tonnes per fuel; the keys are @fleetwatch/cii's, so an unknown fuel (e.g. VLSFO) is a 400 naming it. */
function fuelTonnes(maximum: number, description: string) {
  const amount = Type.Optional(Type.Number({ minimum: 0, maximum }));
  const fuels = {
    HFO: amount,
    LFO: amount,
    MDO: amount,
    MGO: amount,
    LNG: amount,
    LPG_PROPANE: amount,
    LPG_BUTANE: amount,
    ETHANE: amount,
    METHANOL: amount,
    ETHANOL: amount,
  } satisfies Record<FuelType, TOptional<TNumber>>;
  return Type.Object(fuels, {
    additionalProperties: false,
    description: `${description}, tonnes per fuel (VLSFO goes under the ISO 8217 grade it meets, usually LFO or HFO)`,
  });
}

/** Per report period; a large container ship burns some 250 t a day. */
const Consumed = fuelTonnes(2_000, 'Burned during the period');

const hours = (description: string) => Type.Number({ minimum: 0, maximum: 744, description });
const knots = (description: string) => Type.Number({ minimum: 0, maximum: 50, description });
const UnLocode = (description: string) =>
  Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$', description: `${description} (UN/LOCODE)` });

const reportProperties = {
  reportedAt: Type.String({ format: 'date-time', description: 'When the report was made, UTC (RFC 3339)' }),
  event: StringEnum(NOON_REPORT_EVENTS, { description: 'What the report marks (DNV OVD log abstract)' }),
  voyageFrom: Type.Optional(UnLocode('Departure port')),
  voyageTo: Type.Optional(UnLocode('Destination port')),
  timeSincePreviousReportHours: Type.Number({
    exclusiveMinimum: 0,
    maximum: 744,
    description: 'Length of the period the report covers, which ends at reportedAt',
  }),
  timeSailingHours: hours('Time under way during the period'),
  timeAnchoredHours: Type.Optional(hours('Time at anchor during the period')),
  timeDriftingHours: Type.Optional(hours('Time drifting during the period')),
  distanceNm: Type.Number({
    minimum: 0,
    maximum: 10_000,
    description: 'Distance over ground during the period, nautical miles',
  }),
  position: Type.Optional(
    Type.Object(
      {
        latitude: Type.Number({ minimum: -90, maximum: 90 }),
        longitude: Type.Number({ minimum: -180, maximum: 180 }),
      },
      { additionalProperties: false, description: 'At reportedAt, decimal degrees (WGS 84)' },
    ),
  ),
  cargoTonnes: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Cargo on board' })),
  consumption: Type.Object(
    { ME: Type.Optional(Consumed), AE: Type.Optional(Consumed), Boiler: Type.Optional(Consumed) },
    {
      additionalProperties: false,
      description: 'Fuel burned during the period by the main engine, auxiliary engines and boilers',
    },
  ),
  bunkered: Type.Optional(fuelTonnes(50_000, 'Taken on board during the period')),
  rob: fuelTonnes(50_000, 'Remaining on board at reportedAt'),
  averageSpeedGpsKnots: Type.Optional(knots('Average speed over ground while sailing')),
  averageSpeedThroughWaterKnots: Type.Optional(knots('Average speed through water (log)')),
  averagePropellerSpeedRpm: Type.Optional(Type.Number({ minimum: 0, maximum: 2_000 })),
  windForceBft: Type.Optional(Type.Integer({ minimum: 0, maximum: 12, description: 'Beaufort' })),
  draftForeM: Type.Optional(Type.Number({ minimum: 0, maximum: 30, description: 'Metres' })),
  draftAftM: Type.Optional(Type.Number({ minimum: 0, maximum: 30, description: 'Metres' })),
  meRunningHours: Type.Optional(hours('Main engine running hours during the period')),
  meWorkKwh: Type.Optional(
    Type.Number({ minimum: 0, maximum: 100_000_000, description: 'Main engine work during the period' }),
  ),
};

export const NOON_REPORT_EXAMPLE = {
  reportedAt: '2026-03-14T12:00:00Z',
  event: 'Noon',
  voyageFrom: 'NLRTM',
  voyageTo: 'BRSSZ',
  timeSincePreviousReportHours: 24,
  timeSailingHours: 24,
  distanceNm: 312,
  position: { latitude: 38.71, longitude: -12.4 },
  cargoTonnes: 74_500,
  consumption: { ME: { HFO: 31.2 }, AE: { MGO: 2.1 }, Boiler: { MGO: 0.4 } },
  rob: { HFO: 812.4, MGO: 96.5 },
  averageSpeedGpsKnots: 13,
  averageSpeedThroughWaterKnots: 12.6,
  averagePropellerSpeedRpm: 88,
  windForceBft: 5,
  draftForeM: 12.1,
  draftAftM: 12.4,
  meRunningHours: 24,
  meWorkKwh: 176_000,
} as const;

export const NoonReportInput = Type.Object(reportProperties, {
  $id: 'NoonReportInput',
  title: 'NoonReportInput',
  additionalProperties: false,
  description: 'A noon report (or another log-abstract event report), after the DNV OVD log abstract',
  examples: [NOON_REPORT_EXAMPLE],
});

export const CheckFinding = Type.Object(
  {
    check: StringEnum(CHECK_NAMES),
    pointer: Type.String({ description: 'JSON Pointer to the report field' }),
    message: Type.String(),
  },
  { $id: 'NoonReportCheckFinding', title: 'NoonReportCheckFinding' },
);

export const NoonReport = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    vesselId: Type.String({ format: 'uuid' }),
    version: Type.Integer({ minimum: 1, description: 'Increases with each correction; the ETag' }),
    createdAt: Type.String({ format: 'date-time', description: 'When the report was first submitted' }),
    recordedAt: Type.String({ format: 'date-time', description: 'When this version was recorded' }),
    recordedBy: Type.String({ description: 'Token subject, or `device-key:<id>`' }),
    ...reportProperties,
    warnings: Type.Array(Type.Ref(CheckFinding), {
      description: 'Consistency checks this version failed when it was recorded (ROB balance, distance…)',
    }),
  },
  { $id: 'NoonReport', title: 'NoonReport' },
);

export const NoonReportPage = Type.Object(
  {
    items: Type.Array(Type.Ref(NoonReport)),
    nextCursor: Nullable(Type.String({ description: 'Pass as `cursor` for the next page; null at the end' })),
  },
  { $id: 'NoonReportPage', title: 'NoonReportPage' },
);

export const NoonReportHistory = Type.Object(
  {
    reportId: Type.String({ format: 'uuid' }),
    vesselId: Type.String({ format: 'uuid' }),
    versions: Type.Array(Type.Ref(NoonReport), { description: 'Every version, oldest first' }),
  },
  { $id: 'NoonReportHistory', title: 'NoonReportHistory' },
);

export const NOON_REPORT_SCHEMAS = [
  NoonReportInput,
  CheckFinding,
  NoonReport,
  NoonReportPage,
  NoonReportHistory,
];

export const VesselParams = Type.Object(
  { vesselId: Type.String({ pattern: UUID }) },
  { additionalProperties: false },
);
export const ReportParams = Type.Object(
  { vesselId: Type.String({ pattern: UUID }), reportId: Type.String({ pattern: UUID }) },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'reportedAt from (inclusive)' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'reportedAt before (exclusive)' })),
    order: StringEnum(['desc', 'asc'], {
      default: 'desc',
      description: 'By reportedAt; newest first by default',
    }),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' }),
    cursor: Type.Optional(
      Type.String({ minLength: 1, maxLength: 500, description: 'The `nextCursor` of the previous page' }),
    ),
  },
  { additionalProperties: false },
);

export const ETagHeader = {
  etag: Type.String({ description: 'The report version, for If-Match on corrections' }),
};

export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Type.Ref('ProblemDetails') } },
});
