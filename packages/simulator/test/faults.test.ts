import { NmeaError, parseNmea0183 } from '@fleetwatch/telemetry-formats';
import { describe, expect, it } from 'vitest';
import { normalizeNmea } from '../../../services/performance/src/ingest/normalize.js';
import {
  type EncodedBatch,
  type Random,
  type Sample,
  channelPoints,
  createFaultInjector,
  createRandom,
  encodeBatch,
  step,
} from '../src/index.js';
import { SPEC, atSea } from './helpers.js';

function samples(count: number): Sample[] {
  const result: Sample[] = [];
  let state = atSea(300);
  for (let index = 0; index < count; index += 1) {
    state = step(state, 1);
    result.push({ time: state.time, points: channelPoints(state, 20) });
  }
  return result;
}

const batch = (format: EncodedBatch['format'], sequence: number): EncodedBatch =>
  encodeBatch({ vessel: SPEC, sequence, format, samples: samples(5) });

/** A Random whose `chance` answers are scripted, so each test decides exactly which faults happen. */
function scripted(answers: boolean[]): Random {
  const random = createRandom('scripted');
  return {
    get state() {
      return random.state;
    },
    next: () => random.next(),
    between: (min, max) => random.between(min, max),
    int: (min, max) => random.int(min, max),
    pick: (items) => random.pick(items),
    chance: () => answers.shift() ?? false,
    fork: (label) => random.fork(label),
  };
}

describe('createFaultInjector', () => {
  it('passes batches through untouched at zero rates', () => {
    const injector = createFaultInjector({}, createRandom('none'));
    const sent = batch('json', 0);
    expect(injector.submit(sent)).toEqual({
      applied: [],
      deliveries: [{ batch: sent, faults: [], expectedAccepted: sent.expectedPoints, expectedRejected: 0 }],
    });
    expect(injector.flush()).toEqual([]);
  });

  it('garbles one NMEA checksum: parseNmea0183 refuses that line with a checksum error, the API keeps the rest', () => {
    const injector = createFaultInjector({ 'bad-checksum': 1 }, createRandom('checksum'));
    const original = batch('nmea', 0);
    const { applied, deliveries } = injector.submit(original);
    expect(applied).toEqual(['bad-checksum']);
    const [delivery] = deliveries;
    if (delivery?.batch.format !== 'nmea' || original.format !== 'nmea') throw new Error('expected NMEA');
    const lines = delivery.batch.body.split('\r\n').filter((line) => line !== '');
    const refused = lines.flatMap((line, index) => {
      try {
        parseNmea0183(line);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(NmeaError);
        expect((error as NmeaError).reason).toBe('checksum');
        expect((error as NmeaError).message).toContain('checksum');
        return [index];
      }
    });
    expect(refused).toHaveLength(1);
    const [index = -1] = refused;
    expect(delivery.expectedRejected).toBe(1);
    expect(delivery.expectedAccepted).toBe(original.expectedPoints - (original.pointsPerLine[index] ?? 0));

    const normalized = normalizeNmea(delivery.batch.body, new Date().toISOString());
    expect(normalized.rejections).toHaveLength(delivery.expectedRejected);
    expect(normalized.points).toHaveLength(delivery.expectedAccepted);
  });

  it('does not garble JSON or Signal K, which carry no checksum', () => {
    const injector = createFaultInjector({ 'bad-checksum': 1 }, createRandom('checksum'));
    for (const format of ['json', 'signalk'] as const) {
      const sent = batch(format, 0);
      expect(injector.submit(sent).deliveries[0]?.batch).toBe(sent);
    }
  });

  it('drops a batch on a gap', () => {
    const injector = createFaultInjector({ gap: 1, duplicate: 1 }, createRandom('gap'));
    expect(injector.submit(batch('json', 0))).toEqual({ applied: ['gap'], deliveries: [] });
  });

  it('sends a duplicate right after the original, flagged', () => {
    const injector = createFaultInjector({ duplicate: 1 }, createRandom('duplicate'));
    const sent = batch('signalk', 0);
    const { applied, deliveries } = injector.submit(sent);
    expect(applied).toEqual(['duplicate']);
    expect(deliveries.map(({ batch: { body }, faults }) => ({ body, faults }))).toEqual([
      { body: sent.body, faults: [] },
      { body: sent.body, faults: ['duplicate'] },
    ]);
  });

  it('holds a late batch back until a newer one has been sent', () => {
    // Per batch, the draws are gap, duplicate, late (no checksum draw for JSON).
    const injector = createFaultInjector({ late: 0.5 }, scripted([false, false, true, false, false, false]));
    const first = batch('json', 0);
    const second = batch('json', 1);
    expect(injector.submit(first)).toEqual({ applied: ['late'], deliveries: [] });
    const { applied, deliveries } = injector.submit(second);
    expect(applied).toEqual([]);
    expect(deliveries.map(({ batch: { sequence }, faults }) => ({ sequence, faults }))).toEqual([
      { sequence: 1, faults: [] },
      { sequence: 0, faults: ['late'] },
    ]);
    expect(injector.flush()).toEqual([]);
  });

  it('releases batches still held at the end on flush', () => {
    const injector = createFaultInjector({ late: 1 }, createRandom('late'));
    injector.submit(batch('json', 0));
    expect(injector.flush().map(({ batch: { sequence }, faults }) => ({ sequence, faults }))).toEqual([
      { sequence: 0, faults: ['late'] },
    ]);
    expect(injector.flush()).toEqual([]);
  });

  it.each([-0.1, 1.5, Number.NaN])('refuses a rate of %s', (rate) => {
    expect(() => createFaultInjector({ gap: rate }, createRandom('x'))).toThrow(RangeError);
  });
});
