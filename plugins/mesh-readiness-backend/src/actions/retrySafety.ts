import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  MESH_OPTIONS,
  MeshOption,
  MeshRetryVerdict,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import {
  analyzeApiEntity,
  judgeOperation,
} from '@mesh-readiness/plugin-mesh-readiness-common/retry';
import { catalogError } from '../services/CatalogReader/createCatalogReader';
import type { ReadinessService } from '../services/ReadinessService/types';
import { entityNotFound, invalidInput, readEntityRef, Zod } from './input';
import { MESH_DESCRIPTION, MESH_VALUES, STATUS_VALUES } from './schemas';

const RETRY_CHECK_ID = 'retry-safety';

const perMeshSchema = (z: Zod) =>
  z
    .record(z.enum(['safe', 'unsafe', 'unknown']))
    .describe(
      "Verdict under each mesh option's default retries, keyed by mesh (none, cilium, linkerd, istio-ambient, istio-sidecar)",
    );

/**
 * How one operation fares under each mesh's default retries, judged by the
 * retry-safety check's own rule; `listed` when the component lists it in
 * `mesh-readiness.io/no-retry-routes`.
 */
function perMeshOf(
  op: { idempotent: boolean | 'unknown' },
  listed = false,
): Partial<Record<MeshOption, MeshRetryVerdict>> {
  const out: Partial<Record<MeshOption, MeshRetryVerdict>> = {};
  for (const mesh of MESH_OPTIONS) {
    const { safe } = judgeOperation(mesh, op, listed);
    if (safe === 'unknown') {
      out[mesh] = 'unknown';
    } else {
      out[mesh] = safe ? 'safe' : 'unsafe';
    }
  }
  return out;
}

/** The worst verdict per mesh over all operations. */
function worstPerMesh(
  verdicts: Array<Partial<Record<MeshOption, MeshRetryVerdict>>>,
): Partial<Record<MeshOption, MeshRetryVerdict>> {
  const rank: Record<MeshRetryVerdict, number> = {
    safe: 0,
    unknown: 1,
    unsafe: 2,
  };
  const out: Partial<Record<MeshOption, MeshRetryVerdict>> = {};
  for (const mesh of MESH_OPTIONS) {
    let worst: MeshRetryVerdict = 'safe';
    for (const v of verdicts) {
      const value = v[mesh] ?? 'safe';
      if (rank[value] > rank[worst]) {
        worst = value;
      }
    }
    out[mesh] = worst;
  }
  return out;
}

/** `get-retry-safety`: which operations a mesh would retry although a repeat is not harmless. */
export function registerRetrySafetyAction(
  registry: ActionsRegistryService,
  options: {
    readiness: ReadinessService;
    catalog: CatalogService;
    maxDefinitionBytes?: number;
  },
) {
  const { readiness, catalog, maxDefinitionBytes } = options;
  registry.register({
    name: 'get-retry-safety',
    title: 'Get retry safety per operation',
    description: [
      "Tells, per API operation, whether a service mesh's default retries are safe: Istio (sidecar and ambient) retries failed requests by default whatever the method, so a non-idempotent operation (e.g. POST /payments without an Idempotency-Key) can run twice; Linkerd and Cilium retry nothing by default.",
      'Every operation has api, operation (METHOD /path or package.Service/Method), idempotent (true, false or unknown) with the reason, and perMesh: safe, unsafe or unknown under each mesh option (none, cilium, linkerd, istio-ambient, istio-sidecar); unknown is never safe. The result has perMesh too, the worst verdict per mesh over all operations.',
      'For a Component: the operations of the APIs it provides (spec.providesApis), with retrySafe under the mesh assumed (assumption says which and why; with no mesh decided yet, Istio sidecar, the candidate that retries most), status (the retry-safety check: fail, an unsafe operation would be retried under the decided mesh; warn, it would be under a candidate mesh while none is decided, or another caveat the message names; unknown, an API or the idempotency of an operation could not be read, never a pass; invalid; pass; not-applicable), and snippets: the mesh configuration (VirtualService, annotations) that keeps the unsafe ones from being retried. Operations listed in mesh-readiness.io/no-retry-routes count as safe.',
      'For an API entity: its operations read from spec.definition (OpenAPI or gRPC), and definition.status: ok, invalid (malformed) or unknown (missing, too large or unsupported).',
      'Read-only; evaluated with your own catalog permissions.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'A Component (component:default/payment-gateway) or an API (api:default/payments-v1); a bare name means a Component in the default namespace',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          kind: z.enum(['Component', 'API']),
          status: z
            .enum(STATUS_VALUES)
            .optional()
            .describe(
              'Component only: the retry-safety check status (fail: an unsafe operation would be retried under the mesh assumed)',
            ),
          message: z.string().describe('The finding, in words'),
          assumption: z
            .string()
            .optional()
            .describe('The mesh the verdict assumed and why'),
          perMesh: perMeshSchema(z),
          definition: z
            .object({
              type: z
                .string()
                .describe('spec.type of the API, e.g. openapi, grpc'),
              status: z
                .enum(['ok', 'invalid', 'unknown'])
                .describe(
                  'ok: read; invalid: malformed; unknown: nothing readable (missing, too large or unsupported type)',
                ),
              message: z.string().optional(),
              warnings: z
                .array(z.string())
                .optional()
                .describe('Parts of the definition that could not be read'),
            })
            .optional()
            .describe('API only: how its definition was read'),
          operations: z.array(
            z.object({
              api: z
                .string()
                .describe('The API entity the operation belongs to'),
              operation: z
                .string()
                .describe(
                  'METHOD /path for HTTP, package.Service/Method for gRPC',
                ),
              idempotent: z
                .union([z.boolean(), z.literal('unknown')])
                .describe('Whether a repeat of the request is harmless'),
              reason: z
                .string()
                .describe('Why, naming the rule that decided it'),
              retrySafe: z
                .union([z.boolean(), z.literal('unknown')])
                .optional()
                .describe(
                  'Component only: safe from the retries of the mesh assumed',
                ),
              streaming: z.boolean().optional(),
              perMesh: perMeshSchema(z).optional(),
            }),
          ),
          snippets: z
            .array(
              z.object({
                mesh: z.enum(MESH_VALUES).describe(MESH_DESCRIPTION),
                title: z.string(),
                yaml: z
                  .string()
                  .describe(
                    'Configuration that keeps the unsafe operations from being retried',
                  ),
              }),
            )
            .optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const ref = readEntityRef(input.entityRef, 'entityRef', 'component');
      const kind = ref.kind.toLocaleLowerCase('en-US');
      if (kind === 'component') {
        const result = await readiness.getEntity(ref, credentials);
        const check = result.checks.find(c => c.id === RETRY_CHECK_ID);
        const operations = check?.operations ?? [];
        if (!check) {
          return {
            output: {
              entityRef: result.entityRef,
              kind: 'Component' as const,
              status: 'not-applicable' as const,
              message: result.inScope
                ? 'The retry-safety check is disabled in this Backstage (meshReadiness.disabledChecks).'
                : `${result.entityRef} is out of scope: ${
                    result.scopeReason ?? 'it is not a workload'
                  }.`,
              perMesh: {},
              operations: [],
            },
          };
        }
        return {
          output: {
            entityRef: result.entityRef,
            kind: 'Component' as const,
            status: check.status,
            message: check.message,
            ...(check.assumption ? { assumption: check.assumption } : {}),
            perMesh: check.perMesh ?? {},
            operations: operations.map(op => ({
              api: op.api,
              operation: op.operation,
              idempotent: op.idempotent,
              reason: op.reason,
              retrySafe: op.retrySafe,
              ...(op.streaming !== undefined
                ? { streaming: op.streaming }
                : {}),
              perMesh: perMeshOf(op, op.listed === true),
            })),
            ...(check.snippets?.length
              ? {
                  snippets: check.snippets.map(s => ({
                    mesh: s.mesh,
                    title: s.title,
                    yaml: s.yaml,
                  })),
                }
              : {}),
          },
        };
      }
      if (kind !== 'api') {
        throw invalidInput(
          'entityRef',
          `retry safety is read for a Component or an API, not a ${ref.kind}`,
        );
      }
      let api: Entity | undefined;
      try {
        api = await catalog.getEntityByRef(ref, { credentials });
      } catch (error) {
        throw catalogError(error);
      }
      if (!api) {
        throw entityNotFound(ref);
      }
      const analysis = await analyzeApiEntity(api, { maxDefinitionBytes });
      const operations = analysis.operations.map(op => ({
        api: analysis.apiRef,
        operation: op.operation,
        idempotent: op.idempotent,
        reason: op.reason,
        ...(op.streaming !== undefined ? { streaming: op.streaming } : {}),
        perMesh: perMeshOf(op),
      }));
      const perMesh = worstPerMesh(operations.map(o => o.perMesh));
      const unsafe = operations.filter(o => o.idempotent === false).length;
      const unknown = operations.filter(o => o.idempotent === 'unknown').length;
      const message =
        analysis.status === 'ok'
          ? `${analysis.apiRef} has ${operations.length} operation${
              operations.length === 1 ? '' : 's'
            }: ${unsafe} not idempotent, ${unknown} of unknown idempotency. ` +
            'A mesh that retries by default (Istio) would retry the ones that are not idempotent; the Components that provide this API can list them in mesh-readiness.io/no-retry-routes (see get-retry-safety on the Component).'
          : analysis.message ?? `${analysis.apiRef} could not be read.`;
      return {
        output: {
          entityRef: analysis.apiRef,
          kind: 'API' as const,
          message,
          perMesh,
          definition: {
            type: analysis.type,
            status: analysis.status,
            ...(analysis.message ? { message: analysis.message } : {}),
            ...(analysis.warnings?.length
              ? {
                  warnings: analysis.warnings.map(
                    w => `${w.pointer}: ${w.message}`,
                  ),
                }
              : {}),
          },
          operations,
        },
      };
    },
  });
}
