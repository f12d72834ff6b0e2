import { timeAxis, timeOf } from './timeAxis';

describe('timeAxis', () => {
  const tick = (times: number[], at: number) =>
    (timeAxis(times).tickFormatter as (ms: number) => string)(at);

  it('ticks snapshots taken within a day by their time, so they are told apart', () => {
    const a = timeOf('2026-12-06T09:00:00Z');
    const b = timeOf('2026-12-06T09:30:00Z');
    expect(tick([a, b], a)).not.toBe(tick([a, b], b));
    expect(tick([a, b], a)).toMatch(/\d:\d\d/);
  });

  it('ticks snapshots spread over weeks by their date only', () => {
    const a = timeOf('2026-11-01T09:00:00Z');
    const b = timeOf('2026-12-06T09:30:00Z');
    expect(tick([a, b], a)).not.toMatch(/\d:\d\d/);
    expect(tick([a, b], a)).toMatch(/2026/);
  });

  it('spaces points by time, not one slot each', () => {
    expect(timeAxis([0, 1])).toMatchObject({
      dataKey: 'at',
      type: 'number',
      scale: 'time',
    });
  });
});
