import path from 'node:path';
import type { Finding, LoadResult } from './files';

/** Output formats of `lint`. */
export const LINT_FORMATS = ['text', 'github', 'sarif'] as const;
export type LintFormat = (typeof LINT_FORMATS)[number];

const RULES: Record<string, string> = {
  annotation: 'A mesh-readiness.io annotation or compliance tag is malformed',
  yaml: 'A catalog file is not valid YAML',
  'too-large': 'A catalog file is over the size the CLI reads',
  unreadable: 'A file cannot be read',
  'duplicate-ref': 'Two entities have the same entity ref',
  'invalid-entity': 'A catalog entity the catalog would reject',
  'location-url': 'A Location target is a URL, which the CLI does not follow',
  'location-missing': 'A Location target names no file',
  'outside-folders': 'A path outside the given folders is not read',
  'definition-url':
    'An API definition is a URL, which the CLI does not read (the backend does)',
  'definition-unreadable': 'An API definition file cannot be read',
  'not-an-entity': 'A YAML file holds no catalog entity',
  template: 'A template (scaffolder or cookiecutter) is not linted',
};

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The summary lines after the findings: skipped files, then the counts. */
function summary(load: LoadResult, findings: Finding[]): string[] {
  const lines: string[] = [];
  const { files, documents } = load.skipped;
  if (files + documents > 0) {
    lines.push(
      `Skipped ${[
        files > 0 ? plural(files, 'YAML file') : '',
        documents > 0 ? plural(documents, 'YAML document') : '',
      ]
        .filter(Boolean)
        .join(
          ' and ',
        )} that are not catalog entities (OpenAPI, mkdocs, CI workflows, …)`,
    );
  }
  const count = (s: Finding['severity']) =>
    findings.filter(f => f.severity === s).length;
  const errors = count('error');
  const rest = [
    count('warning') > 0 ? plural(count('warning'), 'warning') : '',
    count('note') > 0 ? plural(count('note'), 'note') : '',
  ].filter(Boolean);
  const tail = rest.length > 0 ? ` (${rest.join(', ')})` : '';
  const entities = load.entities.length;
  lines.push(
    errors > 0
      ? `${plural(errors, 'problem')} in ${entities} entities${tail}`
      : `No problems in ${entities} entities${tail}`,
  );
  return lines;
}

function textLine(f: Finding): string {
  const where = f.line ? `${f.file}:${f.line}` : f.file;
  const label = f.severity === 'error' ? '' : `${f.severity}: `;
  return `${where}: ${label}${f.message}`;
}

/** GitHub Actions workflow commands: `::error file=…,line=…::message`. */
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function githubLine(f: Finding): string {
  const command = { error: 'error', warning: 'warning', note: 'notice' }[
    f.severity
  ];
  const props = [
    `file=${escapeProperty(f.file.split(path.sep).join('/'))}`,
    ...(f.line ? [`line=${f.line}`] : []),
    `title=${escapeProperty(`mesh-readiness ${f.rule}`)}`,
  ];
  return `::${command} ${props.join(',')}::${escapeData(f.message)}`;
}

/** A SARIF 2.1.0 log, as GitHub code scanning reads it. */
function sarif(load: LoadResult, findings: Finding[], version: string) {
  const used = [...new Set(findings.map(f => f.rule))].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'mesh-readiness',
            version,
            rules: used.map(id => ({
              id,
              shortDescription: { text: RULES[id] ?? id },
            })),
          },
        },
        results: findings.map(f => ({
          ruleId: f.rule,
          level: f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: {
                  uri: f.file.split(path.sep).join('/'),
                  uriBaseId: '%SRCROOT%',
                },
                ...(f.line ? { region: { startLine: f.line } } : {}),
              },
            },
          ],
        })),
        properties: {
          entities: load.entities.length,
          skippedFiles: load.skipped.files,
          skippedDocuments: load.skipped.documents,
        },
      },
    ],
  };
}

/** Prints the findings of `lint` in the given format. */
export function formatLint(
  load: LoadResult,
  findings: Finding[],
  format: LintFormat,
  version: string,
): string {
  if (format === 'sarif') {
    return `${JSON.stringify(sarif(load, findings, version), null, 2)}\n`;
  }
  const line = format === 'github' ? githubLine : textLine;
  const out = findings.map(line);
  if (out.length > 0) out.push('');
  out.push(...summary(load, findings));
  return `${out.join('\n')}\n`;
}
