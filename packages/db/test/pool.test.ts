import net from 'node:net';
import type pg from 'pg';
import { register, Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDatabase, createPool, registerPoolMetrics } from '../src/index.js';
import { appPool, freePort } from './helpers.js';

const pools: pg.Pool[] = [];

function trackedPool(options: Parameters<typeof appPool>[0] = {}): pg.Pool {
  const pool = appPool(options);
  pools.push(pool);
  return pool;
}

afterAll(async () => {
  await Promise.all(pools.map((pool) => pool.end()));
});

/** The value of one series in the registry's text exposition, e.g. `db_pool_idle_connections{pool="x"}`. */
async function sample(registry: Registry, metric: string, pool: string): Promise<number | undefined> {
  const text = await registry.metrics();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${metric}{pool="${pool}"} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

async function samples(registry: Registry, pool: string): Promise<Record<string, number | undefined>> {
  return {
    total: await sample(registry, 'db_pool_total_connections', pool),
    idle: await sample(registry, 'db_pool_idle_connections', pool),
    waiting: await sample(registry, 'db_pool_waiting_requests', pool),
    max: await sample(registry, 'db_pool_max_connections', pool),
  };
}

describe('registerPoolMetrics', () => {
  it('reports connection counts at scrape time', async () => {
    const registry = new Registry();
    const pool = trackedPool({ max: 2 });
    registerPoolMetrics(pool, { name: 'main', registry });

    expect(await samples(registry, 'main')).toEqual({ total: 0, idle: 0, waiting: 0, max: 2 });

    const first = await pool.connect();
    const second = await pool.connect();
    const third = pool.connect();
    expect(await samples(registry, 'main')).toEqual({ total: 2, idle: 0, waiting: 1, max: 2 });

    first.release();
    (await third).release();
    second.release();
    expect(await samples(registry, 'main')).toEqual({ total: 2, idle: 2, waiting: 0, max: 2 });
  });

  it('is safe to call twice on one registry and labels each pool', async () => {
    const registry = new Registry();
    const main = trackedPool({ max: 4 });
    const replica = trackedPool({ max: 6 });

    registerPoolMetrics(main, { name: 'main', registry });
    registerPoolMetrics(main, { name: 'main', registry });
    const stopReplica = registerPoolMetrics(replica, { name: 'replica', registry });

    const text = await registry.metrics();
    expect(text.match(/^db_pool_max_connections\{pool="main"\} 4$/gm)).toHaveLength(1);
    expect(text).toMatch(/^db_pool_max_connections\{pool="replica"\} 6$/m);

    stopReplica();
    expect(await registry.metrics()).not.toContain('pool="replica"');
  });

  it("uses prom-client's default registry unless told otherwise", async () => {
    const pool = trackedPool({ max: 3 });
    const stop = registerPoolMetrics(pool, { name: 'default_registry_test' });
    try {
      expect(await sample(register, 'db_pool_max_connections', 'default_registry_test')).toBe(3);
    } finally {
      stop();
    }
  });
});

describe('checkDatabase', () => {
  it('resolves when the database answers', async () => {
    await expect(checkDatabase(trackedPool())).resolves.toBeUndefined();
  });

  it('rejects when nothing listens on the port', async () => {
    const port = await freePort();
    const pool = createPool({
      connectionString: `postgres://fleetwatch_app:fleetwatch_app@127.0.0.1:${port}/fleetwatch`,
      applicationName: 'db-tests',
      onError: () => {},
    });
    pools.push(pool);

    await expect(checkDatabase(pool)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('rejects at its timeout when the server accepts connections but never answers', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const pool = createPool({
      connectionString: `postgres://fleetwatch_app:fleetwatch_app@127.0.0.1:${port}/fleetwatch`,
      applicationName: 'db-tests',
      connectionTimeoutMs: 60_000,
      onError: () => {},
    });
    try {
      await expect(checkDatabase(pool, { timeoutMs: 500 })).rejects.toThrow(
        'database did not answer within 500 ms',
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      await pool.end();
    }
  });
});
