import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bearer,
  createTenant,
  createVessel,
  startFleetApp,
  type FleetTestContext,
  type VesselResponse,
} from './helpers.js';

describe('pagination while vessels are being added', () => {
  let context: FleetTestContext;
  let tenantId: string;

  beforeAll(async () => {
    context = await startFleetApp();
    tenantId = await createTenant(context);
  });
  afterAll(async () => {
    await context.close();
  });

  it('returns every vessel that existed exactly once, and no vessel twice', async () => {
    const existing = new Set<string>();
    for (let index = 0; index < 40; index += 1) {
      existing.add(
        (await createVessel(context, tenantId, { name: `Existing ${String(index).padStart(2, '0')}` })).id,
      );
    }
    const viewer = await context.token('viewer', tenantId);

    for (const sort of ['name', '-createdAt']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let inserted = 0;
      do {
        const response: { statusCode: number; json: <T>() => T } = await context.app.inject({
          method: 'GET',
          url: `/v1/fleet/vessels?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
          headers: bearer(viewer),
        });
        expect(response.statusCode).toBe(200);
        const page: { items: VesselResponse[]; nextCursor: string | null } = response.json();
        seen.push(...page.items.map((vessel) => vessel.id));
        cursor = page.nextCursor;
        // Between pages, others add vessels whose names sort before, between and after the rows read.
        await Promise.all(
          ['Aaa', 'Existing 15½', 'Zzz'].map((prefix) =>
            createVessel(context, tenantId, { name: `${prefix} ${sort} ${inserted++}` }),
          ),
        );
      } while (cursor);

      expect(new Set(seen).size, `${sort}: no duplicates`).toBe(seen.length);
      for (const id of existing)
        expect(
          seen.filter((candidate) => candidate === id),
          `${sort}: ${id}`,
        ).toHaveLength(1);
    }
  });
});
