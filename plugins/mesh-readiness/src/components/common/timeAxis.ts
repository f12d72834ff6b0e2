import type { XAxisProps } from 'recharts';
import { formatDate, formatDateTime } from './labels';

/** Milliseconds since the epoch, as the charts' x values. */
export function timeOf(iso: string): number {
  return new Date(iso).getTime();
}

/** A chart time, as a date and time (the tooltip's label). */
export function formatTime(ms: number): string {
  return formatDateTime(new Date(ms).toISOString());
}

/** Below this span, ticks show the time of day as well as the date. */
const DAY_AND_A_HALF_MS = 36 * 3_600_000;

/**
 * How to write the times of points at `times` (ms): by date, or by date and
 * time when they span less than a day and a half, so that they differ.
 */
export function timeFormatFor(times: number[]): (ms: number) => string {
  const span = Math.max(...times) - Math.min(...times);
  return span < DAY_AND_A_HALF_MS
    ? formatTime
    : (ms: number) => formatDate(new Date(ms).toISOString());
}

/**
 * The props of a chart's XAxis over `at` (see `timeOf`), for points at
 * `times`: spaced by time, so that snapshots taken minutes or days apart
 * sit as far apart as they are; ticked as `timeFormatFor` writes them.
 */
export function timeAxis(times: number[]): XAxisProps {
  return {
    dataKey: 'at',
    type: 'number',
    scale: 'time',
    domain: ['dataMin', 'dataMax'],
    tickFormatter: timeFormatFor(times),
    tick: { fontSize: 12 },
  };
}
