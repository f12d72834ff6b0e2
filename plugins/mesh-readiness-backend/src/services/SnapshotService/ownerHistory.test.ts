import {
  aggregateOrg,
  buildCatalogContext,
  EntityResult,
  orgVerdict,
} from '@mesh-readiness/plugin-mesh-readiness-common';
import { entityResult } from '../../__testUtils__/fixtures';
import { ownerHistoryOf } from './createSnapshotService';

describe('ownerHistoryOf', () => {
  it('gives each owner the point the org model gives over its components', () => {
    const results: EntityResult[] = [
      entityResult('a', { score: 40 }),
      entityResult('b', { score: 91, level: 'optimal' }),
      entityResult('bare', { score: 8, coverage: 0.1, level: 'not-assessed' }),
      entityResult('c', {
        owner: 'group:default/team-b',
        score: null,
        level: null,
        inScope: false,
        scopeReason: 'Excluded: batch',
      }),
      entityResult('d', {
        owner: 'user:default/jo',
        score: 75,
        level: 'production-ready',
      }),
      {
        ...entityResult('e-api', { owner: 'group:default/team-c' }),
        entityRef: 'api:default/e-api',
        kind: 'API',
        inScope: false,
      },
    ];
    const now = new Date('2025-03-01T00:00:00Z');
    const context = buildCatalogContext(
      [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'a' },
          spec: { type: 'service', lifecycle: 'production' },
        },
      ],
      { now },
    );
    const aggregate = (subset: EntityResult[]) =>
      aggregateOrg(subset, context, {}, { now });

    const history = ownerHistoryOf(
      results,
      (_owner, workloads) => orgVerdict(workloads, context).verdict,
    );
    expect(history.map(h => h.owner).sort()).toEqual([
      'group:default/team-a',
      'group:default/team-b',
      'user:default/jo',
    ]);
    for (const { owner, point } of history) {
      const org = aggregate(
        results.filter(
          r => r.owner === owner && r.kind.toLowerCase() === 'component',
        ),
      );
      expect(point).toEqual({
        score: org.score,
        verdict: org.verdict,
        inScope: org.counts.inScope,
        levels: org.levels,
      });
    }
  });
});
