import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createDeviceKey,
  createTenant,
  createVessel,
  startFleetApp,
  vesselBody,
  type FleetTestContext,
  type VesselResponse,
} from './helpers.js';

/**
 * Tenant B's users against tenant A's resources: every endpoint answers as if they did not exist, and
 * nothing of A's shows up in B's lists.
 */
describe('tenant isolation', () => {
  let context: FleetTestContext;
  let tenantA: string;
  let tenantB: string;
  let vesselA: VesselResponse;
  let keyA: { id: string; key: string };

  beforeAll(async () => {
    context = await startFleetApp();
    tenantA = await createTenant(context);
    tenantB = await createTenant(context);
    vesselA = await createVessel(context, tenantA, { name: 'A Secret Ship' });
    keyA = await createDeviceKey(context, tenantA, vesselA.id);
    await createVessel(context, tenantB, { name: 'B Own Ship' });
  });
  afterAll(async () => {
    await context.close();
  });

  const bRoles = ['owner-admin', 'fleet-manager', 'viewer'] as const;

  const vesselScoped = [
    ['GET', () => `/v1/fleet/vessels/${vesselA.id}`, undefined],
    ['GET', () => `/v1/fleet/vessels/${vesselA.id}/device-keys`, undefined],
    ['GET', () => `/v1/fleet/tenants/${tenantA}`, undefined],
  ] as const;

  it.each(bRoles.flatMap((role) => vesselScoped.map(([method, url]) => ({ role, method, url }))))(
    "$role of B reading A's resource: $method → 404",
    async ({ role, method, url }) => {
      const response = await context.app.inject({
        method,
        url: url(),
        headers: bearer(await context.token(role, tenantB)),
      });
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('A Secret Ship');
    },
  );

  const writes = [
    ['PATCH', () => `/v1/fleet/vessels/${vesselA.id}`, { name: 'Hijacked' }, { 'if-match': '"1"' }],
    ['POST', () => `/v1/fleet/vessels/${vesselA.id}/archive`, undefined, {}],
    ['POST', () => `/v1/fleet/vessels/${vesselA.id}/device-keys`, {}, {}],
    ['DELETE', () => `/v1/fleet/vessels/${vesselA.id}/device-keys/${keyA.id}`, undefined, {}],
  ] as const;

  it.each(writes.map(([method, url, payload, headers]) => ({ method, url, payload, headers })))(
    "owner-admin of B changing A's vessel: $method → 404, and nothing changes",
    async ({ method, url, payload, headers }) => {
      const response = await context.app.inject({
        method,
        url: url(),
        headers: { ...bearer(await context.token('owner-admin', tenantB)), ...headers },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode).toBe(404);
      const seenByA = await context.app.inject({
        method: 'GET',
        url: `/v1/fleet/vessels/${vesselA.id}`,
        headers: bearer(await context.token('viewer', tenantA)),
      });
      expect(seenByA.json()).toMatchObject({ name: 'A Secret Ship', version: 1, archived: false });
      const keys = await context.app.inject({
        method: 'GET',
        url: `/v1/fleet/vessels/${vesselA.id}/device-keys`,
        headers: bearer(await context.token('viewer', tenantA)),
      });
      expect(keys.json()).toMatchObject({ items: [{ id: keyA.id, revoked: false }] });
    },
  );

  it.each(writes.map(([method, url, payload, headers]) => ({ method, url, payload, headers })))(
    'a viewer cannot write: $method → 403',
    async ({ method, url, payload, headers }) => {
      const response = await context.app.inject({
        method,
        url: url(),
        headers: { ...bearer(await context.token('viewer', tenantA)), ...headers },
        ...(payload === undefined ? {} : { payload }),
      });
      expect(response.statusCode).toBe(403);
    },
  );

  it("keeps A's vessels and audit entries out of B's lists", async () => {
    const list = await context.app.inject({
      method: 'GET',
      url: '/v1/fleet/vessels?limit=200',
      headers: bearer(await context.token('viewer', tenantB)),
    });
    const names = list.json<{ items: VesselResponse[] }>().items.map((vessel) => vessel.name);
    expect(names).toEqual(['B Own Ship']);

    const audit = await context.app.inject({
      method: 'GET',
      url: '/v1/fleet/audit-log?limit=200',
      headers: bearer(await context.token('owner-admin', tenantB)),
    });
    const entries = audit.json<{ items: { tenantId: string; entityId: string }[] }>().items;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry) => entry.tenantId === tenantB)).toBe(true);
    expect(entries.some((entry) => entry.entityId === vesselA.id)).toBe(false);
  });

  it('refuses to create a vessel in another tenant, and hides tenants behind 404', async () => {
    const intoA = await context.app.inject({
      method: 'POST',
      url: '/v1/fleet/vessels',
      headers: bearer(await context.token('owner-admin', tenantB)),
      payload: vesselBody({ tenantId: tenantA }),
    });
    expect(intoA.statusCode).toBe(403);
    const filterOnA = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/vessels?tenantId=${tenantA}`,
      headers: bearer(await context.token('owner-admin', tenantB)),
    });
    expect(filterOnA.statusCode).toBe(400);
  });

  it("lets operators see every tenant's vessels", async () => {
    const operator = await context.token('platform-admin');
    const list = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/vessels?tenantId=${tenantA}`,
      headers: bearer(operator),
    });
    expect(list.json<{ items: VesselResponse[] }>().items.map((vessel) => vessel.id)).toEqual([vesselA.id]);
  });

  it('a device key cannot call management endpoints', async () => {
    for (const [method, url] of [
      ['GET', `/v1/fleet/vessels/${vesselA.id}`],
      ['GET', '/v1/fleet/vessels'],
      ['POST', `/v1/fleet/vessels/${vesselA.id}/device-keys`],
      ['GET', '/v1/fleet/audit-log'],
      ['GET', `/v1/fleet/tenants/${tenantA}`],
    ] as const) {
      const response = await context.app.inject({
        method,
        url,
        headers: { authorization: `DeviceKey ${keyA.key}` },
        ...(method === 'POST' ? { payload: {} } : {}),
      });
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
  });
});
