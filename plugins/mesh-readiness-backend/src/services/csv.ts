import { stringify } from 'csv-stringify/sync';
import type { ServiceRowWithCoverage } from '../database/types';

/**
 * Characters that make a spreadsheet treat a cell as a formula (OWASP CSV
 * injection): = + - @, and tab and carriage return, which some programs
 * strip before looking.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Makes a cell inert in spreadsheets by prefixing a quote when needed. */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export const CSV_COLUMNS: Array<{
  header: string;
  value: (r: ServiceRowWithCoverage) => unknown;
}> = [
  { header: 'entityRef', value: r => r.entityRef },
  { header: 'name', value: r => r.name },
  { header: 'title', value: r => r.title },
  { header: 'type', value: r => r.type },
  { header: 'lifecycle', value: r => r.lifecycle },
  { header: 'owner', value: r => r.owner },
  { header: 'system', value: r => r.system },
  { header: 'domain', value: r => r.domain },
  { header: 'score', value: r => r.score },
  { header: 'coverage', value: r => r.coverage },
  { header: 'level', value: r => r.level },
  { header: 'failing', value: r => r.failing.join(' ') },
  { header: 'unknown', value: r => r.unknown.join(' ') },
  { header: 'problems', value: r => r.problems },
  { header: 'retryRisk', value: r => r.retryRisk },
  // Empty for rows of snapshots taken before rows kept it.
  { header: 'inspected', value: r => r.inspected },
];

/** The CSV text of /services rows: a header, then one line per row. */
export function servicesCsv(rows: ServiceRowWithCoverage[]): string {
  const records = rows.map(row =>
    CSV_COLUMNS.map(column => {
      const value = column.value(row);
      return value === undefined || value === null
        ? ''
        : neutraliseCell(String(value));
    }),
  );
  return stringify([CSV_COLUMNS.map(c => c.header), ...records], {
    record_delimiter: '\r\n',
    // A lone CR or LF ends a line in some spreadsheets: quote any cell
    // holding one, so that no text after it starts a cell of its own.
    quoted_match: /[\r\n]/,
  });
}
