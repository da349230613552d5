import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeviceKey,
  type Role,
  createTenant,
  createVessel,
  startFleetApp,
  vesselBody,
  type FleetTestContext,
} from './helpers.js';

/** The README's access matrix: endpoint → expected status per caller. */
function readMatrix(): Map<string, Record<string, number>> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const section = /<!-- access-matrix:start -->([\s\S]*?)<!-- access-matrix:end -->/.exec(readme)?.[1];
  if (!section) throw new Error('README has no access matrix');
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  const [header, , ...body] = rows;
  if (!header) throw new Error('access matrix has no header');
  const callers = header.slice(1);
  return new Map(
    body.map((cells) => [
      (cells[0] ?? '').replace(/`/g, ''),
      Object.fromEntries(callers.map((caller, index) => [caller, Number(cells[index + 1])])),
    ]),
  );
}

interface Fixture {
  tenantId: string;
  vesselId: string;
  keyId: string;
  deviceKey: string;
}

/** How to call each endpoint of the matrix against a fresh fixture of the caller's tenant. */
interface MatrixRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  payload?: Record<string, unknown>;
  headers?: Record<string, string>;
}

const requests: Record<string, (fixture: Fixture) => MatrixRequest> = {
  'POST /v1/fleet/tenants': () => ({
    method: 'POST',
    url: '/v1/fleet/tenants',
    payload: { name: `Owner ${Math.random()}` },
  }),
  'GET /v1/fleet/tenants': () => ({ method: 'GET', url: '/v1/fleet/tenants' }),
  'GET /v1/fleet/tenants/{id}': ({ tenantId }) => ({ method: 'GET', url: `/v1/fleet/tenants/${tenantId}` }),
  'POST /v1/fleet/vessels': ({ tenantId }) => ({
    method: 'POST',
    url: '/v1/fleet/vessels',
    payload: vesselBody({ tenantId }),
  }),
  'GET /v1/fleet/vessels': () => ({ method: 'GET', url: '/v1/fleet/vessels' }),
  'GET /v1/fleet/vessels/{id}': ({ vesselId }) => ({ method: 'GET', url: `/v1/fleet/vessels/${vesselId}` }),
  'PATCH /v1/fleet/vessels/{id}': ({ vesselId }) => ({
    method: 'PATCH',
    url: `/v1/fleet/vessels/${vesselId}`,
    headers: { 'if-match': '"1"' },
    payload: { status: 'laid-up' },
  }),
  'POST /v1/fleet/vessels/{id}/archive': ({ vesselId }) => ({
    method: 'POST',
    url: `/v1/fleet/vessels/${vesselId}/archive`,
  }),
  'POST /v1/fleet/vessels/{id}/device-keys': ({ vesselId }) => ({
    method: 'POST',
    url: `/v1/fleet/vessels/${vesselId}/device-keys`,
    payload: {},
  }),
  'GET /v1/fleet/vessels/{id}/device-keys': ({ vesselId }) => ({
    method: 'GET',
    url: `/v1/fleet/vessels/${vesselId}/device-keys`,
  }),
  'DELETE /v1/fleet/vessels/{id}/device-keys/{keyId}': ({ vesselId, keyId }) => ({
    method: 'DELETE',
    url: `/v1/fleet/vessels/${vesselId}/device-keys/${keyId}`,
  }),
  'GET /v1/fleet/audit-log': () => ({ method: 'GET', url: '/v1/fleet/audit-log' }),
  'GET /v1/fleet/device/identity': () => ({ method: 'GET', url: '/v1/fleet/device/identity' }),
};

describe('the access matrix in the README', () => {
  let context: FleetTestContext;
  let tenantId: string;
  const matrix = readMatrix();

  beforeAll(async () => {
    context = await startFleetApp();
    tenantId = await createTenant(context);
  });
  afterAll(async () => {
    await context.close();
  });

  it('covers every route the service has', () => {
    const documented = Object.entries(
      (context.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths,
    ).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const apiRoutes = documented.filter((route) => route.includes('/v1/fleet/'));
    expect(apiRoutes.length).toBeGreaterThan(0);
    expect([...matrix.keys()].sort()).toEqual(apiRoutes.sort());
    expect([...matrix.keys()].sort()).toEqual(Object.keys(requests).sort());
  });

  const cells = [...matrix].flatMap(([endpoint, expected]) =>
    Object.entries(expected).map(([caller, status]) => ({ endpoint, caller, status })),
  );

  it.each(cells)('$endpoint as $caller → $status', async ({ endpoint, caller, status }) => {
    const vessel = await createVessel(context, tenantId);
    const key = await createDeviceKey(context, tenantId, vessel.id);
    const fixture: Fixture = { tenantId, vesselId: vessel.id, keyId: key.id, deviceKey: key.key };
    const makeRequest = requests[endpoint];
    if (!makeRequest) throw new Error(`no request for ${endpoint}`);
    const request = makeRequest(fixture);
    const authorization =
      caller === 'device key'
        ? `DeviceKey ${fixture.deviceKey}`
        : `Bearer ${await context.token(caller as Role, tenantId)}`;
    const response = await context.app.inject({
      ...request,
      headers: { ...request.headers, authorization },
    });
    expect(response.statusCode, response.body).toBe(status);
  });
});
