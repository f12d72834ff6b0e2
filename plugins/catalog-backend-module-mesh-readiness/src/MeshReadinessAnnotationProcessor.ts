import type { Entity } from '@backstage/catalog-model';
import type {
  AlphaEntity,
  EntityStatusItem,
} from '@backstage/catalog-model/alpha';
import type { CatalogProcessor } from '@backstage/plugin-catalog-node';
import {
  AnnotationProblem,
  parseAnnotations,
} from '@mesh-readiness/plugin-mesh-readiness-common';

/**
 * The status item type Backstage uses for processing problems; the entity
 * page's processing-errors panel shows items of this type at level error.
 */
export const CATALOG_PROCESSING_STATUS_TYPE = 'backstage.io/catalog-processing';

/** The error name that marks the items this processor writes. */
export const ANNOTATION_ERROR_NAME = 'MeshReadinessAnnotationError';

function statusItem(problem: AnnotationProblem): EntityStatusItem {
  return {
    type: CATALOG_PROCESSING_STATUS_TYPE,
    level: 'error',
    message: `${ANNOTATION_ERROR_NAME}: ${problem.message}`,
    error: {
      name: ANNOTATION_ERROR_NAME,
      message: problem.message,
    },
  };
}

/**
 * Validates `mesh-readiness.io/*` annotations with the common model and
 * puts each problem on the entity, where Backstage shows processing
 * problems (`status.items`, type `backstage.io/catalog-processing`).
 *
 * It deliberately does not `emit(processingResult.inputError(...))`: the
 * catalog treats any emitted error as a failed run and keeps the entity (or
 * its update) out of the catalog, while a malformed readiness annotation
 * must never hide an otherwise valid entity.
 */
export class MeshReadinessAnnotationProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'MeshReadinessAnnotationProcessor';
  }

  async postProcessEntity(entity: Entity): Promise<Entity> {
    const { problems } = parseAnnotations(entity);
    const current = entity as AlphaEntity;
    const others = (current.status?.items ?? []).filter(
      item => item.error?.name !== ANNOTATION_ERROR_NAME,
    );
    if (
      problems.length === 0 &&
      others.length === (current.status?.items?.length ?? 0)
    ) {
      return entity;
    }
    const items = [...others, ...problems.map(statusItem)];
    const { status: _status, ...rest } = current;
    if (items.length === 0) {
      return rest;
    }
    const updated: AlphaEntity = {
      ...rest,
      status: { ...current.status, items },
    };
    return updated;
  }
}
