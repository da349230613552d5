import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTenant,
  createVessel,
  startFleetApp,
  vesselBody,
  type FleetTestContext,
  type VesselResponse,
} from './helpers.js';

interface Problem {
  status: number;
  detail?: string;
  errors?: { in: string; pointer: string; message: string }[];
}

describe('vessels', () => {
  let context: FleetTestContext;
  let tenantId: string;
  let manager: string;

  beforeAll(async () => {
    context = await startFleetApp();
    tenantId = await createTenant(context);
    manager = await context.token('fleet-manager', tenantId);
  });
  afterAll(async () => {
    await context.close();
  });

  async function post(payload: Record<string, unknown>, token = manager) {
    return context.app.inject({ method: 'POST', url: '/v1/fleet/vessels', headers: bearer(token), payload });
  }

  it('registers a vessel and reads it back with its ETag', async () => {
    const body = vesselBody({ name: 'Nordic Aurora', imo: '9074729' });
    const created = await post(body);
    expect(created.statusCode).toBe(201);
    const vessel = created.json<VesselResponse>();
    expect(vessel).toMatchObject({ ...body, tenantId, status: 'active', archived: false, version: 1 });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/fleet/vessels/${vessel.id}`);

    const read = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/vessels/${vessel.id}`,
      headers: bearer(manager),
    });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(vessel);
    expect(read.headers.etag).toBe('"1"');

    const notModified = await context.app.inject({
      method: 'GET',
      url: `/v1/fleet/vessels/${vessel.id}`,
      headers: { ...bearer(manager), 'if-none-match': '"1"' },
    });
    expect(notModified.statusCode).toBe(304);
  });

  it('refuses a duplicate IMO number among live vessels with 409', async () => {
    const first = await createVessel(context, tenantId);
    const duplicate = await post(vesselBody({ imo: first.imo }));
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json<Problem>().detail).toContain(first.imo);
  });

  it('allows the IMO number of an archived vessel again', async () => {
    const first = await createVessel(context, tenantId);
    const admin = await context.token('owner-admin', tenantId);
    const archived = await context.app.inject({
      method: 'POST',
      url: `/v1/fleet/vessels/${first.id}/archive`,
      headers: bearer(admin),
    });
    expect(archived.statusCode).toBe(200);
    expect((await post(vesselBody({ imo: first.imo }))).statusCode).toBe(201);
  });

  it.each([
    ['imo', '9074728', 'must match format "imo"'],
    ['imo', '907472', 'must match format "imo"'],
    ['mmsi', '12345678', 'must match format "mmsi"'],
    ['mmsi', '002570100', 'must match format "mmsi"'],
    ['flag', 'XX', 'must match format "flag"'],
    ['flag', 'nor', 'must match format "flag"'],
    ['dwt', -1, 'must be >= 0'],
    ['yearBuilt', 1850, 'must be >= 1900'],
  ])('rejects %s = %j with 400 naming the field', async (field, value, message) => {
    const response = await post(vesselBody({ [field]: value }));
    expect(response.statusCode).toBe(400);
    expect(response.json<Problem>().errors).toEqual([{ in: 'body', pointer: `/${field}`, message }]);
  });

  it('rejects an unknown ship type, listing the allowed values', async () => {
    const response = await post(vesselBody({ shipType: 'submarine' }));
    expect(response.statusCode).toBe(400);
    const [error] = response.json<Problem>().errors ?? [];
    expect(error?.pointer).toBe('/shipType');
    expect(error?.message).toMatch(/^must be one of: bulk-carrier, gas-carrier, tanker, container-ship, /);
    expect(error?.message).toContain('cruise-passenger');
  });

  it('lists every invalid field at once, and unknown fields', async () => {
    const response = await post({ imo: '1', name: '', flag: 'ZZ', shipType: 'x', colour: 'red' });
    expect(response.statusCode).toBe(400);
    const pointers = (response.json<Problem>().errors ?? []).map((error) => error.pointer).sort();
    expect(pointers).toEqual(['/colour', '/flag', '/imo', '/name', '/shipType']);
  });

  describe('updates with ETag / If-Match', () => {
    it('applies a change based on the current version and bumps the ETag', async () => {
      const vessel = await createVessel(context, tenantId);
      const response = await context.app.inject({
        method: 'PATCH',
        url: `/v1/fleet/vessels/${vessel.id}`,
        headers: { ...bearer(manager), 'if-match': '"1"', 'content-type': 'application/merge-patch+json' },
        payload: JSON.stringify({ status: 'laid-up', dwt: null }),
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers.etag).toBe('"2"');
      expect(response.json()).toMatchObject({ status: 'laid-up', dwt: null, version: 2, name: vessel.name });
    });

    it('412 for a stale If-Match, leaving the vessel as it was', async () => {
      const vessel = await createVessel(context, tenantId);
      const patch = (ifMatch: string, name: string) =>
        context.app.inject({
          method: 'PATCH',
          url: `/v1/fleet/vessels/${vessel.id}`,
          headers: { ...bearer(manager), 'if-match': ifMatch },
          payload: { name },
        });
      expect((await patch('"1"', 'First Writer')).statusCode).toBe(200);
      const stale = await patch('"1"', 'Second Writer');
      expect(stale.statusCode).toBe(412);
      expect(stale.headers.etag).toBe('"2"');
      const current = await context.app.inject({
        method: 'GET',
        url: `/v1/fleet/vessels/${vessel.id}`,
        headers: bearer(manager),
      });
      expect(current.json()).toMatchObject({ name: 'First Writer', version: 2 });
    });

    it('428 without If-Match', async () => {
      const vessel = await createVessel(context, tenantId);
      const response = await context.app.inject({
        method: 'PATCH',
        url: `/v1/fleet/vessels/${vessel.id}`,
        headers: bearer(manager),
        payload: { name: 'No Precondition' },
      });
      expect(response.statusCode).toBe(428);
    });

    it('never changes the IMO number, and needs at least one field', async () => {
      const vessel = await createVessel(context, tenantId);
      const patch = (payload: Record<string, unknown>) =>
        context.app.inject({
          method: 'PATCH',
          url: `/v1/fleet/vessels/${vessel.id}`,
          headers: { ...bearer(manager), 'if-match': '"1"' },
          payload,
        });
      expect((await patch({ imo: '9074729' })).statusCode).toBe(400);
      expect((await patch({})).statusCode).toBe(400);
    });
  });

  describe('lists', () => {
    let listTenant: string;
    let viewer: string;

    beforeAll(async () => {
      listTenant = await createTenant(context);
      viewer = await context.token('viewer', listTenant);
      const specs: [string, string, string, string][] = [
        ['Alpha Star', 'tanker', 'NO', 'active'],
        ['Bravo Wind', 'bulk-carrier', 'PA', 'active'],
        ['Charlie Sea', 'bulk-carrier', 'NO', 'laid-up'],
        ['Delta Star', 'container-ship', 'LR', 'active'],
        ['Echo Tide', 'bulk-carrier', 'NO', 'sold'],
      ];
      for (const [name, shipType, flag, status] of specs) {
        await createVessel(context, listTenant, { name, shipType, flag, status });
      }
    });

    async function list(query: string): Promise<{ items: VesselResponse[]; nextCursor: string | null }> {
      const response = await context.app.inject({
        method: 'GET',
        url: `/v1/fleet/vessels?${query}`,
        headers: bearer(viewer),
      });
      expect(response.statusCode).toBe(200);
      return response.json();
    }

    it('filters by type, flag, status and name, and sorts', async () => {
      expect((await list('shipType=bulk-carrier&flag=NO')).items.map((v) => v.name)).toEqual([
        'Charlie Sea',
        'Echo Tide',
      ]);
      expect((await list('status=active&sort=-name')).items.map((v) => v.name)).toEqual([
        'Delta Star',
        'Bravo Wind',
        'Alpha Star',
      ]);
      expect((await list('q=STAR')).items.map((v) => v.name)).toEqual(['Alpha Star', 'Delta Star']);
      expect((await list('q=%25')).items).toEqual([]);
    });

    it('pages with a cursor in every sort order', async () => {
      for (const sort of ['name', '-name', 'imo', '-imo', 'createdAt', '-createdAt']) {
        const all = (await list(`sort=${sort}&limit=200`)).items.map((v) => v.id);
        const paged: string[] = [];
        let cursor: string | null = null;
        do {
          const page: { items: VesselResponse[]; nextCursor: string | null } = await list(
            `sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
          );
          paged.push(...page.items.map((v) => v.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect(paged, sort).toEqual(all);
        expect(all).toHaveLength(5);
      }
    });

    it('rejects a cursor of another sort order', async () => {
      const { nextCursor } = await list('sort=name&limit=1');
      const response = await context.app.inject({
        method: 'GET',
        url: `/v1/fleet/vessels?sort=-name&cursor=${nextCursor}`,
        headers: bearer(viewer),
      });
      expect(response.statusCode).toBe(400);
    });
  });
});
