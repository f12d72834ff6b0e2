import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type {
  CheckDefinition,
  CheckResult,
  EntityResult,
  FactSource,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { ReadinessService } from '../services/ReadinessService/types';
import { readEntityRef, Zod } from './input';
import {
  LEVEL_DESCRIPTION,
  LEVEL_SEMANTICS,
  LEVEL_VALUES,
  PROBLEM_DESCRIPTIONS,
  STATUS_DESCRIPTION,
  STATUS_SEMANTICS,
  STATUS_VALUES,
  WAIVER_DESCRIPTIONS,
} from './schemas';

/** Statuses that need nothing done: no fix is shown for them. */
const SETTLED = new Set(['pass', 'not-applicable', 'waived']);

const waiverSchema = (z: Zod) =>
  z.object({
    checkId: z.string().describe(WAIVER_DESCRIPTIONS.checkId),
    until: z.string().describe(WAIVER_DESCRIPTIONS.until),
    reason: z.string(),
    expired: z.boolean().describe(WAIVER_DESCRIPTIONS.expired),
  });

const factSourceSchema = (z: Zod) =>
  z.object({
    label: z
      .string()
      .describe(
        'Where the fact was read, e.g. "annotation mesh-readiness.io/ports" or "Deployment shop/orders, deploy/orders.yaml:41"',
      ),
    url: z.string().optional(),
    cluster: z.string().optional(),
    observedAt: z.string().optional(),
  });

const checkSchema = (z: Zod) =>
  z.object({
    id: z.string().describe('Check id, as list-readiness-checks lists it'),
    title: z.string(),
    status: z.enum(STATUS_VALUES).describe(STATUS_DESCRIPTION),
    message: z.string().describe('What was found, naming the input'),
    fixYaml: z
      .string()
      .optional()
      .describe(
        'catalog-info.yaml (or manifest) YAML that would make the check pass; only on checks that need something done',
      ),
    waiver: waiverSchema(z).optional(),
    assumption: z
      .string()
      .optional()
      .describe('For checks that depend on the mesh: the mesh assumed and why'),
    sources: z
      .array(z.string())
      .optional()
      .describe('Where the facts this result was decided on were read'),
    evidence: z
      .array(
        z.object({
          fact: z.string(),
          value: z.string(),
          source: factSourceSchema(z),
        }),
      )
      .optional()
      .describe('With details: each fact the result was decided on'),
  });

function check(
  result: CheckResult,
  definitions: Map<string, CheckDefinition>,
  details: boolean,
) {
  const sources = [
    ...new Set((result.evidence ?? []).map(e => e.source.label)),
  ];
  return {
    id: result.id,
    title: definitions.get(result.id)?.title ?? result.id,
    status: result.status,
    message: result.message,
    ...(result.fixYaml && !SETTLED.has(result.status)
      ? { fixYaml: result.fixYaml }
      : {}),
    ...(result.waiver ? { waiver: result.waiver } : {}),
    ...(result.assumption ? { assumption: result.assumption } : {}),
    ...(sources.length ? { sources } : {}),
    ...(details && result.evidence?.length
      ? {
          evidence: result.evidence.map(e => ({
            fact: e.fact,
            value: e.value,
            source: sourceOf(e.source),
          })),
        }
      : {}),
  };
}

function sourceOf(source: FactSource) {
  return {
    label: source.label,
    ...(source.url ? { url: source.url } : {}),
    ...(source.cluster ? { cluster: source.cluster } : {}),
    ...(source.observedAt ? { observedAt: source.observedAt } : {}),
  };
}

function manifestsOf(result: EntityResult) {
  const manifests = result.manifests;
  if (!manifests) {
    return {};
  }
  return {
    manifests: {
      locations: manifests.locations,
      files: manifests.files,
      workloads: manifests.workloads.map(
        w =>
          `${w.kind} ${w.namespace ? `${w.namespace}/` : ''}${w.name} (${
            w.source.label
          })`,
      ),
      problems: manifests.problems.map(
        p => `${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`,
      ),
      ...(manifests.observedAt ? { observedAt: manifests.observedAt } : {}),
      ...(manifests.stale ? { stale: true } : {}),
    },
  };
}

/** `get-entity-readiness`: one entity's result, as the entity tab shows it. */
export function registerEntityReadinessAction(
  registry: ActionsRegistryService,
  options: { readiness: ReadinessService },
) {
  const { readiness } = options;
  registry.register({
    name: 'get-entity-readiness',
    title: 'Get mesh readiness of an entity',
    description: [
      'Scores one catalog entity (usually a Component) for service-mesh readiness, as its Backstage entity page does.',
      'Returns score (0-100), level, coverage (share of the check weight whose status is known; low means declare more), topMissing (check ids to fix first) and every check with its status, message, fixYaml (YAML to add to catalog-info.yaml), waiver, and sources: where each fact was read (annotation, manifest file:line or running cluster; details: true adds each fact and value).',
      'problems lists malformed mesh-readiness.io annotations with the value to write instead.',
      STATUS_SEMANTICS,
      LEVEL_SEMANTICS,
      'An entity that is not a workload has inScope false and score and level null.',
      'Read-only; evaluated with your own catalog permissions, so an entity you may not see is reported as not found.',
      'Use get-retry-safety for the per-operation retry table and list-readiness-checks to explain a check id.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity, as kind:namespace/name (e.g. component:default/payment-gateway); a bare name means a Component in the default namespace',
            ),
          details: z
            .boolean()
            .optional()
            .describe(
              'true adds each fact with its source to every check (longer answer); default false',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          kind: z.string(),
          title: z.string().optional(),
          type: z.string().optional(),
          lifecycle: z.string().optional(),
          owner: z.string().optional(),
          system: z.string().optional(),
          domain: z.string().optional(),
          inScope: z
            .boolean()
            .describe(
              'False for entities that are not workloads or are excluded: they have no score',
            ),
          scopeReason: z.string().optional(),
          score: z
            .number()
            .nullable()
            .describe(
              '0-100 over the checks that apply; null when out of scope',
            ),
          level: z.enum(LEVEL_VALUES).nullable().describe(LEVEL_DESCRIPTION),
          coverage: z
            .number()
            .nullable()
            .describe(
              'Share (0-1) of the check weight whose status is known; low coverage means declare more annotations',
            ),
          topMissing: z
            .array(z.string())
            .describe(
              'Ids of the failing or unknown checks that weigh most, most important first: fix these first',
            ),
          checks: z.array(checkSchema(z)),
          problems: z
            .array(
              z.object({
                key: z.string().describe(PROBLEM_DESCRIPTIONS.key),
                value: z.string().describe(PROBLEM_DESCRIPTIONS.value),
                message: z.string().describe(PROBLEM_DESCRIPTIONS.message),
                suggestion: z
                  .string()
                  .optional()
                  .describe(PROBLEM_DESCRIPTIONS.suggestion),
              }),
            )
            .describe('Malformed mesh-readiness.io annotations on the entity'),
          waivers: z.array(waiverSchema(z)),
          manifests: z
            .object({
              locations: z.array(z.string()),
              files: z.number(),
              workloads: z
                .array(z.string())
                .describe('The workloads matched, each with where it was read'),
              problems: z.array(z.string()),
              observedAt: z
                .string()
                .optional()
                .describe(
                  'When the workloads were read from a running cluster',
                ),
              stale: z.boolean().optional(),
            })
            .optional()
            .describe(
              'The Kubernetes manifests or cluster workloads the facts were read from; absent when the facts are declared only',
            ),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = readEntityRef(input.entityRef, 'entityRef', 'component');
      const result = await readiness.getEntity(ref, credentials);
      const definitions = new Map(readiness.getChecks().map(c => [c.id, c]));
      const details = input.details ?? false;
      return {
        output: {
          entityRef: result.entityRef,
          kind: result.kind,
          title: result.title,
          type: result.type,
          lifecycle: result.lifecycle,
          owner: result.owner,
          system: result.system,
          domain: result.domain,
          inScope: result.inScope,
          scopeReason: result.scopeReason,
          score: result.score,
          level: result.level,
          coverage: result.coverage ?? null,
          topMissing: result.topMissing,
          checks: result.checks.map(c => check(c, definitions, details)),
          problems: result.problems,
          waivers: result.waivers,
          ...manifestsOf(result),
        },
      };
    },
  });
}
