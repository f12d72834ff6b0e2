/*
 * Guards for reading parsed YAML. Manifests are written by hand and by
 * tools, so any field can hold any type; every reader goes through these
 * rather than trusting the shape Kubernetes would enforce on apply.
 */

/** A YAML mapping as plain data. */
export type Data = Record<string, unknown>;

export function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a mapping, else an empty one. */
export function dataOf(value: unknown): Data {
  return isData(value) ? value : {};
}

/** `value` when it is a sequence, else an empty one. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, else undefined. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** An integer in [min, max], else undefined. */
export function intOf(
  value: unknown,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
): number | undefined {
  return typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= min &&
    value <= max
    ? value
    : undefined;
}

/**
 * The string entries of a mapping (labels, annotations, selectors).
 * Kubernetes rejects other values, so an unquoted `version: 1` is dropped
 * rather than shown as a label the cluster would never carry.
 */
export function stringMapOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isData(value)) {
    for (const [k, v] of Object.entries(value)) {
      // `__proto__` cannot be a plain key; no real label is named so.
      if (typeof v === 'string' && k !== '__proto__') {
        out[k] = v;
      }
    }
  }
  return out;
}

/** The transport of a port: `protocol` upper-cased, TCP when absent or unknown. */
export function transportOf(value: unknown): 'TCP' | 'UDP' | 'SCTP' {
  const upper = typeof value === 'string' ? value.toUpperCase() : '';
  return upper === 'UDP' || upper === 'SCTP' ? upper : 'TCP';
}
