import { servicesCsv } from './csv';

describe('servicesCsv', () => {
  const row = {
    entityRef: 'component:default/a',
    name: 'a',
    score: 50,
    coverage: 0.5,
    level: 'pilot-ready' as const,
    failing: [],
    unknown: [],
    problems: 0,
    retryRisk: false,
  };

  it('keeps a line break inside its cell, so a formula after it stays text', () => {
    const csv = servicesCsv([
      { ...row, title: 'ok\n=HYPERLINK("x")' },
      { ...row, title: 'ok\r@SUM(1)' },
    ]);
    // Quoted, the line break belongs to the title cell: a spreadsheet reads
    // 'ok', a break and the text, never a cell that starts with '='.
    expect(csv).toContain('"ok\n=HYPERLINK(""x"")"');
    expect(csv).toContain('"ok\r@SUM(1)"');
  });

  it('ends each line with whether the row was inspected, empty when unknown', () => {
    const lines = servicesCsv([
      { ...row, inspected: true },
      { ...row, inspected: false },
      row,
    ]).split('\r\n');
    expect(lines[0].split(',').pop()).toBe('inspected');
    expect(lines.slice(1, 4).map(l => l.split(',').pop())).toEqual([
      'true',
      'false',
      '',
    ]);
  });

  it('prefixes a cell that starts like a formula', () => {
    expect(servicesCsv([{ ...row, title: '=1+1' }])).toContain("'=1+1");
  });
});
