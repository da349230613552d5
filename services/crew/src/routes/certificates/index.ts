import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { withScope } from '@fleetwatch/db';
import { invalidField, invalidFields, notFound, scopeOf } from '@fleetwatch/service-kit';
import { Type, type Static } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, visibleVessel } from '../../access.js';
import {
  certificatesOf,
  deleteCertificate,
  expiringCertificates,
  findCertificate,
  insertCertificate,
  updateCertificate,
  type CertificateFields,
} from '../../db/certificates.js';
import { findSeafarer, type SeafarerRow } from '../../db/seafarers.js';
import { addDays, certificateProblems } from '../../domain/certificates.js';
import { certificateResource } from '../mappers.js';
import {
  Certificate,
  CertificateCreate,
  CertificateList,
  ExpiringCertificateList,
  SeafarerParams,
  Uuid,
} from '../schemas.js';

const tags = ['certificates'];
const CertificateParams = Type.Object({ seafarerId: Uuid, id: Uuid }, { additionalProperties: false });

export interface CertificateRouteOptions {
  pool: pg.Pool;
  registry: FleetRegistryView;
  warningDays: number;
  now: () => Date;
}

export const certificateRoutes: FastifyPluginAsyncTypebox<CertificateRouteOptions> = async (
  app,
  { pool, registry, warningDays, now },
) => {
  const today = () => now().toISOString().slice(0, 10);
  const present = (row: Parameters<typeof certificateResource>[0]) =>
    certificateResource(row, { today: today(), warningDays });

  /** The body as stored fields, or 400 naming each date that breaks a rule for the holder. */
  const validFields = (body: Static<typeof CertificateCreate>, holder: SeafarerRow): CertificateFields => {
    const fields = { ...body, issuingCountry: body.issuingCountry ?? null };
    const problems = certificateProblems(fields, holder.date_of_birth, today());
    if (problems.length > 0) throw invalidFields('body', problems);
    return fields;
  };

  app.post(
    '/seafarers/:seafarerId/certificates',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Record a certificate or document',
        description:
          'Dates are checked against the rules for the type: expiry after issue, and no longer than the ' +
          'type may be valid (e.g. a Certificate of Competency 5 years, medical fitness 2 years, 1 year ' +
          'for a seafarer under 18). Each broken rule is listed in `errors`.',
        params: SeafarerParams,
        body: Type.Ref(CertificateCreate),
        response: { 201: Type.Ref(Certificate) },
      },
    },
    async (request, reply) => {
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const holder = await findSeafarer(client, request.params.seafarerId);
        if (!holder) throw notFound('Seafarer');
        return insertCertificate(client, holder.tenant_id, holder.id, validFields(request.body, holder));
      });
      return reply
        .code(201)
        .header('location', `/v1/crew/seafarers/${row.seafarer_id}/certificates/${row.id}`)
        .send(present(row));
    },
  );

  app.get(
    '/seafarers/:seafarerId/certificates',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A seafarer’s certificates and documents',
        params: SeafarerParams,
        response: { 200: Type.Ref(CertificateList) },
      },
    },
    async (request) => {
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findSeafarer(client, request.params.seafarerId))) throw notFound('Seafarer');
        return certificatesOf(client, [request.params.seafarerId]);
      });
      return { items: rows.map(present) };
    },
  );

  app.put(
    '/seafarers/:seafarerId/certificates/:id',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Correct a certificate',
        description: 'Replaces the certificate’s fields, with the same checks as recording one.',
        params: CertificateParams,
        body: Type.Ref(CertificateCreate),
        response: { 200: Type.Ref(Certificate) },
      },
    },
    async (request) => {
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const holder = await findSeafarer(client, request.params.seafarerId);
        const current = holder && (await findCertificate(client, holder.id, request.params.id));
        if (!holder || !current) throw notFound('Certificate');
        return updateCertificate(client, current.id, validFields(request.body, holder));
      });
      if (!row) throw notFound('Certificate');
      return present(row);
    },
  );

  app.delete(
    '/seafarers/:seafarerId/certificates/:id',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Delete a certificate recorded in error',
        params: CertificateParams,
        response: { 204: { description: 'Deleted', type: 'null' } },
      },
    },
    async (request, reply) => {
      const deleted = await withScope(pool, scopeOf(request.principal), (client) =>
        deleteCertificate(client, request.params.seafarerId, request.params.id),
      );
      if (!deleted) throw notFound('Certificate');
      return reply.code(204).send();
    },
  );

  app.get(
    '/certificates/expiring',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Certificates expiring soon (or expired)',
        description:
          'Certificates that expire within `withinDays` of today, and those already expired, that no ' +
          'renewal has replaced; for the whole tenant or the seafarers assigned to one vessel (aboard ' +
          'or planned). Soonest first.',
        querystring: Type.Object(
          {
            withinDays: Type.Integer({ minimum: 0, maximum: 730, default: 60 }),
            vesselId: Type.Optional(Uuid),
            tenantId: Type.Optional(
              Type.String({ format: 'uuid', description: 'Platform operators: one tenant only' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(ExpiringCertificateList) },
      },
    },
    async (request) => {
      const scope = scopeOf(request.principal);
      const { withinDays, vesselId, tenantId } = request.query;
      if (tenantId && scope.kind !== 'platform') {
        throw invalidField('querystring', '/tenantId', 'is for platform operators only');
      }
      if (vesselId) visibleVessel(registry, request.principal, vesselId);
      const asOf = today();
      const rows = await withScope(pool, scope, (client) =>
        expiringCertificates(client, {
          asOf,
          until: addDays(asOf, withinDays),
          ...(vesselId ? { vesselId } : {}),
          ...(tenantId ? { tenantId } : {}),
        }),
      );
      return {
        asOf,
        withinDays,
        items: rows.map((row) => ({
          certificate: present(row),
          seafarer: { id: row.seafarer_id, name: row.seafarer_name, rank: row.seafarer_rank },
          daysLeft: row.days_left,
        })),
      };
    },
  );
};
