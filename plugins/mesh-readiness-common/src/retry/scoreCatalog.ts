import type { Entity } from '@backstage/catalog-model';
import { parseAnnotations } from '../annotations';
import type { RetrySafetyEvaluator } from '../checks/types';
import { evaluateCatalog, type EvaluationOptions } from '../engine';
import type { ScoreReport } from '../types';
import { analyzeApis } from './analyze';
import { evaluateRetrySafety } from './evaluate';
import type { ApiAnalysis } from './types';

/**
 * The retry-safety check as the engine calls it: the component's declared
 * `retries` and `no-retry-routes` against the operations of the APIs it
 * provides, under the mesh the org would adopt.
 * @public
 */
export const defaultRetrySafety: RetrySafetyEvaluator = (
  component,
  providedApiRefs,
  analyses,
  mesh,
  parsed,
) => {
  const values = parsed ?? parseAnnotations(component).values;
  return evaluateRetrySafety({
    component,
    providedApis: providedApiRefs,
    analyses: analyses as Map<string, ApiAnalysis>,
    appRetries: values.retries,
    noRetryRoutes: values.noRetryRoutes ?? [],
    mesh,
  });
};

/**
 * Scores a catalog end to end: analyses every API entity's definition
 * (the only asynchronous step), then runs {@link evaluateCatalog} with the
 * retry-safety check wired in. This is what the backend and the CLI call.
 * @public
 */
export async function scoreCatalog(
  entities: readonly Entity[],
  options: EvaluationOptions & { maxDefinitionBytes?: number } = {},
): Promise<ScoreReport> {
  const { maxDefinitionBytes, ...evaluation } = options;
  const apis = entities.filter(
    e => typeof e?.kind === 'string' && e.kind.toLowerCase() === 'api',
  );
  const apiAnalyses = await analyzeApis(apis, { maxDefinitionBytes });
  return evaluateCatalog(entities, {
    ...evaluation,
    apiAnalyses: evaluation.apiAnalyses ?? apiAnalyses,
    retrySafety: evaluation.retrySafety ?? defaultRetrySafety,
  });
}
