import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFleetApp, type FleetTestContext } from './helpers.js';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}

describe('the OpenAPI document', () => {
  let context: FleetTestContext;
  let paths: Record<string, Record<string, Operation>>;
  let schemas: Record<string, unknown>;

  beforeAll(async () => {
    context = await startFleetApp();
    const document = context.app.swagger() as unknown as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };
    paths = Object.fromEntries(
      Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/fleet/')),
    );
    schemas = document.components.schemas;
  });
  afterAll(async () => {
    await context.close();
  });

  const operations = () =>
    Object.entries(paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        name: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );

  it('documents every route with tags, a summary, a success response and problem responses', () => {
    expect(operations().length).toBe(13);
    for (const { name, operation } of operations()) {
      expect(operation.tags?.length, name).toBeGreaterThan(0);
      expect(operation.summary, name).toBeTruthy();
      const success = Object.keys(operation.responses).filter((code) => /^2\d\d$/.test(code));
      expect(success.length, name).toBeGreaterThan(0);
      for (const code of success) {
        if (code !== '204')
          expect(
            operation.responses[code]?.content?.['application/json']?.schema,
            `${name} ${code}`,
          ).toBeDefined();
      }
      for (const range of ['4XX', '5XX']) {
        expect(
          operation.responses[range]?.content?.['application/problem+json']?.schema,
          `${name} ${range}`,
        ).toEqual({
          $ref: '#/components/schemas/ProblemDetails',
        });
      }
      expect(operation.security, name).toBeDefined();
    }
  });

  it('documents request bodies with named schemas and examples', () => {
    for (const { name, operation } of operations()) {
      if (!operation.requestBody) continue;
      const schema = Object.values(operation.requestBody.content)[0]?.schema as { $ref?: string };
      expect(schema.$ref, name).toMatch(/^#\/components\/schemas\//);
    }
    for (const component of [
      'Vessel',
      'VesselCreate',
      'VesselPatch',
      'VesselPage',
      'Tenant',
      'DeviceKey',
      'NewDeviceKey',
      'AuditEntry',
    ]) {
      expect(schemas, component).toHaveProperty(component);
    }
    const imo = (schemas.VesselCreate as { properties: { imo: { examples?: unknown[] } } }).properties.imo;
    expect(imo.examples).toEqual(['9074729']);
  });
});
