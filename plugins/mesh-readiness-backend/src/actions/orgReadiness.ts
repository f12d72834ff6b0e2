import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type {
  GateResult,
  MeshAssessment,
  RollupRow,
  SummaryFilter,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { ReadinessService } from '../services/ReadinessService/types';
import { resolveInputRef, Zod } from './input';
import {
  LEVEL_SEMANTICS,
  MESH_DESCRIPTION,
  MESH_VALUES,
  STATUS_DESCRIPTION,
  STATUS_SEMANTICS,
  STATUS_VALUES,
} from './schemas';

const gateSchema = (z: Zod) =>
  z.object({
    id: z.string(),
    title: z.string(),
    status: z.enum(STATUS_VALUES).describe(STATUS_DESCRIPTION),
    message: z.string(),
    figures: z
      .record(z.union([z.number(), z.string()]))
      .describe(
        'The figures the gate was decided on, e.g. coverage and threshold',
      ),
  });

const meshSchema = (z: Zod) => z.enum(MESH_VALUES).describe(MESH_DESCRIPTION);

const snapshotSchema = (z: Zod) =>
  z
    .object({
      takenAt: z.string().describe('When the figures were computed (ISO 8601)'),
      source: z
        .enum(['snapshot', 'live'])
        .describe(
          'snapshot: the last scheduled snapshot; live: computed now, before the first snapshot',
        ),
      stale: z
        .boolean()
        .describe(
          'True when the catalog could not be read and these are the last good figures',
        ),
      staleReason: z.string().optional(),
    })
    .describe('Where the figures come from');

const rollupSchema = (z: Zod) =>
  z.object({
    key: z.string().describe('The owner, system or domain ref'),
    services: z.number(),
    score: z.number().nullable(),
    failing: z.number().describe('Services with at least one failing check'),
    levels: z.record(z.number()),
  });

function gate(g: GateResult) {
  return {
    id: g.id,
    title: g.title,
    status: g.status,
    message: g.message,
    figures: g.figures,
  };
}

function alternative(a: MeshAssessment, details: boolean) {
  return {
    mesh: a.mesh,
    fits: a.fits,
    complexity: a.complexity,
    ...(a.missingInputs?.length ? { missingInputs: a.missingInputs } : {}),
    ...(details ? { reasons: a.reasons, caveats: a.caveats } : {}),
  };
}

function rollup(r: RollupRow) {
  return {
    key: r.key,
    services: r.services,
    score: r.score,
    failing: r.failing,
    levels: r.levels,
  };
}

/** `get-org-readiness`: the org dashboard's verdict, gates, recommendation and cost. */
export function registerOrgReadinessAction(
  registry: ActionsRegistryService,
  options: { readiness: ReadinessService },
) {
  const { readiness } = options;
  registry.register({
    name: 'get-org-readiness',
    title: 'Get organisation mesh readiness',
    description: [
      'Answers "should we adopt a service mesh, and which one?" as the Mesh Readiness dashboard does: for the whole catalog when called with no arguments, or scoped with owner (a group), system or domain (given together, a service must match all; a bare name is read in the default namespace).',
      'Returns verdict: ready (adopt recommendation.mesh), not-ready (fix what the failing gates name), not-needed (no genuine need for a mesh) or undetermined (declare what toDecide lists); verdictReasons; gates, each with status and the figures it was decided on; recommendation.mesh with alternatives, best first; cost, the estimated data-plane memoryMiB and vcpu per mesh (null when inputs are missing); the mean score (0-100), levels (in-scope services per level), mostMissing (checks most often failed or unknown) and retryRisk.',
      STATUS_SEMANTICS,
      LEVEL_SEMANTICS,
      'snapshot tells when the figures were computed; stale true means the catalog could not be read and these are the last good figures. notes says when a scope matches no service.',
      'details: true adds the organisation checks, reasons and caveats per mesh option, and rollups per owner, system and domain.',
      'Read-only; counts only the services your catalog permissions let you see.',
      'Use get-entity-readiness for one service and list-readiness-checks for what the check ids mean.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          owner: z
            .string()
            .optional()
            .describe(
              'Only services owned by this group, e.g. group:default/payments (a bare name means a Group)',
            ),
          system: z
            .string()
            .optional()
            .describe(
              'Only services in this system, e.g. system:default/payments-core (a bare name means a System)',
            ),
          domain: z
            .string()
            .optional()
            .describe(
              'Only services in this domain, e.g. domain:default/commerce (a bare name means a Domain)',
            ),
          details: z
            .boolean()
            .optional()
            .describe(
              'true adds the organisation checks, the reasons and caveats of every mesh option, and per-owner, per-system and per-domain rollups; default false',
            ),
        }),
      output: z =>
        z.object({
          snapshot: snapshotSchema(z),
          scope: z
            .object({
              owner: z.string().optional(),
              system: z.string().optional(),
              domain: z.string().optional(),
            })
            .describe(
              'The filter applied, as resolved refs; empty for the whole catalog',
            ),
          verdict: z
            .enum(['ready', 'not-ready', 'not-needed', 'undetermined'])
            .describe(
              'ready: adopt the recommended mesh; not-ready: fix what the gates name first; not-needed: no genuine need for a mesh; undetermined: declare what toDecide lists',
            ),
          verdictReasons: z.array(z.string()),
          toDecide: z
            .array(
              z.object({
                gate: z.string(),
                declare: z.string().describe('What to declare'),
                count: z
                  .number()
                  .describe('How many services or groups lack it'),
              }),
            )
            .optional()
            .describe(
              'When the verdict is undetermined: what to declare to decide it',
            ),
          score: z
            .number()
            .nullable()
            .describe('Mean score (0-100) of the in-scope services'),
          coverage: z.number().nullable(),
          counts: z.object({
            entities: z.number(),
            inScope: z.number(),
            excluded: z.number(),
            withProblems: z
              .number()
              .describe('Services with malformed annotations'),
          }),
          levels: z
            .record(z.number())
            .describe('In-scope services per readiness level'),
          gates: z
            .array(gateSchema(z))
            .describe('The organisation gates that decide the verdict'),
          orgChecks: z
            .array(gateSchema(z))
            .optional()
            .describe(
              'With details: organisation checks that do not decide the verdict',
            ),
          recommendation: z.object({
            basis: z
              .enum(['decided', 'no-need', 'undetermined'])
              .optional()
              .describe(
                'decided: mesh is the recommendation; no-need: none is needed; undetermined: the need is unknown, alternatives rank the options if one is confirmed',
              ),
            mesh: meshSchema(z),
            reasons: z.array(z.string()),
            caveats: z.array(z.string()),
            alternatives: z
              .array(
                z.object({
                  mesh: meshSchema(z),
                  fits: z
                    .boolean()
                    .describe('Meets every declared need and constraint'),
                  complexity: z.number().describe('Lower is simpler'),
                  missingInputs: z.array(z.string()).optional(),
                  reasons: z.array(z.string()).optional(),
                  caveats: z.array(z.string()).optional(),
                }),
              )
              .describe('Every option, best first'),
          }),
          cost: z
            .array(
              z.object({
                mesh: meshSchema(z),
                memoryMiB: z
                  .number()
                  .nullable()
                  .describe(
                    'Estimated data-plane memory; null when inputs are missing',
                  ),
                vcpu: z.number().nullable(),
                missingInputs: z.array(z.string()).optional(),
                formula: z.string().describe('How the figures were computed'),
                servicesMissingInputs: z
                  .number()
                  .describe(
                    'Services without replicas or peak rps, not counted',
                  ),
              }),
            )
            .describe('Estimated overhead of each mesh option'),
          mostMissing: z
            .array(
              z.object({
                checkId: z.string(),
                title: z.string(),
                count: z.number().describe('failing plus unknown'),
                failing: z
                  .number()
                  .optional()
                  .describe('Services where it fails or is invalid'),
                unknown: z
                  .number()
                  .optional()
                  .describe(
                    'Services where it is unknown: the fact is neither declared nor observed',
                  ),
              }),
            )
            .describe(
              'The checks most services fail (first) or leave unknown (after)',
            ),
          retryRisk: z
            .object({ services: z.number(), operations: z.number() })
            .describe(
              'Services and API operations a mesh would retry although a repeat is not harmless',
            ),
          inspected: z
            .number()
            .optional()
            .describe(
              'In-scope services whose manifests or running workloads were read',
            ),
          rollups: z
            .object({
              owner: z.array(rollupSchema(z)),
              system: z.array(rollupSchema(z)),
              domain: z.array(rollupSchema(z)),
            })
            .optional()
            .describe('With details: figures per owner, system and domain'),
          notes: z.array(z.string()).optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const filter: SummaryFilter = {};
      if (input.owner !== undefined) {
        filter.owner = resolveInputRef(input.owner, 'owner', 'group');
      }
      if (input.system !== undefined) {
        filter.system = resolveInputRef(input.system, 'system', 'system');
      }
      if (input.domain !== undefined) {
        filter.domain = resolveInputRef(input.domain, 'domain', 'domain');
      }
      const details = input.details ?? false;
      const { snapshot, org } = await readiness.getSummary(filter, credentials);
      const notes: string[] = [];
      if (Object.keys(filter).length > 0 && org.counts.entities === 0) {
        notes.push(
          `No service you may see matches ${Object.entries(filter)
            .map(([key, value]) => `${key} ${value}`)
            .join(
              ' and ',
            )}; check the ref (kind:namespace/name) in the catalog.`,
        );
      }
      return {
        output: {
          snapshot,
          scope: filter,
          verdict: org.verdict,
          verdictReasons: org.verdictReasons,
          ...(org.toDecide?.length ? { toDecide: org.toDecide } : {}),
          score: org.score,
          coverage: org.coverage ?? null,
          counts: org.counts,
          levels: org.levels,
          gates: org.gates.map(gate),
          ...(details && org.orgChecks
            ? { orgChecks: org.orgChecks.map(gate) }
            : {}),
          recommendation: {
            basis: org.recommendation.basis,
            mesh: org.recommendation.mesh,
            reasons: org.recommendation.reasons,
            caveats: org.recommendation.caveats,
            alternatives: org.recommendation.alternatives.map(a =>
              alternative(a, details),
            ),
          },
          cost: org.cost.map(c => ({
            mesh: c.mesh,
            memoryMiB: c.memoryMiB,
            vcpu: c.vcpu,
            ...(c.missingInputs?.length
              ? { missingInputs: c.missingInputs }
              : {}),
            formula: c.formula,
            servicesMissingInputs: c.servicesMissingInputs,
          })),
          mostMissing: org.mostMissing,
          retryRisk: org.retryRisk,
          ...(org.inspected !== undefined ? { inspected: org.inspected } : {}),
          ...(details
            ? {
                rollups: {
                  owner: org.rollups.owner.map(rollup),
                  system: org.rollups.system.map(rollup),
                  domain: org.rollups.domain.map(rollup),
                },
              }
            : {}),
          ...(notes.length ? { notes } : {}),
        },
      };
    },
  });
}
