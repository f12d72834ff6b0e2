import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_PREFIX,
  AnnotationProblem,
  parseAnnotations,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { parseAllDocuments } from 'yaml';
import type { ReadinessService } from '../services/ReadinessService/types';
import { invalidInput } from './input';
import { PROBLEM_DESCRIPTIONS, WAIVER_DESCRIPTIONS } from './schemas';

/** Largest catalog-info.yaml read: far more than any one file holds. */
const MAX_YAML_LENGTH = 1024 * 1024;
/** Most documents read from one paste. */
const MAX_DOCUMENTS = 500;

const NO_ENTITY =
  'No entity found: the YAML holds only comments, --- separators or empty documents, so nothing was checked. Paste the whole catalog-info.yaml: one or more documents, each with apiVersion, kind, metadata (name, annotations) and spec.';

interface DocumentError {
  document: number;
  line?: number;
  message: string;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The entity ref of a document, when it names its kind and name. */
function refOf(entity: Record<string, unknown>): string | undefined {
  const metadata = entity.metadata;
  if (
    typeof entity.kind !== 'string' ||
    !isMapping(metadata) ||
    typeof metadata.name !== 'string'
  ) {
    return undefined;
  }
  try {
    return stringifyEntityRef({
      kind: entity.kind,
      namespace:
        typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
      name: metadata.name,
    });
  } catch {
    return undefined;
  }
}

/**
 * Annotation values the catalog would refuse: it stores only strings, so
 * `replicas: 3` must be written `replicas: "3"`.
 */
function unquoted(annotations: unknown): AnnotationProblem[] {
  if (!isMapping(annotations)) {
    return [];
  }
  const problems: AnnotationProblem[] = [];
  for (const [key, value] of Object.entries(annotations)) {
    if (
      key.startsWith(ANNOTATION_PREFIX) &&
      (typeof value === 'number' || typeof value === 'boolean')
    ) {
      problems.push({
        key,
        value: String(value),
        message: `${key}: the catalog accepts only string annotation values; quote ${String(
          value,
        )} in YAML`,
        suggestion: JSON.stringify(String(value)),
      });
    }
  }
  return problems;
}

/** `validate-readiness-annotations`: annotation problems of a pasted catalog-info.yaml. */
export function registerValidateAnnotationsAction(
  registry: ActionsRegistryService,
  options: { readiness: ReadinessService },
) {
  const { readiness } = options;
  registry.register({
    name: 'validate-readiness-annotations',
    title: 'Validate mesh readiness annotations',
    description: [
      "Checks the mesh-readiness.io/* annotations (and waivers, mesh-readiness.io/waive.<check-id>) in a catalog-info.yaml before it is committed: pass the file's text, one or more YAML documents, each an entity with apiVersion, kind, metadata and spec.",
      'Returns valid: true only when at least one entity was found, every document was read and no annotation has a problem.',
      'entities lists, per document, the entityRef, the mesh-readiness.io keys found, problems (key, value as written, message saying why it is wrong, suggestion: the closest valid key or value to write instead) and the waivers (expired ones count again).',
      'errors lists documents that are not valid YAML (with the line) or not an entity, or says that no entity was found.',
      'Nothing is stored and the catalog is not touched. After fixing, call it again until valid is true.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          yaml: z
            .string()
            .describe(
              'The text of a catalog-info.yaml: one or more YAML documents separated by ---, each a Backstage entity (apiVersion, kind, metadata, spec)',
            ),
        }),
      output: z =>
        z.object({
          valid: z
            .boolean()
            .describe(
              'True when at least one entity was found, every document was read and no annotation has a problem',
            ),
          entities: z.array(
            z.object({
              document: z
                .number()
                .describe('Position of the YAML document, from 1'),
              entityRef: z
                .string()
                .optional()
                .describe('kind:namespace/name, when the document names them'),
              annotations: z
                .array(z.string())
                .describe('The mesh-readiness.io annotation keys found'),
              problems: z.array(
                z.object({
                  key: z.string().describe(PROBLEM_DESCRIPTIONS.key),
                  value: z.string().describe(PROBLEM_DESCRIPTIONS.value),
                  message: z.string().describe(PROBLEM_DESCRIPTIONS.message),
                  suggestion: z
                    .string()
                    .optional()
                    .describe(PROBLEM_DESCRIPTIONS.suggestion),
                }),
              ),
              waivers: z
                .array(
                  z.object({
                    checkId: z.string().describe(WAIVER_DESCRIPTIONS.checkId),
                    until: z.string().describe(WAIVER_DESCRIPTIONS.until),
                    reason: z.string(),
                    expired: z.boolean().describe(WAIVER_DESCRIPTIONS.expired),
                  }),
                )
                .describe('The well-formed waivers, expired ones flagged'),
            }),
          ),
          errors: z
            .array(
              z.object({
                document: z.number(),
                line: z.number().optional(),
                message: z.string(),
              }),
            )
            .describe(
              'Documents that are not valid YAML or not an entity; when no document holds an entity, one error saying so',
            ),
        }),
    },
    action: async ({ input }) => {
      const text = input.yaml;
      if (!text.trim()) {
        throw invalidInput(
          'yaml',
          'is empty; pass the text of a catalog-info.yaml',
        );
      }
      if (text.length > MAX_YAML_LENGTH) {
        throw invalidInput(
          'yaml',
          `is ${text.length} characters long; at most ${MAX_YAML_LENGTH} are read`,
        );
      }
      const checkIds = readiness
        .getChecks()
        .filter(c => c.scope === 'entity')
        .map(c => c.id);
      const now = new Date();
      const parsed = parseAllDocuments(text);
      const documents = Array.isArray(parsed) ? parsed : [];
      if (documents.length > MAX_DOCUMENTS) {
        throw invalidInput(
          'yaml',
          `holds ${documents.length} documents; at most ${MAX_DOCUMENTS} are read`,
        );
      }
      const entities = [];
      const errors: DocumentError[] = [];
      for (const [index, doc] of documents.entries()) {
        const number = index + 1;
        if (doc.errors.length > 0) {
          const error = doc.errors[0];
          errors.push({
            document: number,
            ...(error.linePos ? { line: error.linePos[0].line } : {}),
            message: error.message.split('\n')[0],
          });
          continue;
        }
        let value: unknown;
        try {
          value = doc.toJS();
        } catch (error) {
          errors.push({
            document: number,
            message: `the document could not be read: ${String(error)}`,
          });
          continue;
        }
        if (value === null || value === undefined) {
          // An empty document, e.g. after a trailing ---.
          continue;
        }
        if (!isMapping(value) || !isMapping(value.metadata)) {
          errors.push({
            document: number,
            message:
              'not a Backstage entity: expected a mapping with kind and metadata',
          });
          continue;
        }
        const { values, problems } = parseAnnotations(value as Entity, {
          checkIds,
          now,
        });
        const annotations = isMapping(value.metadata.annotations)
          ? Object.keys(value.metadata.annotations).filter(key =>
              key.startsWith(ANNOTATION_PREFIX),
            )
          : [];
        const entityRef = refOf(value);
        entities.push({
          document: number,
          ...(entityRef ? { entityRef } : {}),
          annotations,
          problems: [...unquoted(value.metadata.annotations), ...problems],
          waivers: values.waivers,
        });
      }
      if (entities.length === 0 && errors.length === 0) {
        // Only comments, `---` or empty documents: nothing was checked.
        errors.push({ document: 1, message: NO_ENTITY });
      }
      return {
        output: {
          valid:
            entities.length > 0 &&
            errors.length === 0 &&
            entities.every(entity => entity.problems.length === 0),
          entities,
          errors,
        },
      };
    },
  });
}
