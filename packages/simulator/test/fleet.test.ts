import { describe, expect, it } from 'vitest';
import { checkNoonReport } from '../../../services/performance/src/domain/noon-report-checks.js';
import {
  type Batch,
  type NoonReport,
  type SimulationOptions,
  createFleet,
  createSimulation,
  encodeBatch,
} from '../src/index.js';

const START = '2026-03-01T08:00:00Z';
const small = { vessels: 30, channels: 20, start: START };

/** The first `seconds` of a simulation, encoded, as the runner would send them. */
function run(seed: number | string, seconds: number, options: SimulationOptions = {}, vessels = 30) {
  const simulation = createSimulation(createFleet({ ...small, vessels, seed }), options);
  return simulation.advance(seconds).batches.map((batch) => encodeBatch(batch));
}

const times = (batch: Batch): number[] => batch.samples.map(({ time }) => time);

describe('createFleet', () => {
  it('is deterministic in the seed', () => {
    const fleet = createFleet({ seed: 7, start: START });
    expect(createFleet({ seed: 7, start: START })).toEqual(fleet);
    expect(createFleet({ seed: 8, start: START }).vessels).not.toEqual(fleet.vessels);
    expect(fleet.vessels).toHaveLength(650);
    expect(fleet.channels).toBe(200);
    expect(fleet.start).toBe(Date.parse(START));
  });

  it('keeps existing vessels unchanged when the fleet grows', () => {
    const ten = createFleet({ seed: 'grow', vessels: 10, start: START });
    const twenty = createFleet({ seed: 'grow', vessels: 20, start: START });
    expect(twenty.vessels.slice(0, 10)).toEqual(ten.vessels);
    const batchesOf = (vessels: number) =>
      run('grow', 180, {}, vessels).filter(({ vesselIndex }) => vesselIndex === 3);
    expect(batchesOf(20)).toEqual(batchesOf(10));
  });

  it.each([
    // Plain round-robin.
    { tenants: 3, first: [0, 1, 2, 0, 1, 2, 0, 1] },
    // Smooth weighted round-robin of 3:1. Running totals [3,1] → 0 wins, [−1,1]; [2,2] → 0 (first of
    // equals), [−2,2]; [1,3] → 1, [1,−1]; [4,0] → 0, [0,0], and the cycle repeats.
    { tenants: [3, 1], first: [0, 0, 1, 0, 0, 0, 1, 0] },
    { tenants: [0, 1], first: [1, 1, 1, 1, 1, 1, 1, 1] },
  ])('deals vessels to tenants $tenants', ({ tenants, first }) => {
    const fleet = createFleet({ seed: 1, vessels: 400, tenants, start: START });
    expect(fleet.vessels.slice(0, 8).map(({ tenantIndex }) => tenantIndex)).toEqual(first);
    const weights = typeof tenants === 'number' ? Array.from({ length: tenants }, () => 1) : tenants;
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    weights.forEach((weight, tenant) => {
      const count = fleet.vessels.filter(({ tenantIndex }) => tenantIndex === tenant).length;
      expect(Math.abs(count - (400 * weight) / total)).toBeLessThanOrEqual(1);
    });
  });

  it.each([
    { options: { vessels: -1 } },
    { options: { vessels: 1.5 } },
    { options: { channels: 9 } },
    { options: { tenants: 0 } },
    { options: { tenants: [0, 0] } },
    { options: { start: 'not a date' } },
  ])('refuses $options', ({ options }) => {
    expect(() => createFleet({ seed: 1, start: START, ...options })).toThrow(RangeError);
  });
});

describe('createSimulation', () => {
  it('is deterministic: the same seed gives the same batches, another seed others', () => {
    const first = run('determinism', 150);
    expect(first.length).toBeGreaterThan(30);
    expect(run('determinism', 150)).toEqual(first);
    expect(run('other', 150)).not.toEqual(first);
  });

  it('does not depend on how time is sliced', () => {
    const fleet = createFleet({ ...small, seed: 'slices' });
    const whole = createSimulation(fleet).advance(200);
    const sliced = createSimulation(fleet);
    const parts = [sliced.advance(50), sliced.advance(0.5), sliced.advance(70), sliced.advance(79.5)];
    expect(parts.flatMap(({ batches }) => batches)).toEqual(whole.batches);
    expect(sliced.now).toBe(Date.parse(START) + 200_000);
  });

  it('samples every channel each second and batches each vessel every 60 s, losing and repeating nothing', () => {
    const simulation = createSimulation(createFleet({ ...small, seed: 'batches' }));
    const advanced = simulation.advance(300).batches;
    const batches = [...advanced, ...simulation.flush()];
    const start = Date.parse(START);
    for (let index = 0; index < 30; index += 1) {
      const own = batches.filter(({ vessel }) => vessel.index === index);
      expect(own.map(({ sequence }) => sequence)).toEqual(own.map((_, position) => position));
      const sampled = own.flatMap(times);
      expect(sampled).toEqual(Array.from({ length: 300 }, (_, second) => start + (second + 1) * 1000));
      // Every batch but the first (the link's phase) and the flushed remainder holds a full minute.
      for (const batch of own.slice(1, -1)) expect(batch.samples).toHaveLength(60);
      for (const batch of own)
        expect(new Set(batch.samples.map(({ points }) => points.length))).toEqual(new Set([20]));
      expect(new Set(own.map(({ format }) => format)).size).toBe(1);
    }
    const ends = advanced.map((batch) => times(batch).at(-1) ?? 0);
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
  });

  it('mixes formats per vessel about 60/25/15 by default, and as configured', () => {
    const fleet = createFleet({ seed: 'mix', start: START, channels: 10 });
    const simulation = createSimulation(fleet);
    const counts = { json: 0, signalk: 0, nmea: 0 };
    fleet.vessels.forEach(({ index }) => (counts[simulation.format(index)] += 1));
    // 650 vessels: standard deviations of about 12, 11 and 9 vessels.
    expect(Math.abs(counts.json - 390)).toBeLessThan(45);
    expect(Math.abs(counts.signalk - 162.5)).toBeLessThan(40);
    expect(Math.abs(counts.nmea - 97.5)).toBeLessThan(35);
    const nmeaOnly = createSimulation(fleet, { formatMix: { json: 0, signalk: 0, nmea: 1 } });
    expect(fleet.vessels.every(({ index }) => nmeaOnly.format(index) === 'nmea')).toBe(true);
  });

  it('emits noon reports at 12:00 UTC that pass the platform checks', () => {
    const simulation = createSimulation(createFleet({ ...small, seed: 'noon' }), {
      sampleSeconds: 600,
      batchSeconds: 3600,
    });
    const reports = [simulation.advance(86_400), simulation.advance(2 * 86_400)].flatMap(
      ({ noonReports }) => noonReports,
    );
    expect(reports).toHaveLength(3 * 30);
    const byVessel = new Map<number, NoonReport[]>();
    for (const { vessel, report } of reports)
      byVessel.set(vessel.index, [...(byVessel.get(vessel.index) ?? []), report]);
    for (const own of byVessel.values()) {
      expect(own.map(({ reportedAt }) => reportedAt)).toEqual([
        '2026-03-01T12:00:00.000Z',
        '2026-03-02T12:00:00.000Z',
        '2026-03-03T12:00:00.000Z',
      ]);
      expect(own.map(({ timeSincePreviousReportHours }) => timeSincePreviousReportHours)).toEqual([
        4, 24, 24,
      ]);
      own.forEach((report, index) => {
        expect(checkNoonReport(report, { previous: own[index - 1] ?? null, next: null })).toEqual({
          errors: [],
          warnings: [],
        });
      });
    }
  });

  it('runs simulated time at the acceleration against the wall clock', () => {
    const simulation = createSimulation(createFleet({ ...small, seed: 'fast' }), { acceleration: 30 });
    simulation.advanceWallClock(2);
    expect(simulation.now - Date.parse(START)).toBe(60_000);
  });

  it('refuses batches larger than the API takes (20,000 points by default)', () => {
    const fleet = createFleet({ seed: 1, vessels: 1, start: START });
    // 200 channels × 100 samples = 20,000: at the limit; 101 samples is over it.
    expect(() => createSimulation(fleet, { batchSeconds: 100 })).not.toThrow();
    expect(() => createSimulation(fleet, { batchSeconds: 101 })).toThrow(RangeError);
    expect(() => createSimulation(fleet, { sampleSeconds: 0 })).toThrow(RangeError);
    expect(() => createSimulation(fleet, { formatMix: { nmea: -1 } })).toThrow(RangeError);
    expect(() => createSimulation(fleet, { formatMix: { json: 0, signalk: 0, nmea: 0 } })).toThrow(
      RangeError,
    );
    expect(() => createSimulation(fleet).advance(-1)).toThrow(RangeError);
  });
});
