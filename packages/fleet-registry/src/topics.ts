import { ensureTopics } from '@fleetwatch/messaging';
import type { ConfigResourceTypes, Kafka } from 'kafkajs';
import { DEVICE_KEYS_TOPIC, VESSELS_TOPIC } from './contracts.js';

/** The names of the two registry topics; overridable so tests on a shared broker get their own. */
export interface RegistryTopics {
  vessels: string;
  deviceKeys: string;
}

export const DEFAULT_REGISTRY_TOPICS: RegistryTopics = {
  vessels: VESSELS_TOPIC,
  deviceKeys: DEVICE_KEYS_TOPIC,
};

const HOUR_MS = 60 * 60 * 1000;
// kafkajs' ConfigResourceTypes enum is missing from the named exports Node sees when importing it
// from ESM, so the value is spelled out (and checked against the enum's type).
const TOPIC_RESOURCE: ConfigResourceTypes.TOPIC = 2;

/**
 * Topic settings for a registry topic.
 *
 * - `cleanup.policy=compact` (and not `compact,delete`): the latest state of every vessel and key is
 *   kept forever, so a read model can always rebuild itself from the beginning of the topic.
 * - `segment.ms` one hour: the active segment is never compacted, and the default (7 days) would make
 *   every reader replay up to a week of superseded states at start. The registry is small, and the
 *   cleaner merges small segments, so hourly segments cost nothing.
 * - `min.compaction.lag.ms` one hour: a reader that commits offsets and falls behind for a deploy or
 *   an outage still sees each intermediate state, not only the last one. Compaction always keeps the
 *   newest message per key, so revocations are never lost to it either way.
 */
export const REGISTRY_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'cleanup.policy': 'compact',
  'segment.ms': String(HOUR_MS),
  'min.compaction.lag.ms': String(HOUR_MS),
};

export interface EnsureRegistryTopicsOptions {
  /** Default 6. Fixed once a topic exists: adding partitions would move keys between partitions. */
  numPartitions?: number;
  /** Default: the broker's default.replication.factor. */
  replicationFactor?: number;
  /** Default: DEFAULT_REGISTRY_TOPICS. */
  topics?: RegistryTopics;
}

/**
 * Creates the registry topics that do not exist yet, compacted, and checks that existing ones are
 * compacted as well: on a topic with time-based deletion, vessels and keys would silently vanish
 * from every read model after the retention period.
 *
 * @returns the names of the topics it created
 */
export async function ensureRegistryTopics(
  kafka: Kafka,
  {
    numPartitions = 6,
    replicationFactor,
    topics = DEFAULT_REGISTRY_TOPICS,
  }: EnsureRegistryTopicsOptions = {},
): Promise<string[]> {
  const configEntries = Object.entries(REGISTRY_TOPIC_CONFIG).map(([name, value]) => ({ name, value }));
  const names = [topics.vessels, topics.deviceKeys];
  const created = await ensureTopics(
    kafka,
    names.map((topic) => ({
      topic,
      numPartitions,
      configEntries,
      ...(replicationFactor === undefined ? {} : { replicationFactor }),
    })),
  );
  await assertCompacted(kafka, names);
  return created;
}

async function assertCompacted(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: topics.map((name) => ({
        type: TOPIC_RESOURCE,
        name,
        configNames: ['cleanup.policy'],
      })),
    });
    const notCompacted = resources.flatMap(({ resourceName, configEntries }) => {
      const policy = configEntries.find(({ configName }) => configName === 'cleanup.policy')?.configValue;
      return policy === 'compact' ? [] : [`${resourceName} (cleanup.policy=${policy ?? 'unknown'})`];
    });
    if (notCompacted.length > 0) {
      throw new Error(
        `registry topics must have cleanup.policy=compact, and these exist without it: ${notCompacted.join(', ')}`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}
