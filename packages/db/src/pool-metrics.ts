import type pg from 'pg';
import { Gauge, register, type Registry } from 'prom-client';

export interface PoolMetricsOptions {
  /** Value of the `pool` label; one per pool, e.g. the service name or 'main'. */
  name: string;
  /** Default: prom-client's default registry, the one swagger-stats exposes. */
  registry?: Registry;
}

/** The pools reported through each registry; the gauges read them when the registry is scraped. */
const poolsByRegistry = new WeakMap<Registry, Map<string, pg.Pool>>();

function poolGauge(
  registry: Registry,
  pools: Map<string, pg.Pool>,
  name: string,
  help: string,
  read: (pool: pg.Pool) => number,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['pool'],
    registers: [registry],
    collect() {
      // Rebuilt at every scrape, so a pool that was unregistered disappears from the output.
      this.reset();
      for (const [poolName, pool] of pools) this.set({ pool: poolName }, read(pool));
    },
  });
}

function reportedPools(registry: Registry): Map<string, pg.Pool> {
  const existing = poolsByRegistry.get(registry);
  if (existing) return existing;
  const pools = new Map<string, pg.Pool>();
  poolGauge(
    registry,
    pools,
    'db_pool_total_connections',
    'Open connections (idle and in use)',
    (pool) => pool.totalCount,
  );
  poolGauge(
    registry,
    pools,
    'db_pool_idle_connections',
    'Open connections not in use',
    (pool) => pool.idleCount,
  );
  poolGauge(
    registry,
    pools,
    'db_pool_waiting_requests',
    'Requests waiting for a connection because the pool is at its maximum',
    (pool) => pool.waitingCount,
  );
  poolGauge(
    registry,
    pools,
    'db_pool_max_connections',
    'Configured maximum number of connections',
    (pool) => pool.options.max,
  );
  poolsByRegistry.set(registry, pools);
  return pools;
}

/**
 * Reports the pool's connection counts at scrape time, labelled `pool=<name>`. Safe to call again
 * on the same registry: the gauges are created once per registry, and a second call with the same
 * name replaces the pool reported under it. Returns a function that stops reporting this pool.
 */
export function registerPoolMetrics(
  pool: pg.Pool,
  { name, registry = register }: PoolMetricsOptions,
): () => void {
  const pools = reportedPools(registry);
  pools.set(name, pool);
  return () => {
    if (pools.get(name) === pool) pools.delete(name);
  };
}
