import { withPlatformAccess } from '@fleetwatch/db';
import { enqueueOutbox } from '@fleetwatch/outbox';
import type pg from 'pg';
import { NOT_SUPERSEDED } from './db/certificates.js';
import { certificateExpiryMessage, OUTBOX_SCHEMA, type CertificateExpiryData } from './events.js';

/**
 * One pass of the expiry scan, across tenants: records a notice for every certificate (not replaced
 * by a renewal, holder not inactive) that has entered the warning period or expired, and has no
 * notice of that kind for its expiry date yet, and puts the matching events into the outbox in the
 * same transaction. The notice's primary key makes concurrent scans (several replicas) announce each
 * certificate once. Returns the events.
 */
export async function scanCertificateExpiry(
  pool: pg.Pool,
  { today, warningDays }: { today: string; warningDays: number },
): Promise<CertificateExpiryData[]> {
  return withPlatformAccess(pool, async (client) => {
    const { rows } = await client.query<CertificateExpiryData>(
      `WITH due AS (
         SELECT c.id, c.tenant_id, c.expires_on, CASE WHEN c.expires_on < $1::date THEN 'expired' ELSE 'expiring' END AS kind
           FROM crew.certificates c JOIN crew.seafarers s ON s.id = c.seafarer_id
          WHERE c.expires_on IS NOT NULL AND c.expires_on <= $1::date + $2::integer
            AND s.status <> 'inactive' AND ${NOT_SUPERSEDED}
       ),
       noticed AS (
         INSERT INTO crew.certificate_expiry_notices (certificate_id, tenant_id, kind, expires_on)
         SELECT id, tenant_id, kind, expires_on FROM due
         ON CONFLICT DO NOTHING
         RETURNING certificate_id, kind
       )
       SELECT c.id AS "certificateId", c.tenant_id AS "tenantId", c.seafarer_id AS "seafarerId",
              s.given_name || ' ' || s.family_name AS "seafarerName", c.type AS "certificateType",
              c.number AS "certificateNumber", c.expires_on::text AS "expiresOn", n.kind
         FROM noticed n JOIN crew.certificates c ON c.id = n.certificate_id JOIN crew.seafarers s ON s.id = c.seafarer_id
        ORDER BY c.expires_on, c.id`,
      [today, warningDays],
    );
    // The transaction's last statement (packages/outbox README, "Ordering").
    await enqueueOutbox(client, OUTBOX_SCHEMA, rows.map(certificateExpiryMessage));
    return rows;
  });
}

export interface ExpiryScanner {
  start(): void;
  stop(): Promise<void>;
}

/** Runs the scan now and then every `intervalMs`; a failed pass is logged and retried next interval. */
export function createExpiryScanner(options: {
  pool: pg.Pool;
  intervalMs: number;
  warningDays: number;
  logger: { info(o: object, m: string): void; error(o: object, m: string): void };
  now?: () => Date;
}): ExpiryScanner {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    const today = (options.now?.() ?? new Date()).toISOString().slice(0, 10);
    try {
      const events = await scanCertificateExpiry(options.pool, { today, warningDays: options.warningDays });
      if (events.length > 0)
        options.logger.info({ events: events.length, today }, 'certificate expiry notices queued');
    } catch (error) {
      options.logger.error({ err: error }, 'certificate expiry scan failed');
    }
  };
  return {
    start() {
      running = pass();
      timer = setInterval(() => {
        running = running.then(pass);
      }, options.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
