import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  parseAnnotations,
  refKey,
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
import fs from 'node:fs/promises';
import path from 'node:path';
import { refOf } from '../CatalogReader/createCatalogReader';
import type { ManifestLimits } from '../../options';
import { catalogFileOf, ResolvedLocation, resolveLocation } from './locations';
import pLimit from 'p-limit';

/*
 * Reads the Kubernetes manifests that Components link with
 * `mesh-readiness.io/manifests`, and matches their workloads to the entity
 * (the common package's parser and matcher). A read never throws: whatever
 * goes wrong is a problem on the entity, and the snapshot goes on.
 */

/** Reads the manifests of many entities; reads are shared within a session. */
export interface ManifestReader {
  /**
   * A session: one snapshot, one live report or one entity request. Each
   * resolved location is read at most once in it.
   */
  session(): ManifestSession;
}

export interface ManifestSession {
  /**
   * The observations of the given entities that list manifests, by
   * lower-cased entity ref. Never throws.
   */
  observe(
    entities: readonly Entity[],
  ): Promise<Map<string, ManifestObservation>>;
  /** What the session read so far. */
  stats(): { entities: number; locations: number; problems: number };
}

/** How long one location may take to read (a whole folder included). */
const READ_TIMEOUT_MS = 60_000;
/** Entities whose manifests are read at the same time. */
const CONCURRENCY = 8;
const YAML_FILE = /\.ya?ml$/i;
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

/** One file of a location, read. */
interface ReadFile extends ManifestFile {
  bytes: number;
}

/** One resolved location, read up to the limits any entity could use. */
interface LocationRead {
  /** In order: a folder's files by path. */
  files: ReadFile[];
  /** The location holds more than the per-entity limit of files or bytes. */
  over?: 'files' | 'bytes';
  /** Where the limit was reached, as shown. */
  overAt?: string;
  /** Why the location could not be read. */
  problem?: ManifestProblem;
  /** Its files parsed, once, when an entity reads all of them. */
  set?: ManifestSet;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function byPath(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function mergeSets(sets: ManifestSet[]): ManifestSet {
  if (sets.length === 1) {
    return sets[0];
  }
  return {
    objects: sets.flatMap(s => s.objects),
    problems: sets.flatMap(s => s.problems),
    files: sets.reduce((n, s) => n + s.files, 0),
  };
}

/** Whether a body is a GitHub contents listing (a folder read as a file). */
function isFolderListing(text: string): boolean {
  if (!text.startsWith('[')) {
    return false;
  }
  try {
    const items = JSON.parse(text);
    return (
      Array.isArray(items) &&
      items.length > 0 &&
      items.every(
        i =>
          i &&
          typeof i === 'object' &&
          typeof i.sha === 'string' &&
          (i.type === 'file' || i.type === 'dir'),
      )
    );
  } catch {
    return false;
  }
}

/** Why a folder URL could not be read, and the fix. */
function folderProblem(
  location: ResolvedLocation,
  folderUrl: string,
  error: unknown,
): string {
  const message = errorMessage(error);
  if ((error as Error)?.name === 'NotFoundError') {
    return `${folderUrl}: not found (mesh-readiness.io/manifests lists "${location.written}", relative to the entity's catalog file); fix the path`;
  }
  if (/readTree/i.test(message)) {
    return `${folderUrl}: this host's reader cannot list a folder (${message}); list the folder's files in mesh-readiness.io/manifests instead`;
  }
  return `${folderUrl}: the folder could not be read (${message}); check that the backend's integrations config can read this host`;
}

/** Why a path on disk could not be read, and the fix. */
function diskProblem(
  location: ResolvedLocation,
  shown: string,
  error: unknown,
): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return `${shown}: no such file or folder (mesh-readiness.io/manifests lists "${location.written}", relative to the catalog file); fix the path`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `${shown}: the backend may not read it (permission denied); let the backend's user read it`;
  }
  return `${shown}: could not be read (${errorMessage(error)})`;
}

/** Runs `work` on every item, `limit` at a time. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const run = pLimit(limit);
  await Promise.all(items.map(item => run(() => work(item))));
}

export function createManifestReader(options: {
  urlReader: UrlReaderService;
  limits: ManifestLimits;
  logger?: LoggerService;
}): ManifestReader {
  const { urlReader, limits, logger } = options;

  /** Adds a file to a location read; false once the location is over a limit. */
  function take(read: LocationRead, file: ReadFile): boolean {
    const bytes = read.files.reduce((n, f) => n + f.bytes, 0);
    if (read.files.length >= limits.maxFiles) {
      read.over = 'files';
      read.overAt = file.path;
      return false;
    }
    if (bytes + file.bytes > limits.maxBytes) {
      read.over = 'bytes';
      read.overAt = file.path;
      return false;
    }
    read.files.push(file);
    return true;
  }

  function notFound(location: ResolvedLocation, shown: string): string {
    return `${shown}: not found (mesh-readiness.io/manifests lists "${location.written}", relative to the entity's catalog file); fix the path, or end a folder with /`;
  }

  async function readUrlFile(
    location: Extract<ResolvedLocation, { kind: 'url' }>,
  ): Promise<LocationRead> {
    const read: LocationRead = { files: [] };
    let buffer: Buffer;
    try {
      const response = await urlReader.readUrl(location.url, {
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
      });
      buffer = await response.buffer();
    } catch (error) {
      if ((error as Error)?.name === 'NotFoundError') {
        read.problem = {
          file: location.url,
          message: notFound(location, location.url),
        };
        return read;
      }
      read.problem = {
        file: location.url,
        message: `${location.url}: could not be read (${errorMessage(
          error,
        )}); check that the backend's integrations config can read this host`,
      };
      return read;
    }
    const text = buffer.toString('utf8');
    if (isFolderListing(text)) {
      // GitHub answers a folder written without its slash with its listing.
      return readUrlFolder(location);
    }
    take(read, {
      path: location.url,
      url: location.url,
      text,
      bytes: buffer.length,
    });
    return read;
  }

  async function readUrlFolder(
    location: Extract<ResolvedLocation, { kind: 'url' }>,
  ): Promise<LocationRead> {
    const read: LocationRead = { files: [] };
    const folderUrl = location.url.endsWith('/')
      ? location.url
      : `${location.url}/`;
    let admitted = 0;
    let files;
    try {
      const tree = await urlReader.readTree(folderUrl, {
        signal: AbortSignal.timeout(READ_TIMEOUT_MS),
        // Only YAML, and no more files than any entity may read.
        filter: p => YAML_FILE.test(p) && admitted++ <= limits.maxFiles,
      });
      files = await tree.files();
    } catch (error) {
      read.problem = {
        file: folderUrl,
        message: folderProblem(location, folderUrl, error),
      };
      return read;
    }
    files.sort((a, b) => byPath(a.path, b.path));
    for (const file of files) {
      let content: Buffer;
      try {
        content = await file.content();
      } catch (error) {
        read.problem = {
          file: `${folderUrl}${file.path}`,
          message: `${folderUrl}${file.path}: could not be read (${errorMessage(
            error,
          )})`,
        };
        return read;
      }
      const url = new URL(file.path, folderUrl).toString();
      if (
        !take(read, {
          path: url,
          url,
          text: content.toString('utf8'),
          bytes: content.length,
        })
      ) {
        break;
      }
    }
    if (admitted > limits.maxFiles && !read.over) {
      read.over = 'files';
      read.overAt = folderUrl;
    }
    return read;
  }

  /** The YAML files under a folder on disk, by relative path. */
  async function walk(root: string): Promise<string[]> {
    const out: string[] = [];
    const seen = new Set<string>();
    const visit = async (dir: string) => {
      const real = await fs.realpath(dir);
      if (seen.has(real)) {
        return; // a loop through a symbolic link
      }
      seen.add(real);
      const entries = await fs.readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => byPath(a.name, b.name));
      for (const entry of entries) {
        if (SKIPPED_FOLDERS.has(entry.name)) {
          continue;
        }
        const full = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          const stat = await fs.stat(full).catch(() => undefined);
          isDir = Boolean(stat?.isDirectory());
          isFile = Boolean(stat?.isFile());
        }
        if (isDir) {
          await visit(full);
        } else if (isFile && YAML_FILE.test(entry.name)) {
          out.push(full);
        }
      }
    };
    await visit(root);
    return out;
  }

  async function readDisk(
    location: Extract<ResolvedLocation, { kind: 'file' }>,
  ): Promise<LocationRead> {
    const read: LocationRead = { files: [] };
    const shown = (p: string) =>
      toPosix(path.relative(location.base, p)) || '.';
    const fail = (p: string, error: unknown): LocationRead => {
      read.problem = {
        file: shown(p),
        message: diskProblem(location, shown(p), error),
      };
      return read;
    };
    let stat;
    try {
      stat = await fs.stat(location.path);
    } catch (error) {
      return fail(location.path, error);
    }
    let files: string[];
    if (stat.isDirectory()) {
      try {
        files = await walk(location.path);
      } catch (error) {
        return fail(location.path, error);
      }
    } else if (stat.isFile() && !location.folder) {
      files = [location.path];
    } else {
      read.problem = {
        file: shown(location.path),
        message: location.folder
          ? `${shown(
              location.path,
            )}: not a folder, though written with a trailing /; remove the /`
          : `${shown(
              location.path,
            )}: not a regular file or folder (a FIFO, socket or device); not read`,
      };
      return read;
    }
    for (const file of files) {
      let size: number;
      try {
        size = (await fs.stat(file)).size;
      } catch (error) {
        return fail(file, error);
      }
      const used = read.files.reduce((n, f) => n + f.bytes, 0);
      if (
        read.files.length >= limits.maxFiles ||
        used + size > limits.maxBytes
      ) {
        read.over = read.files.length >= limits.maxFiles ? 'files' : 'bytes';
        read.overAt = shown(file);
        break;
      }
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch (error) {
        return fail(file, error);
      }
      if (!take(read, { path: shown(file), text, bytes: size })) {
        break;
      }
    }
    return read;
  }

  function readLocation(location: ResolvedLocation): Promise<LocationRead> {
    if (location.kind === 'file') {
      return readDisk(location);
    }
    return location.folder ? readUrlFolder(location) : readUrlFile(location);
  }

  function limitProblem(
    which: 'files' | 'bytes',
    at: string,
    written: string,
  ): ManifestProblem {
    const what =
      which === 'files'
        ? `${limits.maxFiles} manifest files`
        : `${limits.maxBytes} bytes of manifests`;
    return {
      file: at,
      message: `Over the limit of ${what} per entity (meshReadiness.manifests.${
        which === 'files' ? 'maxFiles' : 'maxBytes'
      }): reading stopped at ${at} (from "${written}"); what follows is not read. Raise the limit or list fewer files.`,
    };
  }

  return {
    session() {
      const reads = new Map<string, Promise<LocationRead>>();
      let observed = 0;
      let problemCount = 0;

      function cached(location: ResolvedLocation): Promise<LocationRead> {
        const key =
          location.kind === 'file'
            ? `file:${location.path}${location.folder ? '/' : ''}`
            : `url:${location.url}${location.folder ? '/' : ''}`;
        let pending = reads.get(key);
        if (!pending) {
          pending = readLocation(location).catch(error => ({
            files: [],
            problem: {
              file: location.written,
              message: `${location.written}: could not be read (${errorMessage(
                error,
              )})`,
            },
          }));
          reads.set(key, pending);
        }
        return pending;
      }

      async function observeOne(
        entity: Entity,
        written: string[],
      ): Promise<ManifestObservation> {
        const problems: ManifestProblem[] = [];
        const sets: ManifestSet[] = [];
        let files = 0;
        let bytes = 0;
        let stopped = false;
        for (const entry of written) {
          if (stopped) {
            break;
          }
          const location = resolveLocation(entity, entry);
          if (location.kind === 'unresolved') {
            problems.push({ file: entry, message: location.message });
            continue;
          }
          const read = await cached(location);
          if (read.problem) {
            problems.push(read.problem);
          }
          const taken: ReadFile[] = [];
          for (const file of read.files) {
            if (
              files + 1 > limits.maxFiles ||
              bytes + file.bytes > limits.maxBytes
            ) {
              problems.push(
                limitProblem(
                  files + 1 > limits.maxFiles ? 'files' : 'bytes',
                  file.path,
                  entry,
                ),
              );
              stopped = true;
              break;
            }
            files += 1;
            bytes += file.bytes;
            taken.push(file);
          }
          if (!stopped && read.over) {
            problems.push(limitProblem(read.over, read.overAt ?? entry, entry));
            stopped = true;
          }
          if (taken.length === 0) {
            continue;
          }
          if (taken.length === read.files.length) {
            read.set ??= parseManifests(read.files);
            sets.push(read.set);
          } else {
            sets.push(parseManifests(taken));
          }
        }
        const set =
          sets.length > 0
            ? mergeSets(sets)
            : { objects: [], problems: [], files: 0 };
        const { selector, problem } = workloadSelectorOf(entity);
        const observation = observeWorkloads(set, selector, written);
        if (problem) {
          const catalogFile = catalogFileOf(entity)?.target ?? refOf(entity);
          problems.push({ file: catalogFile, message: problem });
        }
        return {
          ...observation,
          problems: [...problems, ...observation.problems],
        };
      }

      return {
        async observe(entities) {
          const out = new Map<string, ManifestObservation>();
          const wanted: Array<{ entity: Entity; written: string[] }> = [];
          for (const entity of entities) {
            if ((entity.kind ?? '').toLowerCase() !== 'component') {
              continue;
            }
            let written: string[] | undefined;
            try {
              written = parseAnnotations(entity).values.manifests;
            } catch {
              written = undefined;
            }
            if (written && written.length > 0) {
              wanted.push({ entity, written });
            }
          }
          await eachLimited(
            wanted,
            CONCURRENCY,
            async ({ entity, written }) => {
              const ref = refKey(refOf(entity));
              try {
                const observation = await observeOne(entity, written);
                out.set(ref, observation);
                observed += 1;
                problemCount += observation.problems.length;
              } catch (error) {
                // The parser or matcher failed on this entity: the others go on.
                logger?.warn(
                  `Mesh readiness could not read the manifests of ${ref}: ${errorMessage(
                    error,
                  )}`,
                );
                out.set(ref, {
                  locations: written,
                  files: 0,
                  workloads: [],
                  problems: [
                    {
                      file: written[0],
                      message: `The manifests could not be read: ${errorMessage(
                        error,
                      )}`,
                    },
                  ],
                });
                observed += 1;
                problemCount += 1;
              }
            },
          );
          return out;
        },
        stats() {
          return {
            entities: observed,
            locations: reads.size,
            problems: problemCount,
          };
        },
      };
    },
  };
}
