/*
 * How a catalog entity names its workloads, read from the annotations the
 * Backstage Kubernetes plugin uses, so that the manifests we match are the
 * objects its Kubernetes tab shows.
 */
import type { Entity } from '@backstage/catalog-model';
import type { WorkloadSelector } from './types';

const KUBERNETES_ID = 'backstage.io/kubernetes-id';
const LABEL_SELECTOR = 'backstage.io/kubernetes-label-selector';

/** `key=value` or `key==value`; the value may be empty, as in Kubernetes. */
const EQUALITY_TERM = /^([^\s=!(),]+)\s*==?\s*([^\s=!(),]*)$/;

/**
 * The entity's workload selector, and a problem when part of its label
 * selector cannot be read.
 * @public
 */
export function workloadSelectorOf(entity: Entity): {
  selector: WorkloadSelector;
  problem?: string;
} {
  const metadata = entity?.metadata ?? ({} as Entity['metadata']);
  const annotations = metadata.annotations ?? {};
  const selector: WorkloadSelector = { name: String(metadata.name ?? '') };

  const id = annotations[KUBERNETES_ID];
  if (typeof id === 'string' && id.trim() !== '') {
    selector.kubernetesId = id.trim();
  }

  const text = annotations[LABEL_SELECTOR];
  if (typeof text !== 'string' || text.trim() === '') {
    return { selector };
  }
  const labels: Record<string, string> = {};
  const unread: string[] = [];
  for (const term of splitTerms(text)) {
    const m = EQUALITY_TERM.exec(term);
    if (m) {
      labels[m[1]] = m[2];
    } else {
      unread.push(term);
    }
  }
  if (Object.keys(labels).length > 0) {
    selector.labelSelector = labels;
  }
  if (unread.length === 0) {
    return { selector };
  }
  const read = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const consequence =
    read.length > 0
      ? `workloads are matched on ${read.join(',')} alone`
      : `the selector is not used, and workloads are matched ${
          selector.kubernetesId
            ? `by ${KUBERNETES_ID}`
            : `by the name ${selector.name}`
        }`;
  return {
    selector,
    problem:
      `${LABEL_SELECTOR}: ${unread
        .map(t => `'${t}'`)
        .join(', ')} cannot be read ` +
      `(only key=value terms are read), so ${consequence}.`,
  };
}

/** Comma-separated terms, keeping the commas inside `in (a,b)` sets. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') {
      depth += 1;
    } else if (ch === ')') {
      depth = Math.max(0, depth - 1);
    }
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(t => t !== '');
}
