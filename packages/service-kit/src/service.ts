import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import underPressure from '@fastify/under-pressure';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawServerDefault,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Ajv } from 'ajv';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DestinationStream } from 'pino';
import { register as defaultRegistry, type Registry } from 'prom-client';
import { authPlugin } from './auth.js';
import { parseList, type BaseConfig } from './config.js';
import { registerHealthRoutes, type ReadinessCheck } from './health.js';
import { createLogger } from './logger.js';
import { registerMetrics } from './metrics.js';
import { registerOpenApi } from './openapi.js';
import { installProblemHandlers, ProblemError } from './problem.js';

export type ServiceApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A resource to release on shutdown, after the HTTP server has drained. */
export interface Closeable {
  name: string;
  close: () => Promise<void>;
}

export interface ServiceOptions {
  name: string;
  version: string;
  description?: string;
  config: BaseConfig;
  /** Dependencies /readyz checks (PostgreSQL, Kafka). */
  readiness?: ReadinessCheck[];
  /** Closed in this order once in-flight requests are done: consumers first, then producers, then pools. */
  closeables?: Closeable[];
  /** Defaults to prom-client's default registry, which swagger-stats also uses. */
  registry?: Registry;
  /** Extra OpenAPI security schemes (bearerAuth is always there). */
  securitySchemes?: Record<string, Record<string, unknown>>;
  /**
   * Domain string formats for request validation, e.g. `{ imo: isValidImo }`: schemas use them as
   * `Type.String({ format: 'imo' })`, and a failure is reported like any other validation error.
   */
  formats?: Record<string, (value: string) => boolean>;
  /** Log destination (tests capture logs here); stdout by default. */
  logDestination?: DestinationStream;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The Fastify 5 app every Fleetwatch service starts from: TypeBox, OpenAPI 3.1 and /docs, swagger-stats
 * and /metrics, JSON logs with trace ids, /healthz and /readyz, problem+json errors, JWT auth, helmet,
 * CORS, rate limiting, load shedding and body limits. The service adds its routes and then calls
 * `runService` (see run.ts) or uses `app.inject` in tests.
 */
export async function createService(options: ServiceOptions): Promise<ServiceApp> {
  const { name, version, config, readiness = [], closeables = [], registry = defaultRegistry } = options;

  const logger: FastifyBaseLogger = createLogger({
    service: name,
    version,
    level: config.LOG_LEVEL,
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  const app = Fastify({
    loggerInstance: logger,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    // Honour a caller's id (the ingress or another service) when it is sane; otherwise make one.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    return503OnClosing: true,
    ajv: {
      customOptions: { allErrors: true, removeAdditional: false },
      plugins: [
        (ajv: Ajv) => {
          for (const [format, validate] of Object.entries(options.formats ?? {})) {
            ajv.addFormat(format, { type: 'string', validate });
          }
          return ajv;
        },
      ],
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  installProblemHandlers(app);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await registerOpenApi(app, {
    title: name,
    version,
    ...(options.description ? { description: options.description } : {}),
    ...(options.securitySchemes ? { securitySchemes: options.securitySchemes } : {}),
  });
  await app.register(helmet, { global: true });
  const corsOrigins = parseList(config.CORS_ORIGINS);
  await app.register(cors, { origin: corsOrigins.length > 0 ? corsOrigins : false });
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    errorResponseBuilder: (_request, context) =>
      new ProblemError(429, {
        title: 'Too Many Requests',
        detail: `Rate limit of ${context.max} requests per ${context.after} exceeded; retry later.`,
      }),
  });
  // Shed load on event-loop delay, not utilisation: a saturated but responsive process is doing its
  // job (utilisation near 1 under a benchmark made every request a 503).
  await app.register(underPressure, {
    maxEventLoopDelay: config.MAX_EVENT_LOOP_DELAY_MS,
    pressureHandler: async (request, _reply, type, value) => {
      request.log.warn({ pressure: type, value }, 'shedding load');
      throw new ProblemError(
        503,
        { title: 'Service Unavailable', detail: 'The service is overloaded; retry later.' },
        { headers: { 'retry-after': '10' } },
      );
    },
  });
  await registerMetrics(app, { name, version, registry });
  await app.register(authPlugin, {
    issuer: config.AUTH_ISSUER,
    audience: config.AUTH_AUDIENCE,
    ...(config.AUTH_JWKS_URL ? { jwksUrl: config.AUTH_JWKS_URL } : {}),
    ...(config.AUTH_JWKS_FILE ? { jwksFile: config.AUTH_JWKS_FILE } : {}),
  });
  registerHealthRoutes(app, readiness);

  app.addHook('onClose', async () => {
    for (const closeable of closeables) {
      try {
        await closeable.close();
        app.log.info({ resource: closeable.name }, 'closed');
      } catch (error) {
        app.log.error({ err: error, resource: closeable.name }, 'failed to close');
      }
    }
  });

  return app;
}
