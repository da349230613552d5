import { addDays, addMonths, daysBetween, parseIsoDate, type IsoDate } from './dates.js';

export interface CalendarInterval {
  unit: 'days' | 'months';
  /** A whole number ≥ 1. */
  value: number;
}

export interface JobSchedule {
  calendarInterval: CalendarInterval | null;
  /** Running hours, > 0. */
  hoursInterval: number | null;
  /** Whole days ≥ 0: the window either side of the calendar due date. */
  toleranceDays: number;
  /** Hours ≥ 0: the window either side of the due hours. */
  toleranceHours: number;
}

/** The last completion, or the baseline recorded when the job was set up. */
export interface LastDone {
  date: IsoDate;
  runningHours: number | null;
}

/** The component's cumulative running hours now, and its recent average use per day if known. */
export interface CounterState {
  runningHours: number;
  averageDailyHours: number | null;
}

/** An approved postponement: it replaces the due date and/or due hours of the current cycle only. */
export interface Postponement {
  dueDate?: IsoDate;
  dueHours?: number;
}

export type DueStatus = 'planned' | 'due' | 'overdue';

export interface DueState {
  dueDate: IsoDate | null;
  dueHours: number | null;
  hoursLeft: number | null;
  estimatedHoursDueDate: IsoDate | null;
  effectiveDueDate: IsoDate | null;
  governedBy: 'calendar' | 'hours';
  status: DueStatus;
  overdueDays: number;
  overdueHours: number;
}

export function addInterval(date: IsoDate, interval: CalendarInterval): IsoDate {
  if (!Number.isInteger(interval.value) || interval.value < 1) {
    throw new RangeError(`a calendar interval must be a whole number ≥ 1, got ${interval.value}`);
  }
  return interval.unit === 'months' ? addMonths(date, interval.value) : addDays(date, interval.value);
}

function requireNonNegative(value: number, name: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number ≥ 0`);
}

function validate(schedule: JobSchedule, postponement: Postponement | null | undefined): void {
  const { calendarInterval, hoursInterval, toleranceDays, toleranceHours } = schedule;
  if (!calendarInterval && hoursInterval === null) {
    throw new RangeError('a schedule needs a calendar interval, an hours interval or both');
  }
  if (hoursInterval !== null && (!Number.isFinite(hoursInterval) || hoursInterval <= 0)) {
    throw new RangeError('hoursInterval must be a finite number > 0');
  }
  if (!Number.isInteger(toleranceDays) || toleranceDays < 0) {
    throw new RangeError('toleranceDays must be a whole number ≥ 0');
  }
  requireNonNegative(toleranceHours, 'toleranceHours');
  // A postponement can only move a limit the job has; silently adding one would hide a data error.
  if (postponement?.dueDate !== undefined) {
    if (!calendarInterval) throw new RangeError('a due-date postponement needs a calendar interval');
    parseIsoDate(postponement.dueDate);
  }
  if (postponement?.dueHours !== undefined) {
    if (hoursInterval === null) throw new RangeError('a due-hours postponement needs an hours interval');
    requireNonNegative(postponement.dueHours, 'postponement.dueHours');
  }
}

/**
 * Where a job stands today. Each limit is judged on its own, with its own tolerance window, and the
 * worse verdict wins: a job on both calendar and running hours is due at whichever comes first.
 */
export function dueState(input: {
  schedule: JobSchedule;
  lastDone: LastDone;
  counter: CounterState | null;
  today: IsoDate;
  postponement?: Postponement | null;
}): DueState {
  const { schedule, lastDone, counter, today, postponement } = input;
  validate(schedule, postponement);
  parseIsoDate(today);
  parseIsoDate(lastDone.date);

  let dueDate: IsoDate | null = null;
  let overdueDays = 0;
  let dateWindowOpen = false;
  if (schedule.calendarInterval) {
    dueDate = postponement?.dueDate ?? addInterval(lastDone.date, schedule.calendarInterval);
    overdueDays = Math.max(0, daysBetween(addDays(dueDate, schedule.toleranceDays), today));
    dateWindowOpen = today >= addDays(dueDate, -schedule.toleranceDays);
  }

  let dueHours: number | null = null;
  let hoursLeft: number | null = null;
  let estimatedHoursDueDate: IsoDate | null = null;
  let overdueHours = 0;
  let hoursWindowOpen = false;
  if (schedule.hoursInterval !== null) {
    if (lastDone.runningHours === null || !counter) {
      throw new RangeError('an hour-based job needs the running hours at its last completion and a counter');
    }
    requireNonNegative(lastDone.runningHours, 'lastDone.runningHours');
    requireNonNegative(counter.runningHours, 'counter.runningHours');
    requireNonNegative(counter.averageDailyHours ?? 0, 'averageDailyHours');
    dueHours = postponement?.dueHours ?? lastDone.runningHours + schedule.hoursInterval;
    hoursLeft = dueHours - counter.runningHours;
    overdueHours = Math.max(0, counter.runningHours - (dueHours + schedule.toleranceHours));
    hoursWindowOpen = counter.runningHours >= dueHours - schedule.toleranceHours;
    // Hours already reached are due today whatever the rate; otherwise a job past its hours but with no
    // recent readings would sort behind its far-off calendar date.
    const average = counter.averageDailyHours ?? 0;
    if (hoursLeft <= 0) estimatedHoursDueDate = today;
    else if (average > 0) estimatedHoursDueDate = addDays(today, Math.ceil(hoursLeft / average));
  }

  const hoursFirst = estimatedHoursDueDate !== null && (dueDate === null || estimatedHoursDueDate < dueDate);
  const status: DueStatus =
    overdueDays > 0 || overdueHours > 0 ? 'overdue' : dateWindowOpen || hoursWindowOpen ? 'due' : 'planned';
  return {
    dueDate,
    dueHours,
    hoursLeft,
    estimatedHoursDueDate,
    effectiveDueDate: hoursFirst ? estimatedHoursDueDate : dueDate,
    governedBy: hoursFirst || dueDate === null ? 'hours' : 'calendar',
    status,
    overdueDays,
    overdueHours,
  };
}

/**
 * The baseline of the next cycle. Policy: the next due date and hours count from the actual completion,
 * not from the old due date, so a job done early or late keeps its full interval afterwards.
 */
export function nextCycleBaseline(completion: { date: IsoDate; runningHours: number | null }): LastDone {
  parseIsoDate(completion.date);
  return { date: completion.date, runningHours: completion.runningHours };
}
