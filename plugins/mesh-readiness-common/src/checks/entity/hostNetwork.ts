import { ANNOTATION_EXCLUDE, ANNOTATION_MANIFESTS } from '../../annotationKeys';
import type { EntityFacts } from '../../facts';
import { evidence } from '../../facts/resolve';
import type { FactEvidence, ObservedWorkload } from '../../observed';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { list, WORKLOADS } from './outcomes';

/*
 * Shared by the checks that only manifests make possible (host-network,
 * init-containers, injection-labels, service-account-token, target-ports):
 * the outcomes when nothing was observed, and evidence.
 */

const MANIFESTS_FIX = annotationYaml(
  { [ANNOTATION_MANIFESTS]: './deploy/' },
  "the workload's Kubernetes manifests",
);

/** At most this many facts are cited per result. */
const MAX_EVIDENCE = 10;

/**
 * The workloads matched in the entity's manifests, or the `unknown` outcome
 * when no manifests were read or none of their workloads matched. `what`
 * completes "so … cannot be checked".
 */
export function workloadsOrUnknown(
  facts: EntityFacts,
  what: string,
): readonly ObservedWorkload[] | CheckOutcome {
  const observed = facts.observed;
  if (!observed) {
    return {
      status: 'unknown',
      message: `No manifests are linked (${ANNOTATION_MANIFESTS}), so ${what} cannot be checked.`,
      fixYaml: MANIFESTS_FIX,
    };
  }
  if (observed.workloads.length === 0) {
    const where = observed.locations.length
      ? ` (${list(observed.locations.slice(0, 3))}${
          observed.locations.length > 3 ? ', …' : ''
        })`
      : '';
    const name = facts.ref.slice(facts.ref.lastIndexOf('/') + 1);
    return {
      status: 'unknown',
      message: `No workload in the manifests read${where} matches this component, so ${what} cannot be checked. A workload matches by its backstage.io/kubernetes-id label (the component's backstage.io/kubernetes-id annotation), by the component's backstage.io/kubernetes-label-selector, or else by the component's name (${name}).`,
      fixYaml: annotationYaml(
        { 'backstage.io/kubernetes-id': name },
        'and the same backstage.io/kubernetes-id label on the workload',
      ),
    };
  }
  return observed.workloads;
}

/** Whether `workloadsOrUnknown` gave workloads rather than an outcome. */
export function hasWorkloads(
  found: readonly ObservedWorkload[] | CheckOutcome,
): found is readonly ObservedWorkload[] {
  return Array.isArray(found);
}

/** `Deployment orders` */
export function workloadName(w: ObservedWorkload): string {
  return `${w.kind} ${w.name}`;
}

/** The evidence cited, at most MAX_EVIDENCE facts. */
export function cite(items: readonly FactEvidence[]): FactEvidence[] {
  return items.slice(0, MAX_EVIDENCE);
}

export const hostNetwork = defineEntityCheck({
  id: 'host-network',
  title: 'Pods are on the pod network',
  category: 'workload',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS],
  rationale:
    "A pod with hostNetwork: true shares the node's network namespace, so a mesh cannot redirect its traffic: Istio's injector skips host-network pods (the iptables rules would change the node's routing), ambient mode redirects traffic inside the pod's own network namespace, and Linkerd's injector skips them too (\"hostNetwork is enabled\"). The pod stays outside the mesh: no mTLS, no mesh telemetry.",
  remediation: `Run the pod on the pod network (remove hostNetwork: true). A node agent that must stay on the host network stays outside the mesh: protect its traffic another way, and exclude it (${ANNOTATION_EXCLUDE}) or waive this check (mesh-readiness.io/waive.host-network).`,
  sources: [
    SOURCES.istioInjectHostNetwork,
    SOURCES.istioAmbientTrafficRedirection,
    SOURCES.linkerdInjectReport,
    SOURCES.k8sPodSecurityStandards,
  ],
  evaluate(facts) {
    const found = workloadsOrUnknown(
      facts,
      'whether a pod uses the host network',
    );
    if (!hasWorkloads(found)) {
      return found;
    }
    const onHost = found.filter(w => w.hostNetwork);
    if (onHost.length > 0) {
      return {
        status: 'fail',
        message: `${list(onHost.map(workloadName))} ${
          onHost.length === 1 ? 'runs' : 'run'
        } on the host network (hostNetwork: true): neither Istio (sidecar or ambient) nor Linkerd meshes a host-network pod, so ${
          onHost.length === 1 ? 'its' : 'their'
        } traffic stays outside the mesh.`,
        evidence: cite(
          onHost.map(w =>
            evidence(`${workloadName(w)} hostNetwork`, 'true', w.hostNetwork!),
          ),
        ),
      };
    }
    return {
      status: 'pass',
      message: 'No pod uses the host network.',
      evidence: cite(
        found.map(w =>
          evidence(
            `${workloadName(w)} hostNetwork`,
            'not set (false)',
            w.source,
          ),
        ),
      ),
    };
  },
});
