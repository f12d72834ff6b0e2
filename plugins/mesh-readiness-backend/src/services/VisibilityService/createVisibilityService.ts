import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import type { CatalogReader } from '../CatalogReader/types';

/** What the caller may see in the catalog. */
export interface Visibility {
  /** Lower-cased refs of every entity the caller may see. */
  refs: ReadonlySet<string>;
  /** When the catalog was asked. */
  fetchedAt: Date;
  /** Set when the catalog could not be asked and an older answer is used. */
  staleReason?: string;
}

export interface VisibilityService {
  /**
   * The entities the caller may see, asked of the catalog with the caller's
   * credentials and kept briefly per principal. When the catalog cannot be
   * reached, the caller's last known answer is used (marked stale); with
   * none, it throws ServiceUnavailableError.
   */
  forCaller(credentials: BackstageCredentials): Promise<Visibility>;
}

interface Entry {
  visibility: Visibility;
  expiresAt: number;
}

/** The principal a visibility answer belongs to. */
export function principalKey(credentials: BackstageCredentials): string {
  const principal: any = credentials.principal;
  if (principal?.type === 'user') {
    return `user:${principal.userEntityRef}`;
  }
  if (principal?.type === 'service') {
    return `service:${principal.subject}`;
  }
  return `other:${principal?.type ?? 'none'}`;
}

export function createVisibilityService(options: {
  reader: CatalogReader;
  logger: LoggerService;
  /** How long an answer is reused, in ms (default 30 s). */
  ttlMs?: number;
  /** How many principals are remembered (default 1000). */
  maxEntries?: number;
  now?: () => number;
}): VisibilityService {
  const { reader, logger } = options;
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Visibility>>();

  function remember(key: string, visibility: Visibility) {
    entries.delete(key);
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) {
        entries.delete(oldest);
      }
    }
    entries.set(key, { visibility, expiresAt: now() + ttlMs });
  }

  async function load(
    key: string,
    credentials: BackstageCredentials,
  ): Promise<Visibility> {
    try {
      const refs = await reader.readVisibleRefs(credentials);
      const visibility = { refs, fetchedAt: new Date(now()) };
      remember(key, visibility);
      return visibility;
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) {
        throw error;
      }
      const known = entries.get(key);
      if (!known) {
        throw new ServiceUnavailableError(
          `${error.message}. What you may see cannot be checked, so no readiness data is shown until the catalog is back.`,
        );
      }
      logger.warn(
        `Catalog unavailable; using the visibility read at ${known.visibility.fetchedAt.toISOString()}`,
      );
      const stale: Visibility = {
        refs: known.visibility.refs,
        fetchedAt: known.visibility.fetchedAt,
        staleReason: `${
          error.message
        }. Showing what you could see at ${known.visibility.fetchedAt.toISOString()}.`,
      };
      // Ask again only after a short pause, not on every request.
      entries.set(key, {
        visibility: stale,
        expiresAt: now() + Math.min(ttlMs, 5000),
      });
      return stale;
    }
  }

  return {
    async forCaller(credentials) {
      const key = principalKey(credentials);
      const entry = entries.get(key);
      if (entry && entry.expiresAt > now()) {
        return entry.visibility;
      }
      let pending = inFlight.get(key);
      if (!pending) {
        pending = load(key, credentials).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}
