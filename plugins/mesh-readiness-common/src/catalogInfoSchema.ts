/*
 * The JSON Schema (draft-07) of a catalog-info.yaml document that carries
 * `mesh-readiness.io/*` annotations, generated from ANNOTATION_SPECS. Editors
 * that use the YAML language server (VS Code's YAML extension, and the other
 * editors it serves) read it to complete the keys, describe them on hover
 * and underline a malformed value as it is typed.
 *
 * `yarn docs:generate` writes it to schema/catalog-info.schema.json, shipped
 * as `@mesh-readiness/plugin-mesh-readiness-common/catalog-info.schema.json`,
 * and `yarn docs:check` fails when the committed file is stale.
 *
 * It follows parseAnnotations: a pattern rejects only what the parser
 * rejects (so words match in any case, whitespace around values and list
 * items is allowed, numbers may have leading zeros, waiver dates must exist
 * in the calendar), and a key is refused on an entity kind that does not
 * read it. What a pattern cannot say is left to the parser: lists longer
 * than 200 items, a decimal number above its maximum by a fraction only,
 * waivers that name a check which does not exist, and prefixes that merely
 * look like `mesh-readiness.io/`.
 *
 * `errorMessage` and `patternErrorMessage` are the YAML language server's
 * keywords for the text of a problem; `markdownDescription` is its hover.
 */
import {
  ANNOTATION_PREFIX,
  ANNOTATION_SPECS,
  ANNOTATION_WAIVE_PREFIX,
  type AnnotationFormat,
  type AnnotationSpec,
} from './annotations';
import { ENTITY_CHECK_IDS, GATE_IDS, ORG_CHECK_IDS } from './checkIds';
import { listChecks } from './engine';
import { MAX_VALUE_LENGTH, VERSION_RE } from './util';

type Schema = { [keyword: string]: unknown };
type Kind = AnnotationSpec['appliesTo'];

/** Where the schema is written, relative to the package. */
export const CATALOG_INFO_SCHEMA_PATH = 'schema/catalog-info.schema.json';

const KINDS: readonly Kind[] = ['component', 'group', 'cluster'];

/** The entity each kind of key applies to, worded as the parser words it. */
const KIND_WORDS: Record<Kind, string> = {
  component: 'a Component',
  group: 'a Group',
  cluster: "a Resource of spec.type 'kubernetes-cluster'",
};

// ---------------------------------------------------------------------------
// Regular expressions (ECMA-262 with the `u` flag, as both the YAML language
// server and ajv compile them). Built as text: JSON Schema has no flags.

/** One character as a pattern atom; anything outside printable ASCII as `\uXXXX`. */
function atom(ch: string, inClass: boolean): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code > 0x7e) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  const special = inClass ? /[\\\]\[^-]/ : /[\\^$.*+?()[\]{}|]/;
  return special.test(ch) ? `\\${ch}` : ch;
}

function charClass(chars: readonly string[]): string {
  return chars.length === 1
    ? atom(chars[0], false)
    : `[${chars.map(ch => atom(ch, true)).join('')}]`;
}

function literal(text: string): string {
  return [...text].map(ch => atom(ch, false)).join('');
}

type Fold = 'lower' | 'upper';

const foldTables = new Map<Fold, Map<string, string[]>>();

/**
 * For every printable-ASCII text, the other characters that fold to it:
 * `'K'.toLowerCase()` is `k`, and so is the Kelvin sign's; `'ſ'` upper-cases
 * to `S` and the ligature `ﬆ` to `ST`. The parser folds the whole value
 * with toLowerCase (words) or toUpperCase (HTTP methods), so a faithful
 * pattern accepts every one of them. Only the BMP folds into ASCII.
 */
function foldTable(fold: Fold): Map<string, string[]> {
  let table = foldTables.get(fold);
  if (!table) {
    table = new Map();
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) {
        continue;
      }
      const ch = String.fromCharCode(code);
      const text = fold === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
      if (text !== ch && /^[\x20-\x7e]+$/.test(text)) {
        table.set(text, [...(table.get(text) ?? []), ch]);
      }
    }
    foldTables.set(fold, table);
  }
  return table;
}

/** A pattern for every text that folds to `word`. */
function folded(word: string, fold: Fold): string {
  const table = foldTable(fold);
  const from = (i: number): string => {
    if (i === word.length) {
      return '';
    }
    const options = [
      charClass([word[i], ...(table.get(word[i]) ?? [])]) + from(i + 1),
    ];
    for (const [text, chars] of table) {
      if (text.length > 1 && word.startsWith(text, i)) {
        options.push(charClass(chars) + from(i + text.length));
      }
    }
    return options.length === 1 ? options[0] : `(?:${options.join('|')})`;
  };
  return from(0);
}

function oneOfWords(words: readonly string[], fold: Fold): string {
  const longestFirst = [...words].sort((a, b) => b.length - a.length);
  return `(?:${longestFirst.map(w => folded(w, fold)).join('|')})`;
}

function repeat(n: number): string {
  if (n === 0) {
    return '';
  }
  return n === 1 ? '\\d' : `\\d{${n}}`;
}

/** Digits of a whole number from `min` (0 or 1) to `max`, leading zeros allowed. */
function wholeNumber(min: number, max: number): string {
  if ((min !== 0 && min !== 1) || !Number.isSafeInteger(max) || max < 1) {
    throw new Error(`no pattern for whole numbers from ${min} to ${max}`);
  }
  const top = String(max);
  const options: string[] = [];
  if (top.length === 2) {
    options.push('[1-9]');
  } else if (top.length > 2) {
    // Every number with fewer digits than max.
    options.push(`[1-9]\\d{0,${top.length - 2}}`);
  }
  for (let i = 0; i < top.length; i++) {
    const digit = Number(top[i]);
    const low = i === 0 ? 1 : 0;
    if (digit > low) {
      const range = digit - 1 === low ? `${low}` : `[${low}-${digit - 1}]`;
      options.push(`${top.slice(0, i)}${range}${repeat(top.length - i - 1)}`);
    }
  }
  options.push(top);
  const positive = `(?:${options.join('|')})`;
  return min === 0 ? `(?:0+|0*${positive})` : `0*${positive}`;
}

/**
 * A comma-separated list as the parser splits it: items trimmed, empty
 * items skipped, at least one item. `item` must not start with whitespace.
 */
function list(item: string): string {
  return `[\\s,]*(?:${item}\\s*(?:,[\\s,]*|$))+`;
}

const PORT = wholeNumber(1, 65535);
const OCTET = '(?:[01]?\\d?\\d|2[0-4]\\d|25[0-5])';
const HEX = '0-9a-fA-F';

function ipAddress(): string {
  const ipv4 = `${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}`;
  // What the parser takes for IPv6: hex digits, ':' and '.', with at least
  // one ':', at most 45 characters, optionally in brackets.
  const ipv6 = `(?=[\\[\\]${HEX}:.]{1,45}\\s*$)\\[?[${HEX}.]*:[${HEX}:.]*\\]?`;
  return `(?:${folded('localhost', 'lower')}|\\*|${ipv4}|${ipv6})`;
}

/** The pattern of the values of `format` that the parser reads. */
function formatPattern(format: AnnotationFormat): string {
  switch (format.type) {
    case 'word':
      return `^\\s*${oneOfWords(format.words, 'lower')}\\s*$`;
    case 'word-list': {
      const items = list(oneOfWords(format.words, 'lower'));
      return format.alone === undefined
        ? `^${items}$`
        : `^(?:\\s*${folded(format.alone, 'lower')}\\s*|${items})$`;
    }
    case 'boolean':
      return `^\\s*${oneOfWords(['true', 'false'], 'lower')}\\s*$`;
    case 'integer':
      return `^\\s*${wholeNumber(format.min, format.max)}\\s*$`;
    case 'number':
      return `^\\s*${wholeNumber(format.min, format.max)}(?:\\.\\d+)?\\s*$`;
    case 'port-protocol-list':
      return `^${list(
        `${PORT}\\s*/\\s*${oneOfWords(format.protocols, 'lower')}`,
      )}$`;
    case 'port-list':
      return `^${list(PORT)}$`;
    case 'ip-address':
      return `^\\s*${ipAddress()}\\s*$`;
    case 'route-list':
      return `^${list(
        `(?:${oneOfWords(
          format.methods,
          'upper',
        )}\\s+/[^,]*|[A-Za-z_][\\w.]*/[A-Za-z_]\\w*)`,
      )}$`;
    case 'path-list':
      return `^${list(
        '[^,\\s\\x00-\\x1f](?:[^,\\x00-\\x1f]*[^,\\s\\x00-\\x1f])?',
      )}$`;
    case 'version':
      return `^\\s*${VERSION_RE.source.replace(/^\^|\$$/g, '')}\\s*$`;
    case 'text':
      return '\\S';
    default:
      throw new Error(
        `no pattern for format ${JSON.stringify(format as unknown)}`,
      );
  }
}

/** What a value of `format` is, in words, for the message of a bad value. */
function formatWords(format: AnnotationFormat): string {
  switch (format.type) {
    case 'word':
      return `one of ${format.words.join(', ')}`;
    case 'word-list':
      return `a comma-separated list of ${format.words.join(', ')}${
        format.alone ? `; or ${format.alone}` : ''
      }`;
    case 'boolean':
      return 'true or false';
    case 'integer':
      return `a whole number from ${format.min} to ${format.max}`;
    case 'number':
      return `a number from ${format.min} to ${format.max}`;
    case 'port-protocol-list':
      return `a comma-separated list of PORT/PROTOCOL (ports 1 to 65535; protocols ${format.protocols.join(
        ', ',
      )})`;
    case 'port-list':
      return 'a comma-separated list of ports from 1 to 65535';
    case 'ip-address':
      return "an IPv4 or IPv6 address, 'localhost' or '*'";
    case 'route-list':
      return `a comma-separated list of 'METHOD /path' (${format.methods.join(
        ', ',
      )}) or 'package.Service/Method'`;
    case 'path-list':
      return 'a comma-separated list of paths or URLs';
    case 'version':
      return 'a version, MAJOR.MINOR';
    case 'text':
      return 'text that is not blank';
    default:
      return 'a string';
  }
}

// ---------------------------------------------------------------------------
// Waivers

const YEAR = '(?!00)\\d{4}';
const LEAP_YEAR =
  '(?!00)(?:\\d\\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
/** A calendar date from the year 0100 on (the parser reads years 0–99 as 1900–1999 and refuses them). */
const DATE = `(?:${YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)|02-(?:0[1-9]|1\\d|2[0-8]))|${LEAP_YEAR}-02-29)`;
const WAIVER_PATTERN = `^\\s*${DATE}\\s+\\S[\\s\\S]*$`;
const WAIVER_EXAMPLE = '2027-03-31 vendor image runs as uid 1337; JIRA-412';

function waiverSchema(key: string | undefined, what: string): Schema {
  const named = key ?? 'A waiver';
  return {
    type: 'string',
    maxLength: MAX_VALUE_LENGTH,
    pattern: WAIVER_PATTERN,
    description: `${plain(
      what,
    )} Written 'YYYY-MM-DD reason'; it holds through that day (UTC), then it is ignored and flagged. Applies to a Component. Example: "${WAIVER_EXAMPLE}".`,
    markdownDescription: `${what}\n\nWritten \`YYYY-MM-DD reason\`; it holds through that day (UTC), then it is ignored and flagged. Applies to a Component.`,
    examples: [WAIVER_EXAMPLE],
    errorMessage: `${named}: quote the value; Backstage reads annotation values as strings, e.g. "${WAIVER_EXAMPLE}"`,
    patternErrorMessage: `${named} takes 'YYYY-MM-DD reason' with a date that exists, e.g. "${WAIVER_EXAMPLE}"`,
  };
}

// ---------------------------------------------------------------------------
// The schema

function plain(markdown: string): string {
  return markdown.replace(/`/g, '');
}

function annotationSchema(spec: AnnotationSpec, readBy: string): Schema {
  const words = spec.format.type === 'word' ? spec.format.words : undefined;
  const example = `${spec.key}: "${spec.example}"`;
  const applies = `Applies to ${KIND_WORDS[spec.appliesTo]}.`;
  const read = readBy ? `Read by ${readBy}.` : '';
  const added = spec.addedAfterV1 ? 'Added after contract v1.' : '';
  return {
    type: 'string',
    maxLength: MAX_VALUE_LENGTH,
    pattern: formatPattern(spec.format),
    description: [
      `Values: ${plain(spec.values)}.`,
      `Example: ${example}.`,
      applies,
      plain(read),
      added,
    ]
      .filter(Boolean)
      .join(' '),
    // The YAML language server shows `examples` under it on hover.
    markdownDescription: [
      `Values: ${spec.values}.`,
      [applies, read, added].filter(Boolean).join(' '),
    ].join('\n\n'),
    examples: words ? [...words] : [spec.example],
    errorMessage: `${spec.key}: quote the value; Backstage reads annotation values as strings, e.g. ${example}`,
    patternErrorMessage: `${spec.key} takes ${formatWords(
      spec.format,
    )}, e.g. "${spec.example}"`,
  };
}

function kindIs(word: string): Schema {
  return { type: 'string', pattern: `^${folded(word, 'lower')}$` };
}

/** Matches the entities the parser reads keys of `kind` on. */
function entityOfKind(kind: Kind): Schema {
  if (kind === 'cluster') {
    return {
      required: ['kind', 'spec'],
      properties: {
        kind: kindIs('resource'),
        spec: {
          type: 'object',
          required: ['type'],
          properties: { type: kindIs('kubernetes-cluster') },
        },
      },
    };
  }
  return { required: ['kind'], properties: { kind: kindIs(kind) } };
}

function withAnnotations(annotations: Schema): Schema {
  return {
    properties: { metadata: { properties: { annotations } } },
  };
}

/**
 * The JSON Schema of a catalog-info.yaml document with `mesh-readiness.io/*`
 * annotations, generated from ANNOTATION_SPECS and the check list.
 */
export function catalogInfoSchema(): Schema {
  const checks = listChecks();
  const readBy = (spec: AnnotationSpec) => {
    const ids = checks
      .filter(c => (c.reads ?? []).includes(spec.key))
      .map(c => `\`${c.id}\``);
    const byChecks = ids.length
      ? `the check${ids.length === 1 ? '' : 's'} ${ids.join(', ')}`
      : '';
    return [byChecks, spec.feeds].filter(Boolean).join('; ');
  };

  const keys: Record<string, unknown> = {};
  for (const spec of ANNOTATION_SPECS) {
    keys[spec.key] = annotationSchema(spec, readBy(spec));
  }
  for (const id of ENTITY_CHECK_IDS) {
    const title = checks.find(c => c.id === id)?.title;
    const key = `${ANNOTATION_WAIVE_PREFIX}${id}`;
    keys[key] = waiverSchema(
      key,
      `Waives the check \`${id}\`${title ? ` (${title})` : ''} until a date.`,
    );
  }

  const prefix = literal(ANNOTATION_PREFIX);
  const waivePrefix = literal(ANNOTATION_WAIVE_PREFIX);
  const suffixes = ANNOTATION_SPECS.map(s =>
    literal(s.key.slice(ANNOTATION_PREFIX.length)),
  );
  const builtInIds = ENTITY_CHECK_IDS.map(literal);
  const orgIds = [...GATE_IDS, ...ORG_CHECK_IDS];
  const knownKeys = `${ANNOTATION_SPECS.map(s =>
    s.key.slice(ANNOTATION_PREFIX.length),
  ).join(', ')} and waive.<check-id>`;

  const annotations: Schema = {
    type: 'object',
    description:
      'Backstage annotations. The mesh-readiness.io/ keys are the ones Mesh Readiness reads (docs/annotations.md); other annotations are left alone.',
    properties: keys,
    patternProperties: {
      // Waivers of checks other than the built-in ones (custom checks).
      [`^${waivePrefix}(?!(?:${builtInIds.join('|')})$)`]: waiverSchema(
        undefined,
        'Waives one check until a date.',
      ),
    },
    allOf: [
      {
        patternProperties: {
          [`^${prefix}(?!(?:${suffixes.join('|')})$|waive\\.)`]: false,
        },
        errorMessage: `Mesh Readiness reads no such annotation; check the spelling. Its mesh-readiness.io/ keys are ${knownKeys}.`,
      },
      {
        patternProperties: {
          [`^(?!${prefix})${folded(ANNOTATION_PREFIX, 'lower')}`]: false,
        },
        errorMessage:
          'Annotation keys are case-sensitive: write the mesh-readiness.io/ prefix in lower case.',
      },
      {
        patternProperties: {
          [`^${waivePrefix}\\s*${oneOfWords(orgIds, 'lower')}\\s*$`]: false,
        },
        errorMessage: `Organisation checks (${orgIds.join(
          ', ',
        )}) are decided for the whole catalog and cannot be waived on one entity.`,
      },
    ],
  };

  const kindRules = KINDS.map(kind => {
    const rules: Schema[] = ANNOTATION_SPECS.filter(
      s => s.appliesTo === kind,
    ).map(s => ({
      properties: { [s.key]: false },
      errorMessage: `${s.key} applies to ${KIND_WORDS[kind]} and has no effect on this entity.`,
    }));
    if (kind === 'component') {
      rules.push({
        patternProperties: { [`^${waivePrefix}`]: false },
        errorMessage: 'Waivers apply to Component entities only.',
      });
    }
    return {
      if: entityOfKind(kind),
      else: withAnnotations({ allOf: rules }),
    };
  });

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated from ANNOTATION_SPECS (plugins/mesh-readiness-common/src/catalogInfoSchema.ts) by `yarn docs:generate`; do not edit.',
    title: 'Backstage catalog entity with Mesh Readiness annotations',
    description:
      'One document of a catalog-info.yaml file. Describes and checks the mesh-readiness.io/* annotations that the Mesh Readiness plugins read; the rest of the entity is left to Backstage.',
    properties: {
      metadata: {
        type: 'object',
        properties: { annotations },
      },
    },
    allOf: kindRules,
  };
}
