import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, startMaintenanceApp, type MaintenanceTestContext, type TestVessel } from './helpers.js';

describe('components', () => {
  let context: MaintenanceTestContext;
  const tenant = randomUUID();
  let vessel: TestVessel;
  let headers: { authorization: string };

  beforeAll(async () => {
    context = await startMaintenanceApp({ today: '2026-03-01' });
    vessel = await context.fixture.addVessel(tenant);
    headers = await context.as('fleet-manager', tenant);
  });
  afterAll(async () => {
    await context.close();
  });

  const add = (body: Record<string, unknown>) =>
    context.app.inject({
      method: 'POST',
      url: `/v1/maintenance/vessels/${vessel.id}/components`,
      headers,
      payload: { criticality: 'high', ...body },
    });

  it('builds the equipment tree with codes that extend their parent’s', async () => {
    const engine = await post<{ id: string }>(
      context,
      `/v1/maintenance/vessels/${vessel.id}/components`,
      headers,
      {
        code: '601',
        name: 'Main engine',
        maker: 'MAN Energy Solutions',
        model: '6S60ME-C8.5',
        serialNumber: 'AB12345',
        criticality: 'critical',
        hasCounter: true,
        telemetryEngine: 'main',
      },
    );
    const unit = await add({ parentId: engine.id, code: '601.01', name: 'Cylinder unit 1' });
    expect(unit.statusCode).toBe(201);
    expect((await add({ parentId: engine.id, code: '602.01', name: 'Wrong branch' })).statusCode).toBe(400);
    expect((await add({ code: '601.02', name: 'No parent' })).statusCode).toBe(400);
    expect((await add({ code: '601', name: 'Twice' })).statusCode).toBe(409);
    expect((await add({ code: '6A1', name: 'Bad code' })).statusCode).toBe(400);
    expect(
      (await add({ code: '603', name: 'Same engine', hasCounter: true, telemetryEngine: 'main' })).statusCode,
    ).toBe(409);
    expect(
      (await add({ code: '604', name: 'Engine without counter', telemetryEngine: 'aux' })).statusCode,
    ).toBe(400);

    const list = await context.app.inject({
      url: `/v1/maintenance/vessels/${vessel.id}/components`,
      headers,
    });
    expect(list.json<{ items: { code: string; parentId: string | null }[] }>().items).toEqual([
      expect.objectContaining({ code: '601', parentId: null }),
      expect.objectContaining({ code: '601.01', parentId: engine.id }),
    ]);
  });

  it('refuses a parent from another vessel', async () => {
    const other = await context.fixture.addVessel(tenant);
    const foreignParent = await post<{ id: string }>(
      context,
      `/v1/maintenance/vessels/${other.id}/components`,
      headers,
      { code: '701', name: 'Boiler', criticality: 'high' },
    );
    expect((await add({ parentId: foreignParent.id, code: '701.01', name: 'Burner' })).statusCode).toBe(400);
  });
});
