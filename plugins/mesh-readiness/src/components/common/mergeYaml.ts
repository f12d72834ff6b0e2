import { isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';

function keyOf(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}

function mergeInto(target: YAMLMap, source: YAMLMap): void {
  for (const pair of source.items) {
    const key = keyOf(pair.key);
    const existing = target.items.find(p => keyOf(p.key) === key);
    if (!existing) {
      target.items.push(pair);
      continue;
    }
    if (isMap(existing.value) && isMap(pair.value)) {
      mergeInto(existing.value, pair.value);
    } else if (isSeq(existing.value) && isSeq(pair.value)) {
      const seq = existing.value as YAMLSeq;
      const seen = new Set(seq.items.map(item => String(item)));
      for (const item of (pair.value as YAMLSeq).items) {
        if (!seen.has(String(item))) {
          seq.items.push(item);
          seen.add(String(item));
        }
      }
    }
    // Two scalars for the same key: the first (most important) wins.
  }
}

/**
 * Merges several catalog-info.yaml fragments (each a mapping such as
 * `metadata: { annotations: … }`) into one, keeping comments. Fragments
 * that are not a mapping, or do not parse, are appended unchanged as
 * separate documents so that nothing is lost.
 */
export function mergeYamlSnippets(snippets: string[]): string {
  let base: ReturnType<typeof parseDocument> | undefined;
  const leftovers: string[] = [];
  for (const text of snippets) {
    const trimmed = text.trim();
    if (!trimmed) {
      continue;
    }
    const doc = parseDocument(trimmed);
    if (doc.errors.length > 0 || !isMap(doc.contents)) {
      leftovers.push(trimmed);
      continue;
    }
    if (!base) {
      base = doc;
    } else {
      mergeInto(base.contents as YAMLMap, doc.contents as YAMLMap);
    }
  }
  const parts: string[] = [];
  if (base) {
    parts.push(base.toString({ lineWidth: 0 }).trimEnd());
  }
  parts.push(...leftovers);
  return parts.join('\n---\n');
}
