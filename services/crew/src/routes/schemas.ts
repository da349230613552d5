import { Nullable, StringEnum } from '@fleetwatch/service-kit';
import { Type, type TSchema } from '@sinclair/typebox';
import { CERTIFICATE_TYPES } from '../domain/certificate-types.js';
import { REST_REGIMES } from '../domain/hours-of-rest.js';
import { RANKS } from '../domain/ranks.js';

/** Shared request/response schemas; each `$id` is the component name in the OpenAPI document. */

export const Uuid = Type.String({ format: 'uuid', examples: ['6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'] });
export const IsoDate = Type.String({ format: 'date', examples: ['2026-03-01'] });
export const Instant = Type.String({ format: 'date-time', examples: ['2026-03-01T06:00:00Z'] });
export const RankSchema = StringEnum(RANKS, { description: 'Shipboard rank', examples: ['chief-officer'] });
export const CertificateTypeSchema = StringEnum(CERTIFICATE_TYPES, { examples: ['medical-fitness'] });
export const RestRegimeSchema = StringEnum(REST_REGIMES, {
  description:
    'MLC A2.3 / STCW A-VIII/1 regime the flag state applies: minimum hours of rest or maximum hours of work',
});
export const SEAFARER_STATUSES = ['active', 'on-leave', 'inactive'] as const;

export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const VesselParams = Type.Object({ vesselId: Uuid }, { additionalProperties: false });
export const SeafarerParams = Type.Object({ seafarerId: Uuid }, { additionalProperties: false });
export const Limit = Type.Integer({ minimum: 1, maximum: 200, default: 50, description: 'Page size' });
export const CursorParam = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'The `nextCursor` of the previous page',
});
export const TenantIdField = Type.Optional(
  Type.String({
    format: 'uuid',
    description: 'Platform operators: the tenant the record belongs to',
    examples: ['3d6f4e2a-1b2c-4d5e-8f90-a1b2c3d4e5f6'],
  }),
);

function page(item: TSchema, id: string) {
  return Type.Object(
    { items: Type.Array(Type.Ref(item)), nextCursor: Nullable(Type.String()) },
    { $id: id, title: id },
  );
}

const seafarerFields = {
  givenName: Type.String({ minLength: 1, maxLength: 100, examples: ['Maria'] }),
  familyName: Type.String({ minLength: 1, maxLength: 100, examples: ['Santos'] }),
  nationality: Type.String({ format: 'country', description: 'ISO 3166-1 alpha-2', examples: ['PH'] }),
  dateOfBirth: Type.String({ format: 'date', examples: ['1988-04-12'] }),
  rank: RankSchema,
  email: Nullable(Type.String({ format: 'email', maxLength: 200, examples: ['maria.santos@example.com'] })),
  phone: Nullable(
    Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164', examples: ['+639171234567'] }),
  ),
  status: StringEnum(SEAFARER_STATUSES, { default: 'active' }),
};

export const Seafarer = Type.Object(
  {
    id: Uuid,
    tenantId: Uuid,
    ...seafarerFields,
    version: Type.Integer({ minimum: 1, description: 'Also sent as the ETag' }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Seafarer', title: 'Seafarer', additionalProperties: false },
);

export const SeafarerCreate = Type.Object(
  {
    ...seafarerFields,
    email: Type.Optional(seafarerFields.email),
    phone: Type.Optional(seafarerFields.phone),
    status: Type.Optional(seafarerFields.status),
    tenantId: TenantIdField,
  },
  { $id: 'SeafarerCreate', title: 'SeafarerCreate', additionalProperties: false },
);

export const SeafarerPatch = Type.Partial(Type.Object(seafarerFields), {
  $id: 'SeafarerPatch',
  title: 'SeafarerPatch',
  additionalProperties: false,
  minProperties: 1,
  description: 'JSON merge patch (RFC 7396) of the seafarer',
});

export const SeafarerPage = page(Seafarer, 'SeafarerPage');

const certificateFields = {
  type: CertificateTypeSchema,
  number: Type.String({ minLength: 1, maxLength: 60, examples: ['ENG1-2026-004512'] }),
  issuingAuthority: Type.String({
    minLength: 1,
    maxLength: 200,
    examples: ['Maritime and Coastguard Agency'],
  }),
  issuingCountry: Nullable(Type.String({ format: 'country', examples: ['GB'] })),
  issuedOn: Type.String({ format: 'date', examples: ['2026-01-15'] }),
  expiresOn: Nullable(
    Type.String({
      format: 'date',
      description: 'Null for documents that do not expire',
      examples: ['2028-01-14'],
    }),
  ),
};

export const Certificate = Type.Object(
  {
    id: Uuid,
    tenantId: Uuid,
    seafarerId: Uuid,
    ...certificateFields,
    status: StringEnum(['valid', 'expiring', 'expired'] as const, {
      description: 'On today’s date, with the configured warning period',
    }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Certificate', title: 'Certificate', additionalProperties: false },
);

export const CertificateCreate = Type.Object(
  { ...certificateFields, issuingCountry: Type.Optional(certificateFields.issuingCountry) },
  { $id: 'CertificateCreate', title: 'CertificateCreate', additionalProperties: false },
);

export const CertificateList = Type.Object(
  { items: Type.Array(Type.Ref(Certificate)) },
  { $id: 'CertificateList', title: 'CertificateList' },
);

export const ExpiringCertificate = Type.Object(
  {
    certificate: Type.Ref(Certificate),
    seafarer: Type.Object({ id: Uuid, name: Type.String(), rank: RankSchema }),
    daysLeft: Type.Integer({ description: 'Negative once expired' }),
  },
  { $id: 'ExpiringCertificate', title: 'ExpiringCertificate', additionalProperties: false },
);

export const ExpiringCertificateList = Type.Object(
  { asOf: IsoDate, withinDays: Type.Integer(), items: Type.Array(Type.Ref(ExpiringCertificate)) },
  { $id: 'ExpiringCertificateList', title: 'ExpiringCertificateList' },
);

export const Assignment = Type.Object(
  {
    id: Uuid,
    tenantId: Uuid,
    seafarerId: Uuid,
    vesselId: Uuid,
    rank: RankSchema,
    plannedSignOn: IsoDate,
    plannedSignOff: IsoDate,
    actualSignOn: Nullable(IsoDate),
    actualSignOff: Nullable(IsoDate),
    relievesAssignmentId: Nullable(Uuid),
    status: StringEnum(['planned', 'on-board', 'signed-off', 'cancelled'] as const),
    version: Type.Integer({ minimum: 1, description: 'Also sent as the ETag' }),
    createdAt: Instant,
    updatedAt: Instant,
  },
  { $id: 'Assignment', title: 'Assignment', additionalProperties: false },
);

export const AssignmentCreate = Type.Object(
  {
    seafarerId: Uuid,
    vesselId: Uuid,
    rank: RankSchema,
    plannedSignOn: IsoDate,
    plannedSignOff: Type.String({ format: 'date', examples: ['2026-09-01'] }),
    relievesAssignmentId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'The assignment on the same vessel this seafarer relieves (crew change)',
        examples: ['0b6c8a52-7d1e-4f0a-9c3b-2e5d4f6a7b8c'],
      }),
    ),
  },
  { $id: 'AssignmentCreate', title: 'AssignmentCreate', additionalProperties: false },
);

export const AssignmentDate = Type.Object(
  { date: Type.String({ format: 'date', description: 'The actual date (UTC)', examples: ['2026-03-02'] }) },
  { $id: 'AssignmentDate', title: 'AssignmentDate', additionalProperties: false },
);

export const AssignmentList = Type.Object(
  { items: Type.Array(Type.Ref(Assignment)) },
  { $id: 'AssignmentList', title: 'AssignmentList' },
);

export const CrewListEntry = Type.Object(
  {
    assignment: Type.Ref(Assignment),
    seafarer: Type.Object({ id: Uuid, name: Type.String(), nationality: Type.String() }),
  },
  { $id: 'CrewListEntry', title: 'CrewListEntry', additionalProperties: false },
);

export const CrewList = Type.Object(
  { vesselId: Uuid, date: IsoDate, crew: Type.Array(Type.Ref(CrewListEntry)) },
  { $id: 'CrewList', title: 'CrewList' },
);

export const Rotation = Type.Object(
  {
    assignment: Type.Ref(Assignment),
    seafarerName: Type.String(),
    reliever: Type.Union([Type.Ref(Assignment), Type.Null()]),
    relieverName: Nullable(Type.String()),
    relieved: Type.Boolean({ description: 'A reliever signs on by the sign-off date' }),
  },
  { $id: 'Rotation', title: 'Rotation', additionalProperties: false },
);

export const RotationList = Type.Object(
  { vesselId: Uuid, from: IsoDate, to: IsoDate, items: Type.Array(Type.Ref(Rotation)) },
  { $id: 'RotationList', title: 'RotationList' },
);

export const ManningRequirement = Type.Object(
  {
    rank: RankSchema,
    minimum: Type.Integer({ minimum: 0, maximum: 100, examples: [1] }),
    requiredCertificates: Type.Array(CertificateTypeSchema, { uniqueItems: true, maxItems: 30 }),
  },
  { $id: 'ManningRequirement', title: 'ManningRequirement', additionalProperties: false },
);

export const SafeManning = Type.Object(
  {
    vesselId: Uuid,
    requirements: Type.Array(Type.Ref(ManningRequirement), {
      maxItems: RANKS.length,
      examples: [
        [
          { rank: 'master', minimum: 1, requiredCertificates: ['coc-master', 'medical-fitness'] },
          {
            rank: 'able-seafarer',
            minimum: 3,
            requiredCertificates: ['able-seafarer-deck', 'medical-fitness'],
          },
        ],
      ],
    }),
  },
  { $id: 'SafeManning', title: 'SafeManning', additionalProperties: false },
);

export const SafeManningPut = Type.Object(
  { requirements: Type.Array(Type.Ref(ManningRequirement), { maxItems: RANKS.length }) },
  { $id: 'SafeManningPut', title: 'SafeManningPut', additionalProperties: false },
);

export const Compliance = Type.Object(
  {
    vesselId: Uuid,
    date: IsoDate,
    compliant: Type.Boolean(),
    ranks: Type.Array(
      Type.Object({
        rank: RankSchema,
        minimum: Type.Integer(),
        aboard: Type.Integer(),
        qualified: Type.Integer({ description: 'Aboard in this rank with every required certificate valid' }),
      }),
    ),
    shortfalls: Type.Array(
      Type.Object({
        rank: RankSchema,
        minimum: Type.Integer(),
        aboard: Type.Integer(),
        short: Type.Integer(),
      }),
    ),
    missingCertificates: Type.Array(
      Type.Object({
        seafarerId: Uuid,
        name: Type.String(),
        rank: RankSchema,
        certificateType: CertificateTypeSchema,
        reason: StringEnum(['missing', 'expired', 'not-yet-valid'] as const),
        expiredOn: Type.Optional(IsoDate),
      }),
    ),
    medicalGrace: Type.Array(
      Type.Object({
        seafarerId: Uuid,
        name: Type.String(),
        rank: RankSchema,
        expiredOn: IsoDate,
        validUntil: Type.String({ format: 'date', description: 'Expiry + 3 months: examined by then' }),
      }),
      { description: 'Medical certificates expired at sea, still valid to the next port (at most 3 months)' },
    ),
  },
  { $id: 'Compliance', title: 'Compliance', additionalProperties: false },
);

export const CrewSettings = Type.Object(
  { vesselId: Uuid, restRegime: RestRegimeSchema },
  { $id: 'CrewSettings', title: 'CrewSettings', additionalProperties: false },
);

export const CrewSettingsPut = Type.Object(
  { restRegime: RestRegimeSchema },
  { $id: 'CrewSettingsPut', title: 'CrewSettingsPut', additionalProperties: false },
);

export const RestPeriod = Type.Object(
  {
    id: Uuid,
    seafarerId: Uuid,
    vesselId: Uuid,
    start: Instant,
    end: Instant,
    recordedAt: Instant,
    recordedBy: Type.String(),
  },
  { $id: 'RestPeriod', title: 'RestPeriod', additionalProperties: false },
);

export const RestPeriodsCreate = Type.Object(
  {
    vesselId: Uuid,
    periods: Type.Array(
      Type.Object(
        { start: Instant, end: Type.String({ format: 'date-time', examples: ['2026-03-01T12:00:00Z'] }) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 500 },
    ),
  },
  { $id: 'RestPeriodsCreate', title: 'RestPeriodsCreate', additionalProperties: false },
);

export const RestPeriodList = Type.Object(
  { items: Type.Array(Type.Ref(RestPeriod)) },
  { $id: 'RestPeriodList', title: 'RestPeriodList' },
);

export const RestViolation = Type.Object(
  {
    rule: StringEnum([
      'rest-under-10h-in-24h',
      'rest-under-77h-in-7-days',
      'work-over-14h-in-24h',
      'work-over-72h-in-7-days',
      'rest-divided-into-more-than-two-periods',
      'longest-rest-period-under-6h',
      'interval-between-rests-over-14h',
    ] as const),
    windowStart: Instant,
    windowEnd: Instant,
    actualHours: Type.Number(),
    limitHours: Type.Number(),
    message: Type.String({
      examples: ['9.9 h of rest in the 24 hours from 2026-03-01T06:00:00.000Z (at least 10 h required)'],
    }),
  },
  { $id: 'RestViolation', title: 'RestViolation', additionalProperties: false },
);

export const RestEvaluation = Type.Object(
  {
    seafarerId: Uuid,
    vesselId: Uuid,
    regime: RestRegimeSchema,
    from: Instant,
    to: Instant,
    compliant: Type.Boolean(),
    totals: Type.Object({ restHours: Type.Number(), workHours: Type.Number() }),
    violations: Type.Array(Type.Ref(RestViolation)),
  },
  { $id: 'RestEvaluation', title: 'RestEvaluation', additionalProperties: false },
);

export const VesselRestReport = Type.Object(
  {
    vesselId: Uuid,
    regime: RestRegimeSchema,
    from: Instant,
    to: Instant,
    seafarers: Type.Array(Type.Ref(RestEvaluation)),
  },
  { $id: 'VesselRestReport', title: 'VesselRestReport' },
);

export const SHARED_SCHEMAS = [
  Seafarer,
  SeafarerCreate,
  SeafarerPatch,
  SeafarerPage,
  Certificate,
  CertificateCreate,
  CertificateList,
  ExpiringCertificate,
  ExpiringCertificateList,
  Assignment,
  AssignmentCreate,
  AssignmentDate,
  AssignmentList,
  CrewListEntry,
  CrewList,
  Rotation,
  RotationList,
  ManningRequirement,
  SafeManning,
  SafeManningPut,
  Compliance,
  CrewSettings,
  CrewSettingsPut,
  RestPeriod,
  RestPeriodsCreate,
  RestPeriodList,
  RestViolation,
  RestEvaluation,
  VesselRestReport,
];
