import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem.js';

/** A dependency the service needs to serve traffic; rejects (or times out) when it is unavailable. */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

const CHECK_TIMEOUT_MS = 2000;

/** 'ok', or why the dependency is not usable. */
async function runCheck({ check }: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

const HealthStatus = Type.Object(
  { status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) },
  { $id: 'HealthStatus', title: 'HealthStatus' },
);

/** /healthz: the process is alive. /readyz: every dependency answers, so traffic may be sent. */
export function registerHealthRoutes(app: FastifyInstance, checks: ReadinessCheck[]): void {
  app.addSchema(HealthStatus);
  // Probes are never rate limited or shed: a busy pod is not a dead one, and restarting it under load
  // would make things worse.
  const routeConfig = { rateLimit: false, otel: false, pressureHandler: () => undefined } as const;

  app.get(
    '/healthz',
    {
      config: routeConfig,
      schema: { tags: ['operations'], summary: 'Liveness', response: { 200: Type.Ref(HealthStatus) } },
      logLevel: 'warn',
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      config: routeConfig,
      schema: {
        tags: ['operations'],
        summary: 'Readiness: PostgreSQL, Kafka and other dependencies answer',
        response: { 200: Type.Ref(HealthStatus) },
      },
      logLevel: 'warn',
    },
    async (request, reply) => {
      const results = await Promise.all(
        checks.map(async (check) => [check.name, await runCheck(check)] as const),
      );
      const failing = results.filter(([, result]) => result !== 'ok');
      if (failing.length === 0) return { status: 'ready', checks: Object.fromEntries(results) };
      request.log.warn({ checks: Object.fromEntries(failing) }, 'not ready');
      return sendProblem(reply, {
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        detail: `Not ready: ${failing.map(([name]) => name).join(', ')}.`,
        instance: '/readyz',
        requestId: request.id,
        checks: Object.fromEntries(results),
      });
    },
  );
}
