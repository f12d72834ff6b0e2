import {
  ANNOTATION_HEADLESS,
  ANNOTATION_MANIFESTS,
  ANNOTATION_PORTS,
  ANNOTATION_PROBES,
  ANNOTATION_REPLICAS,
  ANNOTATION_RUN_AS_UID,
} from '../../annotationKeys';
import type { EntityFacts } from '../../facts';
import {
  declared,
  evidence,
  headlessFact,
  observedWorkloads,
  portFacts,
  probeFacts,
  uidFacts,
} from '../../facts/resolve';
import type { FactEvidence } from '../../observed';
import { SOURCES } from '../../sources';
import { type CheckOutcome, defineEntityCheck } from '../types';
import { list, WORKLOADS } from './outcomes';

/** One annotation that says something else than the manifests. */
interface Drift {
  /** `<annotation> says X, the manifests say Y` */
  message: string;
  evidence: FactEvidence[];
}

function says(key: string, declaredValue: string, observed: string): string {
  return `${key} says ${declaredValue}, the manifests say ${observed}`;
}

const NOTHING_OBSERVED: CheckOutcome = {
  status: 'not-applicable',
  message:
    'No manifests were read for this workload, so there is nothing to compare the declarations with.',
};

function sameSet<T>(a: readonly T[], b: readonly T[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every(x => sb.has(x));
}

/** Ports: the declared PORT/PROTOCOL pairs against the manifests' ports. */
function portDrift(facts: EntityFacts): Drift | undefined {
  const declaredPorts = facts.annotations.ports;
  const observed = portFacts(facts);
  if (!declaredPorts || !observed?.observed) {
    return undefined;
  }
  const byPort = new Map(observed.ports.map(p => [p.port, p]));
  const differences: string[] = [];
  const shown: FactEvidence[] = [];
  for (const d of declaredPorts) {
    const seen = byPort.get(d.port);
    if (!seen) {
      differences.push(`${d.port} is declared but not in them`);
    } else if (seen.protocol && seen.protocol !== d.protocol) {
      differences.push(
        `${d.port} is declared ${d.protocol} but is ${seen.protocol} there`,
      );
      shown.push(evidence(`port ${d.port}`, seen.protocol, seen.source));
    }
  }
  const declaredNumbers = declaredPorts.map(d => d.port);
  for (const p of observed.ports) {
    if (p.servicePort && !declaredNumbers.includes(p.port)) {
      differences.push(`${p.port} is served but not declared`);
      shown.push(evidence(`port ${p.port}`, p.protocol ?? 'served', p.source));
    }
  }
  if (differences.length === 0) {
    return undefined;
  }
  return {
    message: `${ANNOTATION_PORTS} disagrees with the manifests: ${differences
      .slice(0, 5)
      .join('; ')}`,
    evidence: [
      evidence(
        'declared ports',
        declaredPorts.map(p => `${p.port}/${p.protocol}`).join(', '),
        declared(ANNOTATION_PORTS),
      ),
      ...shown.slice(0, 8),
    ],
  };
}

function uidDrift(facts: EntityFacts): Drift | undefined {
  const uid = facts.annotations.runAsUid;
  const observed = uidFacts(facts);
  if (uid === undefined || !observed?.observed) {
    return undefined;
  }
  const other = observed.known.filter(u => u.value !== uid);
  if (other.length === 0) {
    return undefined;
  }
  return {
    message: says(
      ANNOTATION_RUN_AS_UID,
      String(uid),
      list([...new Set(other.map(u => u.value))]),
    ),
    evidence: [
      evidence('run-as UID', uid, declared(ANNOTATION_RUN_AS_UID)),
      ...other
        .slice(0, 5)
        .map(u => evidence(`runAsUser of ${u.container}`, u.value, u.source)),
    ],
  };
}

function probeDrift(facts: EntityFacts): Drift | undefined {
  const kinds = facts.annotations.probes;
  const observed = probeFacts(facts);
  if (!kinds || !observed?.observed || observed.probes.length === 0) {
    return undefined;
  }
  const seen = [...new Set(observed.probes.map(p => p.value))];
  if (sameSet(kinds, seen)) {
    return undefined;
  }
  return {
    message: says(ANNOTATION_PROBES, list(kinds), list(seen)),
    evidence: [
      evidence('probes', list(kinds), declared(ANNOTATION_PROBES)),
      ...observed.probes
        .slice(0, 5)
        .map(p => evidence(p.fact, p.value, p.source)),
    ],
  };
}

function replicaDrift(facts: EntityFacts): Drift | undefined {
  const replicas = facts.annotations.replicas;
  if (replicas === undefined) {
    return undefined;
  }
  for (const w of observedWorkloads(facts) ?? []) {
    const r = w.replicas;
    if (!r || r.from === 'default') {
      continue;
    }
    const within =
      r.max === undefined
        ? replicas === r.value
        : replicas >= r.value && replicas <= r.max;
    if (!within) {
      return {
        message: says(
          ANNOTATION_REPLICAS,
          String(replicas),
          r.max === undefined ? String(r.value) : `${r.value} to ${r.max}`,
        ),
        evidence: [
          evidence('replicas', replicas, declared(ANNOTATION_REPLICAS)),
          evidence(
            'replicas',
            r.max === undefined ? r.value : `${r.value}–${r.max}`,
            r.source,
          ),
        ],
      };
    }
  }
  return undefined;
}

function headlessDrift(facts: EntityFacts): Drift | undefined {
  const value = facts.annotations.headless;
  const observed = headlessFact(facts);
  if (
    value === undefined ||
    observed?.source.kind !== 'manifest' ||
    observed.value === value
  ) {
    return undefined;
  }
  return {
    message: says(ANNOTATION_HEADLESS, String(value), String(observed.value)),
    evidence: [
      evidence('headless', value, declared(ANNOTATION_HEADLESS)),
      evidence('headless', observed.value, observed.source),
    ],
  };
}

export const drift = defineEntityCheck({
  id: 'drift',
  title: 'Declarations match the manifests',
  category: 'workload',
  weight: 1,
  appliesTo: `${WORKLOADS}, with manifests linked`,
  reads: [
    ANNOTATION_MANIFESTS,
    ANNOTATION_PORTS,
    ANNOTATION_RUN_AS_UID,
    ANNOTATION_PROBES,
    ANNOTATION_REPLICAS,
    ANNOTATION_HEADLESS,
  ],
  rationale:
    'A mesh reads the Kubernetes manifests, not the catalog: Istio picks a protocol from the Service port, and the proxies act on the UID and probes the pod really has. An annotation that says otherwise is stale, and the scorecard scores the manifests.',
  remediation:
    'Remove the annotation that the manifests already answer, or correct it.',
  sources: [SOURCES.istioProtocolSelection, SOURCES.istioAppRequirements],
  evaluate(facts) {
    if (!observedWorkloads(facts)) {
      return NOTHING_OBSERVED;
    }
    const drifts = [
      portDrift(facts),
      uidDrift(facts),
      probeDrift(facts),
      replicaDrift(facts),
      headlessDrift(facts),
    ].filter((d): d is Drift => d !== undefined);
    if (drifts.length === 0) {
      return {
        status: 'pass',
        message:
          'No declaration contradicts the manifests (ports, run-as UID, probes, replicas, headless).',
      };
    }
    return {
      status: 'warn',
      message: `${drifts
        .map(d => d.message)
        .join(
          '; ',
        )}. The manifests are scored; correct or remove the annotation.`,
      evidence: drifts.flatMap(d => d.evidence),
    };
  },
});
