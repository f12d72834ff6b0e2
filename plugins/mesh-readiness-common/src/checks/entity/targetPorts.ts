import { ANNOTATION_MANIFESTS } from '../../annotationKeys';
import type { ObservedServicePort } from '../../observed';
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

/** `Service orders port 80 (targetPort 8081)` */
function portText(p: ObservedServicePort): string {
  return `Service ${p.service} port ${p.port} (targetPort ${p.targetPort})`;
}

export const targetPorts = defineEntityCheck({
  id: 'target-ports',
  title: 'Service ports reach a container port',
  category: 'protocols',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS],
  rationale:
    'A Service port\'s targetPort names a port of the pods it selects, by number or by container port name. When no container declares it, Kiali flags the Service in the mesh (KIA0701, "Deployment exposing same port as Service not found"), and a named targetPort that no container port carries leaves the Service with no endpoint for that port. Usually the manifest is stale or a port was renamed.',
  remediation:
    'Make every targetPort match a port the workload declares: use the containerPort number or its name, and declare each port the container listens on under ports:.',
  sources: [SOURCES.kialiKia0701, SOURCES.k8sService],
  evaluate(facts) {
    const found = workloadsOrUnknown(facts, 'the Service target ports');
    if (!hasWorkloads(found)) {
      return found;
    }
    const ports = found.flatMap(w => w.servicePorts);
    if (ports.length === 0) {
      return {
        status: 'not-applicable',
        message: 'No Service selects this workload.',
        evidence: cite(
          found.map(w =>
            evidence(`Services selecting ${workloadName(w)}`, 'none', w.source),
          ),
        ),
      };
    }
    const unresolved = ports.filter(p => p.containerPort === undefined);
    if (unresolved.length > 0) {
      return {
        status: 'warn',
        message: `${list(unresolved.map(portText))}: no container declares ${
          unresolved.length === 1 ? 'that port' : 'those ports'
        } (Kiali KIA0701), so traffic for ${
          unresolved.length === 1 ? 'it' : 'them'
        } may not reach the workload.`,
        evidence: cite(
          unresolved.map(p =>
            evidence(
              `Service ${p.service} port ${p.port} targetPort`,
              `${p.targetPort} (no matching container port)`,
              p.source,
            ),
          ),
        ),
      };
    }
    return {
      status: 'pass',
      message: `Every Service port reaches a container port: ${list(
        ports.map(p => `${p.service}:${p.port} → ${p.containerPort}`),
      )}.`,
      evidence: cite(
        ports.map(p =>
          evidence(
            `Service ${p.service} port ${p.port} targetPort`,
            `${p.targetPort} → container port ${p.containerPort}`,
            p.source,
          ),
        ),
      ),
    };
  },
});
