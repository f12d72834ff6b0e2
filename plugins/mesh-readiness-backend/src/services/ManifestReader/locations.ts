import {
  ANNOTATION_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import path from 'node:path';

/*
 * Where a `mesh-readiness.io/manifests` entry points, resolved against the
 * entity's catalog file (`backstage.io/managed-by-location`) the way the
 * catalog resolves `$text`: `url:` catalog files resolve with URL rules,
 * `file:` catalog files relative to their folder on the backend's disk.
 */

/** A location resolved: a URL to read through the UrlReader, or a path on disk. */
export type ResolvedLocation =
  | {
      kind: 'url';
      /** As written in the annotation. */
      written: string;
      url: string;
      /** Written with a trailing `/`: read as a folder (readTree). */
      folder: boolean;
    }
  | {
      kind: 'file';
      written: string;
      /** Absolute path on the backend's disk. */
      path: string;
      /** The folder that paths are shown relative to (the catalog file's). */
      base: string;
      /** Written with a trailing `/`: must be a folder. */
      folder: boolean;
    };

/** Why a location could not be resolved: the problem's message. */
export interface UnresolvedLocation {
  kind: 'unresolved';
  written: string;
  message: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const WINDOWS_DRIVE = /^[a-z]:[\\/]/i;

/** The entity's catalog file, as `backstage.io/managed-by-location` names it. */
export function catalogFileOf(
  entity: Entity,
): { type: string; target: string } | undefined {
  const ref = entity.metadata.annotations?.[ANNOTATION_LOCATION];
  if (!ref) {
    return undefined;
  }
  try {
    return parseLocationRef(ref);
  } catch {
    return undefined;
  }
}

/** Resolves one annotation entry against the entity's catalog file. */
export function resolveLocation(
  entity: Entity,
  written: string,
): ResolvedLocation | UnresolvedLocation {
  const folder = /[\\/]$/.test(written);
  const scheme = SCHEME.exec(written)?.[1]?.toLowerCase();
  const absoluteUrl =
    scheme !== undefined && !WINDOWS_DRIVE.test(written) ? scheme : undefined;
  if (absoluteUrl === 'http' || absoluteUrl === 'https') {
    return { kind: 'url', written, url: new URL(written).toString(), folder };
  }
  if (absoluteUrl !== undefined) {
    return {
      kind: 'unresolved',
      written,
      message: `${written}: a ${absoluteUrl}: location is not read; list paths relative to the catalog file, or http(s) URLs`,
    };
  }
  const catalogFile = catalogFileOf(entity);
  if (!catalogFile) {
    return {
      kind: 'unresolved',
      written,
      message: `${written}: the entity has no ${ANNOTATION_LOCATION} annotation, so a relative path has nothing to be relative to; list full URLs instead`,
    };
  }
  if (catalogFile.type === 'url') {
    let url: URL;
    try {
      url = new URL(written, catalogFile.target);
    } catch {
      return {
        kind: 'unresolved',
        written,
        message: `${written}: cannot be resolved against the catalog file ${catalogFile.target}`,
      };
    }
    return { kind: 'url', written, url: url.toString(), folder };
  }
  if (catalogFile.type === 'file') {
    const base = path.dirname(path.resolve(catalogFile.target));
    return {
      kind: 'file',
      written,
      path: path.resolve(base, written),
      base,
      folder,
    };
  }
  return {
    kind: 'unresolved',
    written,
    message: `${written}: the entity's catalog location is of type ${catalogFile.type}, which relative paths cannot be resolved against; list full URLs instead`,
  };
}
