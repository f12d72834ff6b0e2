import { ANNOTATION_PORTS, ANNOTATION_MANIFESTS } from '../../annotationKeys';
import { portEvidence } from '../../facts/resolve';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { hasPorts, workloadPorts, WORKLOADS } from './outcomes';

const SINGLE_PROTOCOL: CheckOutcome = {
  status: 'pass',
  message: 'Each port carries a single protocol.',
};

export const portConflicts = defineEntityCheck({
  id: 'port-conflicts',
  title: 'One protocol per port',
  category: 'protocols',
  weight: 2,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS, ANNOTATION_PORTS],
  rationale:
    'Istio cannot serve the same port number with two protocols (IST0137 DeploymentConflictingPorts); the mesh would pick one and break the other. UDP has its own port space and is not compared with TCP protocols.',
  remediation: 'Give each protocol its own port.',
  sources: [SOURCES.istioAppRequirements, SOURCES.istioAnalyzerMessages],
  evaluate(facts) {
    const found = workloadPorts(facts);
    if (!hasPorts(found)) {
      return found;
    }
    const { ports } = found;
    // UDP and TCP have separate port spaces: 53/udp next to 53/dns is fine.
    const tcp = ports.filter(p => p.transport !== 'UDP' && p.protocol);
    const conflicts: string[] = [];
    tcp.forEach((p, i) => {
      const earlier = tcp
        .slice(0, i)
        .find(q => q.port === p.port && q.protocol !== p.protocol);
      if (earlier) {
        conflicts.push(`${p.port} (${earlier.protocol} and ${p.protocol})`);
      }
    });
    if (conflicts.length > 0) {
      return {
        status: 'fail',
        message: `${
          found.observed ? 'The manifests give' : `${ANNOTATION_PORTS} declares`
        } several protocols on port ${conflicts.join(', ')}.`,
        evidence: portEvidence(tcp),
      };
    }
    return SINGLE_PROTOCOL;
  },
});
