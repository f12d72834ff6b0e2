import type { Entity } from '@backstage/catalog-model';
import { MeshReadinessAnnotationProcessor } from './MeshReadinessAnnotationProcessor';

function component(
  annotations: Record<string, string>,
  extra: object = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'svc', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    ...extra,
  };
}

describe('MeshReadinessAnnotationProcessor', () => {
  const processor = new MeshReadinessAnnotationProcessor();

  it('leaves an entity without problems untouched', async () => {
    const entity = component({ 'mesh-readiness.io/tracing': 'full' });
    expect(await processor.postProcessEntity(entity)).toBe(entity);
  });

  it('adds one status item per problem, keeping the entity whole', async () => {
    const entity = component({
      'mesh-readiness.io/ports': '8080/grcp',
      'mesh-readiness.io/replicas': 'three',
    });
    const out: any = await processor.postProcessEntity(entity);
    expect(out.spec).toEqual(entity.spec);
    expect(out.metadata).toEqual(entity.metadata);
    expect(out.status.items).toHaveLength(2);
    for (const item of out.status.items) {
      expect(item.type).toBe('backstage.io/catalog-processing');
      expect(item.level).toBe('error');
      expect(item.error.name).toBe('MeshReadinessAnnotationError');
      expect(item.message).toBe(
        `MeshReadinessAnnotationError: ${item.error.message}`,
      );
    }
    const messages = out.status.items
      .map((i: any) => i.error.message)
      .join('\n');
    expect(messages).toMatch(/grcp/);
    expect(messages).toMatch(/replicas/);
  });

  it('replaces its own earlier items and keeps anyone else’s', async () => {
    const foreign = { type: 'other.io/thing', level: 'info', message: 'kept' };
    const stale = {
      type: 'backstage.io/catalog-processing',
      level: 'error',
      message: 'MeshReadinessAnnotationError: old',
      error: { name: 'MeshReadinessAnnotationError', message: 'old' },
    };
    const fixed = component(
      { 'mesh-readiness.io/tracing': 'full' },
      { status: { items: [foreign, stale] } },
    );
    const out: any = await processor.postProcessEntity(fixed);
    expect(out.status.items).toEqual([foreign]);

    const onlyOurs = component(
      { 'mesh-readiness.io/tracing': 'full' },
      { status: { items: [stale] } },
    );
    const cleaned: any = await processor.postProcessEntity(onlyOurs);
    expect(cleaned.status).toBeUndefined();
  });

  it('does not execute or alter what users wrote', async () => {
    const entity = component({
      'mesh-readiness.io/tracing': '<script>x</script>',
    });
    const out: any = await processor.postProcessEntity(entity);
    expect(out.metadata.annotations['mesh-readiness.io/tracing']).toBe(
      '<script>x</script>',
    );
    expect(out.status.items).toHaveLength(1);
  });
});
