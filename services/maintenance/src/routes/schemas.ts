import { Nullable, StringEnum } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import { CRITICALITIES } from '../db/components.js';

/** Shared request/response schemas; each `$id` is the component name in the OpenAPI document. */

export const Uuid = Type.String({ format: 'uuid', examples: ['6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'] });
export const IsoDate = Type.String({ format: 'date', examples: ['2026-03-01'] });
export const Instant = Type.String({ format: 'date-time', examples: ['2026-03-01T06:00:00Z'] });
export const CriticalitySchema = StringEnum(CRITICALITIES, {
  description: 'critical: equipment whose failure may cause a hazardous situation (ISM Code 10.3)',
});
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const VesselParams = Type.Object({ vesselId: Uuid }, { additionalProperties: false });
export const DueStatusSchema = StringEnum(['planned', 'due', 'overdue'] as const);

const componentFields = {
  parentId: Nullable(Type.String({ format: 'uuid', examples: ['0b6c8a52-7d1e-4f0a-9c3b-2e5d4f6a7b8c'] })),
  code: Type.String({
    pattern: '^[0-9]{3}(\\.[0-9]{2,3})*$',
    description: 'Position in the tree: a child extends its parent’s code',
    examples: ['601.01'],
  }),
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Cylinder unit 1'] }),
  maker: Nullable(Type.String({ maxLength: 100, examples: ['MAN Energy Solutions'] })),
  model: Nullable(Type.String({ maxLength: 100, examples: ['6S60ME-C8.5'] })),
  serialNumber: Nullable(Type.String({ maxLength: 100, examples: ['AB12345'] })),
  criticality: CriticalitySchema,
  hasCounter: Type.Boolean({
    description: 'Keeps running hours (jobs may then use hour intervals)',
    examples: [true],
  }),
  telemetryEngine: Nullable(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,40}$',
      description: 'Signal K engine id whose propulsion.<id>.runTime drives the counter',
      examples: ['main'],
    }),
  ),
};

export const Component = Type.Object(
  {
    id: Uuid,
    tenantId: Uuid,
    vesselId: Uuid,
    ...componentFields,
    runningHours: Type.Number({ description: 'Cumulative since installation' }),
    counterMeter: Type.Number({ description: 'What the counter shows' }),
    counterObservedAt: Nullable(Instant),
    createdAt: Instant,
  },
  { $id: 'Component', title: 'Component', additionalProperties: false },
);

export const ComponentCreate = Type.Object(
  {
    parentId: Type.Optional(componentFields.parentId),
    code: componentFields.code,
    name: componentFields.name,
    maker: Type.Optional(componentFields.maker),
    model: Type.Optional(componentFields.model),
    serialNumber: Type.Optional(componentFields.serialNumber),
    criticality: componentFields.criticality,
    hasCounter: Type.Optional(componentFields.hasCounter),
    telemetryEngine: Type.Optional(componentFields.telemetryEngine),
    initialRunningHours: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'The counter when the component is entered',
        examples: [12_500],
      }),
    ),
  },
  { $id: 'ComponentCreate', title: 'ComponentCreate', additionalProperties: false },
);

export const ComponentList = Type.Object(
  { items: Type.Array(Type.Ref(Component)) },
  { $id: 'ComponentList', title: 'ComponentList' },
);

export const ReadingCreate = Type.Object(
  {
    kind: StringEnum(['reading', 'replacement'] as const, {
      default: 'reading',
      description: 'replacement: a new counter, whose meter starts at `meter`; running hours carry on',
    }),
    meter: Type.Number({ minimum: 0, description: 'The counter’s value', examples: [12_640.5] }),
    observedAt: Type.String({ format: 'date-time', examples: ['2026-03-01T08:00:00Z'] }),
  },
  { $id: 'ReadingCreate', title: 'ReadingCreate', additionalProperties: false },
);

export const Reading = Type.Object(
  {
    id: Uuid,
    componentId: Uuid,
    kind: StringEnum(['reading', 'replacement'] as const),
    meter: Type.Number(),
    runningHours: Type.Number(),
    observedAt: Instant,
    source: StringEnum(['manual', 'telemetry'] as const),
    recordedBy: Type.String(),
  },
  { $id: 'Reading', title: 'Reading', additionalProperties: false },
);

export const ReadingList = Type.Object(
  {
    items: Type.Array(Type.Ref(Reading)),
    averageDailyHours: Nullable(Type.Number({ description: 'Over the last 30 days' })),
  },
  { $id: 'ReadingList', title: 'ReadingList' },
);

export const DueState = Type.Object(
  {
    status: DueStatusSchema,
    dueDate: Nullable(IsoDate),
    dueHours: Nullable(Type.Number()),
    hoursLeft: Nullable(Type.Number()),
    estimatedHoursDueDate: Nullable(
      Type.String({
        format: 'date',
        description: 'When the due hours are reached at the recent daily average',
      }),
    ),
    effectiveDueDate: Nullable(Type.String({ format: 'date', description: 'Whichever comes first' })),
    governedBy: StringEnum(['calendar', 'hours'] as const),
    overdueDays: Type.Integer(),
    overdueHours: Type.Number(),
  },
  { $id: 'DueState', title: 'DueState', additionalProperties: false },
);

const jobFields = {
  title: Type.String({ minLength: 1, maxLength: 200, examples: ['Overhaul fuel injection valves'] }),
  instructions: Type.String({ maxLength: 10_000, examples: ['Per maker’s manual section 909-1.'] }),
  responsibleRank: Type.String({ minLength: 1, maxLength: 60, examples: ['second-engineer'] }),
  calendarInterval: Nullable(
    Type.Object(
      {
        unit: StringEnum(['days', 'months'] as const),
        value: Type.Integer({
          minimum: 1,
          maximum: 3660,
          description: 'Up to 10 years in days',
          examples: [6],
        }),
      },
      { additionalProperties: false },
    ),
  ),
  hoursInterval: Nullable(Type.Number({ exclusiveMinimum: 0, examples: [8_000] })),
  toleranceDays: Type.Integer({ minimum: 0, maximum: 365, examples: [14] }),
  toleranceHours: Type.Number({ minimum: 0, examples: [200] }),
};

export const Job = Type.Object(
  {
    id: Uuid,
    componentId: Uuid,
    vesselId: Uuid,
    ...jobFields,
    lastDoneOn: IsoDate,
    lastDoneHours: Nullable(Type.Number()),
    openWorkOrderId: Nullable(Uuid),
    due: Type.Union([Type.Ref(DueState), Type.Null()]),
  },
  { $id: 'Job', title: 'Job', additionalProperties: false },
);

export const JobCreate = Type.Object(
  {
    title: jobFields.title,
    instructions: Type.Optional(jobFields.instructions),
    responsibleRank: jobFields.responsibleRank,
    calendarInterval: Type.Optional(jobFields.calendarInterval),
    hoursInterval: Type.Optional(jobFields.hoursInterval),
    toleranceDays: Type.Optional(jobFields.toleranceDays),
    toleranceHours: Type.Optional(jobFields.toleranceHours),
    lastDoneOn: Type.String({
      format: 'date',
      description: 'The last time it was done (or the installation date): the first due counts from it',
      examples: ['2025-12-01'],
    }),
    lastDoneHours: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'The running hours then (hour-based jobs)',
        examples: [11_000],
      }),
    ),
  },
  { $id: 'JobCreate', title: 'JobCreate', additionalProperties: false },
);

export const JobList = Type.Object(
  { items: Type.Array(Type.Ref(Job)) },
  { $id: 'JobList', title: 'JobList' },
);

export const Postponement = Type.Object(
  {
    id: Uuid,
    workOrderId: Uuid,
    requestedDueDate: Nullable(IsoDate),
    requestedDueHours: Nullable(Type.Number()),
    reason: Type.String(),
    requestedBy: Type.String(),
    requestedAt: Instant,
    decision: Nullable(StringEnum(['approved', 'rejected'] as const)),
    decidedBy: Nullable(Type.String()),
    decidedAt: Nullable(Instant),
  },
  { $id: 'Postponement', title: 'Postponement', additionalProperties: false },
);

export const PostponementCreate = Type.Object(
  {
    dueDate: Type.Optional(Type.String({ format: 'date', examples: ['2026-05-15'] })),
    dueHours: Type.Optional(Type.Number({ exclusiveMinimum: 0, examples: [19_500] })),
    reason: Type.String({
      minLength: 3,
      maxLength: 2_000,
      examples: ['Spares delayed; ship in continuous trade until May.'],
    }),
  },
  { $id: 'PostponementCreate', title: 'PostponementCreate', additionalProperties: false, minProperties: 2 },
);

export const WorkOrder = Type.Object(
  {
    id: Uuid,
    vesselId: Uuid,
    componentId: Uuid,
    componentCode: Type.String(),
    componentName: Type.String(),
    criticality: CriticalitySchema,
    jobId: Uuid,
    jobTitle: Type.String(),
    responsibleRank: Type.String(),
    state: StringEnum(['planned', 'due', 'overdue', 'done'] as const),
    due: Type.Union([Type.Ref(DueState), Type.Null()]),
    completion: Nullable(
      Type.Object({
        completedOn: IsoDate,
        runningHours: Nullable(Type.Number()),
        remarks: Type.String(),
        signedBy: Type.Object({ name: Type.String(), rank: Type.String() }),
        recordedBy: Type.String(),
      }),
    ),
    postponements: Type.Array(Type.Ref(Postponement)),
    createdAt: Instant,
  },
  { $id: 'WorkOrder', title: 'WorkOrder', additionalProperties: false },
);

export const WorkOrderList = Type.Object(
  { items: Type.Array(Type.Ref(WorkOrder)) },
  { $id: 'WorkOrderList', title: 'WorkOrderList' },
);

export const Completion = Type.Object(
  {
    completedOn: Type.String({ format: 'date', examples: ['2026-03-01'] }),
    runningHours: Type.Optional(
      Type.Number({ minimum: 0, description: 'Required for hour-based jobs', examples: [19_250] }),
    ),
    remarks: Type.String({ maxLength: 10_000, examples: ['Valves overhauled, nozzles renewed, tested OK.'] }),
    signedBy: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200, examples: ['Ivan Petrov'] }),
        rank: Type.String({ minLength: 1, maxLength: 60, examples: ['chief-engineer'] }),
      },
      { additionalProperties: false },
    ),
  },
  { $id: 'Completion', title: 'Completion', additionalProperties: false },
);

export const HistoryEntry = Type.Object(
  {
    kind: Type.String({ examples: ['work-order-completed'] }),
    componentId: Uuid,
    jobId: Nullable(Uuid),
    workOrderId: Nullable(Uuid),
    details: Type.Record(Type.String(), Type.Unknown()),
    actor: Type.String(),
    occurredAt: Instant,
  },
  { $id: 'HistoryEntry', title: 'HistoryEntry', additionalProperties: false },
);

export const History = Type.Object(
  { items: Type.Array(Type.Ref(HistoryEntry)) },
  { $id: 'History', title: 'History' },
);

export const DueList = Type.Object(
  {
    asOf: IsoDate,
    items: Type.Array(Type.Ref(WorkOrder), { description: 'Overdue first, then by the date due' }),
  },
  { $id: 'DueList', title: 'DueList' },
);

export const ClassSurvey = Type.Object(
  {
    id: Uuid,
    vesselId: Uuid,
    periodStart: IsoDate,
    kind: StringEnum(['annual', 'intermediate', 'special'] as const),
    number: Type.Integer(),
    dueDate: IsoDate,
    windowStart: IsoDate,
    windowEnd: IsoDate,
    completedOn: Nullable(IsoDate),
    remarks: Nullable(Type.String()),
    state: StringEnum(['not-yet-open', 'open', 'overdue', 'done'] as const),
  },
  { $id: 'ClassSurvey', title: 'ClassSurvey', additionalProperties: false },
);

export const ClassSurveyCycleCreate = Type.Object(
  {
    periodStart: Type.String({
      format: 'date',
      description: 'Start of the 5-year class period (the special survey’s completion or the delivery date)',
      examples: ['2024-06-15'],
    }),
  },
  { $id: 'ClassSurveyCycleCreate', title: 'ClassSurveyCycleCreate', additionalProperties: false },
);

export const ClassSurveyComplete = Type.Object(
  {
    completedOn: Type.String({ format: 'date', examples: ['2026-06-20'] }),
    remarks: Type.String({ maxLength: 2_000, examples: ['Annual hull and machinery survey, no findings.'] }),
  },
  { $id: 'ClassSurveyComplete', title: 'ClassSurveyComplete', additionalProperties: false },
);

export const ClassSurveyList = Type.Object(
  { items: Type.Array(Type.Ref(ClassSurvey)) },
  { $id: 'ClassSurveyList', title: 'ClassSurveyList' },
);

export const SHARED_SCHEMAS = [
  Component,
  ComponentCreate,
  ComponentList,
  ReadingCreate,
  Reading,
  ReadingList,
  DueState,
  Job,
  JobCreate,
  JobList,
  Postponement,
  PostponementCreate,
  WorkOrder,
  WorkOrderList,
  Completion,
  HistoryEntry,
  History,
  DueList,
  ClassSurvey,
  ClassSurveyCycleCreate,
  ClassSurveyComplete,
  ClassSurveyList,
];
