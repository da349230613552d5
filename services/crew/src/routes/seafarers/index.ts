import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { withScope } from '@fleetwatch/db';
import {
  decodeCursor,
  encodeCursor,
  etagOf,
  ifNoneMatchHits,
  invalidField,
  notFound,
  ProblemError,
  scopeOf,
  StringEnum,
  versionFromIfMatch,
} from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { CAN_READ, CAN_WRITE, tenantForWrite } from '../../access.js';
import {
  deleteSeafarer,
  findSeafarer,
  insertSeafarer,
  listSeafarers,
  updateSeafarer,
  type SeafarerFields,
  type SeafarerRow,
} from '../../db/seafarers.js';
import { seafarerResource } from '../mappers.js';
import {
  CursorParam,
  IdParams,
  Limit,
  RankSchema,
  SEAFARER_STATUSES,
  Seafarer,
  SeafarerCreate,
  SeafarerPage,
  SeafarerPatch,
} from '../schemas.js';

const tags = ['seafarers'];
const ETagHeader = { etag: { type: 'string', description: 'The seafarer’s version, for If-Match' } };

function fieldsOf(row: SeafarerRow): SeafarerFields {
  return {
    givenName: row.given_name,
    familyName: row.family_name,
    nationality: row.nationality,
    dateOfBirth: row.date_of_birth,
    rank: row.rank,
    email: row.email,
    phone: row.phone,
    status: row.status,
  };
}

function checkBirthDate(dateOfBirth: string, today: string): void {
  if (dateOfBirth >= today) throw invalidField('body', '/dateOfBirth', 'must be in the past');
}

export const seafarerRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool; now: () => Date }> = async (
  app,
  { pool, now },
) => {
  const today = () => now().toISOString().slice(0, 10);

  app.post(
    '/seafarers',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Register a seafarer',
        body: Type.Ref(SeafarerCreate),
        response: {
          201: {
            description: 'Created',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Seafarer) } },
          },
        },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request.principal);
      const { tenantId: requested, ...body } = request.body;
      const tenantId = tenantForWrite(scope, requested);
      checkBirthDate(body.dateOfBirth, today());
      const row = await withScope(pool, { kind: 'tenant', tenantId }, (client) =>
        insertSeafarer(client, tenantId, {
          ...body,
          email: body.email ?? null,
          phone: body.phone ?? null,
          status: body.status ?? 'active',
        }),
      );
      return reply
        .code(201)
        .header('location', `/v1/crew/seafarers/${row.id}`)
        .header('etag', etagOf(row.version))
        .send(seafarerResource(row));
    },
  );

  app.get(
    '/seafarers',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'List seafarers',
        description: 'By family name, then given name; cursor pagination.',
        querystring: Type.Object(
          {
            limit: Limit,
            cursor: Type.Optional(CursorParam),
            rank: Type.Optional(RankSchema),
            status: Type.Optional(StringEnum(SEAFARER_STATUSES)),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name' })),
            tenantId: Type.Optional(
              Type.String({ format: 'uuid', description: 'Platform operators: one tenant only' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref(SeafarerPage) },
      },
    },
    async (request) => {
      const scope = scopeOf(request.principal);
      const { limit, cursor, rank, status, q, tenantId } = request.query;
      if (tenantId && scope.kind !== 'platform') {
        throw invalidField('querystring', '/tenantId', 'is for platform operators only');
      }
      const after = cursor === undefined ? undefined : decodeCursor(cursor, 'name');
      if (after === null || (after && typeof after.after !== 'string')) {
        throw invalidField('querystring', '/cursor', 'is not a cursor of this list');
      }
      const [familyName = '', givenName = ''] = after ? String(after.after).split('\u0000') : [];
      const rows = await withScope(pool, scope, (client) =>
        listSeafarers(client, {
          limit: limit + 1,
          ...(after ? { after: { familyName, givenName, id: after.id } } : {}),
          ...(rank ? { rank } : {}),
          ...(status ? { status } : {}),
          ...(q ? { nameContains: q } : {}),
          ...(tenantId ? { tenantId } : {}),
        }),
      );
      const pageRows = rows.slice(0, limit);
      const last = pageRows.at(-1);
      return {
        items: pageRows.map(seafarerResource),
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({
                sort: 'name',
                after: `${last.family_name}\u0000${last.given_name}`,
                id: last.id,
              })
            : null,
      };
    },
  );

  app.get(
    '/seafarers/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'Get a seafarer',
        params: IdParams,
        response: {
          200: {
            description: 'The seafarer',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Seafarer) } },
          },
          304: { description: 'Not modified (If-None-Match)', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const row = await withScope(pool, scopeOf(request.principal), (client) =>
        findSeafarer(client, request.params.id),
      );
      if (!row) throw notFound('Seafarer');
      reply.header('etag', etagOf(row.version));
      if (ifNoneMatchHits(request.headers['if-none-match'], row.version)) return reply.code(304).send();
      return seafarerResource(row);
    },
  );

  app.patch(
    '/seafarers/:id',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Change a seafarer',
        description:
          'A JSON merge patch; `If-Match` with the ETag is required (428 without, 412 when stale).',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: Type.Ref(SeafarerPatch),
        response: {
          200: {
            description: 'Changed',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Seafarer) } },
          },
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      if (!ifMatch) {
        throw new ProblemError(428, {
          title: 'Precondition Required',
          detail: 'Send the seafarer’s ETag in If-Match, so a concurrent change is not overwritten.',
        });
      }
      const expected = versionFromIfMatch(ifMatch);
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const current = await findSeafarer(client, request.params.id, { forUpdate: true });
        if (!current) throw notFound('Seafarer');
        if (current.version !== expected) {
          throw new ProblemError(
            412,
            {
              title: 'Precondition Failed',
              detail: `The seafarer has changed; it is now at version ${current.version}.`,
            },
            { headers: { etag: etagOf(current.version) } },
          );
        }
        const fields = { ...fieldsOf(current), ...request.body };
        checkBirthDate(fields.dateOfBirth, today());
        return updateSeafarer(client, current.id, fields);
      });
      return reply.header('etag', etagOf(row.version)).send(seafarerResource(row));
    },
  );

  app.delete(
    '/seafarers/:id',
    {
      onRequest: app.requireRole(...CAN_WRITE),
      schema: {
        tags,
        summary: 'Delete a seafarer',
        description:
          'Removes the seafarer with their certificates, assignments and rest records. Seafarers who have ' +
          'served should rather be set to status `inactive`, which keeps their history.',
        params: IdParams,
        response: { 204: { description: 'Deleted', type: 'null' } },
      },
    },
    async (request, reply) => {
      const deleted = await withScope(pool, scopeOf(request.principal), (client) =>
        deleteSeafarer(client, request.params.id),
      );
      if (!deleted) throw notFound('Seafarer');
      return reply.code(204).send();
    },
  );
};
