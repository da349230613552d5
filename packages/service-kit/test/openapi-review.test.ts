import { describe, expect, it } from 'vitest';
import { reviewOpenApi, type OpenApiDocument } from '../src/testing.js';

const problem = {
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
};

function document(
  operation: Record<string, unknown>,
  schemas: OpenApiDocument['components']['schemas'] = {},
) {
  return {
    paths: { '/v1/x/things': { post: operation }, '/other': { get: {} } },
    components: { schemas },
  } as unknown as OpenApiDocument;
}

const complete = {
  tags: ['things'],
  summary: 'Add a thing',
  security: [{ bearerAuth: [] }],
  requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingCreate' } } } },
  responses: {
    '201': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
    '4XX': problem,
    '5XX': problem,
  },
};
const schemas = {
  ThingCreate: {
    type: 'object',
    properties: {
      name: { type: 'string', examples: ['Pump'] },
      kind: { type: 'string', enum: ['a', 'b'] },
      parts: {
        type: 'array',
        items: { type: 'object', properties: { code: { type: 'string', examples: ['1'] } } },
      },
    },
  },
};

describe('reviewOpenApi', () => {
  it('finds nothing missing in a complete operation, and lists only operations under the prefix', () => {
    expect(reviewOpenApi(document(complete, schemas), '/v1/x/')).toEqual({
      operations: ['POST /v1/x/things'],
      gaps: [],
    });
  });

  it.each([
    ['no tags', { ...complete, tags: [] }, schemas, 'POST /v1/x/things: no tags'],
    ['no summary', { ...complete, summary: '' }, schemas, 'POST /v1/x/things: no summary'],
    ['no security', { ...complete, security: undefined }, schemas, 'POST /v1/x/things: no security'],
    [
      'a plain 4XX',
      { ...complete, responses: { ...complete.responses, '4XX': {} } },
      schemas,
      'POST /v1/x/things: 4XX is not problem+json',
    ],
    [
      'an inline body',
      { ...complete, requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } },
      schemas,
      'POST /v1/x/things: body is not a named schema',
    ],
    [
      'a field without an example',
      complete,
      { ThingCreate: { type: 'object', properties: { name: { type: 'string' } } } },
      'POST /v1/x/things body/name: no example',
    ],
  ])('reports %s', (_name, operation, componentSchemas, gap) => {
    expect(reviewOpenApi(document(operation, componentSchemas), '/v1/x/').gaps).toEqual([gap]);
  });
});
