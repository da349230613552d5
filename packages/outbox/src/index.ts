export { OUTBOX_TABLE_SQL } from './ddl.js';
export { enqueueOutbox } from './enqueue.js';
export type { OutboxMessage } from './enqueue.js';
export { createOutboxRelay } from './relay.js';
export type { OutboxRelay, OutboxRelayOptions } from './relay.js';
export {
  OLDEST_PENDING_AGE_METRIC,
  PENDING_COUNT_LIMIT,
  PENDING_METRIC,
  PUBLISHED_METRIC,
  PUBLISH_FAILURES_METRIC,
  RELAY_ACTIVE_METRIC,
} from './metrics.js';
