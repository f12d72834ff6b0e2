import fs from 'node:fs';
import path from 'node:path';
import {
  Document,
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
} from 'yaml';
import type { Entity } from '@backstage/catalog-model';

/** An entity and the file it came from. */
export interface LoadedEntity {
  entity: Entity;
  file: string;
  /** The 1-based line of an annotation key (or of the entity, when not found). */
  lineOf(key: string): number;
}

function lineFinder(doc: Document, lines: LineCounter) {
  const start = doc.range ? lines.linePos(doc.range[0]).line : 1;
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

/** Reads `spec.definition: { $text: ./file }` of an API entity from disk. */
function inlineDefinition(entity: Entity, file: string): string | undefined {
  const spec = entity.spec as { definition?: unknown } | undefined;
  const definition = spec?.definition as { $text?: unknown } | undefined;
  if (!definition || typeof definition !== 'object') return undefined;
  const target = definition.$text;
  if (typeof target !== 'string') return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
    return `${entity.metadata.name}: spec.definition.$text ${target} is a URL; the CLI reads local files only`;
  }
  try {
    spec!.definition = fs.readFileSync(
      path.resolve(path.dirname(file), target),
      'utf8',
    );
    return undefined;
  } catch {
    return `${entity.metadata.name}: spec.definition.$text ${target} cannot be read`;
  }
}

/** A file that could not be read as catalog YAML. */
export interface FileProblem {
  file: string;
  message: string;
}

/** Raised for paths that do not exist or cannot be read (exit code 2). */
export class UsageError extends Error {}

const YAML_FILE = /\.ya?ml$/i;

function yamlFilesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(
      rel =>
        YAML_FILE.test(rel) &&
        !rel.split(path.sep).some(part => part === 'node_modules'),
    )
    .map(rel => path.join(dir, rel))
    .sort();
}

function looksLikeEntity(doc: unknown): doc is Entity {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const d = doc as Record<string, unknown>;
  return (
    typeof d.apiVersion === 'string' &&
    typeof d.kind === 'string' &&
    !!d.metadata &&
    typeof d.metadata === 'object'
  );
}

/**
 * Reads every catalog entity from the given files and folders. Folders are
 * searched for *.yaml / *.yml; `kind: Location` entities are followed to the
 * files they list, relative to the Location's own file. Each file is read
 * once. YAML errors are collected, not thrown; a path that does not exist
 * throws a UsageError.
 */
export function loadCatalogFiles(paths: string[]): {
  entities: LoadedEntity[];
  problems: FileProblem[];
  files: string[];
} {
  const queue: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`${p}: no such file or folder`);
    }
    queue.push(...(stat.isDirectory() ? yamlFilesUnder(abs) : [abs]));
  }

  const seen = new Set<string>();
  const entities: LoadedEntity[] = [];
  const problems: FileProblem[] = [];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const shown = path.relative(process.cwd(), file) || file;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      problems.push({ file: shown, message: `cannot read: ${error}` });
      continue;
    }
    const lines = new LineCounter();
    for (const doc of parseAllDocuments(text, { lineCounter: lines })) {
      if (doc.errors.length > 0) {
        const first = doc.errors[0];
        problems.push({
          file: shown,
          message: `not valid YAML: ${first.message.split('\n')[0]}`,
        });
        continue;
      }
      const value = doc.toJS();
      if (value === null || value === undefined) continue;
      if (!looksLikeEntity(value)) {
        problems.push({
          file: shown,
          message:
            'a document is not a catalog entity (needs apiVersion, kind and metadata)',
        });
        continue;
      }
      if (value.kind.toLowerCase() === 'location') {
        const spec = (value.spec ?? {}) as {
          target?: unknown;
          targets?: unknown;
        };
        const targets = [
          ...(typeof spec.target === 'string' ? [spec.target] : []),
          ...(Array.isArray(spec.targets) ? spec.targets : []),
        ].filter(
          (t): t is string => typeof t === 'string' && !/^[a-z]+:/i.test(t),
        );
        for (const target of targets) {
          const next = path.resolve(path.dirname(file), target);
          if (fs.existsSync(next)) queue.push(next);
          else
            problems.push({
              file: shown,
              message: `Location target ${target} does not exist`,
            });
        }
        continue;
      }
      if (value.kind.toLowerCase() === 'api') {
        const problem = inlineDefinition(value, file);
        if (problem) problems.push({ file: shown, message: problem });
      }
      entities.push({
        entity: value,
        file: shown,
        lineOf: lineFinder(doc as Document, lines),
      });
    }
  }
  return { entities, problems, files: [...seen] };
}
