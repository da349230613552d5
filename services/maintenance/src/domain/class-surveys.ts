import { addMonths, type IsoDate } from './dates.js';

export type SurveyKind = 'annual' | 'intermediate' | 'special';

export interface SurveyItem {
  kind: SurveyKind;
  /** Annual 1..4, intermediate 1, special 1. */
  number: number;
  dueDate: IsoDate;
  windowStart: IsoDate;
  windowEnd: IsoDate;
}

// ISO dates order as plain strings; localeCompare would bring locale rules into it.
const compare = (a: IsoDate, b: IsoDate): number => (a < b ? -1 : a > b ? 1 : 0);

const KIND_ORDER: Record<SurveyKind, number> = { annual: 0, intermediate: 1, special: 2 };

/**
 * The surveys of the 5-year class period starting at `periodStart` (IACS Z7-style windows):
 * - anniversary n is periodStart + 12n months, so a 29 February start falls on 28 February in common years;
 * - annual survey n (1..4): anniversary − 3 months … anniversary + 3 months, due at the window end;
 * - intermediate survey, held in place of the 2nd or 3rd annual: 2nd anniversary − 3 months …
 *   3rd anniversary + 3 months, due at the window end;
 * - special survey: may commence from the 4th anniversary − 3 months and must be completed by the
 *   5th anniversary, which is its due date and window end.
 * Window edges are counted from the (clamped) anniversary, not from the period start.
 */
export function classSurveyCycle(periodStart: IsoDate): SurveyItem[] {
  const anniversary = (n: number): IsoDate => addMonths(periodStart, 12 * n);
  const item = (kind: SurveyKind, number: number, windowStart: IsoDate, windowEnd: IsoDate): SurveyItem => ({
    kind,
    number,
    dueDate: windowEnd,
    windowStart,
    windowEnd,
  });
  const items = [1, 2, 3, 4].map((n) =>
    item('annual', n, addMonths(anniversary(n), -3), addMonths(anniversary(n), 3)),
  );
  items.push(item('intermediate', 1, addMonths(anniversary(2), -3), addMonths(anniversary(3), 3)));
  items.push(item('special', 1, addMonths(anniversary(4), -3), anniversary(5)));
  return items.sort(
    (a, b) => compare(a.dueDate, b.dueDate) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.number - b.number,
  );
}
