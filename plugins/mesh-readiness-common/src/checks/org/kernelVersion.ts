import { ANNOTATION_KERNEL_VERSION } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { compareMinor, parseVersion } from '../../util';
import { defineOrgCheck } from '../types';
import { annotationYaml } from '../yaml';
import { out } from './outcomes';

export const kernelVersion = defineOrgCheck({
  id: 'kernel-version',
  title: 'Node kernels support Cilium',
  category: 'organisation',
  weight: 3,
  gate: false,
  appliesTo: 'Resources of spec.type kubernetes-cluster',
  reads: [ANNOTATION_KERNEL_VERSION, 'spec.dependsOn'],
  rationale:
    "Cilium's system requirements ask for Linux 5.10 or later (4.18 on RHEL 8.10; BPF host routing needs 5.10, WireGuard 5.6). Older kernels rule Cilium out.",
  remediation:
    'Upgrade node images to a 5.10+ kernel and declare it on the cluster Resource.',
  remediationYaml: annotationYaml({ [ANNOTATION_KERNEL_VERSION]: '6.1' }),
  sources: [SOURCES.ciliumSystemRequirements],
  evaluate({ facts, config, recommendedMesh }) {
    const min = parseVersion(config.versions.ciliumMinKernel)!;
    const source = config.versions.sources.ciliumMinKernel;
    const from = source ? `${source.release}` : 'configured';
    if (facts.clusters.length === 0) {
      return out('unknown', 'No kubernetes-cluster Resource in the catalog.');
    }
    const unknown = facts.clusters.filter(c => !c.values.kernelVersion);
    const old = facts.clusters.filter(
      c =>
        c.values.kernelVersion && compareMinor(c.values.kernelVersion, min) < 0,
    );
    const figures = {
      clusters: facts.clusters.length,
      belowMinimum: old.length,
      unknown: unknown.length,
      minimum: min.raw,
      minimumFrom: from,
    };
    if (old.length > 0) {
      return out(
        recommendedMesh === 'cilium' ? 'fail' : 'warn',
        `${old
          .map(c => `${c.name} runs kernel ${c.values.kernelVersion!.raw}`)
          .join(', ')}; Cilium needs ${min.raw}+ (${from}).`,
        figures,
      );
    }
    if (unknown.length > 0) {
      return out(
        'unknown',
        `${unknown.map(c => c.name).join(', ')} do${
          unknown.length === 1 ? 'es' : ''
        } not declare ${ANNOTATION_KERNEL_VERSION}.`,
        figures,
      );
    }
    return out(
      'pass',
      `Every cluster runs kernel ${min.raw} or later (Cilium minimum, ${from}).`,
      figures,
    );
  },
});
