import middie from '@fastify/middie';
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import swaggerStats from 'swagger-stats';

export interface MetricsOptions {
  name: string;
  version: string;
  /** prom-client's default registry: swagger-stats writes its metrics there and nowhere else. */
  registry: Registry;
}

/** The `path` label of requests that matched no route, so scanners cannot create series. */
export const UNMATCHED_ROUTE = '/__unmatched__';

interface SwaggerStatsRequestState {
  sws?: { route_path?: string };
}

type Middleware = ReturnType<typeof swaggerStats.getMiddleware>;

/**
 * swagger-stats is a process-wide singleton: it keeps its state in module scope, and initialising it
 * twice registers its metrics twice. Apps in one process (tests) share one instance; it is stopped
 * when the last app closes, and the metrics it registered are removed before it is started again.
 */
const swaggerStatsState = {
  users: 0,
  middleware: undefined as Middleware | undefined,
  metricNames: [] as string[],
};

function acquireSwaggerStats(options: MetricsOptions): Middleware {
  swaggerStatsState.users += 1;
  if (swaggerStatsState.middleware) return swaggerStatsState.middleware;
  for (const metricName of swaggerStatsState.metricNames) options.registry.removeSingleMetric(metricName);
  const before = new Set(options.registry.getMetricsAsArray().map((metric) => metric.name));
  swaggerStatsState.middleware = swaggerStats.getMiddleware({
    name: options.name,
    version: options.version,
    uriPath: '/swagger-stats',
    durationBuckets: [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
  });
  swaggerStatsState.metricNames = options.registry
    .getMetricsAsArray()
    .map((metric) => metric.name)
    .filter((metricName) => !before.has(metricName));
  return swaggerStatsState.middleware;
}

function releaseSwaggerStats(): void {
  swaggerStatsState.users -= 1;
  if (swaggerStatsState.users > 0) return;
  // Its timers would keep the process alive.
  swaggerStats.stop();
  swaggerStatsState.middleware = undefined;
}

/**
 * swagger-stats (API metrics, its UI at /swagger-stats/) plus prom-client's process metrics, served
 * together at /metrics from one registry.
 */
export async function registerMetrics(app: FastifyInstance, options: MetricsOptions): Promise<void> {
  const { registry } = options;
  // Several services (or test apps) in one process share the default registry: collect once.
  if (!registry.getSingleMetric('process_cpu_user_seconds_total'))
    collectDefaultMetrics({ register: registry });

  await app.register(middie);
  app.use(acquireSwaggerStats(options));
  // On Fastify 5 swagger-stats cannot see the route (reply.context is gone) and would label each
  // request with its raw URL. Hand it the route template; this hook runs after middie's.
  app.addHook('onRequest', async (request) => {
    const raw = request.raw as typeof request.raw & SwaggerStatsRequestState;
    raw.sws ??= {};
    raw.sws.route_path = request.routeOptions.url ?? UNMATCHED_ROUTE;
  });
  app.addHook('onClose', async () => releaseSwaggerStats());

  app.get(
    '/metrics',
    { schema: { hide: true }, config: { rateLimit: false, pressureHandler: () => undefined } },
    async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  );
}
