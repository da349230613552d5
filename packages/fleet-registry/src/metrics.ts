import { registeredOnce } from '@fleetwatch/messaging';
import { Counter, Gauge, type Registry } from 'prom-client';

/** What a registry entry or message is about; the label value of the view's metrics. */
export type EntryKind = 'vessel' | 'device_key';

export interface ViewMetrics {
  entries: Gauge<'kind'>;
  invalidMessages: Counter<'kind'>;
  lastEventTimestamp: Gauge;
}

export const ENTRIES_METRIC = 'fleet_registry_view_entries';
export const INVALID_MESSAGES_METRIC = 'fleet_registry_view_invalid_messages_total';
export const LAST_EVENT_TIMESTAMP_METRIC = 'fleet_registry_view_last_event_timestamp_seconds';

/**
 * The view's metrics on `registry`, created on first use. prom-client refuses to register a name
 * twice, and a process (or a test file) can create more than one view, so later views get the same
 * objects; they then share the series, which is what one view per process reports anyway.
 */
export function viewMetrics(registry: Registry): ViewMetrics {
  return {
    entries: registeredOnce(
      registry,
      ENTRIES_METRIC,
      Gauge,
      () =>
        new Gauge({
          name: ENTRIES_METRIC,
          help: 'Vessels and device keys held by the fleet registry view',
          labelNames: ['kind'],
          registers: [registry],
        }),
    ),
    invalidMessages: registeredOnce(
      registry,
      INVALID_MESSAGES_METRIC,
      Counter,
      () =>
        new Counter({
          name: INVALID_MESSAGES_METRIC,
          help: 'Registry messages the view skipped because they are not a valid state event',
          labelNames: ['kind'],
          registers: [registry],
        }),
    ),
    lastEventTimestamp: registeredOnce(
      registry,
      LAST_EVENT_TIMESTAMP_METRIC,
      Gauge,
      () =>
        new Gauge({
          name: LAST_EVENT_TIMESTAMP_METRIC,
          help: 'occurredAt of the newest registry event the view applied, in Unix seconds',
          registers: [registry],
        }),
    ),
  };
}
