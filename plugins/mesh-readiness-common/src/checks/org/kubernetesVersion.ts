import { ANNOTATION_KUBERNETES_VERSION } from '../../annotationKeys';
import type {
  ResolvedMeshReadinessConfig,
  VersionSource,
  VersionWindow,
} from '../../config';
import { SOURCES } from '../../sources';
import type { MeshOption } from '../../types';
import { compareMinor, parseVersion } from '../../util';
import type { ClusterInfo } from '../../context';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { type Figures, out } from './outcomes';

/** `, observed` when the version was read from the running cluster. */
function seen(c: ClusterInfo): string {
  return c.observed?.kubernetesVersion ? ', read from the cluster' : '';
}

/** Where a figure comes from, for messages: `(Istio 1.31)` or `(configured)`. */
function from(source: VersionSource | undefined): string {
  return source ? ` (${source.release})` : ' (configured)';
}

/** The supported Kubernetes window of the option's mesh release, if it has one. */
function windowFor(
  mesh: MeshOption,
  config: ResolvedMeshReadinessConfig,
): [string, VersionWindow] | undefined {
  if (mesh === 'linkerd') {
    return ['Linkerd', config.versions.linkerd];
  }
  if (mesh === 'istio-ambient' || mesh === 'istio-sidecar') {
    return ['Istio', config.versions.istio];
  }
  return undefined;
}

export const kubernetesVersion = defineOrgCheck({
  id: 'kubernetes-version',
  title: 'Kubernetes versions are supported',
  category: 'organisation',
  weight: 3,
  gate: false,
  appliesTo: 'Resources of spec.type kubernetes-cluster',
  reads: [
    ANNOTATION_KUBERNETES_VERSION,
    'spec.dependsOn',
    "the running cluster's /version, when a fact source reads it",
  ],
  rationale:
    'Each mesh release supports a window of Kubernetes versions (Istio 1.31: 1.32–1.36; Linkerd 2.20: up to 1.35, from 1.29 as its newest published minimum; istioctl reports IST0142 UnsupportedKubernetesVersion below its minimum), and native sidecars, which let Jobs finish, are on by default from Kubernetes 1.29.',
  remediation:
    'Upgrade clusters into the window of the mesh release you plan to run, and declare the version.',
  remediationYaml: annotationYaml({ [ANNOTATION_KUBERNETES_VERSION]: '1.32' }),
  sources: [
    SOURCES.istioSupportedReleases,
    SOURCES.linkerd220,
    SOURCES.linkerdK8sVersions,
    SOURCES.k8sSidecarFeatureGate,
    SOURCES.k8sSidecarContainers,
  ],
  evaluate({ facts, config, recommendedMesh }) {
    if (facts.clusters.length === 0) {
      return out('unknown', 'No kubernetes-cluster Resource in the catalog.');
    }
    const unknown = facts.clusters.filter(c => !c.values.kubernetesVersion);
    const native = parseVersion(config.versions.nativeSidecarsKubernetes)!;
    const w = windowFor(recommendedMesh, config);
    const outside: string[] = [];
    if (w) {
      const min = parseVersion(w[1].min)!;
      const max = parseVersion(w[1].max)!;
      for (const c of facts.clusters) {
        const v = c.values.kubernetesVersion;
        if (v && (compareMinor(v, min) < 0 || compareMinor(v, max) > 0)) {
          outside.push(`${c.name} (${v.raw}${seen(c)})`);
        }
      }
    }
    const old = facts.clusters.filter(
      c =>
        c.values.kubernetesVersion &&
        compareMinor(c.values.kubernetesVersion, native) < 0,
    );
    const figures: Figures = {
      clusters: facts.clusters.length,
      unknown: unknown.length,
      outsideWindow: outside.length,
      withoutNativeSidecars: old.length,
      ...(w
        ? {
            window: `${w[1].min}–${w[1].max}`,
            windowFrom: w[1].source?.release ?? 'configured',
          }
        : {}),
    };
    if (outside.length > 0) {
      return out(
        'fail',
        `${w![0]} supports Kubernetes ${w![1].min}–${w![1].max}${from(
          w![1].source,
        )}; outside: ${outside.join(', ')}.`,
        figures,
      );
    }
    if (unknown.length > 0) {
      return out(
        'unknown',
        `${unknown.map(c => c.name).join(', ')} do${
          unknown.length === 1 ? 'es' : ''
        } not declare ${ANNOTATION_KUBERNETES_VERSION}.`,
        figures,
      );
    }
    if (old.length > 0) {
      return out(
        'warn',
        `${old
          .map(c => `${c.name} (${c.values.kubernetesVersion!.raw}${seen(c)})`)
          .join(', ')} predate native sidecars (on by default from ${
          config.versions.sources.nativeSidecarsKubernetes
            ? `Kubernetes ${native.raw}`
            : `${native.raw}, configured`
        }).`,
        figures,
      );
    }
    const read = facts.clusters.filter(c => c.observed?.kubernetesVersion);
    return out(
      'pass',
      `${
        read.length > 0
          ? `Read from the running cluster${
              read.length === 1 ? '' : 's'
            }: ${read
              .map(c => `${c.name} ${c.values.kubernetesVersion!.raw}`)
              .join(', ')}. `
          : ''
      }Every cluster runs a supported Kubernetes version${
        w ? ` for ${w[0]}, ${w[1].min}–${w[1].max}${from(w[1].source)},` : ''
      } with native sidecars.`,
      figures,
    );
  },
});
