import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { deviceKeyFromAuthorization, parseDeviceKey, secretMatches } from '@fleetwatch/fleet-registry';
import { withPlatformAccess } from '@fleetwatch/db';
import { ProblemError } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import type pg from 'pg';
import { findDeviceKeyById } from '../../db/device-keys.js';
import { DeviceIdentity } from '../schemas.js';

function rejected(detail: string): ProblemError {
  return new ProblemError(
    401,
    { title: 'Unauthorized', detail },
    { headers: { 'www-authenticate': 'DeviceKey realm="fleetwatch"' } },
  );
}

/**
 * The vessel's own view: which vessel a device key belongs to. Vessels authenticate with
 * `Authorization: DeviceKey fwdk_…`; this is the only route that accepts it here.
 */
export const deviceRoutes: FastifyPluginAsyncTypebox<{ pool: pg.Pool }> = async (app, { pool }) => {
  app.get(
    '/device/identity',
    {
      schema: {
        tags: ['device'],
        summary: 'The vessel a device key belongs to (device keys only)',
        security: [{ deviceKey: [] }],
        response: { 200: Type.Ref(DeviceIdentity) },
      },
    },
    async (request) => {
      const presented = deviceKeyFromAuthorization(request.headers.authorization);
      const parsed = presented ? parseDeviceKey(presented) : null;
      if (!parsed) throw rejected('A device key is required: Authorization: DeviceKey fwdk_….');
      // A device has no tenant until its key is found; the lookup reads across tenants by key id only.
      const key = await withPlatformAccess(pool, (client) => findDeviceKeyById(client, parsed.id));
      if (!key || key.revoked_at || !secretMatches(parsed.secret, key.secret_hash)) {
        throw rejected('The device key is not valid.');
      }
      return { keyId: key.id, vesselId: key.vessel_id, tenantId: key.tenant_id };
    },
  );
};
