/*
 * Small helpers the org checks share: the outcome builder and the platform
 * Group most org checks read from.
 */
import type { GroupInfo } from '../../context';
import type { CheckStatus } from '../../types';
import type { OrgOutcome } from '../types';

/** The figures an org outcome was decided on. */
export type Figures = Record<string, number | string>;

/** An org outcome. */
export function out(
  status: CheckStatus,
  message: string,
  figures: Figures = {},
): OrgOutcome {
  return { status, message, figures };
}

/** The platform Group with the most declared mesh engineers. */
export function bestPlatformTeam(
  teams: readonly GroupInfo[],
): GroupInfo | undefined {
  let best: GroupInfo | undefined;
  for (const g of teams) {
    if (
      !best ||
      (g.values.meshEngineers ?? -1) > (best.values.meshEngineers ?? -1)
    ) {
      best = g;
    }
  }
  return best;
}
