import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceApp } from '../src/index.js';
import { writeOpenApiDocument } from '../src/index.js';
import { buildSampleApp } from './helpers.js';

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<
    string,
    Record<
      string,
      {
        security?: unknown;
        responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
        requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
      }
    >
  >;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('OpenAPI', () => {
  let app: ServiceApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    ({ app } = await buildSampleApp());
    document = app.swagger() as unknown as OpenApiDocument;
  });
  afterAll(async () => {
    await app.close();
  });

  it('is OpenAPI 3.1 with the service name and version', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'sample', version: '1.2.3' });
  });

  it('names shared schemas as components by their $id', () => {
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['SampleVessel', 'ProblemDetails', 'InvalidParam', 'HealthStatus']),
    );
    expect(document.paths['/vessels']?.post?.requestBody?.content['application/json']?.schema.$ref).toBe(
      '#/components/schemas/SampleVessel',
    );
  });

  it('documents problem responses and the bearer requirement of guarded routes', () => {
    const post = document.paths['/vessels']?.post;
    expect(post?.security).toEqual([{ bearerAuth: [] }]);
    expect(post?.responses['4XX']?.content?.['application/problem+json']?.schema.$ref).toBe(
      '#/components/schemas/ProblemDetails',
    );
    expect(document.paths['/x/{id}']?.get?.security).toBeUndefined();
    expect(document.components.securitySchemes).toHaveProperty('bearerAuth');
    expect(document.paths).not.toHaveProperty('/metrics');
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('swagger');
  });

  it('exports the same document to a file', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'openapi-')), 'openapi.json');
    await writeOpenApiDocument(app, file);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(JSON.parse(JSON.stringify(document)));
  });
});

describe('the OpenAPI export script', () => {
  it('writes the document of an app module to a file', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'openapi-cli-')), 'openapi.json');
    const result = spawnSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        'tsx',
        fileURLToPath(new URL('../src/openapi-cli.ts', import.meta.url)),
        fileURLToPath(new URL('./fixtures/openapi-app.ts', import.meta.url)),
        out,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.status, result.stderr).toBe(0);
    const written = JSON.parse(await readFile(out, 'utf8')) as OpenApiDocument;
    expect(written.openapi).toBe('3.1.0');
    expect(Object.keys(written.paths)).toEqual(expect.arrayContaining(['/vessels', '/x/{id}', '/healthz']));
  });
});
