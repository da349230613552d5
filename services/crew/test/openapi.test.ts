import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrewApp, type CrewTestContext } from './helpers.js';

interface Operation {
  tags?: string[];
  summary?: string;
  security?: unknown[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}

interface SchemaNode {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  examples?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
}

describe('the OpenAPI document', () => {
  let context: CrewTestContext;
  let paths: Record<string, Record<string, Operation>>;
  let schemas: Record<string, SchemaNode>;

  beforeAll(async () => {
    context = await startCrewApp();
    const document = context.app.swagger() as unknown as {
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, SchemaNode> };
    };
    paths = Object.fromEntries(
      Object.entries(document.paths).filter(([path]) => path.startsWith('/v1/crew/')),
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

  it('documents every route with tags, a summary, a JSON success response, problem responses and security', () => {
    expect(operations().length).toBe(28);
    for (const { name, operation } of operations()) {
      expect(operation.tags?.length, name).toBeGreaterThan(0);
      expect(operation.summary, name).toBeTruthy();
      const success = Object.keys(operation.responses).filter((code) => /^2\d\d$/.test(code));
      expect(success.length, name).toBeGreaterThan(0);
      for (const code of success.filter((code) => code !== '204')) {
        expect(
          operation.responses[code]?.content?.['application/json']?.schema,
          `${name} ${code}`,
        ).toBeDefined();
      }
      for (const range of ['4XX', '5XX']) {
        expect(
          operation.responses[range]?.content?.['application/problem+json']?.schema,
          `${name} ${range}`,
        ).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
      }
      expect(operation.security, name).toBeDefined();
    }
  });

  /** Every scalar a client sends has an example (or is an enum, which lists its values). */
  function leavesWithoutExamples(node: SchemaNode, at: string, seen = new Set<string>()): string[] {
    if (node.$ref) {
      const name = node.$ref.replace('#/components/schemas/', '');
      if (seen.has(name)) return [];
      const target = schemas[name];
      return target
        ? leavesWithoutExamples(target, at, new Set([...seen, name]))
        : [`${at} (unresolved ${name})`];
    }
    if (node.enum || node.examples) return [];
    if (node.anyOf) return node.anyOf.flatMap((option) => leavesWithoutExamples(option, at, seen));
    if (node.properties) {
      return Object.entries(node.properties).flatMap(([key, child]) =>
        leavesWithoutExamples(child, `${at}/${key}`, seen),
      );
    }
    if (node.items) return leavesWithoutExamples(node.items, `${at}/items`, seen);
    return node.type === 'null' ? [] : [at];
  }

  it('documents request bodies as named schemas whose every field has an example', () => {
    const bodies = operations().filter(({ operation }) => operation.requestBody);
    expect(bodies.length).toBeGreaterThanOrEqual(10);
    const missing = bodies.flatMap(({ name, operation }) => {
      const schema = Object.values(operation.requestBody?.content ?? {})[0]?.schema as SchemaNode;
      const unnamed = schema.$ref?.startsWith('#/components/schemas/')
        ? []
        : [`${name} (not a named schema)`];
      return [...unnamed, ...leavesWithoutExamples(schema, name)];
    });
    expect(missing).toEqual([]);
  });
});
