import { withPlatformAccess } from '@fleetwatch/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createDeviceKey,
  createTenant,
  createVessel,
  startFleetApp,
  type FleetTestContext,
  type VesselResponse,
} from './helpers.js';

interface DeviceKeyResponse {
  id: string;
  vesselId: string;
  label: string | null;
  maskedKey: string;
  revoked: boolean;
  revokedAt: string | null;
  key?: string;
}

describe('vessel device keys', () => {
  let context: FleetTestContext;
  let tenantId: string;
  let vessel: VesselResponse;
  let manager: string;

  beforeAll(async () => {
    context = await startFleetApp();
    tenantId = await createTenant(context);
    vessel = await createVessel(context, tenantId);
    manager = await context.token('fleet-manager', tenantId);
  });
  afterAll(async () => {
    await context.close();
  });

  async function identity(key: string) {
    return context.app.inject({
      method: 'GET',
      url: '/v1/fleet/device/identity',
      headers: { authorization: `DeviceKey ${key}` },
    });
  }

  async function keysOf(vesselId: string): Promise<DeviceKeyResponse[]> {
    const response = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/vessels/${vesselId}/device-keys`,
      headers: bearer(manager),
    });
    return response.json<{ items: DeviceKeyResponse[] }>().items;
  }

  it('shows the secret once, stores only its hash, lists keys masked', async () => {
    const created = await context.app.inject({
      method: 'POST',
      url: `/v1/fleet/vessels/${vessel.id}/device-keys`,
      headers: bearer(manager),
      payload: { label: 'bridge gateway' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const key = created.json<DeviceKeyResponse>();
    expect(key.key).toMatch(/^fwdk_[a-z0-9]{16}\.[A-Za-z0-9_-]{43}$/);
    expect(key.maskedKey).toBe(`fwdk_${key.id}.********`);

    const listed = await keysOf(vessel.id);
    const entry = listed.find((candidate) => candidate.id === key.id);
    expect(entry).toMatchObject({ label: 'bridge gateway', revoked: false, maskedKey: key.maskedKey });
    expect(JSON.stringify(listed)).not.toContain(key.key?.split('.')[1]);

    const { rows } = await withPlatformAccess(context.pool, (client) =>
      client.query<{ secret_hash: string }>('SELECT secret_hash FROM fleet.device_keys WHERE id = $1', [
        key.id,
      ]),
    );
    expect(rows[0]?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.secret_hash).not.toContain(key.key?.split('.')[1]);
  });

  it('identifies its vessel until revoked, then is refused; revoking again is a no-op', async () => {
    const key = await createDeviceKey(context, tenantId, vessel.id);
    const before = await identity(key.key);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual({ keyId: key.id, vesselId: vessel.id, tenantId });

    const revoke = () =>
      context.app.inject({
        method: 'DELETE',
        url: `/v1/fleet/vessels/${vessel.id}/device-keys/${key.id}`,
        headers: bearer(manager),
      });
    expect((await revoke()).statusCode).toBe(204);
    expect((await identity(key.key)).statusCode).toBe(401);
    expect((await keysOf(vessel.id)).find((candidate) => candidate.id === key.id)).toMatchObject({
      revoked: true,
    });
    expect((await revoke()).statusCode).toBe(204);
  });

  it('refuses a wrong secret, an unknown key and malformed headers', async () => {
    const key = await createDeviceKey(context, tenantId, vessel.id);
    const [prefix] = key.key.split('.');
    expect((await identity(`${prefix}.${'A'.repeat(43)}`)).statusCode).toBe(401);
    expect((await identity(`fwdk_${'0'.repeat(16)}.${'A'.repeat(43)}`)).statusCode).toBe(401);
    const bare = await context.app.inject({
      method: 'GET',
      url: '/v1/fleet/device/identity',
      headers: { authorization: key.key },
    });
    expect(bare.statusCode).toBe(401);
    expect(bare.headers['www-authenticate']).toBe('DeviceKey realm="fleetwatch"');
  });

  it('archiving a vessel revokes its keys and refuses new ones', async () => {
    const ship = await createVessel(context, tenantId);
    const key = await createDeviceKey(context, tenantId, ship.id);
    const archived = await context.app.inject({
      method: 'POST',
      url: `/v1/fleet/vessels/${ship.id}/archive`,
      headers: bearer(await context.token('owner-admin', tenantId)),
    });
    expect(archived.statusCode).toBe(200);
    expect((await identity(key.key)).statusCode).toBe(401);
    const another = await context.app.inject({
      method: 'POST',
      url: `/v1/fleet/vessels/${ship.id}/device-keys`,
      headers: bearer(manager),
      payload: {},
    });
    expect(another.statusCode).toBe(409);
  });
});

describe('audit log', () => {
  let context: FleetTestContext;
  let tenantId: string;

  beforeAll(async () => {
    context = await startFleetApp();
    tenantId = await createTenant(context);
  });
  afterAll(async () => {
    await context.close();
  });

  interface Entry {
    action: string;
    entityId: string;
    tenantId: string;
    actor: { subject: string; roles: string[] };
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    requestId: string | null;
  }

  it('records who changed what, when, with before and after, newest first', async () => {
    const vessel = await createVessel(context, tenantId, { name: 'Audited' });
    const manager = await context.token('fleet-manager', tenantId);
    await context.app.inject({
      method: 'PATCH',
      url: `/v1/fleet/vessels/${vessel.id}`,
      headers: { ...bearer(manager), 'if-match': '"1"', 'x-request-id': 'audit-req-1' },
      payload: { name: 'Audited Twice' },
    });
    const key = await createDeviceKey(context, tenantId, vessel.id);

    const response = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/audit-log?entityType=vessel&entityId=${vessel.id}`,
      headers: bearer(await context.token('owner-admin', tenantId)),
    });
    expect(response.statusCode).toBe(200);
    const entries = response.json<{ items: Entry[] }>().items;
    expect(entries.map((entry) => entry.action)).toEqual(['vessel.updated', 'vessel.created']);
    expect(entries[0]).toMatchObject({
      tenantId,
      actor: { subject: `fleet-manager-${tenantId}`, roles: ['fleet-manager'] },
      before: { name: 'Audited', version: 1 },
      after: { name: 'Audited Twice', version: 2 },
      requestId: 'audit-req-1',
    });

    const keyEntries = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/audit-log?entityType=device-key&entityId=${key.id}`,
      headers: bearer(await context.token('platform-admin')),
    });
    const [created] = keyEntries.json<{ items: Entry[] }>().items;
    expect(created?.action).toBe('device-key.created');
    expect(JSON.stringify(created)).not.toContain(key.key.split('.')[1]);
  });

  it('pages newest first with a cursor', async () => {
    const pageTenant = await createTenant(context);
    for (let index = 0; index < 5; index += 1) await createVessel(context, pageTenant);
    const admin = await context.token('owner-admin', pageTenant);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { json: <T>() => T } = await context.app.inject({
        method: 'GET',
        url: `/v1/fleet/audit-log?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: bearer(admin),
      });
      const page: { items: { id: string }[]; nextCursor: string | null } = response.json();
      ids.push(...page.items.map((entry) => entry.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(6); // the tenant's creation and five vessels
    expect([...ids].sort((a, b) => Number(b) - Number(a))).toEqual(ids);
  });

  it('cannot be changed or removed by the service role', async () => {
    await createVessel(context, tenantId);
    const { updated, deleted, remaining } = await withPlatformAccess(context.pool, async (client) => ({
      updated: (await client.query("UPDATE fleet.audit_log SET action = 'forged'")).rowCount,
      deleted: (await client.query('DELETE FROM fleet.audit_log')).rowCount,
      remaining: (await client.query('SELECT 1 FROM fleet.audit_log')).rowCount,
    }));
    expect(updated).toBe(0);
    expect(deleted).toBe(0);
    expect(remaining).toBeGreaterThan(0);
  });
});
