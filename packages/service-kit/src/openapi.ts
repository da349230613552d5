import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { writeFile } from 'node:fs/promises';
import { AUTH_GUARD } from './auth.js';
import { InvalidParam, ProblemDetails } from './problem.js';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
  /** Security schemes beside `bearerAuth`, e.g. a device key scheme, for routes that name them. */
  securitySchemes?: Record<string, Record<string, unknown>>;
}

function hasAuthGuard(route: RouteOptions): boolean {
  const hooks =
    route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
  return hooks.some((hook) => AUTH_GUARD in hook);
}

/**
 * OpenAPI 3.1 from the routes' schemas. Shared schemas (added with `app.addSchema` and an `$id`) become
 * components named by their `$id`, so names stay stable between builds. Every documented route gets the
 * problem+json error responses, and guarded routes their bearer security requirement.
 */
export async function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): Promise<void> {
  app.addSchema(InvalidParam);
  app.addSchema(ProblemDetails);

  app.addHook('onRoute', (route) => {
    const schema = route.schema as (Record<string, unknown> & { hide?: boolean }) | undefined;
    if (!schema || schema.hide) return;
    const response = (schema.response ?? {}) as Record<string, unknown>;
    const problem = {
      description: 'Problem details (RFC 9457)',
      content: { 'application/problem+json': { schema: Type.Ref(ProblemDetails) } },
    };
    response['4xx'] ??= problem;
    response['5xx'] ??= problem;
    schema.response = response;
    if (hasAuthGuard(route)) schema.security ??= [{ bearerAuth: [] }];
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, version: options.version, description: options.description ?? '' },
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'RS256/ES256 token from the identity provider, with `tenant` and `roles` claims',
          },
          ...options.securitySchemes,
        },
      },
    },
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}

/** Writes the service's OpenAPI document (for `make openapi`, client generation and review). */
export async function writeOpenApiDocument(app: FastifyInstance, file: string): Promise<void> {
  await app.ready();
  await writeFile(file, `${JSON.stringify(app.swagger(), null, 2)}\n`);
}
