import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { enqueueOutbox } from '@fleetwatch/outbox';
import { ProblemError, StringEnum, decodeCursor, encodeCursor } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { actorOf, CAN_ADMINISTER, CAN_READ, CAN_WRITE_VESSELS, withScope, scopeOf } from '../../access.js';
import { recordAudit } from '../../db/audit.js';
import { activeDeviceKeysOf, revokeDeviceKey } from '../../db/device-keys.js';
import { findTenant } from '../../db/tenants.js';
import {
  archiveVessel,
  findVessel,
  insertVessel,
  isDuplicateImo,
  listVessels,
  SORTS,
  updateVessel,
  type SortField,
  type VesselFields,
  type VesselRow,
} from '../../db/vessels.js';
import { etagOf, ifNoneMatchHits, versionFromIfMatch } from '@fleetwatch/service-kit';
import { deviceKeyStateMessage, OUTBOX_SCHEMA, vesselStateMessage } from '../../events.js';
import { deviceKeyAuditView, vesselResource } from '../mappers.js';
import { invalidField, notFound } from '@fleetwatch/service-kit';
import {
  CursorParam,
  ETagHeader,
  IdParams,
  Limit,
  ShipTypeSchema,
  Vessel,
  VesselCreate,
  VesselPage,
  VesselPatch,
  VesselStatusSchema,
} from '../schemas.js';

const tags = ['vessels'];
const SORT_VALUES = Object.keys(SORTS).flatMap((field) => [field, `-${field}`]);

const ListQuery = Type.Object(
  {
    limit: Limit,
    cursor: Type.Optional(CursorParam),
    sort: Type.Optional(
      StringEnum(SORT_VALUES, { default: 'name', description: 'A field; prefix - for descending' }),
    ),
    shipType: Type.Optional(ShipTypeSchema),
    flag: Type.Optional(Type.String({ format: 'flag' })),
    status: Type.Optional(VesselStatusSchema),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Part of the name, any case' }),
    ),
    includeArchived: Type.Boolean({ default: false }),
    tenantId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Platform operators: one owner only' }),
    ),
  },
  { additionalProperties: false },
);

const PreconditionHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag the change is based on (required)' })),
});

function fieldsOf(row: VesselRow): VesselFields {
  return {
    mmsi: row.mmsi,
    name: row.name,
    callSign: row.call_sign,
    flag: row.flag,
    shipType: row.ship_type,
    dwt: row.dwt,
    gt: row.gt,
    yearBuilt: row.year_built,
    status: row.status,
  };
}

function stale(row: VesselRow): ProblemError {
  return new ProblemError(
    412,
    {
      title: 'Precondition Failed',
      detail: `The vessel has changed since version given in If-Match; it is now at version ${row.version}.`,
    },
    { headers: { etag: etagOf(row.version) } },
  );
}

export const vesselRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, { pool }) => {
  app.post(
    '/vessels',
    {
      onRequest: app.requireRole(...CAN_WRITE_VESSELS),
      schema: {
        tags,
        summary: 'Register a vessel',
        description: 'Duplicate IMO numbers among a tenant’s live vessels are refused with 409.',
        body: Type.Ref(VesselCreate),
        response: {
          201: {
            description: 'Created',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Vessel) } },
          },
        },
      },
    },
    async (request, reply) => {
      const scope = scopeOf(request.principal);
      const actor = actorOf(request.principal, request.id);
      const { tenantId: requestedTenant, imo, ...rest } = request.body;
      let tenantId: string;
      if (scope.kind === 'platform') {
        if (!requestedTenant) throw invalidField('body', '/tenantId', 'is required for platform operators');
        tenantId = requestedTenant.toLowerCase();
      } else {
        if (requestedTenant && requestedTenant.toLowerCase() !== scope.tenantId) {
          throw new ProblemError(403, {
            title: 'Forbidden',
            detail: 'Vessels can only be added to your own fleet.',
          });
        }
        tenantId = scope.tenantId;
      }
      const fields: VesselFields = {
        mmsi: rest.mmsi ?? null,
        name: rest.name,
        callSign: rest.callSign ?? null,
        flag: rest.flag,
        shipType: rest.shipType,
        dwt: rest.dwt ?? null,
        gt: rest.gt ?? null,
        yearBuilt: rest.yearBuilt ?? null,
        status: rest.status ?? 'active',
      };
      const row = await withScope(pool, scope, async (client) => {
        if (scope.kind === 'platform' && !(await findTenant(client, tenantId))) throw notFound('Tenant');
        const inserted = await insertVessel(client, tenantId, imo, fields).catch((error: unknown) => {
          if (isDuplicateImo(error)) {
            throw new ProblemError(409, {
              title: 'Conflict',
              detail: `A live vessel with IMO number ${imo} is registered already.`,
            });
          }
          throw error;
        });
        await recordAudit(client, actor, {
          tenantId,
          action: 'vessel.created',
          entityType: 'vessel',
          entityId: inserted.id,
          before: null,
          after: vesselResource(inserted),
        });
        await enqueueOutbox(client, OUTBOX_SCHEMA, [vesselStateMessage(inserted)]);
        return inserted;
      });
      return reply
        .code(201)
        .header('location', `/v1/fleet/vessels/${row.id}`)
        .header('etag', etagOf(row.version))
        .send(vesselResource(row));
    },
  );

  app.get(
    '/vessels',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'List vessels',
        description:
          'Cursor pagination in a stable order: every vessel that exists while paging is returned exactly once.',
        querystring: ListQuery,
        response: { 200: Type.Ref(VesselPage) },
      },
    },
    async (request) => {
      const scope = scopeOf(request.principal);
      const {
        limit,
        cursor,
        sort = 'name',
        tenantId,
        q,
        shipType,
        flag,
        status,
        includeArchived,
      } = request.query;
      const descending = sort.startsWith('-');
      const field = (descending ? sort.slice(1) : sort) as SortField;
      const after = cursor === undefined ? undefined : decodeCursor(cursor, sort);
      if (after === null) throw invalidField('querystring', '/cursor', 'is not a cursor of this sort order');
      if (tenantId && scope.kind !== 'platform') {
        throw invalidField('querystring', '/tenantId', 'is for platform operators only');
      }
      const rows = await withScope(pool, scope, (client) =>
        listVessels(client, {
          sort: field,
          descending,
          includeArchived,
          limit: limit + 1,
          ...(tenantId ? { tenantId } : {}),
          ...(shipType ? { shipType } : {}),
          ...(flag ? { flag } : {}),
          ...(status ? { status } : {}),
          ...(q ? { nameContains: q } : {}),
          ...(after ? { after: { value: String(after.after), id: after.id } } : {}),
        }),
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map(vesselResource),
        nextCursor:
          rows.length > limit && last?.cursor_value !== undefined
            ? encodeCursor({ sort, after: last.cursor_value, id: last.id })
            : null,
      };
    },
  );

  app.get(
    '/vessels/:id',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A vessel',
        params: IdParams,
        headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
        response: {
          200: {
            description: 'The vessel',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Vessel) } },
          },
          304: { description: 'Not modified since the ETag given in If-None-Match', type: 'null' },
        },
      },
    },
    async (request, reply) => {
      const row = await withScope(pool, scopeOf(request.principal), (client) =>
        findVessel(client, request.params.id),
      );
      if (!row) throw notFound('Vessel');
      reply.header('etag', etagOf(row.version));
      if (ifNoneMatchHits(request.headers['if-none-match'], row.version)) return reply.code(304).send();
      return vesselResource(row);
    },
  );

  app.patch(
    '/vessels/:id',
    {
      onRequest: app.requireRole(...CAN_WRITE_VESSELS),
      schema: {
        tags,
        summary: 'Change a vessel (If-Match required)',
        description:
          'Send the ETag you read in If-Match: a change based on an older version gets 412 instead of overwriting. Without If-Match: 428.',
        params: IdParams,
        headers: PreconditionHeaders,
        body: Type.Ref(VesselPatch),
        response: {
          200: {
            description: 'The changed vessel',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Vessel) } },
          },
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      if (!ifMatch) {
        throw new ProblemError(428, {
          title: 'Precondition Required',
          detail: 'Send the vessel’s ETag in If-Match, so a concurrent change is not overwritten.',
        });
      }
      const expectedVersion = versionFromIfMatch(ifMatch);
      const patch = request.body as Partial<VesselFields>;
      const actor = actorOf(request.principal, request.id);
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const current = await findVessel(client, request.params.id, { forUpdate: true });
        if (!current) throw notFound('Vessel');
        if (expectedVersion !== current.version) throw stale(current);
        if (current.archived_at) {
          throw new ProblemError(409, { title: 'Conflict', detail: 'An archived vessel cannot be changed.' });
        }
        const updated = await updateVessel(client, current.id, { ...fieldsOf(current), ...patch });
        await recordAudit(client, actor, {
          tenantId: current.tenant_id,
          action: 'vessel.updated',
          entityType: 'vessel',
          entityId: current.id,
          before: vesselResource(current),
          after: vesselResource(updated),
        });
        await enqueueOutbox(client, OUTBOX_SCHEMA, [vesselStateMessage(updated)]);
        return updated;
      });
      return reply.header('etag', etagOf(row.version)).send(vesselResource(row));
    },
  );

  app.post(
    '/vessels/:id/archive',
    {
      onRequest: app.requireRole(...CAN_ADMINISTER),
      schema: {
        tags,
        summary: 'Archive a vessel (its device keys are revoked)',
        description:
          'The record and its history stay; the vessel leaves the active fleet. If-Match is honoured when sent.',
        params: IdParams,
        headers: PreconditionHeaders,
        response: {
          200: {
            description: 'The archived vessel',
            headers: ETagHeader,
            content: { 'application/json': { schema: Type.Ref(Vessel) } },
          },
        },
      },
    },
    async (request, reply) => {
      const ifMatch = request.headers['if-match'];
      const actor = actorOf(request.principal, request.id);
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const current = await findVessel(client, request.params.id, { forUpdate: true });
        if (!current) throw notFound('Vessel');
        if (ifMatch && versionFromIfMatch(ifMatch) !== current.version) throw stale(current);
        if (current.archived_at) {
          throw new ProblemError(409, { title: 'Conflict', detail: 'The vessel is archived already.' });
        }
        const archived = await archiveVessel(client, current.id);
        await recordAudit(client, actor, {
          tenantId: current.tenant_id,
          action: 'vessel.archived',
          entityType: 'vessel',
          entityId: current.id,
          before: vesselResource(current),
          after: vesselResource(archived),
        });
        const messages = [vesselStateMessage(archived)];
        for (const key of await activeDeviceKeysOf(client, current.id)) {
          const revoked = await revokeDeviceKey(client, key.id, actor.subject);
          if (!revoked) continue;
          await recordAudit(client, actor, {
            tenantId: current.tenant_id,
            action: 'device-key.revoked',
            entityType: 'device-key',
            entityId: key.id,
            before: deviceKeyAuditView(key),
            after: deviceKeyAuditView(revoked),
          });
          messages.push(deviceKeyStateMessage(revoked));
        }
        await enqueueOutbox(client, OUTBOX_SCHEMA, messages);
        return archived;
      });
      return reply.header('etag', etagOf(row.version)).send(vesselResource(row));
    },
  );
};
