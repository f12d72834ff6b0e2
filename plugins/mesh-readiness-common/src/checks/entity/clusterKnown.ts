import { SOURCES } from '../../sources';
import { defineEntityCheck } from '../types';
import { specYaml } from '../yaml';
import { WORKLOADS } from './outcomes';

export const clusterKnown = defineEntityCheck({
  id: 'cluster-known',
  title: 'Runs on a known cluster',
  category: 'workload',
  weight: 2,
  appliesTo: WORKLOADS,
  reads: ['spec.dependsOn'],
  rationale:
    'Kernel, Kubernetes version, CNI and node count decide which mesh can run the workload (Cilium needs kernel 5.10+, native sidecars need Kubernetes 1.29+). They are read from the kubernetes-cluster Resource the workload depends on.',
  remediation: 'Add the cluster Resource to spec.dependsOn.',
  remediationYaml: specYaml('dependsOn', ['resource:default/your-cluster']),
  sources: [SOURCES.ciliumSystemRequirements, SOURCES.k8sSidecarContainers],
  evaluate(facts) {
    if (facts.clusters.length > 0) {
      return {
        status: 'pass',
        message: `Runs on ${facts.clusters.map(c => c.ref).join(', ')}.`,
      };
    }
    const fixYaml = specYaml(
      'dependsOn',
      [facts.soleCatalogCluster ?? 'resource:default/your-cluster'],
      'the kubernetes-cluster Resource it runs on',
    );
    return {
      status: 'unknown',
      message:
        facts.resourceRefs.length === 0
          ? 'spec.dependsOn names no kubernetes-cluster Resource, so the cluster (kernel, Kubernetes version, CNI) is unknown.'
          : `spec.dependsOn names ${facts.resourceRefs.join(
              ', ',
            )}, but none is a Resource of spec.type kubernetes-cluster in the catalog.`,
      fixYaml,
    };
  },
});
