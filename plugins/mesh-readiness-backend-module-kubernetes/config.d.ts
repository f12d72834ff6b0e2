export interface Config {
  meshReadiness?: {
    /**
     * The running cluster as a source of observed facts, read through
     * Backstage's Kubernetes backend (`@backstage/plugin-kubernetes-backend`,
     * which must be installed and configured with the clusters). An invalid
     * value stops the backend at startup with a message naming the key.
     */
    kubernetes?: {
      /** Ask the Kubernetes backend for each Component's workloads. Default true. */
      enabled?: boolean;
      /**
       * Entities whose workloads are asked for at the same time, during a
       * snapshot. Default 4; at least 1, at most 64.
       */
      concurrency?: number;
      /**
       * How long one entity's request may take, in milliseconds, before its
       * cluster facts are unknown for this snapshot. Default 10000; at least
       * 100, at most 600000.
       */
      timeoutMs?: number;
      /**
       * How old, in minutes, the last facts observed for an entity may be
       * and still be used (marked stale, with their age) while its cluster
       * does not answer. 0 never uses them. Default 120; at most 10080 (a
       * week).
       */
      maxAgeMinutes?: number;
      /**
       * The only clusters read, by the names the Kubernetes plugin gives
       * them (kubernetes.clusterLocatorMethods). Default: every cluster.
       */
      clusters?: string[];
    };
  };
}
