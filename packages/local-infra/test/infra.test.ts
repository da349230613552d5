import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { Kafka, logLevel } from 'kafkajs';

describe('test infrastructure', () => {
  it('serves PostgreSQL with an application role that row-level security applies to', async () => {
    const client = new pg.Client({ connectionString: inject('databaseUrl') });
    await client.connect();
    try {
      const { rows } = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
        'SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
      );
      expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
    } finally {
      await client.end();
    }
  });

  it('serves a Kafka broker', async () => {
    const admin = new Kafka({ brokers: inject('kafkaBrokers'), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const cluster = await admin.describeCluster();
      expect(cluster.brokers).toHaveLength(1);
    } finally {
      await admin.disconnect();
    }
  });
});
