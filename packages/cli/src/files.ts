import fs from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Entity } from '@backstage/catalog-model';

/** An entity and the file it came from. */
export interface LoadedEntity {
  entity: Entity;
  file: string;
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
    for (const doc of parseAllDocuments(text)) {
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
      entities.push({ entity: value, file: shown });
    }
  }
  return { entities, problems, files: [...seen] };
}
