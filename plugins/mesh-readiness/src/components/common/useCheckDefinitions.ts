import { useApi } from '@backstage/core-plugin-api';
import type { CheckDefinition } from '@mesh-readiness/plugin-mesh-readiness-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { meshReadinessApiRef } from '../../api';

/**
 * The check catalogue by id. A failure here is not fatal: views fall back
 * to the check id as its title.
 */
export function useCheckDefinitions() {
  const api = useApi(meshReadinessApiRef);
  const state = useAsync(() => api.getChecks(), [api]);
  const byId = useMemo(() => {
    const map = new Map<string, CheckDefinition>();
    for (const def of state.value ?? []) {
      map.set(def.id, def);
    }
    return map;
  }, [state.value]);
  return { byId, loading: state.loading, error: state.error };
}
