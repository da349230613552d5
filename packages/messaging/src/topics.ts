import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  /** Default: the broker's default.replication.factor. */
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

export interface EnsureTopicsOptions {
  /** How long to wait for the new partitions to get a leader. Default 30 s. */
  timeoutMs?: number;
}

/**
 * Creates the topics that do not exist yet and waits until every partition of every listed topic
 * has a leader. Existing topics are left as they are, even when their partition count differs:
 * adding partitions would move keys to other partitions and break per-key ordering.
 *
 * @returns the names of the topics it created
 */
export async function ensureTopics(
  kafka: Kafka,
  specs: TopicSpec[],
  { timeoutMs = 30_000 }: EnsureTopicsOptions = {},
): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) {
      // kafkajs skips its own wait for leaders when any topic already exists (another process
      // created it in between), so waitForLeaders below does the waiting in every case.
      await admin.createTopics({ topics: missing, waitForLeaders: false, timeout: timeoutMs });
    }
    await waitForLeaders(
      admin,
      specs.map(({ topic }) => topic),
      Date.now() + timeoutMs,
    );
    return missing.map(({ topic }) => topic);
  } finally {
    await admin.disconnect();
  }
}

async function waitForLeaders(admin: Admin, topics: string[], deadline: number): Promise<void> {
  let lastProblem = '';
  while (Date.now() < deadline) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.filter(
        ({ partitions }) => partitions.length === 0 || partitions.some(({ leader }) => leader < 0),
      );
      if (leaderless.length === 0) return;
      lastProblem = `no leader yet for ${leaderless.map(({ name }) => name).join(', ')}`;
    } catch (error) {
      // Freshly created topics can be missing from the metadata for a moment.
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await sleep(100);
  }
  throw new Error(`topics ${topics.join(', ')} not ready: ${lastProblem}`);
}
