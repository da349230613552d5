import { formatTimestamp } from '../rfc3339.js';

const TIME_OF_DAY = /^(\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const MS_PER_DAY = 86_400_000;

/**
 * Dates a time of day (a GGA's `timeOfDay`, `hh:mm:ss.sss` UTC) by taking the day, among the
 * reference's UTC day and the days either side, that puts it nearest the reference. Right whenever the
 * reference is within 12 hours of the fix, e.g. the send time of the batch the sentence came in or a
 * dated sentence (RMC, ZDA) next to it; wrong for a batch delayed by more than that, so do not use the
 * receive time of late satellite batches as the reference.
 */
export function timestampFromTimeOfDay(timeOfDay: string, reference: Date): string {
  const match = TIME_OF_DAY.exec(timeOfDay);
  if (match === null) throw new RangeError(`expected hh:mm:ss.sss, got ${JSON.stringify(timeOfDay)}`);
  const [hour, minute, second, millisecond] = match.slice(1).map(Number) as [number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59) throw new RangeError(`not a time of day: ${timeOfDay}`);
  const sinceMidnight = ((hour * 60 + minute) * 60 + second) * 1000 + millisecond;
  const referenceTime = reference.getTime();
  const referenceMidnight = Math.floor(referenceTime / MS_PER_DAY) * MS_PER_DAY;
  const candidates = [-1, 0, 1].map((days) => referenceMidnight + days * MS_PER_DAY + sinceMidnight);
  const nearest = candidates.reduce((best, candidate) =>
    Math.abs(candidate - referenceTime) < Math.abs(best - referenceTime) ? candidate : best,
  );
  return formatTimestamp(nearest);
}
