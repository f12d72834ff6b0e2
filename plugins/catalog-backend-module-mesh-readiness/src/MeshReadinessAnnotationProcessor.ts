import { Entity } from '@backstage/catalog-model';
import { CatalogProcessor } from '@backstage/plugin-catalog-node';

/** Placeholder: validation lands with the readiness model. */
export class MeshReadinessAnnotationProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'MeshReadinessAnnotationProcessor';
  }

  async preProcessEntity(entity: Entity): Promise<Entity> {
    return entity;
  }
}
