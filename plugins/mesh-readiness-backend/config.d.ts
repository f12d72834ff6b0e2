import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';

export interface Config {
  /**
   * Configuration for the Mesh Readiness plugin. Every key is optional; a
   * value that is out of range stops the backend at startup with a message
   * that names the key (for example
   * `meshReadiness.thresholds.tracingCoverage must be between 0 and 1, got 3`).
   */
  meshReadiness?: {
    /** The thresholds behind the org gates. */
    thresholds?: {
      /**
       * Production services whose compliance scope (pci, hipaa, …) requires
       * mTLS before the need for a mesh counts as genuine. Default 50.
       */
      complianceServices?: number;
      /**
       * Production services that declare a need only a mesh serves well
       * (canary, traffic-split, fault-injection, …). Default 1.
       */
      l7NeedServices?: number;
      /** Dedicated mesh engineers the platform team needs. Default 2. */
      meshEngineers?: number;
      /**
       * Share (0–1) of in-scope services that must propagate trace context on
       * every call (`mesh-readiness.io/tracing: full`). Default 0.8.
       */
      tracingCoverage?: number;
      /**
       * Largest acceptable data-plane overhead, as a share (0–1) of the
       * declared cluster capacity. Default 0.1.
       */
      costHeadroom?: number;
      /**
       * Share (0–1) of production services that must declare their needs
       * (`mesh-readiness.io/needs`, `none` included) before the absence of a
       * mesh need counts as evidence; below it the genuine-need gate is
       * `unknown` and the verdict `undetermined`. Default 0.8.
       */
      needsDeclared?: number;
      /**
       * Share (0–1) of a service's applicable check weight whose status must
       * be known before the service gets a level; below it the level is
       * `not-assessed`. Default 0.5.
       */
      coverage?: number;
    };
    /** Minimum scores (0–100) of the per-service levels. */
    levels?: {
      /** Minimum score for `pilot-ready`. Default 60. */
      pilot?: number;
      /** Minimum score for `production-ready`. Default 85. */
      production?: number;
      /** Minimum score for `optimal`. Default 95. */
      optimal?: number;
    };
    /**
     * Weight overrides by check id, e.g. `{ tracing: 20 }`. A weight of 0
     * makes a check informational.
     */
    weights?: { [checkId: string]: number };
    /** Check ids to leave out of every score and of `GET /checks`. */
    disabledChecks?: string[];
    /**
     * Component `spec.type` values that count as workloads. Default
     * service, website, job, cronjob, batch, worker.
     */
    workloadTypes?: string[];
    /**
     * Published per-proxy and per-node figures used by the cost estimate.
     * Every key overrides one default; see the common package README for the
     * defaults and their sources.
     */
    cost?: {
      /** Istio sidecar memory, MB per proxy. Default 60. */
      istioSidecarMemoryMB?: number;
      /** Istio sidecar CPU, vCPU per 1000 rps per proxy. Default 0.2. */
      istioSidecarVcpuPerKrps?: number;
      /** Linkerd proxy memory, MB per proxy. Default 26. */
      linkerdProxyMemoryMB?: number;
      /** Linkerd proxy CPU, vCPU per 1000 rps per proxy. Default 0.2. */
      linkerdProxyVcpuPerKrps?: number;
      /** Istio ambient ztunnel memory, MB per node. Default 12. */
      ztunnelMemoryMB?: number;
      /** Istio ambient ztunnel CPU, vCPU per 1000 rps. Default 0.06. */
      ztunnelVcpuPerKrps?: number;
      /** Istio ambient waypoint memory, MB per waypoint. Default 60. */
      waypointMemoryMB?: number;
      /** Istio ambient waypoint CPU, vCPU per 1000 rps. Default 0.25. */
      waypointVcpuPerKrps?: number;
      /** Cilium agent memory, MiB per node. Default 438. */
      ciliumAgentMemoryMiB?: number;
      /** Cilium agent memory per pod in the cluster, KiB per node. Default 10.5. */
      ciliumPerPodKiB?: number;
      /** Cilium agent steady CPU, vCPU per node. Default 0.003. */
      ciliumAgentVcpu?: number;
      /** Proxies a request passes through (client and server side). Default 2. */
      proxyHops?: number;
    };
    /** Version facts the recommendation relies on. */
    versions?: {
      /** Minimum node kernel for Cilium. Default '5.10'. */
      ciliumMinKernel?: string;
      /** First Kubernetes minor with native sidecars on by default. Default '1.29'. */
      nativeSidecarsKubernetes?: string;
      /** Kubernetes window of the Linkerd release considered. */
      linkerd?: { min?: string; max?: string };
      /** Kubernetes window of the Istio release considered. */
      istio?: { min?: string; max?: string };
    };
    /**
     * Largest API definition (`spec.definition` of an API entity, OpenAPI or
     * .proto text), in UTF-8 bytes, that the retry-safety check reads. A
     * larger one is not analysed and its APIs' retry safety is `unknown`,
     * with a message that names this key. Definitions are read one at a
     * time; an 8 MiB OpenAPI document takes about 0.1 s and 55 MiB of extra
     * memory as JSON, 1.4 s and 230 MiB as YAML, and twice that at 16 MiB
     * (docs/benchmarks.md, "API definitions"). Default 16777216 (16 MiB):
     * real public APIs are several MiB (Stripe's OpenAPI document among
     * them). At least 1024, at most 536870912 (512 MiB).
     */
    maxDefinitionBytes?: number;
    /**
     * How much of each Component's Kubernetes manifests
     * (`mesh-readiness.io/manifests`) is read. Both limits count per entity,
     * over all the locations it lists; the files are read in order (the
     * annotation's order, then each folder's files by path) and reading stops
     * at the first file over a limit, with a problem on the entity that
     * names the limit and this key. What was read before it still counts.
     */
    manifests?: {
      /**
       * Files per entity (a folder counts each of its YAML files). Default
       * 100; at least 1, at most 10000.
       */
      maxFiles?: number;
      /**
       * UTF-8 bytes per entity. Default 5242880 (5 MiB); at least 1024, at
       * most 268435456 (256 MiB).
       */
      maxBytes?: number;
    };
    /**
     * How often one caller may take a snapshot with `POST /refresh` (the
     * Refresh button of the dashboard). A snapshot reads and scores the whole
     * catalog, so each caller (a user by entity ref, a service by subject)
     * gets at most `maxPerCaller` refreshes in any `windowSeconds`; past that
     * the request answers 429 with a `Retry-After` header and a message that
     * names these keys. Refreshes made while a snapshot is being taken share
     * it, and count. The count is kept in memory by each backend instance:
     * with several replicas a caller may make up to `maxPerCaller` on each.
     * Who may refresh at all is the permission policy's call
     * (`mesh-readiness.snapshot.refresh`); the scheduled snapshots are not
     * counted.
     */
    refresh?: {
      /** Refreshes per caller in the window. Default 5; at least 1, at most 10000. */
      maxPerCaller?: number;
      /** The window, in seconds. Default 60; at least 1, at most 86400 (a day). */
      windowSeconds?: number;
    };
    /**
     * When the org snapshot is taken. Default: every 30 minutes, with a
     * 15-minute timeout. Across backend replicas sharing one database, one
     * run happens per cadence.
     */
    schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    /**
     * How long snapshots are kept for `GET /history`, e.g. `{ days: 90 }` or
     * an ISO 8601 duration such as `P90D`. Default 90 days.
     */
    retention?: HumanDuration | string;
    /**
     * Notifications to the owners of services (`spec.owner`), sent through
     * Backstage's notifications backend after each snapshot, linking to the
     * service's Mesh readiness tab. One per service and cause, and not again
     * while nothing changes, across snapshots and replicas. Without
     * `@backstage/plugin-notifications-backend` installed the sends fail and
     * are logged; the plugin runs on. A value of the wrong type stops the
     * backend at startup with a message that names the key.
     */
    notifications?: {
      /** Whether any notification is sent. Default true. */
      enabled?: boolean;
      /** A service's level is lower than in the previous snapshot. Default true. */
      levelDropped?: boolean;
      /**
       * More of a service's operations that are not idempotent would be
       * retried by the planned mesh than in the previous snapshot. Default
       * true.
       */
      unsafeOperations?: boolean;
      /** A waiver of a service ends within `waiverDays`. Default true. */
      waiverExpiring?: boolean;
      /**
       * How many days before a waiver ends its owners are told. Default 14;
       * at least 1, at most 365.
       */
      waiverDays?: number;
    };
  };
}
