/*
 * Small pure helpers shared by the parser, the checks and the org model.
 */
import { closest, distance } from 'fastest-levenshtein';

/** A `MAJOR.MINOR[.PATCH]` version, compared numerically. @public */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** The text it was read from, e.g. `6.1`. */
  raw: string;
}

/** What parseVersion reads, once trimmed (the catalog-info.yaml schema reuses it). */
export const VERSION_RE =
  /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:[-+.][0-9A-Za-z.+-]*)?$/;

/** Annotation values longer than this (in UTF-16 code units) are not read. */
export const MAX_VALUE_LENGTH = 2000;

/** Reads `1.31`, `v1.31.2`, `5.15.0-1051-azure`; undefined when it is not a version. @public */
export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m) {
    return undefined;
  }
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: m[3] === undefined ? 0 : Number(m[3]),
    raw: text.trim(),
  };
}

/** Negative when a is older than b, 0 when equal (patch included), positive when newer. @public */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Compares on MAJOR.MINOR only: Kubernetes support windows are per minor release. */
export function compareMinor(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor;
}

const MAX_SUGGEST_INPUT = 64;

/**
 * The closest candidate to `word`, when it is close enough to be a likely
 * typo: at most 2 edits for short words, about 40% of the length for longer
 * ones. Never compares very long inputs (Levenshtein is quadratic).
 */
export function didYouMean(
  word: string,
  candidates: readonly string[],
): string | undefined {
  if (!word || candidates.length === 0 || word.length > MAX_SUGGEST_INPUT) {
    return undefined;
  }
  const best = closest(word, candidates);
  const d = distance(word, best);
  const limit = Math.max(2, Math.ceil(word.length * 0.4));
  return d > 0 && d <= limit ? best : undefined;
}

const MAX_SHOWN = 80;

/** Shortens a user value for a message; control characters are made visible. */
export function shown(value: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_SHOWN ? `${clean.slice(0, MAX_SHOWN)}…` : clean;
}

/** Formats a number for a sentence: integers as is, others to 2 decimals (3 below 1). */
export function fmt(n: number): string {
  if (Number.isInteger(n)) {
    return String(n);
  }
  const digits = Math.abs(n) < 1 ? 1000 : 100;
  return String(Math.round(n * digits) / digits);
}

/** Percentage with no decimals, e.g. 0.625 → `63%`. */
export function pct(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
