import pg from 'pg';

export interface CreatePoolOptions {
  connectionString: string;
  /** Shown in pg_stat_activity, so a connection can be traced back to its service. */
  applicationName: string;
  /**
   * Receives errors of idle pooled connections (the server restarted, a network drop). Without a
   * listener, node-postgres would emit them as an unhandled 'error' event and crash the process; the
   * pool discards the broken connection and opens a new one on demand.
   */
  onError: (error: Error) => void;
  /** Default 10. */
  max?: number;
  /** Server-side limit for each statement; default 30 000 ms, 0 disables it. */
  statementTimeoutMs?: number;
  /** How long an unused connection stays open; default 30 000 ms. */
  idleTimeoutMs?: number;
  /** How long to wait for a new connection; default 5 000 ms (node-postgres would wait forever). */
  connectionTimeoutMs?: number;
}

export function createPool({
  connectionString,
  applicationName,
  onError,
  max = 10,
  statementTimeoutMs = 30_000,
  idleTimeoutMs = 30_000,
  connectionTimeoutMs = 5_000,
}: CreatePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    application_name: applicationName,
    max,
    statement_timeout: statementTimeoutMs,
    idleTimeoutMillis: idleTimeoutMs,
    connectionTimeoutMillis: connectionTimeoutMs,
    // Notices a dead network path (not only a closed connection), so a lost server does not leave
    // queries or session locks (the outbox relay's) hanging until the OS gives up.
    keepAlive: true,
  });
  pool.on('error', (error) => onError(error));
  return pool;
}

export interface CheckDatabaseOptions {
  /** Default 1 500 ms: readiness probes usually give up after 2 s. */
  timeoutMs?: number;
}

/**
 * Readiness check: resolves when the database answers `SELECT 1` within the timeout. The timer also
 * covers waiting for a pooled connection, which is where a stopped or unreachable server hangs.
 */
export async function checkDatabase(
  pool: pg.Pool,
  { timeoutMs = 1_500 }: CheckDatabaseOptions = {},
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`database did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([pool.query('SELECT 1'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
