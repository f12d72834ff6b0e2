import { ANNOTATION_MANIFESTS } from '../../annotationKeys';
import type { ObservedContainer, ObservedWorkload } from '../../observed';
import { meshName } from '../../recommend';
import { SOURCES } from '../../sources';
import { evidence } from '../../facts/resolve';
import { defineEntityCheck } from '../types';
import {
  cite,
  hasWorkloads,
  workloadsOrUnknown,
  workloadName,
} from './hostNetwork';
import { list, WORKLOADS } from './outcomes';

/** Init containers a mesh injects itself, if the manifests were injected already. */
const MESH_INIT_CONTAINERS = [
  'istio-init',
  'istio-validation',
  'linkerd-init',
  'linkerd-network-validator',
];

/** The application's init containers that run to completion before the app. */
function appInitContainers(
  w: ObservedWorkload,
): { workload: ObservedWorkload; container: ObservedContainer }[] {
  return w.containers
    .filter(
      c => c.init && !c.nativeSidecar && !MESH_INIT_CONTAINERS.includes(c.name),
    )
    .map(container => ({ workload: w, container }));
}

export const initContainers = defineEntityCheck({
  id: 'init-containers',
  title: 'Init containers do not need the proxy',
  category: 'workload',
  weight: 1,
  appliesTo: WORKLOADS,
  dependsOnMesh: true,
  reads: [ANNOTATION_MANIFESTS],
  rationale:
    'A sidecar mesh redirects the pod\'s traffic before any init container runs, but its proxy starts only after every init container has finished: an init container that calls the network (migrations, fetching secrets or config) has its traffic redirected to a proxy that is not listening yet, and fails. Istio documents this for the CNI plugin; Linkerd lists "startup race conditions with meshed pods when init containers also need network access" among what native sidecars fix. Istio ambient and Cilium run no sidecar, so they are not affected.',
  remediation:
    "Use native sidecars (Kubernetes 1.29+; Istio ENABLE_NATIVE_SIDECARS, Linkerd 2.20+ by default), so that the proxy runs before the application's init containers. Otherwise, with Istio, exclude the init containers' traffic (traffic.sidecar.istio.io/excludeOutboundIPRanges or excludeOutboundPorts) or run them as UID 1337. holdApplicationUntilProxyStarts does not help: it only delays the application containers, which start after the init containers anyway.",
  sources: [
    SOURCES.istioCniInitContainers,
    SOURCES.linkerdNativeSidecars,
    SOURCES.k8sSidecarContainers,
    SOURCES.k8sInitContainers,
  ],
  evaluate(facts, { mesh, meshDecided }) {
    const found = workloadsOrUnknown(facts, 'the init containers');
    if (!hasWorkloads(found)) {
      return found;
    }
    const inits = found.flatMap(appInitContainers);
    if (inits.length === 0) {
      return {
        status: 'pass',
        message: 'No init containers run before the application.',
        evidence: cite(
          found.map(w =>
            evidence(`${workloadName(w)} init containers`, 'none', w.source),
          ),
        ),
      };
    }
    const names = list(
      inits.map(i =>
        found.length > 1
          ? `${i.container.name} (${workloadName(i.workload)})`
          : i.container.name,
      ),
    );
    const cited = cite(
      inits.map(i =>
        evidence(
          `${workloadName(i.workload)} init container ${i.container.name}`,
          i.container.image ?? 'init container',
          i.container.source,
        ),
      ),
    );
    const one = inits.length === 1;
    const noun = one ? 'init container' : 'init containers';
    const run = one ? 'runs' : 'run';
    const they = one ? 'it makes' : 'they make';
    if (
      meshDecided &&
      (mesh === 'istio-ambient' || mesh === 'cilium' || mesh === 'none')
    ) {
      return {
        status: 'pass',
        message:
          mesh === 'none'
            ? `The ${noun} ${names} ${run} before the application; no mesh is to be adopted, so no proxy is in the way.`
            : `The ${noun} ${names} ${run} before the application; ${meshName(
                mesh,
              )} adds no sidecar, so ${
                one ? 'it reaches' : 'they reach'
              } the network as before.`,
        evidence: cited,
      };
    }
    const against = meshDecided
      ? meshName(mesh)
      : 'the sidecar meshes (Istio sidecars, Linkerd; no mesh is decided yet, and Istio ambient or Cilium would not be affected)';
    return {
      status: 'warn',
      message: `The ${noun} ${names} ${run} before the sidecar proxy is up under ${against}: any network call ${they} is redirected to a proxy that is not listening yet and fails, unless native sidecars are on (or, with Istio, ${
        one ? 'its' : 'their'
      } traffic is excluded or ${one ? 'it runs' : 'they run'} as UID 1337).`,
      evidence: cited,
    };
  },
});
