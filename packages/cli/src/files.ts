import fs from 'node:fs';
import path from 'node:path';
import { globSync } from 'glob';
import {
  Document,
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type YAMLError,
} from 'yaml';
import type { Entity } from '@backstage/catalog-model';

/** How much a finding counts: only `error` makes `lint` exit 1. */
export type Severity = 'error' | 'warning' | 'note';

/**
 * Something the CLI found while reading files: an unparsable catalog file, a
 * duplicate entity ref (errors), a Location target or `$text` it did not
 * follow (warnings and notes). Messages never quote the content of a file.
 */
export interface Finding {
  /** The file, relative to the working directory. */
  file: string;
  /** 1-based; absent when the finding is about the whole file. */
  line?: number;
  severity: Severity;
  /** A stable id: `yaml`, `duplicate-ref`, `location-url`, … */
  rule: string;
  message: string;
}

/** An entity and the file it came from. */
export interface LoadedEntity {
  entity: Entity;
  file: string;
  /** The 1-based line of the entity's first line. */
  line: number;
  /** The 1-based line of an annotation key (or of the entity, when not found). */
  lineOf(key: string): number;
  /**
   * API entities only: why `spec.definition` was not read (a URL `$text`, a
   * file outside the given folders, over the size limit). The API's
   * analysis is then `unknown` with this message.
   */
  definitionNotRead?: string;
}

/** What {@link loadCatalogFiles} read and skipped. */
export interface LoadResult {
  entities: LoadedEntity[];
  findings: Finding[];
  /** Every file read, absolute. */
  files: string[];
  /** YAML files (and documents) of a folder scan that are not catalog entities. */
  skipped: { files: number; documents: number };
  /**
   * The folders given (a file argument's folder counts), resolved: nothing
   * outside them is read.
   */
  roots: string[];
}

/** Options of {@link loadCatalogFiles}. */
export interface LoadOptions {
  /** Largest `$text` definition read, in bytes (default 1 MiB). */
  maxDefinitionBytes?: number;
  /** Largest catalog YAML file read, in bytes (default 10 MiB). */
  maxFileBytes?: number;
}

/** Raised for paths that do not exist or cannot be read (exit code 2). */
export class UsageError extends Error {}

/** Default largest catalog file read: 10 MiB, far above any real catalog file. */
export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
const DEFAULT_MAX_DEFINITION_BYTES = 1024 * 1024;
/** How much of an oversized file is read to tell whether it is a catalog file. */
const SNIFF_BYTES = 64 * 1024;

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;
const GLOB_CHARS = /[*?[\]{}]/;
/** A document that looks like a catalog entity, anywhere in a file's text. */
const CATALOG_API_VERSION = /^\s*apiVersion:\s*["']?backstage\.io\//m;
/** Scaffolder (`${{ values.x }}`) and cookiecutter (`{{ cookiecutter.x }}`) placeholders. */
const TEMPLATE_PLACEHOLDER =
  /\$\{\{[^}]*\}\}|\{\{\s*[\w.\s|'"()-]+\}\}|\{%-?\s/;

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** Code-point order, the same on every machine (unlike localeCompare). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function shown(file: string): string {
  return path.relative(process.cwd(), file) || file;
}

export function isInside(file: string, roots: readonly string[]): boolean {
  return roots.some(root => {
    const rel = path.relative(root, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  });
}

export function realpath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

type ReadResult =
  | { ok: true; text: string }
  | { ok: false; reason: 'not-a-file' | 'missing' | 'unreadable' }
  | { ok: false; reason: 'too-large'; size: number; head: string };

/**
 * Reads a regular file of at most `limit` bytes. The file is opened without
 * blocking and checked on its descriptor, so a FIFO or a device is never
 * read, and an oversized file costs only its first 64 KiB.
 */
export function readBounded(file: string, limit: number): ReadResult {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: 'not-a-file' };
    if (stat.size > limit) {
      const head = Buffer.alloc(Math.min(SNIFF_BYTES, stat.size));
      const read = fs.readSync(fd, head, 0, head.length, 0);
      return {
        ok: false,
        reason: 'too-large',
        size: stat.size,
        head: head.subarray(0, read).toString('utf8'),
      };
    }
    return { ok: true, text: fs.readFileSync(fd, 'utf8') };
  } catch {
    return { ok: false, reason: 'unreadable' };
  } finally {
    fs.closeSync(fd);
  }
}

function lineFinder(doc: Document, lines: LineCounter, start: number) {
  return (key: string): number => {
    const parent =
      key === 'metadata.tags' ? ['metadata'] : ['metadata', 'annotations'];
    const name = key === 'metadata.tags' ? 'tags' : key;
    const map = doc.getIn(parent, true);
    if (isMap(map)) {
      for (const pair of map.items) {
        if (isScalar(pair.key) && pair.key.value === name && pair.key.range) {
          return lines.linePos(pair.key.range[0]).line;
        }
      }
    }
    return start;
  };
}

/** A YAML error without the source text the parser quotes. */
function yamlError(error: YAMLError) {
  const what = error.code.toLowerCase().replace(/_/g, ' ');
  const pos = error.linePos?.[0];
  return {
    line: pos?.line,
    message: `not valid YAML: ${what}${
      pos ? ` (line ${pos.line}, column ${pos.col})` : ''
    }`,
  };
}

function looksLikeEntity(doc: unknown): doc is Entity {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return (
    typeof d.apiVersion === 'string' &&
    d.apiVersion.startsWith('backstage.io/') &&
    typeof d.kind === 'string' &&
    d.kind.length > 0
  );
}

function entityRef(entity: Entity): string {
  const namespace = entity.metadata?.namespace ?? 'default';
  return `${entity.kind}:${namespace}/${entity.metadata?.name}`.toLocaleLowerCase(
    'en-US',
  );
}

/** How a file came to be read: named on the command line, found in a folder, or a Location target. */
type Origin = 'argument' | 'folder' | 'location';

/**
 * Reads every catalog entity from the given files and folders.
 *
 * - Folders are searched for `*.yaml` / `*.yml` (not in `node_modules` or
 *   `.git`); symlinked folders are followed only inside the given folders
 *   and each folder once, so links out of the tree and loops are not walked.
 *   Only documents that look like catalog entities (`apiVersion:
 *   backstage.io/…` and a `kind`) are read; other YAML is counted in
 *   `skipped`, and templates (scaffolder `${{ … }}`, cookiecutter
 *   `{{ … }}`) are skipped with a note.
 * - `kind: Location` targets are followed relative to the Location's file;
 *   glob targets are expanded; URL targets are listed as not followed.
 * - An API's `spec.definition: { $text: ./file }` is read only inside the
 *   given folders, from a regular file under the size limit.
 * - Two entities with the same ref are an error; the first is kept.
 *
 * Nothing outside the given folders (a file argument's folder counts as
 * given) is read. A path that does not exist throws a UsageError.
 */
export function loadCatalogFiles(
  paths: string[],
  options: LoadOptions = {},
): LoadResult {
  const maxFile = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const maxDefinition =
    options.maxDefinitionBytes ?? DEFAULT_MAX_DEFINITION_BYTES;
  const findings: Finding[] = [];
  const queue: Array<{ file: string; origin: Origin }> = [];
  const roots: string[] = [];
  const folders = new Set<string>();

  const walk = (dir: string) => {
    const real = realpath(dir);
    if (!real || folders.has(real)) return; // a loop, or walked already
    folders.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      findings.push({
        file: shown(dir),
        severity: 'warning',
        rule: 'unreadable',
        message: 'cannot read this folder',
      });
      return;
    }
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      if (SKIPPED_FOLDERS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = realpath(full);
        if (!target) continue; // a dangling link
        let stat: fs.Stats;
        try {
          stat = fs.statSync(target);
        } catch {
          continue;
        }
        if (!stat.isDirectory() && !YAML_FILE.test(entry.name)) continue;
        if (!isInside(target, roots)) {
          findings.push({
            file: shown(full),
            severity: 'note',
            rule: 'outside-folders',
            message: `a symbolic link to outside the given folders; not followed`,
          });
          continue;
        }
        if (stat.isDirectory()) walk(full);
        else if (stat.isFile()) queue.push({ file: full, origin: 'folder' });
      } else if (entry.isDirectory()) {
        walk(full);
      } else if (YAML_FILE.test(entry.name)) {
        if (entry.isFile()) queue.push({ file: full, origin: 'folder' });
        else
          findings.push({
            file: shown(full),
            severity: 'warning',
            rule: 'unreadable',
            message: 'not a regular file (a FIFO, socket or device); not read',
          });
      }
    }
  };

  const starts: Array<{ abs: string; dir: boolean; given: string }> = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    const real = realpath(abs) ?? abs;
    roots.push(stat.isDirectory() ? real : path.dirname(real));
    starts.push({ abs, dir: stat.isDirectory(), given: p });
  }
  for (const start of starts) {
    if (start.dir) walk(start.abs);
    else queue.push({ file: start.abs, origin: 'argument' });
  }

  const seen = new Set<string>();
  const byRef = new Map<string, { file: string; line: number }>();
  const entities: LoadedEntity[] = [];
  const skipped = { files: 0, documents: 0 };

  /** Queues a Location target, or says why it is not followed. */
  const follow = (target: string, from: string) => {
    const file = shown(from);
    if (URL_LIKE.test(target)) {
      findings.push({
        file,
        severity: 'note',
        rule: 'location-url',
        message: `Location target ${target} not followed: a URL; the backend reads it through the catalog`,
      });
      return;
    }
    const base = path.dirname(from);
    let matches: string[];
    if (GLOB_CHARS.test(target)) {
      matches = globSync(target.replace(/\\/g, '/'), {
        cwd: base,
        absolute: true,
        nodir: true,
        follow: false,
      }).sort();
      if (matches.length === 0) {
        findings.push({
          file,
          severity: 'warning',
          rule: 'location-missing',
          message: `Location target ${target} matches no file`,
        });
        return;
      }
    } else {
      matches = [path.resolve(base, target)];
    }
    for (const match of matches) {
      const real = realpath(match);
      if (!real) {
        findings.push({
          file,
          severity: 'warning',
          rule: 'location-missing',
          message: `Location target ${target} does not exist`,
        });
      } else if (!isInside(real, roots)) {
        findings.push({
          file,
          severity: 'warning',
          rule: 'outside-folders',
          message: `Location target ${target} is outside the given folders; not read`,
        });
      } else {
        queue.push({ file: match, origin: 'location' });
      }
    }
  };

  while (queue.length > 0) {
    const { file, origin } = queue.shift()!;
    const key = realpath(file) ?? file;
    if (seen.has(key)) continue;
    seen.add(key);
    const name = shown(file);
    const read = readBounded(file, maxFile);
    if (!read.ok) {
      if (read.reason === 'too-large') {
        // In a folder scan, a large file that is not a catalog file (an
        // OpenAPI document, say) is skipped like any other.
        if (origin === 'folder' && !CATALOG_API_VERSION.test(read.head)) {
          skipped.files += 1;
          continue;
        }
        findings.push({
          file: name,
          severity: 'error',
          rule: 'too-large',
          message: `${formatBytes(read.size)}, over the ${formatBytes(
            maxFile,
          )} a catalog file may be; not read (split it into files listed by a Location)`,
        });
      } else {
        findings.push({
          file: name,
          severity: read.reason === 'not-a-file' ? 'warning' : 'error',
          rule: 'unreadable',
          message:
            read.reason === 'not-a-file'
              ? 'not a regular file (a FIFO, socket or device); not read'
              : 'cannot read this file',
        });
      }
      continue;
    }
    const text = read.text;
    if (!CATALOG_API_VERSION.test(text)) {
      if (origin === 'folder') skipped.files += 1;
      else
        findings.push({
          file: name,
          severity: 'note',
          rule: 'not-an-entity',
          message:
            'no catalog entity in this file (no apiVersion: backstage.io/…); skipped',
        });
      continue;
    }
    if (TEMPLATE_PLACEHOLDER.test(text)) {
      findings.push({
        file: name,
        severity: 'note',
        rule: 'template',
        message:
          'a template (scaffolder ${{ … }} or cookiecutter {{ … }} placeholders); skipped',
      });
      continue;
    }

    const lines = new LineCounter();
    let entitiesInFile = 0;
    for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
      if (doc.errors.length > 0) {
        const { line, message } = yamlError(doc.errors[0]);
        findings.push({
          file: name,
          line,
          severity: 'error',
          rule: 'yaml',
          message,
        });
        continue;
      }
      const value = doc.toJS();
      if (value === null || value === undefined) continue;
      const start = doc.range ? lines.linePos(doc.range[0]).line : 1;
      if (!looksLikeEntity(value)) {
        skipped.documents += 1;
        continue;
      }
      if (
        !value.metadata ||
        typeof value.metadata !== 'object' ||
        typeof value.metadata.name !== 'string'
      ) {
        findings.push({
          file: name,
          line: start,
          severity: 'warning',
          rule: 'invalid-entity',
          message: `a ${value.kind} without metadata.name; the catalog rejects it`,
        });
        continue;
      }
      entitiesInFile += 1;
      if (value.kind.toLowerCase() === 'location') {
        const spec = (value.spec ?? {}) as {
          target?: unknown;
          targets?: unknown;
        };
        const targets = [
          ...(typeof spec.target === 'string' ? [spec.target] : []),
          ...(Array.isArray(spec.targets) ? spec.targets : []),
        ].filter((t): t is string => typeof t === 'string');
        for (const target of targets) follow(target, file);
        continue;
      }
      const ref = entityRef(value);
      const first = byRef.get(ref);
      if (first) {
        findings.push({
          file: name,
          line: start,
          severity: 'error',
          rule: 'duplicate-ref',
          message: `duplicate entity ${ref}: also defined at ${first.file}:${first.line}; the catalog keeps only one`,
        });
        continue;
      }
      byRef.set(ref, { file: name, line: start });
      const loaded: LoadedEntity = {
        entity: value,
        file: name,
        line: start,
        lineOf: lineFinder(doc as Document, lines, start),
      };
      if (value.kind.toLowerCase() === 'api') {
        const notRead = readDefinition(value, file, roots, maxDefinition);
        if (notRead) {
          loaded.definitionNotRead = `API ${ref}: ${notRead.message}`;
          findings.push({
            file: name,
            line: start,
            severity: notRead.severity,
            rule: notRead.rule,
            message: `${ref}: ${notRead.message}`,
          });
        }
      }
      entities.push(loaded);
    }
    if (entitiesInFile === 0 && origin === 'folder') skipped.files += 1;
  }
  return { entities, findings, files: [...seen], skipped, roots };
}

/**
 * Replaces `spec.definition: { $text | $yaml | $json: ./file }` of an API
 * entity with the file's text. Returns why it was not read, if it was not.
 */
function readDefinition(
  entity: Entity,
  file: string,
  roots: readonly string[],
  limit: number,
): { severity: Severity; rule: string; message: string } | undefined {
  const spec = entity.spec as { definition?: unknown } | undefined;
  const definition = spec?.definition;
  if (!definition || typeof definition !== 'object') return undefined;
  const placeholder = (['$text', '$yaml', '$json'] as const).find(
    k => k in (definition as object),
  );
  if (!placeholder) return undefined;
  const target = (definition as Record<string, unknown>)[placeholder];
  const what = `spec.definition.${placeholder}`;
  if (typeof target !== 'string' || target.trim() === '') {
    return {
      severity: 'warning',
      rule: 'definition-unreadable',
      message: `${what} is not a file path or URL; not read`,
    };
  }
  if (URL_LIKE.test(target) && !/^file:/i.test(target)) {
    return {
      severity: 'note',
      rule: 'definition-url',
      message: `${what} ${target} not read: a URL; the backend reads it through the catalog`,
    };
  }
  const relative = target.replace(/^file:(\/\/)?/i, '');
  const abs = path.resolve(path.dirname(file), relative);
  const real = realpath(abs);
  if (!real) {
    return {
      severity: 'warning',
      rule: 'definition-unreadable',
      message: `${what} ${target} does not exist`,
    };
  }
  if (!isInside(real, roots)) {
    return {
      severity: 'warning',
      rule: 'outside-folders',
      message: `${what} ${target} is outside the given folders; not read`,
    };
  }
  const read = readBounded(real, limit);
  if (read.ok) {
    spec!.definition = read.text;
    return undefined;
  }
  const why = {
    'too-large': `is ${formatBytes(
      read.reason === 'too-large' ? read.size : 0,
    )}, over the ${formatBytes(
      limit,
    )} limit (meshReadiness.maxDefinitionBytes in --config)`,
    'not-a-file': 'is not a regular file (a FIFO, socket or device)',
    missing: 'does not exist',
    unreadable: 'cannot be read',
  }[read.reason];
  return {
    severity: 'warning',
    rule: 'definition-unreadable',
    message: `${what} ${target} ${why}; not read`,
  };
}
