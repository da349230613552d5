import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ProblemError, decodeCursor, encodeCursor } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { actorOf, CAN_READ, withScope, OPERATORS_ONLY, scopeOf } from '../../access.js';
import { recordAudit } from '../../db/audit.js';
import { findTenant, insertTenant, listTenants } from '../../db/tenants.js';
import { tenantResource } from '../mappers.js';
import { notFound } from '@fleetwatch/service-kit';
import { CursorParam, IdParams, Limit, Tenant, TenantCreate, TenantPage } from '../schemas.js';

const tags = ['tenants'];

export const tenantRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, { pool }) => {
  app.post(
    '/tenants',
    {
      onRequest: app.requireRole(...OPERATORS_ONLY),
      schema: {
        tags,
        summary: 'Register a ship owner (platform operators)',
        body: Type.Ref(TenantCreate),
        response: { 201: Type.Ref(Tenant) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request.principal, request.id);
      const tenant = await withScope(pool, scopeOf(request.principal), async (client) => {
        const row = await insertTenant(client, request.body.name, actor.subject).catch((error: unknown) => {
          if ((error as { code?: string }).code === '23505') {
            throw new ProblemError(409, {
              title: 'Conflict',
              detail: 'A tenant with this name exists already.',
            });
          }
          throw error;
        });
        await recordAudit(client, actor, {
          tenantId: row.id,
          action: 'tenant.created',
          entityType: 'tenant',
          entityId: row.id,
          before: null,
          after: tenantResource(row),
        });
        return row;
      });
      return reply
        .code(201)
        .header('location', `/v1/fleet/tenants/${tenant.id}`)
        .send(tenantResource(tenant));
    },
  );

  app.get(
    '/tenants',
    {
      onRequest: app.requireRole(...OPERATORS_ONLY),
      schema: {
        tags,
        summary: 'List ship owners (platform operators)',
        querystring: Type.Object(
          { limit: Limit, cursor: Type.Optional(CursorParam) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(TenantPage) },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, 'name');
      if (after === null)
        throw new ProblemError(400, { title: 'Bad Request', detail: 'The cursor is not valid.' });
      const rows = await withScope(pool, scopeOf(request.principal), (client) =>
        listTenants(client, {
          limit: limit + 1,
          ...(after ? { after: { name: String(after.after), id: after.id } } : {}),
        }),
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(tenantResource),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ sort: 'name', after: last.name, id: last.id }) : null,
      };
    },
  );

  app.get(
    '/tenants/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A ship owner (its own users, or platform operators)',
        params: IdParams,
        response: { 200: Type.Ref(Tenant) },
      },
    },
    async (request) => {
      const row = await withScope(pool, scopeOf(request.principal), (client) =>
        findTenant(client, request.params.id),
      );
      if (!row) throw notFound('Tenant');
      return tenantResource(row);
    },
  );
};
