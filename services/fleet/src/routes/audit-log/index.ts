import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StringEnum, decodeCursor, encodeCursor } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_ADMINISTER, withScope, scopeOf } from '../../access.js';
import { listAudit } from '../../db/audit.js';
import { auditResource } from '../mappers.js';
import { invalidField } from '@fleetwatch/service-kit';
import { AuditPage, CursorParam, Limit } from '../schemas.js';

export const auditLogRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, { pool }) => {
  app.get(
    '/audit-log',
    {
      onRequest: app.requireRole(...CAN_ADMINISTER),
      schema: {
        tags: ['audit log'],
        summary: 'Who changed what, newest first (owner admins: their tenant; operators: all)',
        querystring: Type.Object(
          {
            limit: Limit,
            cursor: Type.Optional(CursorParam),
            entityType: Type.Optional(StringEnum(['tenant', 'vessel', 'device-key'])),
            entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            tenantId: Type.Optional(
              Type.String({ format: 'uuid', description: 'Platform operators: one owner only' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(AuditPage) },
      },
    },
    async (request) => {
      const scope = scopeOf(request.principal);
      const { limit, cursor, entityType, entityId, tenantId } = request.query;
      if (tenantId && scope.kind !== 'platform') {
        throw invalidField('querystring', '/tenantId', 'is for platform operators only');
      }
      const after = cursor === undefined ? undefined : decodeCursor(cursor, 'newest');
      if (after === null) throw invalidField('querystring', '/cursor', 'is not a cursor of this list');
      const rows = await withScope(pool, scope, (client) =>
        listAudit(client, {
          limit: limit + 1,
          ...(tenantId ? { tenantId } : {}),
          ...(entityType ? { entityType } : {}),
          ...(entityId ? { entityId } : {}),
          ...(after ? { beforeId: after.id } : {}),
        }),
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(auditResource),
        nextCursor:
          rows.length > limit && last ? encodeCursor({ sort: 'newest', after: 0, id: last.id }) : null,
      };
    },
  );
};
