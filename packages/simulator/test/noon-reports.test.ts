import { FormatRegistry, TypeRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseRfc3339 } from '@fleetwatch/telemetry-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkNoonReport } from '../../../services/performance/src/domain/noon-report-checks.js';
import { NoonReportInput } from '../../../services/performance/src/routes/noon-reports/schemas.js';
import {
  type NoonReport,
  type VesselState,
  beaufort,
  firstNoonAfter,
  noonReport,
  step,
} from '../src/index.js';
import { inPort } from './helpers.js';

beforeAll(() => {
  // The service validates with Ajv; TypeBox's Value.Check needs the two things Ajv knows and TypeBox
  // does not: `date-time` (RFC 3339) and the raw JSON Schema enums StringEnum writes as Type.Unsafe.
  if (!FormatRegistry.Has('date-time'))
    FormatRegistry.Set('date-time', (text) => parseRfc3339(text) !== undefined);
  if (!TypeRegistry.Has('Unsafe')) {
    TypeRegistry.Set('Unsafe', (schema: { enum?: unknown[] }, value) => schema.enum?.includes(value) ?? true);
  }
});

/**
 * Reports at each noon for `days` days, from 08:00 in Rotterdam with a quarter-full HFO tank: two days
 * in port, then 1,034 nm to Algeciras, where it bunkers, and on from there.
 */
function tenDays(days = 10): { reports: NoonReport[]; states: VesselState[] } {
  let state = inPort(36, { hfoTonnes: 0.25 * 2_800 });
  const states = [state];
  const reports: NoonReport[] = [];
  let noon = firstNoonAfter(state.time);
  for (let day = 0; day < days; day += 1) {
    const next = step(state, (noon - state.time) / 1000);
    reports.push(noonReport(state, next));
    states.push(next);
    state = next;
    noon += 86_400_000;
  }
  return { reports, states };
}

describe('noonReport', () => {
  it('passes the platform checks for 10 consecutive days: sea, arrival, bunkering, port, departure', () => {
    const { reports } = tenDays();
    expect(reports).toHaveLength(10);
    // The scenario covers what the checks look at, or this test would prove less than it says.
    expect(reports.some((report) => (report.bunkered?.HFO ?? 0) > 0)).toBe(true);
    expect(reports.some((report) => report.timeSailingHours === 0)).toBe(true);
    expect(reports.some((report) => report.timeSailingHours > 0 && report.timeSailingHours < 24)).toBe(true);
    expect(reports.filter((report) => report.timeSailingHours === 24).length).toBeGreaterThanOrEqual(3);

    reports.forEach((report, index) => {
      const previous = reports[index - 1] ?? null;
      const next = reports[index + 1] ?? null;
      expect(checkNoonReport(report, { previous, next: null }), report.reportedAt).toEqual({
        errors: [],
        warnings: [],
      });
      expect(checkNoonReport(report, { previous, next }), report.reportedAt).toEqual({
        errors: [],
        warnings: [],
      });
    });
  });

  it('is in the exact shape the API takes (NoonReportInput, no extra properties)', () => {
    for (const report of tenDays().reports) {
      const errors = [...Value.Errors(NoonReportInput, report)].map(
        ({ path, message }) => `${path} ${message}`,
      );
      expect(errors, report.reportedAt).toEqual([]);
    }
  });

  it('balances ROB to the hundredth: previous − consumed + bunkered', () => {
    const { reports } = tenDays();
    for (let index = 1; index < reports.length; index += 1) {
      const [previous, report] = [reports[index - 1], reports[index]];
      if (!previous || !report) throw new Error('missing report');
      const hfo = (previous.rob.HFO ?? 0) - (report.consumption.ME.HFO ?? 0) + (report.bunkered?.HFO ?? 0);
      const mgo = (previous.rob.MGO ?? 0) - (report.consumption.AE.MGO ?? 0) + (report.bunkered?.MGO ?? 0);
      expect(Math.abs(hfo - (report.rob.HFO ?? 0))).toBeLessThanOrEqual(0.02);
      expect(Math.abs(mgo - (report.rob.MGO ?? 0))).toBeLessThanOrEqual(0.02);
    }
  });

  it('is caught by the platform checks when a figure is off', () => {
    const { reports } = tenDays(3);
    const [first, second] = reports;
    if (!first || !second) throw new Error('missing report');
    // The tolerance is 0.5 t or 1 % of the expected ROB (7 t of about 700 t), whichever is larger.
    const robOff = { ...second, rob: { ...second.rob, HFO: (second.rob.HFO ?? 0) + 10 } };
    expect(
      checkNoonReport(robOff, { previous: first, next: null }).warnings.map(({ check }) => check),
    ).toEqual(['rob-balance']);
    const overlapping = { ...second, timeSincePreviousReportHours: 30 };
    expect(
      checkNoonReport(overlapping, { previous: first, next: null }).errors.map(({ check }) => check),
    ).toEqual(['period-overlap']);
  });

  it('covers the period between the two states, with ME hours only under way', () => {
    // The third report's day is the departure day: part in port, part at sea.
    const { reports, states } = tenDays(3);
    const [, , report] = reports;
    const [, , from, to] = states;
    if (!report || !from || !to) throw new Error('missing report');
    expect(report.reportedAt).toBe(new Date(to.time).toISOString());
    expect(report.timeSincePreviousReportHours).toBe(24);
    expect(report.timeSailingHours).toBeGreaterThan(0);
    expect(report.timeSailingHours).toBeLessThan(24);
    expect(report.meRunningHours).toBeCloseTo((to.runTimeSeconds - from.runTimeSeconds) / 3600, 2);
    expect(report.meRunningHours).toBeCloseTo(report.timeSailingHours, 2);
    expect(report.distanceNm).toBeCloseTo(to.logNm - from.logNm, 1);
    expect(report.voyageFrom).toBe('NLRTM');
    expect(report.voyageTo).toBe('ESALG');
    expect(() => noonReport(to, from)).toThrow(RangeError);
  });
});

describe('firstNoonAfter', () => {
  it.each([
    { from: '2026-03-01T08:00:00Z', noon: '2026-03-01T12:00:00.000Z' },
    { from: '2026-03-01T11:00:00Z', noon: '2026-03-01T12:00:00.000Z' }, // exactly an hour before
    { from: '2026-03-01T11:30:00Z', noon: '2026-03-02T12:00:00.000Z' }, // too short a first period
    { from: '2026-03-01T12:00:00Z', noon: '2026-03-02T12:00:00.000Z' },
    { from: '2026-12-31T20:00:00Z', noon: '2027-01-01T12:00:00.000Z' },
  ])('$from → $noon', ({ from, noon }) => {
    expect(new Date(firstNoonAfter(Date.parse(from))).toISOString()).toBe(noon);
  });
});

describe('beaufort', () => {
  it.each([
    { ms: 0, force: 0 },
    { ms: 0.5, force: 0 },
    { ms: 0.6, force: 1 },
    { ms: 10.7, force: 5 },
    { ms: 10.8, force: 6 },
    { ms: 32.6, force: 11 },
    { ms: 40, force: 12 },
  ])('$ms m/s is force $force', ({ ms, force }) => {
    expect(beaufort(ms)).toBe(force);
  });
});
