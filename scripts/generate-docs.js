#!/usr/bin/env node
/*
 * Writes the generated parts of docs/annotations.md from the model: the
 * annotation tables (from ANNOTATION_SPECS, joined with what each check
 * reads) and the check tables (from listChecks()). Each generated part
 * sits between `<!-- generated:NAME -->` and `<!-- end:NAME -->`.
 *
 * Also writes the JSON Schema of catalog-info.yaml that the common package
 * ships (plugins/mesh-readiness-common/schema/catalog-info.schema.json),
 * generated from ANNOTATION_SPECS too; see docs/editing-yaml.md.
 *
 *   yarn docs:generate        # rewrite the generated parts and the schema
 *   yarn docs:check           # exit 1 when the committed files differ
 */
require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');
const {
  ANNOTATION_SPECS,
  ANNOTATION_WAIVE_PREFIX,
  listChecks,
} = require('@mesh-readiness/plugin-mesh-readiness-common');

const COMMON = path.join(__dirname, '..', 'plugins', 'mesh-readiness-common');
const { CATALOG_INFO_SCHEMA_PATH, catalogInfoSchema } = require(path.join(
  COMMON,
  'src',
  'catalogInfoSchema',
));

const DOC = path.join(__dirname, '..', 'docs', 'annotations.md');
const SCHEMA = path.join(COMMON, CATALOG_INFO_SCHEMA_PATH);
const check = process.argv.includes('--check');

const checks = listChecks();

/** A table cell: pipes escaped, never a line break. */
function cell(text) {
  return String(text)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(row => `| ${row.map(cell).join(' | ')} |`),
  ].join('\n');
}

function code(text) {
  return `\`${text}\``;
}

/** The checks that read a key or field, and whatever else the spec says reads it. */
function readers(key, feeds) {
  const ids = checks.filter(c => (c.reads ?? []).includes(key)).map(c => c.id);
  return [ids.map(code).join(', '), feeds].filter(Boolean).join('; ');
}

function annotationTable(appliesTo, extraRows = []) {
  const rows = ANNOTATION_SPECS.filter(s => s.appliesTo === appliesTo).map(
    s => [
      `${code(s.key)}${s.addedAfterV1 ? ' _(added after v1)_' : ''}`,
      s.values,
      code(JSON.stringify(s.example)),
      readers(s.key, s.feeds),
    ],
  );
  return table(
    ['key', 'values', 'example', 'read by'],
    [...rows, ...extraRows],
  );
}

function checkTable(scope) {
  return table(
    ['id', 'title', 'weight', 'gate', 'reads', 'sources'],
    checks
      .filter(c => c.scope === scope)
      .map(c => [
        code(c.id),
        c.title,
        c.weight,
        c.gate ? 'yes' : '',
        (c.reads ?? []).map(code).join(', '),
        c.sources.map(s => `[${s.title}](${s.url})`).join(', '),
      ]),
  );
}

const parts = {
  'component-annotations': annotationTable('component', [
    [
      code(`${ANNOTATION_WAIVE_PREFIX}<check-id>`),
      '`YYYY-MM-DD reason`: a waiver for one check until that date',
      code('"2027-03-31 vendor image runs as uid 1337; JIRA-412"'),
      'waivers (expired ones are ignored and flagged)',
    ],
  ]),
  'group-annotations': annotationTable('group'),
  'cluster-annotations': annotationTable('cluster'),
  'entity-checks': checkTable('entity'),
  'org-checks': checkTable('org'),
};

function generate(text) {
  let out = text;
  for (const [name, body] of Object.entries(parts)) {
    const start = `<!-- generated:${name} -->`;
    const end = `<!-- end:${name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) {
      throw new Error(`${DOC} has no ${start} … ${end} section`);
    }
    out = `${out.slice(0, from + start.length)}\n\n${body}\n\n${out.slice(to)}`;
  }
  const options = prettier.resolveConfig.sync(DOC) ?? {};
  return prettier.format(out, { ...options, filepath: DOC });
}

function schemaText() {
  const options = prettier.resolveConfig.sync(SCHEMA) ?? {};
  return prettier.format(JSON.stringify(catalogInfoSchema()), {
    ...options,
    filepath: SCHEMA,
  });
}

function readOrEmpty(file) {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

const outputs = [
  { file: DOC, what: 'the generated parts of', wanted: generate },
  { file: SCHEMA, what: '', wanted: schemaText },
];

let stale = 0;
for (const output of outputs) {
  const name = path.relative(path.join(__dirname, '..'), output.file);
  const current = readOrEmpty(output.file);
  const wanted = output.wanted(current);
  if (check) {
    if (wanted !== current) {
      console.error(
        `${name} is out of date with the model: run \`yarn docs:generate\` and commit the result.`,
      );
      stale++;
    } else {
      console.log(`${name} matches the model.`);
    }
  } else {
    fs.mkdirSync(path.dirname(output.file), { recursive: true });
    fs.writeFileSync(output.file, wanted);
    console.log(`Wrote ${output.what ? `${output.what} ` : ''}${name}.`);
  }
}
if (stale > 0) {
  process.exit(1);
}
