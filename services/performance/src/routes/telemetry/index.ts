// The route-level `rateLimit` config is declared by the plugin (service-kit registers it).
import type {} from '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FleetRegistryView } from '@fleetwatch/fleet-registry';
import { createEnvelope, type MessageProducer } from '@fleetwatch/messaging';
import { ProblemError } from '@fleetwatch/service-kit';
import { Type } from '@sinclair/typebox';
import { randomUUID } from 'node:crypto';
import type { FastifyRequest, onRequestAsyncHookHandler, onResponseAsyncHookHandler } from 'fastify';
import type { Registry } from 'prom-client';
import {
  normalizeJson,
  normalizeNdjson,
  normalizeNmea,
  validatePoints,
  type Normalized,
  type VesselIdentity,
} from '../../ingest/normalize.js';
import { batchOutcome, countPoints, ingestMetrics } from '../../ingest/metrics.js';
import { deviceFromAuthorization, visibleVessel } from '../../access.js';
import { splitSeries, type TelemetryBatch } from '../../telemetry-batch.js';
import {
  TELEMETRY_EVENT,
  TELEMETRY_EVENT_VERSION,
  TELEMETRY_MESSAGE_MAX_BYTES,
  TELEMETRY_TOPIC,
} from '../../topics.js';

export interface TelemetryRouteOptions {
  registry: FleetRegistryView;
  producer: MessageProducer;
  retentionMs: number;
  maxPoints: number;
  publishTimeoutMs: number;
  /** Where the ingestion counters are registered (telemetry_points_received_total, telemetry_batches_total). */
  metricsRegistry: Registry;
  /** The clock, injectable for tests of the timestamp bounds. */
  now?: () => Date;
}

/** Who may post telemetry with a bearer token (backfills); vessels use their device key. */
const BACKFILL_ROLES = ['platform-admin', 'owner-admin', 'fleet-manager'];

interface TelemetrySource {
  vesselId: string;
  tenantId: string;
  /** Set for device keys: the request may only be for this vessel. */
  viaDeviceKey: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    telemetrySource: TelemetrySource | null;
    /** Set when the request is answered 503 because Kafka did not acknowledge its batch. */
    telemetryKafkaRefused: boolean;
  }
}

const UUID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

const IngestResult = Type.Object(
  {
    batchId: Type.String({ format: 'uuid' }),
    accepted: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0 }),
    rejections: Type.Array(
      Type.Object({
        index: Type.Integer({ minimum: 0, description: 'The point (JSON), line (NDJSON, NMEA) or delta' }),
        reason: Type.String(),
      }),
    ),
  },
  { $id: 'IngestResult', title: 'IngestResult' },
);

const CanonicalBatch = Type.Object(
  {
    vessel: Type.Optional(Type.String({ pattern: UUID, description: 'Required with a bearer token' })),
    points: Type.Array(
      Type.Unknown({
        description: 'A point `{ path, ts, value }`: a Signal K path, an RFC 3339 time, a value in SI units',
      }),
      { minItems: 1 },
    ),
  },
  {
    title: 'CanonicalBatch',
    examples: [
      {
        vessel: '6f1c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
        points: [{ path: 'navigation.speedOverGround', ts: '2026-11-25T12:00:00Z', value: 6.2 }],
      },
    ],
  },
);
const SignalKDelta = Type.Object(
  { context: Type.Optional(Type.String()), updates: Type.Array(Type.Unknown(), { minItems: 1 }) },
  { title: 'SignalKDelta' },
);

function unavailable(detail: string, retryAfterSeconds: number): ProblemError {
  return new ProblemError(
    503,
    { title: 'Service Unavailable', detail },
    { headers: { 'retry-after': String(retryAfterSeconds) } },
  );
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no acknowledgement within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export const telemetryRoutes: FastifyPluginAsyncTypebox<TelemetryRouteOptions> = async (app, options) => {
  const {
    registry,
    producer,
    retentionMs,
    maxPoints,
    publishTimeoutMs,
    metricsRegistry,
    now = () => new Date(),
  } = options;
  const backfillGuard = app.requireRole(...BACKFILL_ROLES);
  const metrics = ingestMetrics(metricsRegistry);
  app.decorateRequest('telemetrySource', null);
  app.decorateRequest('telemetryKafkaRefused', false);

  // NMEA 0183 and NDJSON arrive as text; the body limit applies as for JSON.
  app.addContentTypeParser(
    ['text/plain', 'application/x-ndjson'],
    { parseAs: 'string' },
    (_request, body, done) => done(null, body),
  );

  /** A device key names its vessel; a bearer token (backfill) names it in the body or `?vessel=`. */
  const identify: onRequestAsyncHookHandler = async function (request, reply) {
    // Backfills need the view too (vessel ownership), not only device keys.
    if (!registry.isCaughtUp()) {
      throw unavailable('The vessel registry is still loading; retry shortly.', 5);
    }
    const device = deviceFromAuthorization(registry, request.headers.authorization);
    if (device !== null) {
      request.telemetrySource = { vesselId: device.vesselId, tenantId: device.tenantId, viaDeviceKey: true };
      return;
    }
    await backfillGuard.call(this, request, reply);
  };

  /**
   * Counts every answer of the route, including the refusals that happen before the handler (body
   * limit, parsing, schema, authentication, rate limit): they are all 4xx.
   */
  const countBatch: onResponseAsyncHookHandler = async function (request, reply) {
    const outcome = batchOutcome(reply.statusCode, request.telemetryKafkaRefused);
    if (outcome !== null) metrics.batches.inc({ outcome });
  };

  function resolveBackfillVessel(request: FastifyRequest, vesselId: string | undefined): TelemetrySource {
    if (!vesselId) {
      throw new ProblemError(400, {
        title: 'Bad Request',
        detail: 'Name the vessel: `vessel` in a JSON batch, or `?vessel=<id>`.',
      });
    }
    const vessel = visibleVessel(registry, request.principal, vesselId);
    if (vessel.archived)
      throw new ProblemError(409, { title: 'Conflict', detail: 'The vessel is archived.' });
    return { vesselId: vessel.id, tenantId: vessel.tenantId, viaDeviceKey: false };
  }

  app.post(
    '/telemetry',
    {
      onRequest: identify,
      onResponse: countBatch,
      config: {
        // Vessels often share an address (one satellite provider's gateway): limit each credential, not
        // each address. The key is not verified yet here; an unknown one is refused right after.
        rateLimit: {
          keyGenerator: (request: FastifyRequest) => request.headers.authorization ?? request.ip,
        },
      },
      schema: {
        tags: ['telemetry'],
        summary: 'Ingest a batch of sensor points (202 once Kafka has it)',
        description:
          'JSON (a canonical batch, one Signal K delta or an array of them), NDJSON (one `{ path, ts, value }` per line) or NMEA 0183 as text/plain (one sentence per line); gzip with Content-Encoding. 202 only after Kafka acknowledged the batch (acks all); 503 with Retry-After when it cannot.',
        security: [{ deviceKey: [] }, { bearerAuth: [] }],
        querystring: Type.Object(
          { vessel: Type.Optional(Type.String({ pattern: UUID, description: 'With a bearer token' })) },
          { additionalProperties: false },
        ),
        body: {
          content: {
            'application/json': {
              schema: Type.Union([CanonicalBatch, SignalKDelta, Type.Array(SignalKDelta)]),
            },
            'application/x-ndjson': { schema: Type.String({ description: 'One canonical point per line' }) },
            'text/plain': { schema: Type.String({ description: 'NMEA 0183 sentences, one per line' }) },
          },
        },
        response: {
          202: Type.Ref(IngestResult),
          422: {
            description: 'No point was acceptable (problem+json with the rejections)',
            content: { 'application/problem+json': { schema: Type.Ref('ProblemDetails') } },
          },
        },
      },
    },
    async (request, reply) => {
      const receivedAt = now();
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim();
      const bodyVessel =
        typeof request.body === 'object' && request.body !== null && !Array.isArray(request.body)
          ? (request.body as { vessel?: unknown }).vessel
          : undefined;
      const source =
        request.telemetrySource ??
        resolveBackfillVessel(request, typeof bodyVessel === 'string' ? bodyVessel : request.query.vessel);
      if (source.viaDeviceKey && typeof bodyVessel === 'string' && bodyVessel !== source.vesselId) {
        throw new ProblemError(403, {
          title: 'Forbidden',
          detail: 'A device key posts for its own vessel only.',
        });
      }
      const state = registry.vessel(source.vesselId);
      const identity: VesselIdentity | undefined = state ? { mmsi: state.mmsi, imo: state.imo } : undefined;

      let normalized: Normalized;
      if (contentType === 'text/plain')
        normalized = normalizeNmea(String(request.body), receivedAt.toISOString());
      else if (contentType === 'application/x-ndjson') normalized = normalizeNdjson(String(request.body));
      else normalized = normalizeJson(request.body, receivedAt.toISOString(), identity);

      if (normalized.points.length > maxPoints) {
        throw new ProblemError(413, {
          title: 'Content Too Large',
          detail: `At most ${maxPoints} points per request; split the batch.`,
        });
      }
      const { accepted, series, rejections } = validatePoints(normalized, {
        now: receivedAt,
        retentionMs,
      });
      if (accepted === 0) {
        countPoints(metrics, normalized.format, 0, rejections.length);
        throw new ProblemError(422, {
          title: 'Unprocessable Content',
          detail: 'No point of the batch was acceptable.',
          rejections,
        });
      }

      const batch: Omit<TelemetryBatch, 'series'> = {
        batchId: randomUUID(),
        tenantId: source.tenantId,
        vesselId: source.vesselId,
        receivedAt: receivedAt.toISOString(),
      };
      // Kafka's size limit applies to a record batch, and the messages of one send to one partition
      // travel as one record batch: so one send per message, in order. If a later one fails, the
      // earlier ones are durable, the answer is 503 all the same, and the client's retry of the whole
      // request stores nothing twice.
      const messages = splitSeries(series, TELEMETRY_MESSAGE_MAX_BYTES).map((part) => ({
        key: source.vesselId,
        value: createEnvelope({
          type: TELEMETRY_EVENT,
          version: TELEMETRY_EVENT_VERSION,
          tenant: source.tenantId,
          data: { ...batch, series: part } satisfies TelemetryBatch,
        }),
      }));
      // Set once the request is answered 503: the messages not sent by then are not sent at all.
      let abandoned = false;
      try {
        await withTimeout(
          (async () => {
            for (const message of messages) {
              if (abandoned) return;
              await producer.publish(TELEMETRY_TOPIC, [message]);
            }
          })(),
          publishTimeoutMs,
        );
      } catch (error) {
        abandoned = true;
        request.log.warn({ err: error, batchId: batch.batchId }, 'telemetry not acknowledged by Kafka');
        request.telemetryKafkaRefused = true;
        throw unavailable(
          'Kafka did not acknowledge the batch; retry it later (a retry never stores a point twice).',
          10,
        );
      }
      countPoints(metrics, normalized.format, accepted, rejections.length);
      return reply.code(202).send({
        batchId: batch.batchId,
        accepted,
        rejected: rejections.length,
        rejections,
      });
    },
  );
};

export { IngestResult };
