import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView, VesselState } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, scopeOf } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, visibleVessel } from '../../access.js';
import { crewOn, relieversOf, signingOff } from '../../db/assignments.js';
import { certificatesOf } from '../../db/certificates.js';
import {
  replaceSafeManning,
  restRegimeOf,
  safeManningOf,
  setRestRegime,
} from '../../db/vessel-crew-rules.js';
import { addDays } from '../../domain/certificates.js';
import { evaluateSafeManning } from '../../domain/safe-manning.js';
import { assignmentResource } from '../mappers.js';
import {
  Compliance,
  CrewList,
  CrewSettings,
  CrewSettingsPut,
  RotationList,
  SafeManning,
  SafeManningPut,
  VesselParams,
} from '../schemas.js';

const tags = ['vessels'];

export interface VesselRouteOptions {
  pool: pg.Pool;
  registry: FleetRegistryView;
  now: () => Date;
}

/** Crew matters of one vessel: crew list, rotations, safe manning and its compliance, rest regime. */
export const vesselRoutes: FastifyPluginAsyncTypebox<VesselRouteOptions> = async (
  app,
  { pool, registry, now },
) => {
  const today = () => now().toISOString().slice(0, 10);
  /** The vessel (404 unless visible) and a transaction runner confined to its owner's rows. */
  const vesselScope = (principal: Parameters<typeof visibleVessel>[1], vesselId: string) => {
    scopeOf(principal);
    const vessel: VesselState = visibleVessel(registry, principal, vesselId);
    const run = <T>(fn: (client: pg.PoolClient) => Promise<T>) =>
      withScope(pool, { kind: 'tenant', tenantId: vessel.tenantId }, fn);
    return { vessel, run };
  };
  const DateQuery = Type.Object(
    { date: Type.Optional(Type.String({ format: 'date', description: 'Default: today (UTC)' })) },
    { additionalProperties: false },
  );

  app.get(
    '/vessels/:vesselId/crew',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Crew list of a vessel on a date',
        description:
          'Everyone aboard on the date by their actual dates where recorded, planned ones otherwise.',
        params: VesselParams,
        querystring: DateQuery,
        response: { 200: Type.Ref(CrewList) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      const date = request.query.date ?? today();
      const rows = await run((client) => crewOn(client, vessel.id, date));
      return {
        vesselId: vessel.id,
        date,
        crew: rows.map((row) => ({
          assignment: assignmentResource(row),
          seafarer: { id: row.seafarer_id, name: row.seafarer_name, nationality: row.nationality },
        })),
      };
    },
  );

  app.get(
    '/vessels/:vesselId/rotations',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Upcoming sign-offs and their relievers',
        description:
          'Assignments ending within `withinDays` of today, each with the assignment relieving it, if ' +
          'any. `relieved` is true when the reliever signs on no later than the sign-off.',
        params: VesselParams,
        querystring: Type.Object(
          { withinDays: Type.Integer({ minimum: 0, maximum: 365, default: 30 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(RotationList) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      const from = today();
      const to = addDays(from, request.query.withinDays);
      const { leaving, relievers } = await run(async (client) => {
        const leaving = await signingOff(client, vessel.id, from, to);
        return {
          leaving,
          relievers: await relieversOf(
            client,
            leaving.map((row) => row.id),
          ),
        };
      });
      return {
        vesselId: vessel.id,
        from,
        to,
        items: leaving.map((row) => {
          const reliever = relievers.find((candidate) => candidate.relieves_assignment_id === row.id) ?? null;
          const signOff = row.actual_sign_off ?? row.planned_sign_off;
          const relieverOn = reliever ? (reliever.actual_sign_on ?? reliever.planned_sign_on) : null;
          return {
            assignment: assignmentResource(row),
            seafarerName: row.seafarer_name,
            reliever: reliever ? assignmentResource(reliever) : null,
            relieverName: reliever?.seafarer_name ?? null,
            relieved: relieverOn !== null && relieverOn <= signOff,
          };
        }),
      };
    },
  );

  app.get(
    '/vessels/:vesselId/safe-manning',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Safe manning of a vessel',
        params: VesselParams,
        response: { 200: Type.Ref(SafeManning) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      return { vesselId: vessel.id, requirements: await run((client) => safeManningOf(client, vessel.id)) };
    },
  );

  app.put(
    '/vessels/:vesselId/safe-manning',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Set the safe manning of a vessel',
        description:
          'Minimum count per rank and the certificates each holder of the rank needs; replaces the whole list.',
        params: VesselParams,
        body: Type.Ref(SafeManningPut),
        response: { 200: Type.Ref(SafeManning) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      const { requirements } = request.body;
      const seen = new Set<string>();
      requirements.forEach(({ rank }, index) => {
        if (seen.has(rank)) throw invalidField('body', `/requirements/${index}/rank`, `lists ${rank} twice`);
        seen.add(rank);
      });
      const stored = await run(async (client) => {
        await replaceSafeManning(client, vessel.tenantId, vessel.id, requirements);
        return safeManningOf(client, vessel.id);
      });
      return { vesselId: vessel.id, requirements: stored };
    },
  );

  app.get(
    '/vessels/:vesselId/compliance',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Safe manning compliance on a date',
        description:
          'Which ranks are short of qualified seafarers, and which crew members lack a valid required ' +
          'certificate (missing, expired, or issued after the date). Someone without a required ' +
          'certificate does not count towards the rank’s minimum. A medical certificate that expired ' +
          'while the seafarer was aboard counts for up to 3 months more (STCW I/9), listed in `medicalGrace`.',
        params: VesselParams,
        querystring: DateQuery,
        response: { 200: Type.Ref(Compliance) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      const date = request.query.date ?? today();
      const { requirements, crew, certificates } = await run(async (client) => {
        const crew = await crewOn(client, vessel.id, date);
        return {
          requirements: await safeManningOf(client, vessel.id),
          crew,
          certificates: await certificatesOf(client, [...new Set(crew.map((row) => row.seafarer_id))]),
        };
      });
      const result = evaluateSafeManning(
        requirements,
        crew.map((row) => ({
          seafarerId: row.seafarer_id,
          name: row.seafarer_name,
          rank: row.rank,
          aboardSince: row.actual_sign_on ?? row.planned_sign_on,
          certificates: certificates
            .filter((certificate) => certificate.seafarer_id === row.seafarer_id)
            .map(({ type, issued_on, expires_on }) => ({ type, issuedOn: issued_on, expiresOn: expires_on })),
        })),
        date,
      );
      return { vesselId: vessel.id, ...result };
    },
  );

  app.get(
    '/vessels/:vesselId/crew-settings',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Crew settings of a vessel',
        description: 'The hours-of-rest regime the flag state applies; `minimum-rest` until set.',
        params: VesselParams,
        response: { 200: Type.Ref(CrewSettings) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      return { vesselId: vessel.id, restRegime: await run((client) => restRegimeOf(client, vessel.id)) };
    },
  );

  app.put(
    '/vessels/:vesselId/crew-settings',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Set the crew settings of a vessel',
        params: VesselParams,
        body: Type.Ref(CrewSettingsPut),
        response: { 200: Type.Ref(CrewSettings) },
      },
    },
    async (request) => {
      const { vessel, run } = vesselScope(request.principal, request.params.vesselId);
      await run((client) => setRestRegime(client, vessel.tenantId, vessel.id, request.body.restRegime));
      return { vesselId: vessel.id, restRegime: request.body.restRegime };
    },
  );
};
