import { describe, expect, it } from 'vitest';
import { checkNoonReport, type CheckName, type Neighbours } from '../src/domain/noon-report-checks.js';
import { periodStartOf, totalConsumption, type NoonReportFields } from '../src/domain/noon-report.js';

/** 24 h at 13 kn from the previous report; HFO 843.6 − 31.2 = 812.4, MGO 99.0 − 2.1 − 0.4 = 96.5. */
const previous: NoonReportFields = {
  reportedAt: '2026-03-13T12:00:00.000Z',
  event: 'Noon',
  timeSincePreviousReportHours: 24,
  timeSailingHours: 24,
  distanceNm: 300,
  consumption: { ME: { HFO: 30 } },
  rob: { HFO: 843.6, MGO: 99.0 },
};
const report: NoonReportFields = {
  reportedAt: '2026-03-14T12:00:00.000Z',
  event: 'Noon',
  timeSincePreviousReportHours: 24,
  timeSailingHours: 24,
  distanceNm: 312,
  averageSpeedGpsKnots: 13,
  meRunningHours: 24,
  consumption: { ME: { HFO: 31.2 }, AE: { MGO: 2.1 }, Boiler: { MGO: 0.4 } },
  rob: { HFO: 812.4, MGO: 96.5 },
};
const next: NoonReportFields = { ...report, reportedAt: '2026-03-15T12:00:00.000Z' };

type Case = [
  name: string,
  changes: Partial<NoonReportFields>,
  neighbours: Partial<Neighbours>,
  errors: [CheckName, string][],
  warnings: [CheckName, string][],
];

describe('noon report consistency checks', () => {
  it.each<Case>([
    ['a consistent report', {}, {}, [], []],
    [
      'the first report of a vessel (nothing to compare with)',
      { rob: { HFO: 1 } },
      { previous: null },
      [],
      [],
    ],
    // Time order and overlap: refused.
    [
      'the same time as the previous report',
      { reportedAt: previous.reportedAt },
      {},
      [['time-order', '/reportedAt']],
      [],
    ],
    [
      'a time before the previous report',
      { reportedAt: '2026-03-13T06:00:00.000Z' },
      {},
      [['time-order', '/reportedAt']],
      [],
    ],
    [
      'a period starting 6 h before the previous report ended',
      { timeSincePreviousReportHours: 30, timeSailingHours: 24 },
      {},
      [['period-overlap', '/timeSincePreviousReportHours']],
      [],
    ],
    [
      'a period overlapping by 36 s (hours rounded to two decimals): tolerated',
      { timeSincePreviousReportHours: 24.01 },
      {},
      [],
      [],
    ],
    [
      'a correction moved past the next report',
      { reportedAt: '2026-03-15T13:00:00.000Z', timeSincePreviousReportHours: 49, timeSailingHours: 24 },
      { next },
      [['time-order', '/reportedAt']],
      [],
    ],
    [
      "a correction ending after the next report's period starts",
      { reportedAt: '2026-03-14T18:00:00.000Z', timeSincePreviousReportHours: 30, timeSailingHours: 24 },
      { next },
      [['period-overlap', '/reportedAt']],
      [],
    ],
    // Figures that do not add up: stored with warnings.
    [
      'a gap of 4 h between the reports',
      { timeSincePreviousReportHours: 20, timeSailingHours: 20, distanceNm: 260, meRunningHours: 20 },
      {},
      [],
      [['period-gap', '/timeSincePreviousReportHours']],
    ],
    [
      'HFO ROB 10 t below previous − consumed (more than 1 % of 812.4 t)',
      { rob: { HFO: 802.4, MGO: 96.5 } },
      {},
      [],
      [['rob-balance', '/rob/HFO']],
    ],
    ['HFO ROB 8 t off (within 1 % of 812.4 t)', { rob: { HFO: 804.4, MGO: 96.5 } }, {}, [], []],
    [
      'a small MGO ROB 0.4 t off (within 0.5 t)',
      { rob: { HFO: 812.4, MGO: 17.9 } },
      { previous: { ...previous, rob: { HFO: 843.6, MGO: 20 } } },
      [],
      [],
    ],
    [
      'a small MGO ROB 0.6 t off (more than 0.5 t)',
      { rob: { HFO: 812.4, MGO: 18.1 } },
      { previous: { ...previous, rob: { HFO: 843.6, MGO: 20 } } },
      [],
      [['rob-balance', '/rob/MGO']],
    ],
    ['bunkered fuel accounted for', { bunkered: { HFO: 500 }, rob: { HFO: 1_312.4, MGO: 96.5 } }, {}, [], []],
    [
      'bunkered fuel not reported',
      { rob: { HFO: 1_312.4, MGO: 96.5 } },
      {},
      [],
      [['rob-balance', '/rob/HFO']],
    ],
    ['a fuel left out of ROB counts as 0 t', { rob: { HFO: 812.4 } }, {}, [], [['rob-balance', '/rob/MGO']]],
    [
      'distance 15 % above speed × time sailing',
      { distanceNm: 358.8 },
      {},
      [],
      [['distance-speed', '/distanceNm']],
    ],
    ['distance 5 % below speed × time sailing', { distanceNm: 296.4 }, {}, [], []],
    [
      'distance while not sailing',
      { timeSailingHours: 0, timeAnchoredHours: 24, distanceNm: 12 },
      {},
      [],
      [['distance-speed', '/distanceNm']],
    ],
    ['no GPS speed: distance not checked', { averageSpeedGpsKnots: undefined, distanceNm: 500 }, {}, [], []],
    [
      'sailing + anchored + drifting longer than the period',
      { timeSailingHours: 20, timeAnchoredHours: 3, timeDriftingHours: 2, distanceNm: 260 },
      {},
      [],
      [['time-budget', '/timeSailingHours']],
    ],
    [
      'main engine running longer than the period',
      { meRunningHours: 26 },
      {},
      [],
      [['me-running-hours', '/meRunningHours']],
    ],
  ])('%s', (_name, changes, neighbours, errors, warnings) => {
    const outcome = checkNoonReport(
      { ...report, ...changes },
      {
        previous: neighbours.previous === undefined ? previous : neighbours.previous,
        next: neighbours.next ?? null,
      },
    );
    expect(outcome.errors.map((finding) => [finding.check, finding.pointer])).toEqual(errors);
    expect(outcome.warnings.map((finding) => [finding.check, finding.pointer])).toEqual(warnings);
  });

  it('explains a ROB mismatch with the figures', () => {
    const { warnings } = checkNoonReport(
      { ...report, rob: { HFO: 802.4, MGO: 96.5 } },
      { previous, next: null },
    );
    expect(warnings[0]?.message).toBe(
      '802.4 t reported, 812.4 t expected (previous ROB 843.6 − consumed 31.2 + bunkered 0)',
    );
  });
});

describe('noon report arithmetic', () => {
  it('sums consumption over consumers per fuel', () => {
    expect(totalConsumption({ ME: { HFO: 31.2, MGO: 0.5 }, AE: { MGO: 2.1 }, Boiler: { MGO: 0.4 } })).toEqual(
      {
        HFO: 31.2,
        MGO: 3,
      },
    );
    expect(totalConsumption({})).toEqual({});
  });

  it('starts the period at reportedAt minus the time since the previous report', () => {
    expect(periodStartOf({ reportedAt: '2026-03-14T12:00:00Z', timeSincePreviousReportHours: 24.5 })).toEqual(
      new Date('2026-03-13T11:30:00Z'),
    );
  });
});
