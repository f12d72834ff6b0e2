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

/**
 * The props of a chart's XAxis over `at` (see `timeOf`): spaced by time, so
 * that snapshots taken minutes or days apart sit as far apart as they are,
 * ticked by date.
 */
export const TIME_AXIS: XAxisProps = {
  dataKey: 'at',
  type: 'number',
  scale: 'time',
  domain: ['dataMin', 'dataMax'],
  tickFormatter: (ms: number) => formatDate(new Date(ms).toISOString()),
  tick: { fontSize: 12 },
};
