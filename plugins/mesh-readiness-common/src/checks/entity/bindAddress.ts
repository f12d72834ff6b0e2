import { ANNOTATION_BIND_ADDRESS } from '../../annotationKeys';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { annotationYaml } from '../yaml';
import { invalidAnnotation, WORKLOADS } from './outcomes';

const FIX = annotationYaml({ [ANNOTATION_BIND_ADDRESS]: '0.0.0.0' });

function isLoopback(address: string): boolean {
  return (
    address === 'localhost' || address === '::1' || address.startsWith('127.')
  );
}

const NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `${ANNOTATION_BIND_ADDRESS} is not set, so a localhost-only listener cannot be ruled out.`,
  fixYaml: FIX,
};

export const bindAddress = defineEntityCheck({
  id: 'bind-address',
  title: 'Listens on all interfaces',
  category: 'workload',
  weight: 3,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_BIND_ADDRESS],
  rationale:
    'An application bound to 127.0.0.1 or localhost is not reachable through the sidecar from other pods (Istio IST0143 LocalhostListener: "will not be exposed to other pods").',
  remediation: 'Bind to 0.0.0.0 (or ::), and declare the address.',
  remediationYaml: FIX,
  sources: [SOURCES.istioAnalyzerMessages, SOURCES.istioAppRequirements],
  evaluate(facts) {
    const invalid = invalidAnnotation(facts, ANNOTATION_BIND_ADDRESS);
    if (invalid) {
      return invalid;
    }
    const address = facts.annotations.bindAddress;
    if (address === undefined) {
      return NOT_SET;
    }
    if (isLoopback(address)) {
      return {
        status: 'fail',
        message: `Listens on ${address}: other pods cannot reach it through the mesh.`,
        fixYaml: FIX,
      };
    }
    return { status: 'pass', message: `Listens on ${address}.` };
  },
});
