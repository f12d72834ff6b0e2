import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CustomErrorBase, NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { meshReadinessSnapshotRefreshPermission } from '@mesh-readiness/plugin-mesh-readiness-common';
import type { RefreshLimits } from '../../options';
import { principalKey } from '../VisibilityService/createVisibilityService';

/**
 * A caller asked for more refreshes than `meshReadiness.refresh` allows:
 * answered 429, with `retryAfterSeconds` in a `Retry-After` header.
 */
export class TooManyRefreshesError extends CustomErrorBase {
  name = 'TooManyRefreshesError' as const;
  /** Read by the backend's error handler as the status to answer. */
  readonly statusCode = 429;

  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message);
  }
}

/** Who may ask for a snapshot now, and how often. */
export interface RefreshGuard {
  /**
   * Resolves when the caller may take a snapshot now, and counts the
   * request. Throws `NotAllowedError` (403) when the permission policy
   * denies `mesh-readiness.snapshot.refresh`, and
   * {@link TooManyRefreshesError} (429) when the caller has used up the
   * refreshes of the current window. A denied request is not counted, and
   * neither is one `joining` a snapshot already being taken.
   */
  admit(
    credentials: BackstageCredentials,
    options?: { joining?: boolean },
  ): Promise<void>;
}

/** Callers remembered before the ones with nothing in the window are dropped. */
const SWEEP_AT = 10_000;

export function createRefreshGuard(options: {
  permissions: PermissionsService;
  limits: RefreshLimits;
  /** The clock, in ms (tests). */
  now?: () => number;
}): RefreshGuard {
  const { permissions, limits } = options;
  const now = options.now ?? Date.now;
  const windowMs = limits.windowSeconds * 1000;
  /** Per caller, when each of their counted refreshes in the window was made. */
  const recent = new Map<string, number[]>();

  function inWindow(key: string, at: number): number[] {
    const times = (recent.get(key) ?? []).filter(t => t > at - windowMs);
    if (times.length === 0) {
      recent.delete(key);
    } else {
      recent.set(key, times);
    }
    return times;
  }

  function sweep(at: number) {
    for (const key of [...recent.keys()]) {
      inWindow(key, at);
    }
  }

  return {
    async admit(credentials, admitOptions) {
      const [decision] = await permissions.authorize(
        [{ permission: meshReadinessSnapshotRefreshPermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `You are not allowed to take a Mesh Readiness snapshot: the permission policy denies ${meshReadinessSnapshotRefreshPermission.name}. The scheduled snapshots go on; ask an administrator if you need to refresh by hand.`,
        );
      }

      if (admitOptions?.joining) {
        return;
      }
      const at = now();
      if (recent.size >= SWEEP_AT) {
        sweep(at);
      }
      const key = principalKey(credentials);
      const times = inWindow(key, at);
      if (times.length >= limits.maxPerCaller) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((times[0] + windowMs - at) / 1000),
        );
        throw new TooManyRefreshesError(
          `Too many refreshes: at most ${limits.maxPerCaller} per ${
            limits.windowSeconds
          } seconds for each caller (meshReadiness.refresh.maxPerCaller and meshReadiness.refresh.windowSeconds). Try again in ${retryAfterSeconds} second${
            retryAfterSeconds === 1 ? '' : 's'
          }.`,
          retryAfterSeconds,
        );
      }
      times.push(at);
      recent.set(key, times);
    },
  };
}
