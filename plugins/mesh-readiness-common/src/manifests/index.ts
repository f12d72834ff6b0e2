/**
 * Reading Kubernetes manifests into observed facts: parse YAML files
 * (multi-document), match workloads to a catalog entity, and describe what
 * each matched workload's manifests say, with the file and line of every
 * fact. Used by the backend and the CLI; the frontend never loads it.
 *
 * @packageDocumentation
 */
import type { Entity } from '@backstage/catalog-model';
import type { ManifestObservation, ManifestProblem } from '../observed';

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

export declare function parseManifests(files: ManifestFile[]): ManifestSet;
export declare function workloadSelectorOf(entity: Entity): {
  selector: WorkloadSelector;
  problem?: string;
};
export declare function observeWorkloads(
  set: ManifestSet,
  selector: WorkloadSelector,
  locations: string[],
): ManifestObservation;
