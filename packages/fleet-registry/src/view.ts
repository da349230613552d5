import { setTimeout as sleep } from 'node:timers/promises';
import {
  EnvelopeError,
  decodeEnvelope,
  silentLogger,
  type Envelope,
  type Logger,
} from '@fleetwatch/messaging';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { register as defaultRegistry, type Registry } from 'prom-client';
import {
  DEVICE_KEY_STATE_EVENT,
  DeviceKeyState,
  REGISTRY_EVENT_VERSION,
  VESSEL_STATE_EVENT,
  VesselState,
} from './contracts.js';
import { viewMetrics, type EntryKind } from './metrics.js';
import { createRegistryState, type VerifiedDeviceKey } from './registry-state.js';
import { DEFAULT_REGISTRY_TOPICS, type RegistryTopics } from './topics.js';

export interface FleetRegistryViewOptions {
  kafka: Kafka;
  /**
   * Names this view's consumer group, `fleet-registry-view-<instanceId>`: unique among running
   * processes, since every view must read every partition. Best unique per process start too
   * (`${hostname()}-${randomUUID()}`): reusing the id of a process that just died makes the join
   * wait until the broker expires the dead member (the session timeout, 10 s).
   */
  instanceId: string;
  logger?: Logger;
  /** Default: prom-client's default registry. */
  registry?: Registry;
  /** Default: DEFAULT_REGISTRY_TOPICS. */
  topics?: RegistryTopics;
  /**
   * How long a fetch waits on the broker for new messages: the worst-case delay it adds to a
   * revocation, and what stop() may wait for. Default 250.
   */
  maxWaitTimeMs?: number;
  /** start() rejects (and disconnects) when the view has not caught up within this. Default 60 000. */
  catchUpTimeoutMs?: number;
  /**
   * isCaughtUp() turns false when no fetch has completed for this long: the view may then be missing
   * revocations, so the service should stop taking device-key traffic. Default 5000.
   */
  maxFetchSilenceMs?: number;
}

export interface FleetRegistryView {
  /**
   * Connects and reads both topics from the beginning; resolves once the view has read every
   * partition up to the high watermark it had when start() was called. A view starts once.
   */
  start(): Promise<void>;
  /** Leaves the group and disconnects; waits for the fetch in flight (up to maxWaitTimeMs). */
  stop(): Promise<void>;
  /**
   * For readiness: caught up since start(), the consumer running with every partition assigned, and
   * a fetch completed within maxFetchSilenceMs.
   */
  isCaughtUp(): boolean;
  /** The vessel's latest state, archived or not, or null when the view does not know it. */
  vessel(id: string): VesselState | null;
  /** Whether the vessel is known and owned by the tenant; archived vessels still belong to theirs. */
  vesselBelongsTo(vesselId: string, tenantId: string): boolean;
  /**
   * The key's vessel and tenant when `presented` (`fwdk_<id>.<secret>`, without the scheme) is a
   * known, unrevoked key whose secret matches and whose vessel is known, not archived and owned by the
   * key's tenant; otherwise null. Always null before the first catch-up and after stop(), when the
   * view cannot know about revocations.
   */
  verifyDeviceKey(presented: string): VerifiedDeviceKey | null;
}

const SESSION_TIMEOUT_MS = 10_000;
const HEARTBEAT_INTERVAL_MS = 3_000;

type Phase = 'new' | 'starting' | 'running' | 'stopped';

/** "topic/partition", the key of the per-partition maps below. */
const partitionKey = (topic: string, partition: number): string => `${topic}/${partition}`;

/**
 * A read model of the fleet registry, rebuilt from the compacted topics at every start and kept in
 * memory. It commits no offsets, so its group never holds offsets: see the README on leftover groups.
 */
export function createFleetRegistryView(options: FleetRegistryViewOptions): FleetRegistryView {
  const {
    kafka,
    instanceId,
    logger = silentLogger,
    registry = defaultRegistry,
    topics = DEFAULT_REGISTRY_TOPICS,
    maxWaitTimeMs = 250,
    catchUpTimeoutMs = 60_000,
    maxFetchSilenceMs = 5_000,
  } = options;
  if (instanceId.trim() === '') throw new Error('instanceId must not be empty');
  if (topics.vessels === topics.deviceKeys) throw new Error('the two registry topics must differ');

  const groupId = `fleet-registry-view-${instanceId}`;
  const state = createRegistryState();
  const metrics = viewMetrics(registry);
  // kafkajs has no group-less consumer (no assign()), so each view has a group of its own.
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    maxWaitTimeInMs: maxWaitTimeMs,
    sessionTimeout: SESSION_TIMEOUT_MS,
    heartbeatInterval: HEARTBEAT_INTERVAL_MS,
  });

  let phase: Phase = 'new';
  let caughtUp = false;
  let crashed = false;
  /** Why not every partition is assigned to this view, while that is so. */
  let assignmentProblem: string | undefined;
  let lastFetchAt = 0;
  let newestEventMs = 0;
  /** Every partition of both topics, as known at start. */
  const allPartitions: string[] = [];
  /** The offset each partition must be read up to before the view has caught up. */
  const targets = new Map<string, bigint>();
  /** The next offset to read, per partition. */
  const positions = new Map<string, bigint>();
  let catchUpWaiter: { resolve: () => void; reject: (error: Error) => void } | undefined;

  consumer.on(consumer.events.FETCH, () => {
    lastFetchAt = Date.now();
  });
  // Emitted also for batches kafkajs handles itself (only control records), which eachMessage never
  // sees: the last offset of a partition can be a transaction marker.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload: { topic, partition, lastOffset } }) => {
    const key = partitionKey(topic, partition);
    const next = BigInt(lastOffset) + 1n;
    if (next > (positions.get(key) ?? 0n)) positions.set(key, next);
    checkCaughtUp();
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload: { memberAssignment } }) => {
    const assigned = new Set(
      Object.entries(memberAssignment).flatMap(([topic, partitions]) =>
        partitions.map((partition) => partitionKey(topic, partition)),
      ),
    );
    const missing = allPartitions.filter((key) => !assigned.has(key));
    assignmentProblem =
      missing.length === 0
        ? undefined
        : `group ${groupId} gave this view only part of the registry (missing ${missing.join(', ')}): ` +
          'another running process uses the same instanceId';
    if (assignmentProblem !== undefined) {
      logger.error({ groupId, missing }, assignmentProblem);
      catchUpWaiter?.reject(new Error(assignmentProblem));
    }
  });
  consumer.on(consumer.events.CRASH, ({ payload: { error, restart } }) => {
    // After a restart kafkajs rejoins and, with no offsets committed, reads from the beginning again;
    // applying a state twice changes nothing.
    logger.error(
      { err: error, groupId, restart },
      restart ? 'fleet registry view crashed; restarting' : 'fleet registry view crashed and stopped',
    );
    if (!restart) {
      crashed = true;
      catchUpWaiter?.reject(new Error(`fleet registry view crashed: ${error.message}`, { cause: error }));
    }
  });

  /** Reads the high watermarks to catch up with; partitions with nothing to read are done already. */
  async function readTargets(): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const topic of [topics.vessels, topics.deviceKeys]) {
        for (const { partition, high, low } of await fetchTopicOffsets(admin, topic)) {
          const key = partitionKey(topic, partition);
          allPartitions.push(key);
          if (BigInt(high) > BigInt(low)) targets.set(key, BigInt(high));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  function behind(): string[] {
    return [...targets]
      .filter(([key, high]) => (positions.get(key) ?? 0n) < high)
      .map(([key, high]) => `${key} at ${positions.get(key) ?? 0n} of ${high}`);
  }

  function checkCaughtUp(): void {
    if (caughtUp || phase !== 'running' || behind().length > 0) return;
    caughtUp = true;
    logger.info({ groupId, ...state.size() }, 'fleet registry view caught up');
    catchUpWaiter?.resolve();
  }

  function waitForCatchUp(): Promise<void> {
    if (caughtUp) return Promise.resolve();
    if (crashed) return Promise.reject(new Error('fleet registry view crashed before it caught up'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`fleet registry view not caught up after ${catchUpTimeoutMs} ms: ${behind().join('; ')}`),
        );
      }, catchUpTimeoutMs);
      catchUpWaiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
    });
  }

  // A function, not a comparison in start(): TypeScript would keep phase narrowed across the awaits.
  function stoppedMeanwhile(): boolean {
    return phase === 'stopped';
  }

  /** Applies one message; anything that is not a valid state is counted, logged and skipped. */
  function handle(topic: string, partition: number, message: KafkaMessage): void {
    const kind: EntryKind = topic === topics.vessels ? 'vessel' : 'device_key';
    try {
      if (message.value === null) {
        removeEntry(kind, message.key);
      } else if (kind === 'vessel') {
        const envelope = decodeState(message.value, VesselState, VESSEL_STATE_EVENT);
        state.applyVessel(envelope.data);
        noteEvent(envelope);
      } else {
        const envelope = decodeState(message.value, DeviceKeyState, DEVICE_KEY_STATE_EVENT);
        state.applyDeviceKey(envelope.data);
        noteEvent(envelope);
      }
    } catch (error) {
      if (!(error instanceof EnvelopeError)) throw error;
      // One bad message must not stop the view: every state after it still has to be applied.
      metrics.invalidMessages.inc({ kind });
      logger.warn(
        { groupId, topic, partition, offset: message.offset, problems: error.problems },
        'invalid fleet registry message skipped',
      );
      return;
    }
    updateEntryMetrics();
  }

  function updateEntryMetrics(): void {
    const { vessels, deviceKeys } = state.size();
    metrics.entries.set({ kind: 'vessel' }, vessels);
    metrics.entries.set({ kind: 'device_key' }, deviceKeys);
  }

  /** A tombstone erases the entity the message key names. */
  function removeEntry(kind: EntryKind, key: Buffer | null): void {
    const id = key?.toString('utf8');
    if (!id) throw new EnvelopeError(['(root): a tombstone without a key']);
    if (kind === 'vessel') state.removeVessel(id);
    else state.removeDeviceKey(id);
  }

  function noteEvent({ occurredAt }: Envelope): void {
    const occurredMs = Date.parse(occurredAt);
    if (occurredMs <= newestEventMs) return;
    newestEventMs = occurredMs;
    metrics.lastEventTimestamp.set(occurredMs / 1000);
  }

  return {
    async start() {
      if (phase !== 'new') {
        throw new Error('a fleet registry view starts once; create a new one to start again');
      }
      phase = 'starting';
      updateEntryMetrics();
      try {
        await readTargets();
        await consumer.connect();
        // No committed offsets, ever: a group without them starts from the beginning every time.
        await consumer.subscribe({ topics: [topics.vessels, topics.deviceKeys], fromBeginning: true });
        await consumer.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => handle(topic, partition, message),
        });
        if (stoppedMeanwhile()) throw new Error('fleet registry view stopped before it caught up');
        if (assignmentProblem !== undefined) throw new Error(assignmentProblem);
        // run() resolves once the group is joined: the broker has answered, even if no fetch has yet.
        lastFetchAt = Date.now();
        phase = 'running';
        checkCaughtUp();
        await waitForCatchUp();
      } catch (error) {
        phase = 'stopped';
        await consumer.disconnect().catch((disconnectError: unknown) => {
          logger.warn({ err: disconnectError, groupId }, 'fleet registry view failed to disconnect');
        });
        throw error;
      } finally {
        catchUpWaiter = undefined;
      }
      logger.info({ groupId, topics }, 'fleet registry view started');
    },

    async stop() {
      if (phase === 'stopped') return;
      const wasStarting = phase === 'starting';
      phase = 'stopped';
      caughtUp = false;
      if (wasStarting) catchUpWaiter?.reject(new Error('fleet registry view stopped before it caught up'));
      await consumer.disconnect();
      logger.info({ groupId }, 'fleet registry view stopped');
    },

    isCaughtUp() {
      return (
        phase === 'running' &&
        caughtUp &&
        !crashed &&
        assignmentProblem === undefined &&
        Date.now() - lastFetchAt <= maxFetchSilenceMs
      );
    },

    vessel: (id) => state.vessel(id),
    vesselBelongsTo: (vesselId, tenantId) => state.vesselBelongsTo(vesselId, tenantId),

    verifyDeviceKey(presented) {
      // Before the first catch-up the view can hold a key's state without the revocation after it.
      if (!caughtUp) return null;
      return state.verifyDeviceKey(presented);
    },
  };
}

const OFFSETS_RETRY_MS = 100;
const OFFSETS_RETRY_FOR_MS = 10_000;

/**
 * admin.fetchTopicOffsets, retried on retriable errors: right after a topic is created, its metadata
 * can name a leader that does not act as one yet (NOT_LEADER_OR_FOLLOWER), and kafkajs' admin gives
 * up on that at once.
 */
async function fetchTopicOffsets(
  admin: Admin,
  topic: string,
): Promise<Awaited<ReturnType<Admin['fetchTopicOffsets']>>> {
  const deadline = Date.now() + OFFSETS_RETRY_FOR_MS;
  for (;;) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!isRetriable(error) || Date.now() > deadline) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`cannot read the offsets of registry topic ${topic}: ${reason}`, { cause: error });
      }
      await sleep(OFFSETS_RETRY_MS);
    }
  }
}

/** kafkajs marks its errors `retriable`; its error classes are not among the names ESM can import. */
function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'retriable' in error && error.retriable === true;
}

/** The envelope, if it is a state event of the expected type and version with valid data. */
function decodeState<S extends TSchema>(value: Buffer, schema: S, type: string): Envelope<Static<S>> {
  const envelope = decodeEnvelope(value, schema);
  if (envelope.type !== type || envelope.version !== REGISTRY_EVENT_VERSION) {
    throw new EnvelopeError([
      `expected ${type} v${REGISTRY_EVENT_VERSION}, got ${envelope.type} v${envelope.version}`,
    ]);
  }
  return envelope;
}
