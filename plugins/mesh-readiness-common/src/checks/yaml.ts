/*
 * Builders for the YAML snippets shown next to a failing check. Values are
 * emitted as JSON strings, which are valid double-quoted YAML scalars, so
 * nothing a user typed can break out of the snippet.
 */

/** `metadata.annotations` block with the given keys. */
export function annotationYaml(
  entries: Record<string, string>,
  comment?: string,
): string {
  const lines = ['metadata:', '  annotations:'];
  for (const [key, value] of Object.entries(entries)) {
    lines.push(`    ${key}: ${JSON.stringify(value)}`);
  }
  if (comment) {
    lines[2] = `${lines[2]}  # ${comment.replace(/[\r\n]+/g, ' ')}`;
  }
  return lines.join('\n');
}

/** A `spec` block with one scalar or list field. */
export function specYaml(
  field: string,
  value: string | string[],
  comment?: string,
): string {
  const note = comment ? `  # ${comment.replace(/[\r\n]+/g, ' ')}` : '';
  if (Array.isArray(value)) {
    return [
      'spec:',
      `  ${field}:${note}`,
      ...value.map(v => `    - ${JSON.stringify(v)}`),
    ].join('\n');
  }
  return `spec:\n  ${field}: ${JSON.stringify(value)}${note}`;
}
