import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { generateDeviceKey } from '@fleetwatch/fleet-registry';
import { enqueueOutbox } from '@fleetwatch/outbox';
import { ProblemError } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { actorOf, CAN_READ, CAN_WRITE_VESSELS, withScope, scopeOf } from '../../access.js';
import { recordAudit } from '../../db/audit.js';
import { findDeviceKey, insertDeviceKey, listDeviceKeys, revokeDeviceKey } from '../../db/device-keys.js';
import { findVessel } from '../../db/vessels.js';
import { deviceKeyStateMessage, OUTBOX_SCHEMA } from '../../events.js';
import { deviceKeyAuditView, deviceKeyResource } from '../mappers.js';
import { notFound } from '@fleetwatch/service-kit';
import { DeviceKeyCreate, DeviceKeyList, IdParams, NewDeviceKey, Uuid } from '../schemas.js';

const tags = ['device keys'];

export const deviceKeyRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, { pool }) => {
  app.post(
    '/vessels/:id/device-keys',
    {
      onRequest: app.requireRole(...CAN_WRITE_VESSELS),
      schema: {
        tags,
        summary: 'Issue a telemetry key for a vessel (the secret is shown once)',
        params: IdParams,
        body: Type.Ref(DeviceKeyCreate),
        response: { 201: Type.Ref(NewDeviceKey) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request.principal, request.id);
      const issued = generateDeviceKey();
      const row = await withScope(pool, scopeOf(request.principal), async (client) => {
        const vessel = await findVessel(client, request.params.id, { forUpdate: true });
        if (!vessel) throw notFound('Vessel');
        if (vessel.archived_at) {
          throw new ProblemError(409, { title: 'Conflict', detail: 'An archived vessel gets no new keys.' });
        }
        const inserted = await insertDeviceKey(client, {
          id: issued.id,
          tenantId: vessel.tenant_id,
          vesselId: vessel.id,
          label: request.body.label ?? null,
          secretHash: issued.secretHash,
          createdBy: actor.subject,
        });
        await recordAudit(client, actor, {
          tenantId: vessel.tenant_id,
          action: 'device-key.created',
          entityType: 'device-key',
          entityId: inserted.id,
          before: null,
          after: deviceKeyAuditView(inserted),
        });
        await enqueueOutbox(client, OUTBOX_SCHEMA, [deviceKeyStateMessage(inserted)]);
        return inserted;
      });
      return reply
        .code(201)
        .header('cache-control', 'no-store')
        .send({ ...deviceKeyResource(row), key: issued.key });
    },
  );

  app.get(
    '/vessels/:id/device-keys',
    {
      onRequest: app.requireRole(...CAN_READ),
      schema: {
        tags,
        summary: 'A vessel’s telemetry keys, masked',
        params: IdParams,
        response: { 200: Type.Ref(DeviceKeyList) },
      },
    },
    async (request) => {
      const rows = await withScope(pool, scopeOf(request.principal), async (client) => {
        if (!(await findVessel(client, request.params.id))) throw notFound('Vessel');
        return listDeviceKeys(client, request.params.id);
      });
      return { items: rows.map(deviceKeyResource) };
    },
  );

  app.delete(
    '/vessels/:id/device-keys/:keyId',
    {
      onRequest: app.requireRole(...CAN_WRITE_VESSELS),
      schema: {
        tags,
        summary: 'Revoke a telemetry key',
        description:
          'Takes effect everywhere within seconds (registry events). Revoking a revoked key is a no-op.',
        params: Type.Object(
          { id: Uuid, keyId: Type.String({ pattern: '^[a-z0-9]{16}$' }) },
          { additionalProperties: false },
        ),
        response: { 204: { description: 'Revoked', type: 'null' } },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request.principal, request.id);
      await withScope(pool, scopeOf(request.principal), async (client) => {
        const key = await findDeviceKey(client, request.params.id, request.params.keyId);
        if (!key) throw notFound('Device key');
        const revoked = await revokeDeviceKey(client, key.id, actor.subject);
        if (!revoked) return;
        await recordAudit(client, actor, {
          tenantId: key.tenant_id,
          action: 'device-key.revoked',
          entityType: 'device-key',
          entityId: key.id,
          before: deviceKeyAuditView(key),
          after: deviceKeyAuditView(revoked),
        });
        await enqueueOutbox(client, OUTBOX_SCHEMA, [deviceKeyStateMessage(revoked)]);
      });
      return reply.code(204).send();
    },
  );
};
