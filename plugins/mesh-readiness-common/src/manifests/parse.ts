/*
 * Reading manifest files into Kubernetes objects, each knowing the file and
 * line it came from. A file that cannot be read gives a problem naming the
 * file and the fix, and never stops the other files from being read: the
 * input is whatever people link from their catalog, so nothing here throws.
 */
import {
  Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
} from 'yaml';
import type { ManifestProblem } from '../observed';
import { isData } from './data';
import type { ManifestFile, ManifestObject, ManifestSet } from './types';

type Path = ReadonlyArray<string | number>;

/**
 * The kinds read, with the API groups they belong to (`''` is the core
 * group). Checking the group keeps look-alikes out: a Knative `Service`
 * (`serving.knative.dev/v1`) is not a Kubernetes Service. Every other kind
 * (ConfigMaps, Istio resources, kustomization.yaml…) is ignored silently.
 */
const KINDS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Deployment', ['apps', 'extensions']],
  ['StatefulSet', ['apps']],
  ['DaemonSet', ['apps', 'extensions']],
  ['ReplicaSet', ['apps', 'extensions']],
  ['Pod', ['']],
  ['Job', ['batch']],
  ['CronJob', ['batch']],
  ['Service', ['']],
  ['HorizontalPodAutoscaler', ['autoscaling']],
  ['NetworkPolicy', ['networking.k8s.io', 'extensions']],
  ['Namespace', ['']],
  ['ServiceAccount', ['']],
]);

/** Most problems listed per file; one long broken file should not bury the rest. */
const MAX_PROBLEMS_PER_FILE = 5;

/**
 * Whether `text` holds a Helm / Go-template action (`{{ .Values.x }}`,
 * `{{- include "…" . }}`): a `{{` with a `}}` after it. Two index look-ups
 * rather than a lazy regular expression, which is quadratic on a large
 * file with many `{{` and no `}}`.
 */
function hasTemplateAction(text: string): boolean {
  const open = text.indexOf('{{');
  return open >= 0 && text.indexOf('}}', open + 2) >= 0;
}

/** Read every Kubernetes object of the files, in file and document order. @public */
export function parseManifests(files: ManifestFile[]): ManifestSet {
  const set: ManifestSet = { objects: [], problems: [], files: 0 };
  for (const file of Array.isArray(files) ? files : []) {
    set.files += 1;
    const path = String(file?.path ?? '(unnamed file)');
    const problems: ManifestProblem[] = [];
    try {
      readFile(file, path, set.objects, problems);
    } catch (error) {
      // The YAML library does not throw on bad input, but a bug here must
      // cost one file, not the whole set.
      problems.push({
        file: path,
        message: `${path} could not be read (${String(
          error,
        )}), so it is skipped.`,
      });
    }
    set.problems.push(...capped(path, problems));
  }
  return set;
}

function capped(path: string, problems: ManifestProblem[]): ManifestProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) {
    return problems;
  }
  const shown = problems.slice(0, MAX_PROBLEMS_PER_FILE - 1);
  const more = problems.length - shown.length;
  return [
    ...shown,
    { file: path, message: `${path}: ${more} more problems are not listed.` },
  ];
}

function readFile(
  file: ManifestFile,
  path: string,
  objects: ManifestObject[],
  problems: ManifestProblem[],
): void {
  if (typeof file?.text !== 'string') {
    problems.push({ file: path, message: `${path} has no text to read.` });
    return;
  }
  const text = file.text;
  const lineCounter = new LineCounter();
  const docs = Array.from(
    parseAllDocuments(text, {
      lineCounter,
      // Kubernetes (sigs.k8s.io/yaml) honours `<<` merge keys.
      merge: true,
      // Odd keys (a flow mapping used as a key) would otherwise print
      // warnings on the server's console while converting to plain data.
      logLevel: 'error',
    }),
  );
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const broken = docs.find(doc => doc.errors.length > 0);

  if (isTemplate(text, docs, broken !== undefined)) {
    problems.push({
      file: path,
      line: lineAt(Math.max(0, text.indexOf('{{'))),
      message:
        `${path} is a template (it contains {{ … }}), so it is not read: ` +
        'link the rendered manifests instead, e.g. the output of ' +
        '`helm template <release> <chart> > rendered.yaml` or `kustomize build <dir>`.',
    });
    return;
  }
  if (broken) {
    const error = broken.errors[0];
    const line = error.linePos?.[0]?.line ?? 1;
    // The library's message ends with the position and a code excerpt;
    // the problem carries the line itself.
    const reason = error.message
      .split('\n')[0]
      .replace(/ at line \d+, column \d+:?$/, '');
    problems.push({
      file: path,
      line,
      message:
        `${path} is not valid YAML (line ${line}: ${reason}), so it is not read. ` +
        `Fix the YAML there; \`kubectl apply --dry-run=client -f ${path}\` shows the same error.`,
    });
    return;
  }

  for (const doc of docs) {
    const line = nodeLine(doc, [], lineAt) ?? 1;
    let body: unknown;
    try {
      body = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // Too many aliases (a "billion laughs" document) or a bad alias.
      problems.push({
        file: path,
        line,
        message: `${path}:${line}: this document could not be read (${String(
          error instanceof Error ? error.message : error,
        )}), so it is skipped.`,
      });
      continue;
    }
    const reader: DocReader = { file, path, doc, lineAt, objects, problems };
    readObject(reader, body, [], line);
  }
}

/**
 * Whether the file is a Helm or Go template rather than manifests. Any
 * `{{ … }}` makes a file that does not parse a template. A file that parses
 * is a template when the action sits in an object that would be read (or in
 * one whose kind cannot be told): rendered output legitimately carries
 * `{{ $labels.pod }}` inside ConfigMaps and PrometheusRules, which are
 * ignored anyway, and the rendered output is what we ask people to link.
 */
function isTemplate(text: string, docs: Document[], broken: boolean): boolean {
  if (!hasTemplateAction(text)) {
    return false;
  }
  if (broken) {
    return true;
  }
  return docs.some(doc => {
    const [start, , end] = doc.range ?? [0, 0, text.length];
    if (!hasTemplateAction(text.slice(start, end))) {
      return false;
    }
    const kind = isMap(doc.contents) ? doc.get('kind') : undefined;
    const ignored =
      typeof kind === 'string' && kind !== 'List' && !KINDS.has(kind);
    return !ignored;
  });
}

interface DocReader {
  file: ManifestFile;
  path: string;
  doc: Document;
  lineAt: (offset: number) => number;
  objects: ManifestObject[];
  problems: ManifestProblem[];
}

/** Has `apiVersion` or `kind`: meant to be a Kubernetes object. */
function looksLikeObject(value: unknown): boolean {
  return (
    isData(value) &&
    (value.apiVersion !== undefined || value.kind !== undefined)
  );
}

function readObject(
  reader: DocReader,
  body: unknown,
  prefix: Path,
  line: number,
): void {
  const { path } = reader;
  const skip = (message: string) =>
    reader.problems.push({
      file: path,
      line,
      message: `${path}:${line}: ${message}`,
    });

  if (!isData(body)) {
    if (Array.isArray(body) && body.some(looksLikeObject)) {
      skip(
        'this document is a YAML sequence, not a Kubernetes object, so it is skipped; ' +
          'put each object in its own document (separated by `---`) or under `items:` of a `kind: List`.',
      );
    }
    return;
  }
  const kind = typeof body.kind === 'string' ? body.kind.trim() : '';
  if (!kind) {
    if (looksLikeObject(body)) {
      skip(
        'this object has no `kind`, so it is skipped; add one (e.g. `kind: Deployment`).',
      );
    }
    return;
  }
  const apiVersion =
    typeof body.apiVersion === 'string' ? body.apiVersion : undefined;

  if (kind === 'List' && prefix.length === 0) {
    if (!Array.isArray(body.items)) {
      skip(
        'this `kind: List` has no `items:` sequence, so nothing in it is read.',
      );
      return;
    }
    body.items.forEach((item, i) => {
      const itemPath = ['items', i];
      readObject(
        reader,
        item,
        itemPath,
        nodeLine(reader.doc, itemPath, reader.lineAt) ?? line,
      );
    });
    return;
  }
  const groups = KINDS.get(kind);
  // `apiVersion` is required by Kubernetes, but its absence is a slip
  // worth forgiving here: the kind alone still says what the object is.
  if (
    !groups ||
    (apiVersion !== undefined && !groups.includes(groupOf(apiVersion)))
  ) {
    return;
  }

  const metadata = isData(body.metadata) ? body.metadata : {};
  const rawName = metadata.name ?? metadata.generateName;
  const name =
    typeof rawName === 'string' || typeof rawName === 'number'
      ? String(rawName).trim()
      : '';
  if (!name) {
    skip(
      `this ${kind} has no \`metadata.name\`, so it is skipped; give it a name.`,
    );
    return;
  }
  const namespace =
    typeof metadata.namespace === 'string' && metadata.namespace !== ''
      ? metadata.namespace
      : undefined;
  const { doc, lineAt, file } = reader;
  const object: ManifestObject = {
    kind,
    name,
    file: path,
    line,
    body,
    lineOf: nested => nodeLine(doc, [...prefix, ...nested], lineAt) ?? line,
  };
  if (apiVersion !== undefined) {
    object.apiVersion = apiVersion;
  }
  if (namespace !== undefined) {
    object.namespace = namespace;
  }
  if (typeof file.url === 'string' && file.url !== '') {
    object.url = file.url;
  }
  reader.objects.push(object);
}

/** `apps/v1` → `apps`, `v1` → `''` (the core group). */
function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/**
 * The 1-based line of the node at `path`. For a mapping entry it is the
 * line of its key, which is what people look for: `readinessProbe:` rather
 * than the first line of the probe's body (where `doc.getIn(path, true)`
 * would point). Undefined when there is no such node.
 */
function nodeLine(
  doc: Document,
  path: Path,
  lineAt: (offset: number) => number,
): number | undefined {
  let node: unknown = doc.contents;
  let at: unknown = node;
  for (const segment of path) {
    if (isAlias(node)) {
      node = node.resolve(doc);
    }
    if (isMap(node)) {
      const pair = node.items.find(
        p => isScalar(p.key) && String(p.key.value) === String(segment),
      );
      if (!pair) {
        return undefined;
      }
      at = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      at = node;
    } else {
      return undefined;
    }
  }
  const range = (at as { range?: [number, number, number] } | null)?.range;
  return range ? lineAt(range[0]) : undefined;
}
