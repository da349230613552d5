import { type EncodedBatch, nmeaChecksum } from './encoders.js';
import type { Random } from './random.js';

/**
 * What a satellite link and a ship's gateway do to telemetry:
 * - `bad-checksum`: a line of an NMEA batch garbled in transit (NMEA batches only; JSON has no checksum);
 * - `gap`: a batch never sent (link down, gateway buffer overrun);
 * - `duplicate`: a batch sent twice (a retry after a lost acknowledgement);
 * - `late`: a batch sent after the next one (store-and-forward after an outage).
 */
export type FaultKind = 'bad-checksum' | 'gap' | 'duplicate' | 'late';

/** Probability per batch of each fault, each in [0, 1]; absent means 0. */
export type FaultRates = Partial<Record<FaultKind, number>>;

/**
 * One request to send, and what the platform should make of it. The API dates NMEA sentences without
 * a time (VTG, HDT, RPM, XDR) and GGA by the latest RMC: when the garbled line is an RMC, the rest of
 * its second is accepted under the previous second's time (or the arrival time, for a batch's first
 * second), where the store already has those paths and keeps the earlier values.
 */
export interface Delivery {
  batch: EncodedBatch;
  faults: FaultKind[];
  /** Points the API should accept (202 `accepted`); a duplicate is accepted again but stored once. */
  expectedAccepted: number;
  /** Items the API should list in `rejections` (NMEA lines with a bad checksum). */
  expectedRejected: number;
}

export interface FaultOutcome {
  /** The faults drawn for the submitted batch. */
  applied: FaultKind[];
  /** What to send now, in order: possibly nothing (gap, held back), possibly an earlier late batch. */
  deliveries: Delivery[];
}

export interface FaultInjector {
  submit(batch: EncodedBatch): FaultOutcome;
  /** Batches still held back as late, to send at the end of a run. */
  flush(): Delivery[];
}

/**
 * One vessel's link (use one injector per vessel, with the vessel's own stream, so that batches stay
 * in order per vessel except where `late` says otherwise). Faults are drawn in a fixed order: gap (which
 * excludes the others), bad checksum, duplicate, late.
 */
export function createFaultInjector(rates: FaultRates, random: Random): FaultInjector {
  for (const [kind, rate] of Object.entries(rates)) {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate ${kind} must be in [0, 1], got ${rate}`);
  }
  const rate = (kind: FaultKind): number => rates[kind] ?? 0;
  let held: Delivery[] = [];

  return {
    submit(batch) {
      if (random.chance(rate('gap'))) return { applied: ['gap'], deliveries: [] };
      const applied: FaultKind[] = [];
      let delivery: Delivery = {
        batch,
        faults: [],
        expectedAccepted: batch.expectedPoints,
        expectedRejected: 0,
      };
      if (batch.format === 'nmea' && random.chance(rate('bad-checksum'))) {
        delivery = corruptLine(delivery, random);
        applied.push('bad-checksum');
      }
      const copies = random.chance(rate('duplicate')) ? 2 : 1;
      if (copies === 2) applied.push('duplicate');
      const late = random.chance(rate('late'));
      if (late) applied.push('late');

      const sends = Array.from({ length: copies }, (_, copy) => ({
        ...delivery,
        faults: [
          ...delivery.faults,
          ...(copy === 1 ? (['duplicate'] as const) : []),
          ...(late ? (['late'] as const) : []),
        ],
      }));
      if (late) {
        held.push(...sends);
        return { applied, deliveries: [] };
      }
      const deliveries = [...sends, ...held];
      held = [];
      return { applied, deliveries };
    },
    flush() {
      const released = held;
      held = [];
      return released;
    },
  };
}

/** Flips bits of one line's checksum: the API rejects that line and keeps the others. */
function corruptLine(delivery: Delivery, random: Random): Delivery {
  const { batch } = delivery;
  if (batch.format !== 'nmea') return delivery;
  const lines = batch.body.split('\r\n');
  const index = random.int(0, batch.pointsPerLine.length - 1);
  const line = lines[index] ?? '';
  const star = line.lastIndexOf('*');
  const correct = Number.parseInt(nmeaChecksum(line.slice(1, star)), 16);
  const wrong = (correct ^ random.int(1, 255)).toString(16).toUpperCase().padStart(2, '0');
  lines[index] = `${line.slice(0, star + 1)}${wrong}`;
  return {
    batch: { ...batch, body: lines.join('\r\n') },
    faults: ['bad-checksum'],
    expectedAccepted: delivery.expectedAccepted - (batch.pointsPerLine[index] ?? 0),
    expectedRejected: 1,
  };
}
