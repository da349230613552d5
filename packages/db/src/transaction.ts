import type pg from 'pg';

/**
 * Runs fn inside BEGIN … COMMIT on one pooled connection; rolls back and rethrows when fn (or COMMIT)
 * fails. The connection always goes back to the pool, or is discarded when it broke on the way.
 *
 * On the app role's pool this sees no rows of tenant tables (row-level security fails closed); use it
 * for tables without tenants, or on a pool of a role that bypasses row-level security.
 */
export async function withTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  // While checked out, the pool no longer listens for the client's errors; a connection dropped
  // between two queries would otherwise surface as an unhandled 'error' event and crash the process.
  let brokenBy: Error | undefined;
  const onClientError = (error: Error): void => {
    brokenBy = error;
  };
  client.on('error', onClientError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      brokenBy ??= rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.off('error', onClientError);
    // Releasing with an error makes the pool close the connection instead of reusing it.
    client.release(brokenBy);
  }
}
