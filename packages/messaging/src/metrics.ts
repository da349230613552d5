import { Counter, Gauge, type Registry } from 'prom-client';

export type LagLabel = 'group' | 'topic' | 'partition';
export type MessagesLabel = 'group' | 'topic' | 'result';
/** ok: handled at the first attempt; retried: handled after failed attempts; dead_lettered: given up on. */
export type MessageResult = 'ok' | 'retried' | 'dead_lettered';

export interface ConsumerMetrics {
  lag: Gauge<LagLabel>;
  messages: Counter<MessagesLabel>;
}

export const LAG_METRIC = 'kafka_consumer_lag';
export const MESSAGES_METRIC = 'kafka_consumer_messages_total';

/**
 * The consumer metrics on `registry`, created on first use. Every consumer in a process asks for
 * them, and prom-client refuses to register a name twice, so later callers get the same objects.
 */
export function consumerMetrics(registry: Registry): ConsumerMetrics {
  return {
    lag: registeredOnce(
      registry,
      LAG_METRIC,
      Gauge,
      () =>
        new Gauge({
          name: LAG_METRIC,
          help: 'Messages in the partition after the last one this consumer group processed',
          labelNames: ['group', 'topic', 'partition'],
          registers: [registry],
        }),
    ),
    messages: registeredOnce(
      registry,
      MESSAGES_METRIC,
      Counter,
      () =>
        new Counter({
          name: MESSAGES_METRIC,
          help: 'Messages processed, by result: ok, retried (handled after failed attempts) or dead_lettered',
          labelNames: ['group', 'topic', 'result'],
          registers: [registry],
        }),
    ),
  };
}

/**
 * The metric registered under `name`, or a new one from `create`: several consumers, relays or views
 * in one process share a registry (told apart by labels), and prom-client refuses a name twice.
 */
export function registeredOnce<M>(
  registry: Registry,
  name: string,
  kind: abstract new (...args: never[]) => M,
  create: () => M,
): M {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return create();
  if (!(existing instanceof kind)) {
    throw new Error(`metric ${name} is already registered in this registry as another kind of metric`);
  }
  return existing;
}
