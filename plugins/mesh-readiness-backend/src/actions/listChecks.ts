import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import type { ReadinessService } from '../services/ReadinessService/types';
import { invalidInput } from './input';
import { STATUS_SEMANTICS } from './schemas';

/** `list-readiness-checks`: the check catalogue, as `GET /checks` serves it. */
export function registerListChecksAction(
  registry: ActionsRegistryService,
  options: { readiness: ReadinessService },
) {
  const { readiness } = options;
  registry.register({
    name: 'list-readiness-checks',
    title: 'List mesh readiness checks',
    description: [
      'Lists the checks Mesh Readiness runs: per-entity checks (scored on each workload) and organisation checks and gates (decided once for the catalog).',
      'Each has its id, title, category, weight in the 0-100 score (0: informational), gate (a failing gate caps the level at not-ready), rationale (why it matters), remediation (what to do about a failure), remediationYaml (the YAML to add) and reads (the annotations and fields it reads); details: true adds documentation links.',
      STATUS_SEMANTICS,
      'Use it to explain a check id returned by get-entity-readiness or get-org-readiness.',
    ].join(' '),
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          category: z
            .string()
            .optional()
            .describe(
              'Only checks of this category: ownership, protocols, workload, security, observability, resilience or organisation',
            ),
          scope: z
            .enum(['entity', 'org'])
            .optional()
            .describe(
              'entity: checks run on each workload; org: checks run once for the organisation',
            ),
          id: z
            .string()
            .optional()
            .describe('Only the check with this id, e.g. retry-safety'),
          details: z
            .boolean()
            .optional()
            .describe(
              'true adds the documentation links of each check; default false',
            ),
        }),
      output: z =>
        z.object({
          checks: z.array(
            z.object({
              id: z.string(),
              title: z.string(),
              category: z.string(),
              scope: z.enum(['entity', 'org']),
              appliesTo: z.string().describe('What the check applies to'),
              weight: z
                .number()
                .describe('Weight in the 0-100 score; 0 means informational'),
              gate: z
                .boolean()
                .describe('A failing gate caps the entity level at not-ready'),
              rationale: z.string().describe('Why it matters'),
              remediation: z.string().describe('What to do about a failure'),
              remediationYaml: z
                .string()
                .optional()
                .describe('The YAML to add, where there is one'),
              reads: z
                .array(z.string())
                .optional()
                .describe(
                  'The annotation keys and entity fields the check reads',
                ),
              sources: z
                .array(z.object({ title: z.string(), url: z.string() }))
                .optional(),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      const all = readiness.getChecks();
      if (
        input.category !== undefined &&
        !all.some(c => c.category === input.category)
      ) {
        const categories = [...new Set(all.map(c => c.category))];
        throw invalidInput(
          'category',
          `must be one of ${categories.join(', ')}`,
        );
      }
      if (input.id !== undefined && !all.some(c => c.id === input.id)) {
        throw invalidInput(
          'id',
          'is not the id of a check; call list-readiness-checks without it to see them all',
        );
      }
      const checks = all.filter(
        c =>
          (input.category === undefined || c.category === input.category) &&
          (input.scope === undefined || c.scope === input.scope) &&
          (input.id === undefined || c.id === input.id),
      );
      return {
        output: {
          checks: checks.map(c => ({
            id: c.id,
            title: c.title,
            category: c.category,
            scope: c.scope,
            appliesTo: c.appliesTo,
            weight: c.weight,
            gate: c.gate,
            rationale: c.rationale,
            remediation: c.remediation,
            ...(c.remediationYaml
              ? { remediationYaml: c.remediationYaml }
              : {}),
            ...(c.reads?.length ? { reads: c.reads } : {}),
            ...(input.details ? { sources: c.sources } : {}),
          })),
        },
      };
    },
  });
}
