import fs from 'node:fs';
import path from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import {
  parseAnnotations,
  resolveConfig,
  type ManifestObservation,
  type ManifestProblem,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  observeWorkloads,
  parseManifests,
  workloadSelectorOf,
  type ManifestFile,
  type ManifestSet,
} from '@mesh-readiness/plugin-mesh-readiness-common/manifests';
import {
  compareText,
  formatBytes,
  isInside,
  type Finding,
  type LoadedEntity,
  readBounded,
  realpath,
  UsageError,
} from './files';

/*
 * The Kubernetes manifests the CLI reads: those a Component lists in
 * `mesh-readiness.io/manifests` (relative to its catalog file, inside the
 * given folders, like `$text`), and those given with `--manifests`, which
 * apply to every Component (each matched by the Kubernetes plugin's
 * annotations or its name). Each location is read and parsed once.
 */

/** How much is read: per entity for its annotation, once for all of --manifests. */
export interface ManifestLimits {
  maxFiles: number;
  maxBytes: number;
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = {
  maxFiles: 100,
  maxBytes: 5 * 1024 * 1024,
};

/** What was read, for `score` and `lint`. */
export interface ManifestReading {
  /** By lower-cased entity ref: every Component with manifests to look at. */
  observations: Map<string, ManifestObservation>;
  /**
   * Problems of the files read, once each (entities' observations repeat
   * those of the files they read), and of the annotations' locations.
   */
  problems: ManifestProblem[];
  /** Lint findings: problems as warnings, unmatched workloads, skipped URLs. */
  findings: Finding[];
}

const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const URL_LIKE = /^[a-z][a-z0-9+.-]*:/i;
const MANIFESTS_KEY = 'mesh-readiness.io/manifests';

/** A path as shown: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel)
    ? file
    : rel.split(path.sep).join('/');
}

interface FileRead {
  file: ManifestFile;
  bytes: number;
}

interface LocationRead {
  files: FileRead[];
  problems: ManifestProblem[];
  /** Its files parsed, once. */
  set?: ManifestSet;
}

/** The YAML files under a folder, by path; symbolic links followed inside `roots`, each folder once. */
function walk(root: string, roots: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (dir: string) => {
    const real = realpath(dir);
    if (!real || seen.has(real)) return;
    seen.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => compareText(a.name, b.name));
    for (const entry of entries) {
      if (SKIPPED_FOLDERS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = realpath(full);
        if (!target || !isInside(target, roots)) continue;
        const stat = fs.statSync(target, { throwIfNoEntry: false });
        isDir = Boolean(stat?.isDirectory());
        isFile = Boolean(stat?.isFile());
      }
      if (isDir) visit(full);
      else if (isFile && YAML_FILE.test(entry.name)) out.push(full);
    }
  };
  visit(root);
  return out;
}

/**
 * Reads a file or folder on disk, up to the limits. Files are shown under
 * `as` (a `--manifests` path as typed), else relative to the working
 * directory.
 */
function readLocation(
  abs: string,
  limits: ManifestLimits,
  as?: string,
): LocationRead {
  const read: LocationRead = { files: [], problems: [] };
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  const files = stat?.isDirectory() ? walk(abs, [abs]) : [abs];
  const show = (file: string) =>
    as === undefined
      ? displayPath(file)
      : path.posix.join(
          as.split(path.sep).join('/'),
          path.relative(abs, file).split(path.sep).join('/'),
        );
  let bytes = 0;
  for (const file of files) {
    const shown = show(file);
    if (read.files.length >= limits.maxFiles) {
      read.problems.push({
        file: shown,
        message: `Over the limit of ${limits.maxFiles} manifest files (--max-manifest-files, meshReadiness.manifests.maxFiles in --config): reading stopped at ${shown}; what follows is not read.`,
      });
      break;
    }
    const result = readBounded(file, limits.maxBytes - bytes);
    if (!result.ok) {
      if (result.reason === 'too-large') {
        read.problems.push({
          file: shown,
          message: `Over the limit of ${formatBytes(
            limits.maxBytes,
          )} of manifests (--max-manifest-bytes, meshReadiness.manifests.maxBytes in --config): reading stopped at ${shown} (${formatBytes(
            result.size,
          )}); what follows is not read.`,
        });
        break;
      }
      read.problems.push({
        file: shown,
        message:
          result.reason === 'not-a-file'
            ? `${shown}: not a regular file (a FIFO, socket or device); not read`
            : `${shown}: cannot be read`,
      });
      continue;
    }
    const size = Buffer.byteLength(result.text, 'utf8');
    bytes += size;
    read.files.push({ file: { path: shown, text: result.text }, bytes: size });
  }
  return read;
}

function parsedSet(read: LocationRead): ManifestSet {
  read.set ??= parseManifests(read.files.map(f => f.file));
  return read.set;
}

function mergeSets(sets: ManifestSet[]): ManifestSet {
  if (sets.length === 1) return sets[0];
  return {
    objects: sets.flatMap(s => s.objects),
    problems: sets.flatMap(s => s.problems),
    files: sets.reduce((n, s) => n + s.files, 0),
  };
}

function problemKey(p: ManifestProblem): string {
  return `${p.file}\u0000${p.line ?? ''}\u0000${p.message}`;
}

function refOf(entity: Entity): string {
  return `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
    entity.metadata.name
  }`.toLocaleLowerCase('en-US');
}

/**
 * Reads the manifests of `--manifests` (one set for all entities) and of
 * each Component's annotation, and observes every Component's workloads.
 * A `--manifests` path that does not exist is a usage error (exit 2).
 */
export function readManifests(
  loaded: readonly LoadedEntity[],
  roots: readonly string[],
  given: readonly string[],
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
): ManifestReading {
  const reads = new Map<string, LocationRead>();
  const problems = new Map<string, ManifestProblem>();
  const findings: Finding[] = [];
  const addProblem = (p: ManifestProblem) => {
    if (!problems.has(problemKey(p))) problems.set(problemKey(p), p);
  };
  const cached = (abs: string, entryLimits: ManifestLimits) => {
    const key = `${abs}\u0000${entryLimits.maxFiles}\u0000${entryLimits.maxBytes}`;
    let read = reads.get(key);
    if (!read) {
      read = readLocation(abs, entryLimits);
      reads.set(key, read);
    }
    return read;
  };

  // --manifests: read and parsed once, whatever the number of entities.
  let shared: ManifestSet | undefined;
  if (given.length > 0) {
    const files: FileRead[] = [];
    const sharedProblems: ManifestProblem[] = [];
    for (const p of given) {
      const abs = path.resolve(p);
      if (!fs.existsSync(abs)) {
        throw new UsageError(`--manifests ${p}: no such file or folder`);
      }
      const used = files.reduce((n, f) => n + f.bytes, 0);
      const read = readLocation(
        abs,
        {
          maxFiles: limits.maxFiles - files.length,
          maxBytes: limits.maxBytes - used,
        },
        p,
      );
      files.push(...read.files);
      sharedProblems.push(...read.problems);
      if (read.problems.some(q => q.message.startsWith('Over the limit'))) {
        break;
      }
    }
    const set = parseManifests(files.map(f => f.file));
    shared = { ...set, problems: [...sharedProblems, ...set.problems] };
  }

  const observations = new Map<string, ManifestObservation>();
  const workloadTypes = new Set(resolveConfig().workloadTypes);
  for (const { entity, file, line, lineOf } of loaded) {
    if (entity.kind.toLocaleLowerCase('en-US') !== 'component') continue;
    let written: string[] = [];
    try {
      written = parseAnnotations(entity).values.manifests ?? [];
    } catch {
      written = [];
    }
    if (written.length === 0 && !shared) continue;

    const sets: ManifestSet[] = shared ? [shared] : [];
    const own: ManifestProblem[] = [];
    const base = path.dirname(path.resolve(file));
    const annotationLine = lineOf(MANIFESTS_KEY);
    let files = 0;
    let bytes = 0;
    for (const entry of written) {
      if (URL_LIKE.test(entry) && !/^file:/i.test(entry)) {
        findings.push({
          file,
          line: annotationLine,
          severity: 'note',
          rule: 'manifests-url',
          message: `${MANIFESTS_KEY} ${entry} not read: a URL; the backend reads it through its integrations (or pass the files with --manifests)`,
        });
        continue;
      }
      const abs = path.resolve(base, entry.replace(/^file:(\/\/)?/i, ''));
      const real = realpath(abs);
      if (!real) {
        own.push({
          file,
          line: annotationLine,
          message: `${MANIFESTS_KEY}: ${entry} does not exist (relative to ${file}); fix the path`,
        });
        continue;
      }
      if (!isInside(real, roots)) {
        own.push({
          file,
          line: annotationLine,
          message: `${MANIFESTS_KEY}: ${entry} is outside the given folders; not read (pass the folder that holds it, or --manifests ${entry})`,
        });
        continue;
      }
      const read = cached(real, limits);
      own.push(...read.problems);
      // The limits count per entity, over all its locations.
      const taken: FileRead[] = [];
      let over: FileRead | undefined;
      for (const f of read.files) {
        if (files + 1 > limits.maxFiles || bytes + f.bytes > limits.maxBytes) {
          over = f;
          break;
        }
        files += 1;
        bytes += f.bytes;
        taken.push(f);
      }
      if (taken.length === read.files.length) {
        sets.push(parsedSet(read));
      } else if (taken.length > 0) {
        sets.push(parseManifests(taken.map(f => f.file)));
      }
      if (over) {
        own.push({
          file: over.file.path,
          message: `Over the limit of ${
            files + 1 > limits.maxFiles
              ? `${limits.maxFiles} manifest files`
              : `${formatBytes(limits.maxBytes)} of manifests`
          } per entity (--max-manifest-files / --max-manifest-bytes, meshReadiness.manifests in --config): reading stopped at ${
            over.file.path
          }; what follows is not read.`,
        });
        break;
      }
    }

    const set =
      sets.length > 0
        ? mergeSets(sets)
        : { objects: [], problems: [], files: 0 };
    const { selector, problem } = workloadSelectorOf(entity);
    if (problem) own.push({ file, line, message: problem });
    const observed = observeWorkloads(set, selector, [...given, ...written]);
    const observation: ManifestObservation = {
      ...observed,
      problems: [...own, ...observed.problems],
    };
    observations.set(refOf(entity), observation);
    for (const p of observation.problems) addProblem(p);

    const type = String((entity.spec as { type?: unknown })?.type ?? '');
    if (
      observation.workloads.length === 0 &&
      workloadTypes.has(type.toLocaleLowerCase('en-US'))
    ) {
      let by = `the name ${selector.name}`;
      if (selector.kubernetesId) {
        by = `backstage.io/kubernetes-id ${selector.kubernetesId}`;
      }
      if (selector.labelSelector) {
        by = `the label selector ${Object.entries(selector.labelSelector)
          .map(([k, v]) => `${k}=${v}`)
          .join(',')}`;
      }
      findings.push({
        file,
        line: written.length > 0 ? annotationLine : line,
        severity: 'warning',
        rule: 'manifests-unmatched',
        message: `${refOf(
          entity,
        )}: no workload in its manifests matches ${by}, so its facts are declared only; check its name, backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector, or link the manifests that define it`,
      });
    }
  }
  // The --manifests problems, even when no entity read them.
  for (const p of shared?.problems ?? []) addProblem(p);

  const unique = [...problems.values()];
  for (const p of unique) {
    findings.push({
      file: p.file,
      line: p.line,
      severity: 'warning',
      rule: 'manifests',
      message: p.message,
    });
  }
  return { observations, problems: unique, findings };
}
