/**
 * Drives a simulation against the platform's public API as a fleet's gateways would: each vessel's
 * batches, gzip'd, posted with its device key, through its own faulty link (gaps, duplicates, late
 * batches, garbled NMEA lines); its noon reports posted by the owner's fleet manager. Counts what the
 * platform acknowledged, so a soak can compare it with what was stored.
 */
import {
  createFaultInjector,
  createRandom,
  encodeBatch,
  bodyText,
  type Delivery,
  type FaultInjector,
  type FaultRates,
  type Simulation,
  type VesselNoonReport,
} from '@fleetwatch/simulator';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import type { SeededVessel } from './seed.js';

export interface RunnerOptions {
  /** The performance API's base, e.g. http://127.0.0.1:3002/v1/performance. */
  performanceUrl: string;
  simulation: Simulation;
  /** By the simulation's vessel index. */
  vessels: readonly SeededVessel[];
  faults?: FaultRates;
  /** A fleet manager's bearer token for the tenant (noon reports). */
  managerToken: (tenantId: string) => Promise<string>;
  /** Requests in flight at most; default 16. */
  concurrency?: number;
  /** How often the simulation advances, wall-clock milliseconds; default 1000. */
  tickMs?: number;
  /** How long stop() sends what is queued before giving up on the rest; default 15 000. */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RunnerStats {
  requests: number;
  /** Points the platform acknowledged (202 `accepted`), duplicates included. */
  pointsAccepted: number;
  /** Distinct acknowledged points of first deliveries: what should be stored (exact without garbled lines). */
  uniquePointsAccepted: number;
  pointsRejected: number;
  /** Requests refused for good (4xx other than 429); each one is a finding. */
  failedRequests: number;
  /** 503 / 429 / network errors retried. */
  retries: number;
  noonReportsSubmitted: number;
  noonReportsFailed: number;
  /** Refused as overlapping a stored report (after a restart): expected, not a failure. */
  noonReportsOverlapping: number;
  /** Deliveries waiting to be sent. */
  backlog: number;
  /** The last few failures, for the log. */
  lastErrors: string[];
}

export interface Runner {
  stats(): RunnerStats;
  /** Stops advancing, sends what is queued and held back, then resolves with the final counts. */
  stop(): Promise<RunnerStats>;
}

type Job = { kind: 'telemetry'; delivery: Delivery } | { kind: 'noon'; report: VesselNoonReport };

export function startRunner(options: RunnerOptions): Runner {
  const { simulation, vessels, performanceUrl } = options;
  const concurrency = options.concurrency ?? 16;
  const tickMs = options.tickMs ?? 1_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? 15_000;
  const stats: RunnerStats = {
    requests: 0,
    pointsAccepted: 0,
    uniquePointsAccepted: 0,
    pointsRejected: 0,
    failedRequests: 0,
    retries: 0,
    noonReportsSubmitted: 0,
    noonReportsFailed: 0,
    noonReportsOverlapping: 0,
    backlog: 0,
    lastErrors: [],
  };
  const failure = (message: string) => {
    stats.lastErrors = [...stats.lastErrors.slice(-9), message];
    options.log?.(message);
  };
  const injectors: FaultInjector[] = simulation.fleet.vessels.map((spec) =>
    createFaultInjector(options.faults ?? {}, createRandom(spec.seed).fork('faults')),
  );
  const queue: Job[] = [];

  /** POSTs until the platform answers for good: a satellite gateway retries what was not acknowledged. */
  async function post(url: string, init: { headers: Record<string, string>; body: Buffer | string }) {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(url, { method: 'POST', ...init, signal: AbortSignal.timeout(30_000) });
        stats.requests += 1;
        if ((response.status !== 503 && response.status !== 429) || stopped === 'now') return response;
        stats.retries += 1;
        const after = Number(response.headers.get('retry-after') ?? '1');
        await response.body?.cancel();
        await sleep(Math.min(10, Number.isFinite(after) ? after : 1) * 1000);
      } catch (error) {
        stats.retries += 1;
        if (attempt >= 30 || stopped === 'now') throw error;
        await sleep(Math.min(5_000, 200 * attempt));
      }
    }
  }

  async function send(job: Job): Promise<void> {
    if (job.kind === 'telemetry') {
      const { delivery } = job;
      const vessel = vessels[delivery.batch.vesselIndex];
      if (!vessel) return;
      const response = await post(`${performanceUrl}/telemetry`, {
        headers: {
          authorization: `DeviceKey ${vessel.deviceKey}`,
          'content-type': delivery.batch.contentType,
          'content-encoding': 'gzip',
        },
        body: gzipSync(bodyText(delivery.batch)),
      });
      const text = await response.text();
      if (response.status !== 202) {
        stats.failedRequests += 1;
        return failure(`telemetry of vessel ${vessel.index}: ${response.status} ${text.slice(0, 300)}`);
      }
      const result = JSON.parse(text) as { accepted: number; rejected: number };
      stats.pointsAccepted += result.accepted;
      stats.pointsRejected += result.rejected;
      // What should be stored: a first delivery's distinct points (NMEA repeats position and speed in
      // several sentences of one second, which the platform accepts but stores once). A garbled line
      // makes the count uncertain, so the soak runs without that fault.
      if (!delivery.faults.includes('duplicate')) {
        stats.uniquePointsAccepted += Math.min(result.accepted, delivery.batch.distinctPoints);
      }
    } else {
      const { vessel: spec, report } = job.report;
      const vessel = vessels[spec.index];
      if (!vessel) return;
      const response = await post(`${performanceUrl}/vessels/${vessel.id}/noon-reports`, {
        headers: {
          authorization: `Bearer ${await options.managerToken(vessel.tenantId)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(report),
      });
      const text = await response.text();
      if (response.status === 201) stats.noonReportsSubmitted += 1;
      else if (response.status === 409 && text.includes('period-overlap')) {
        // A restarted simulation re-reports a day the platform has: the platform is right to refuse it.
        stats.noonReportsOverlapping += 1;
      } else {
        stats.noonReportsFailed += 1;
        failure(`noon report of vessel ${vessel.index}: ${response.status} ${text.slice(0, 300)}`);
      }
    }
  }

  let stopped: 'no' | 'draining' | 'now' = 'no';
  const workers = Array.from({ length: concurrency }, async () => {
    while (stopped !== 'now') {
      const job = queue.shift();
      stats.backlog = queue.length;
      if (!job) {
        if (stopped === 'draining') return;
        await sleep(20);
        continue;
      }
      await send(job).catch((error: unknown) => {
        stats.failedRequests += 1;
        failure(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  });

  const enqueueDeliveries = (deliveries: Delivery[]) => {
    for (const delivery of deliveries) queue.push({ kind: 'telemetry', delivery });
  };
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const output = simulation.advanceWallClock((now - last) / 1000);
    last = now;
    for (const batch of output.batches) {
      const vessel = vessels[batch.vessel.index];
      if (!vessel) continue;
      enqueueDeliveries(
        injectors[batch.vessel.index]?.submit(encodeBatch(batch, { context: 'mmsi' })).deliveries ?? [],
      );
    }
    for (const report of output.noonReports) queue.push({ kind: 'noon', report });
    stats.backlog = queue.length;
  }, tickMs);

  return {
    stats: () => ({ ...stats, lastErrors: [...stats.lastErrors] }),
    async stop() {
      clearInterval(timer);
      // What the links still hold back is sent, as a link that comes back would.
      for (const batch of simulation.flush()) {
        enqueueDeliveries(
          injectors[batch.vessel.index]?.submit(encodeBatch(batch, { context: 'mmsi' })).deliveries ?? [],
        );
      }
      for (const injector of injectors) enqueueDeliveries(injector.flush());
      stopped = 'draining';
      // Bounded: with the platform gone, retries would go on for minutes.
      const drained = await Promise.race([
        Promise.all(workers).then(() => true),
        sleep(drainTimeoutMs).then(() => false),
      ]);
      if (!drained) {
        stopped = 'now';
        options.log?.(
          `simulator: ${queue.length} deliveries not sent within ${drainTimeoutMs / 1000} s of stopping`,
        );
        await Promise.all(workers);
      }
      stats.backlog = queue.length;
      return { ...stats, lastErrors: [...stats.lastErrors] };
    },
  };
}
