import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withTenant } from '@fleetwatch/db';
import { type FleetRegistryView, type VerifiedDeviceKey, type VesselState } from '@fleetwatch/fleet-registry';
import {
  etagOf,
  ifNoneMatchHits,
  ProblemError,
  VALIDATION_PROBLEM_TYPE,
  versionFromIfMatch,
} from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import type pg from 'pg';
import {
  findReport,
  insertCorrection,
  insertReport,
  latestReport,
  listReports,
  lockVesselReports,
  neighboursOf,
  reportHistory,
  type StoredReport,
} from '../../db/noon-reports.js';
import {
  checkNoonReport,
  type CheckFinding,
  type CheckOutcome,
  type Neighbours,
} from '../../domain/noon-report-checks.js';
import { deviceFromAuthorization } from '../../access.js';
import { normalizeReport, type NoonReportFields } from '../../domain/noon-report.js';
import { decodeReportCursor, encodeReportCursor } from '../../domain/report-cursor.js';
import {
  ETagHeader,
  ListQuery,
  NoonReport,
  NoonReportHistory,
  NoonReportInput,
  NoonReportPage,
  problemResponse,
  ReportParams,
  VesselParams,
} from './schemas.js';

export interface NoonReportRouteOptions {
  pool: pg.Pool;
  registry: FleetRegistryView;
  /** The clock, injectable for tests of the future-time bound. */
  now?: () => Date;
}

/** Bearer-token roles; a vessel's device key may also read and write its own vessel's reports. */
const READ_ROLES = ['platform-admin', 'owner-admin', 'fleet-manager', 'viewer'];
const WRITE_ROLES = ['platform-admin', 'owner-admin', 'fleet-manager'];

/** Clocks on board and ashore disagree a little; a report further ahead than this is a mistake. */
const MAX_FUTURE_MS = 15 * 60_000;

/** The problem type of a report refused because it does not fit in the vessel's sequence of reports. */
export const REPORT_SEQUENCE_PROBLEM_TYPE = 'https://fleetwatch.dev/problems/noon-report-sequence';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the caller presented a valid device key: it may act for that vessel only. */
    noonReportDevice: VerifiedDeviceKey | null;
  }
}

const tags = ['noon-reports'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { deviceKey: [] }];

function resource(report: StoredReport) {
  return {
    id: report.id,
    vesselId: report.vesselId,
    version: report.version,
    createdAt: report.createdAt.toISOString(),
    recordedAt: report.recordedAt.toISOString(),
    recordedBy: report.recordedBy,
    ...report.fields,
    warnings: report.warnings,
  };
}

function notFound(what: string): ProblemError {
  return new ProblemError(404, { title: 'Not Found', detail: `${what} was not found.` });
}

function invalidField(location: string, pointer: string, message: string): ProblemError {
  return new ProblemError(400, {
    type: VALIDATION_PROBLEM_TYPE,
    title: 'Request validation failed',
    detail: `The request ${location} is invalid.`,
    errors: [{ in: location, pointer, message }],
  });
}

/** 409 with the failed checks: the report cannot be placed after (or between) its neighbours. */
function outOfSequence(errors: CheckFinding[]): ProblemError {
  return new ProblemError(409, {
    type: REPORT_SEQUENCE_PROBLEM_TYPE,
    title: 'Conflict',
    detail:
      "The report does not fit in the vessel's sequence of reports: time must move forward and periods must not overlap.",
    violations: errors,
  });
}

export const noonReportRoutes: FastifyPluginAsyncTypebox<NoonReportRouteOptions> = async (app, options) => {
  const { pool, registry, now = () => new Date() } = options;
  app.decorateRequest('noonReportDevice', null);

  /** A device key (its own vessel only) or a bearer token with one of the roles. */
  function callerWith(roles: string[]): onRequestAsyncHookHandler {
    const bearerGuard = app.requireRole(...roles);
    return async function (request, reply) {
      const device = deviceFromAuthorization(registry, request.headers.authorization);
      if (device === null) return bearerGuard.call(this, request, reply);
      request.noonReportDevice = device;
    };
  }
  const readers = callerWith(READ_ROLES);
  const writers = callerWith(WRITE_ROLES);

  /**
   * The vessel if the caller may act on it. Another tenant's vessel is 404, exactly as a vessel that
   * does not exist; a device key naming another vessel is 403 (it is no secret which vessel a key is for).
   */
  function vesselFor(request: FastifyRequest, vesselId: string): VesselState {
    const device = request.noonReportDevice;
    if (device && device.vesselId !== vesselId) {
      throw new ProblemError(403, {
        title: 'Forbidden',
        detail: "A device key works for its own vessel's reports only.",
      });
    }
    const vessel = registry.vessel(vesselId);
    if (!vessel) throw notFound('Vessel');
    // A verified key's vessel belongs to the key's tenant (the registry view checks it).
    const principal = request.principal;
    const mayAct =
      device !== null ||
      principal?.roles.includes('platform-admin') === true ||
      vessel.tenantId === principal?.tenant;
    if (!mayAct) throw notFound('Vessel');
    return vessel;
  }

  function writableVessel(request: FastifyRequest, vesselId: string): VesselState {
    const vessel = vesselFor(request, vesselId);
    if (vessel.archived)
      throw new ProblemError(409, { title: 'Conflict', detail: 'The vessel is archived.' });
    return vessel;
  }

  function recordedBy(request: FastifyRequest): string {
    const device = request.noonReportDevice;
    return device ? `device-key:${device.keyId}` : (request.principal?.subject ?? 'unknown');
  }

  function acceptable(body: NoonReportFields): NoonReportFields {
    const report = normalizeReport(body);
    if (Date.parse(report.reportedAt) > now().getTime() + MAX_FUTURE_MS) {
      throw invalidField('body', '/reportedAt', 'must not be in the future');
    }
    return report;
  }

  function checked(report: NoonReportFields, neighbours: Neighbours): CheckOutcome {
    const outcome = checkNoonReport(report, neighbours);
    if (outcome.errors.length > 0) throw outOfSequence(outcome.errors);
    return outcome;
  }

  app.post(
    '/vessels/:vesselId/noon-reports',
    {
      onRequest: writers,
      schema: {
        tags,
        summary: 'Submit a noon report',
        description:
          "Checked against the vessel's previous report. Time going backwards or a period overlapping the previous one is refused (409, the failed checks in `violations`); figures that do not add up (ROB balance, distance vs speed × time, time budget) are stored as `warnings` for the master to correct. A new report must be later than the vessel's latest one.",
        security,
        params: VesselParams,
        body: Type.Ref(NoonReportInput),
        response: {
          201: {
            description: 'Stored (possibly with warnings)',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(NoonReport) } },
          },
          409: problemResponse('Out of sequence (`violations`), or the vessel is archived'),
        },
      },
    },
    async (request, reply) => {
      const vessel = writableVessel(request, request.params.vesselId);
      const report = acceptable(request.body);
      const stored = await withTenant(pool, vessel.tenantId, async (client) => {
        await lockVesselReports(client, vessel.id);
        const previous = await latestReport(client, vessel.id);
        const { warnings } = checked(report, { previous: previous?.fields ?? null, next: null });
        return insertReport(client, vessel.tenantId, vessel.id, {
          fields: report,
          warnings,
          recordedBy: recordedBy(request),
        });
      });
      return reply
        .code(201)
        .header('location', `/v1/performance/vessels/${vessel.id}/noon-reports/${stored.id}`)
        .header('etag', etagOf(stored.version))
        .send(resource(stored));
    },
  );

  app.put(
    '/vessels/:vesselId/noon-reports/:reportId',
    {
      onRequest: writers,
      schema: {
        tags,
        summary: 'Correct a noon report (If-Match required): a new version',
        description:
          'The whole report, as it should have been. The previous versions stay in the history. Send the ETag you read in If-Match: 412 when the report has been corrected since, 428 without If-Match. The correction is checked against the reports before and after it; it cannot move past either (409).',
        security,
        params: ReportParams,
        headers: Type.Object({
          'if-match': Type.Optional(Type.String({ description: 'The ETag the correction is based on' })),
        }),
        body: Type.Ref(NoonReportInput),
        response: {
          200: {
            description: 'The corrected report (its new current version)',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(NoonReport) } },
          },
          409: problemResponse('Out of sequence (`violations`), or the vessel is archived'),
          412: problemResponse('The report has been corrected since the version in If-Match'),
          428: problemResponse('If-Match is missing'),
        },
      },
    },
    async (request, reply) => {
      const vessel = writableVessel(request, request.params.vesselId);
      const ifMatch = request.headers['if-match'];
      if (!ifMatch) {
        throw new ProblemError(428, {
          title: 'Precondition Required',
          detail: "Send the report's ETag in If-Match, so a concurrent correction is not overwritten.",
        });
      }
      const expectedVersion = versionFromIfMatch(ifMatch);
      const report = acceptable(request.body);
      const stored = await withTenant(pool, vessel.tenantId, async (client) => {
        await lockVesselReports(client, vessel.id);
        const current = await findReport(client, vessel.id, request.params.reportId);
        if (!current) throw notFound('Noon report');
        if (expectedVersion !== current.version) {
          throw new ProblemError(
            412,
            {
              title: 'Precondition Failed',
              detail: `The report has been corrected since the version given in If-Match; it is now at version ${current.version}.`,
            },
            { headers: { etag: etagOf(current.version) } },
          );
        }
        const neighbours = await neighboursOf(client, current);
        const { warnings } = checked(report, {
          previous: neighbours.previous?.fields ?? null,
          next: neighbours.next?.fields ?? null,
        });
        return insertCorrection(client, current, {
          fields: report,
          warnings,
          recordedBy: recordedBy(request),
        });
      });
      return reply.header('etag', etagOf(stored.version)).send(resource(stored));
    },
  );

  app.get(
    '/vessels/:vesselId/noon-reports',
    {
      onRequest: readers,
      schema: {
        tags,
        summary: "A vessel's noon reports (current versions), by report time",
        description: 'Cursor pagination: every report that exists while paging is returned exactly once.',
        security,
        params: VesselParams,
        querystring: ListQuery,
        response: { 200: Type.Ref(NoonReportPage) },
      },
    },
    async (request) => {
      const vessel = vesselFor(request, request.params.vesselId);
      const { from, to, order, limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : decodeReportCursor(cursor, order);
      if (after === null) throw invalidField('querystring', '/cursor', 'is not a cursor of this order');
      const rows = await withTenant(pool, vessel.tenantId, (client) =>
        listReports(client, {
          vesselId: vessel.id,
          order,
          limit: limit + 1,
          ...(from ? { from: new Date(from) } : {}),
          ...(to ? { to: new Date(to) } : {}),
          ...(after ? { after: { reportedAt: new Date(after.reportedAt), id: after.id } } : {}),
        }),
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(resource),
        nextCursor:
          rows.length > limit && last
            ? encodeReportCursor({ order, reportedAt: last.fields.reportedAt, id: last.id })
            : null,
      };
    },
  );

  app.get(
    '/vessels/:vesselId/noon-reports/:reportId',
    {
      onRequest: readers,
      schema: {
        tags,
        summary: 'A noon report (its current version)',
        security,
        params: ReportParams,
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: {
          200: {
            description: 'The report',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(NoonReport) } },
          },
          304: { description: 'Not modified since the ETag given in If-None-Match', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const vessel = vesselFor(request, request.params.vesselId);
      const report = await withTenant(pool, vessel.tenantId, (client) =>
        findReport(client, vessel.id, request.params.reportId),
      );
      if (!report) throw notFound('Noon report');
      reply.header('etag', etagOf(report.version));
      if (ifNoneMatchHits(request.headers['if-none-match'], report.version)) return reply.code(304).send();
      return resource(report);
    },
  );

  app.get(
    '/vessels/:vesselId/noon-reports/:reportId/history',
    {
      onRequest: readers,
      schema: {
        tags,
        summary: 'Every version of a noon report, oldest first',
        security,
        params: ReportParams,
        response: { 200: Type.Ref(NoonReportHistory) },
      },
    },
    async (request) => {
      const vessel = vesselFor(request, request.params.vesselId);
      const versions = await withTenant(pool, vessel.tenantId, (client) =>
        reportHistory(client, vessel.id, request.params.reportId),
      );
      if (versions.length === 0) throw notFound('Noon report');
      return { reportId: request.params.reportId, vesselId: vessel.id, versions: versions.map(resource) };
    },
  );
};
