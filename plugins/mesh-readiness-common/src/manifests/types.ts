/*
 * The shapes the manifest reader works on: the files it is given, the
 * objects it reads from them, and how an entity names its workloads.
 */
import type { ManifestProblem } from '../observed';

/** A file to read: its text, the path it is shown by, and its URL if any. @public */
export interface ManifestFile {
  /** As shown to people: a path relative to the catalog file or a URL. */
  path: string;
  /** The file in its source repository (links get `#L<line>`). */
  url?: string;
  text: string;
}

/** One Kubernetes object read from a file. @public */
export interface ManifestObject {
  apiVersion?: string;
  kind: string;
  name: string;
  namespace?: string;
  file: string;
  url?: string;
  /** 1-based line of the object's first line. */
  line: number;
  /** The object as plain data. */
  body: any;
  /**
   * The cluster the object was read from, when it comes from a running
   * cluster rather than a file: its facts' sources then read
   * `Pod shop/checkout-7d9f, cluster prod` instead of a file and line.
   */
  cluster?: string;
  /** When the object was read from the cluster (ISO 8601). */
  observedAt?: string;
  /** 1-based line of the node at `path` inside the object; the object's line when absent. */
  lineOf(path: ReadonlyArray<string | number>): number;
}

/** Every object read from a set of files, and what could not be read. @public */
export interface ManifestSet {
  objects: ManifestObject[];
  problems: ManifestProblem[];
  files: number;
}

/** How an entity names its workloads (the Kubernetes plugin's conventions). @public */
export interface WorkloadSelector {
  /** `backstage.io/kubernetes-id`: matches the label of that name. */
  kubernetesId?: string;
  /** `backstage.io/kubernetes-label-selector`, parsed (equality terms only). */
  labelSelector?: Record<string, string>;
  /** The entity's name: matches a workload of that name when neither is set. */
  name: string;
}
