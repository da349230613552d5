import type { Kafka } from 'kafkajs';

export interface KafkaHealthCheckOptions {
  /** How long check() waits for the broker before it rejects. Default 2000 ms. */
  timeoutMs?: number;
}

export interface KafkaHealthCheck {
  /** Resolves when a broker answered a metadata request; rejects within `timeoutMs` otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A readiness probe that keeps one admin connection for all its checks. kafkajs retries a failed
 * connection for several seconds before it gives up, so the answer is bounded by a timeout
 * instead; an attempt still running when the timeout fires is shared with the checks that follow
 * rather than started again.
 */
export function kafkaHealthCheck(
  kafka: Kafka,
  { timeoutMs = 2_000 }: KafkaHealthCheckOptions = {},
): KafkaHealthCheck {
  const admin = kafka.admin({ retry: { retries: 0 } });
  let connected = false;
  let probeInFlight: Promise<void> | undefined;

  async function probe(): Promise<void> {
    try {
      if (!connected) {
        await admin.connect();
        connected = true;
      }
      await admin.describeCluster();
    } catch (error) {
      // Start from a fresh connection next time rather than trust one that just failed.
      connected = false;
      await admin.disconnect().catch(() => {});
      throw error;
    }
  }

  return {
    async check() {
      probeInFlight ??= probe().finally(() => {
        probeInFlight = undefined;
      });
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Kafka did not answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([probeInFlight, timeout]);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Kafka health check failed: ${reason}`, { cause: error });
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      connected = false;
      await admin.disconnect();
    },
  };
}
