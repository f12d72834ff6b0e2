import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  type CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  entityRefOf,
  type EntityHistoryResponse,
  type EntityResult,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import type { SnapshotStore } from '../../database/types';
import type { CatalogReader } from '../CatalogReader/types';
import type { ReadinessModel } from '../ReadinessModel/createReadinessModel';
import type { SnapshotService } from '../SnapshotService/createSnapshotService';
import { entityChanges } from './entityChanges';
import type { EntityHistoryQuery } from './types';

/**
 * `GET /entities/:kind/:namespace/:name/history`: the entity's score,
 * coverage and level in each stored snapshot of the range, oldest first,
 * and what changed between the last two. Visible as `GET /entities/…` is:
 * an entity the catalog does not let the caller see answers 404, whatever
 * the snapshots hold. Before the first snapshot, as `/history` does, the
 * one point is the live result.
 */
export async function readEntityHistory(
  deps: {
    store: SnapshotStore;
    reader: CatalogReader;
    model: ReadinessModel;
    snapshots: SnapshotService;
  },
  ref: CompoundEntityRef,
  query: EntityHistoryQuery,
  credentials: BackstageCredentials,
  live: () => Promise<EntityResult>,
): Promise<EntityHistoryResponse> {
  const { store, reader, model, snapshots } = deps;
  const found = await reader.readEntity(ref, credentials);
  if (!found) {
    throw new NotFoundError(
      `No entity ${JSON.stringify(
        stringifyEntityRef(ref).slice(0, 300),
      )} that you may see`,
    );
  }
  const inRange = (date: Date) =>
    (!query.from || query.from <= date) && (!query.to || query.to >= date);

  if (!(await snapshots.getLatest())) {
    const takenAt = new Date();
    if (!inRange(takenAt)) {
      return { items: [] };
    }
    const result = await live();
    return {
      items: [
        {
          takenAt: takenAt.toISOString(),
          score: result.score,
          coverage: result.coverage ?? null,
          level: result.level,
        },
      ],
    };
  }

  // The ref as the engine wrote it into the rows, from the catalog's own
  // spelling of the entity (the path may differ in case).
  const entityRef = entityRefOf(found.entity);
  const points = await store.getEntityPoints(entityRef, query);
  const response: EntityHistoryResponse = {
    items: points.map(point => ({
      takenAt: point.takenAt.toISOString(),
      score: point.score,
      coverage: point.coverage,
      level: point.level,
    })),
  };
  if (points.length >= 2) {
    const ids = points.slice(-2).map(p => p.snapshotId);
    const [before, after] = await store.getEntityRows(entityRef, ids);
    if (before && after) {
      const definitions = new Map(model.listChecks().map(c => [c.id, c]));
      response.changes = entityChanges(before, after, definitions);
    }
  }
  return response;
}
