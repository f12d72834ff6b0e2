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

/** What the observed facts were read from: the cluster, else the manifests. */
function scoredSide(facts: EntityFacts): {
  name: string;
  verb: string;
} {
  return facts.observed?.observedAt !== undefined
    ? { name: 'the running cluster', verb: 'says' }
    : { name: 'the manifests', verb: 'say' };
}

function says(
  facts: EntityFacts,
  key: string,
  declaredValue: string,
  observed: string,
): string {
  const side = scoredSide(facts);
  return `${key} says ${declaredValue}, ${side.name} ${side.verb} ${observed}`;
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
    message: `${ANNOTATION_PORTS} disagrees with ${
      scoredSide(facts).name
    }: ${differences.slice(0, 5).join('; ')}`,
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
      facts,
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
    message: says(facts, ANNOTATION_PROBES, list(kinds), list(seen)),
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
          facts,
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
    message: says(
      facts,
      ANNOTATION_HEADLESS,
      String(value),
      String(observed.value),
    ),
    evidence: [
      evidence('headless', value, declared(ANNOTATION_HEADLESS)),
      evidence('headless', observed.value, observed.source),
    ],
  };
}

/** The same facts, read from the linked manifests instead of the cluster. */
function writtenFacts(facts: EntityFacts): EntityFacts | undefined {
  const written = facts.observed?.written;
  if (!written || written.length === 0 || !facts.observed) {
    return undefined;
  }
  return { ...facts, observed: { ...facts.observed, workloads: written } };
}

/**
 * The manifests against what runs: the third side of drift, when the
 * cluster's workloads are scored and manifests are linked too.
 */
function runningDrift(facts: EntityFacts): Drift[] {
  const written = writtenFacts(facts);
  if (!written) {
    return [];
  }
  const out: Drift[] = [];
  const compare = <T>(
    what: string,
    read: (f: EntityFacts) => Array<{ value: string; item: T }>,
    show: (item: T) => FactEvidence,
  ) => {
    const inFiles = read(written);
    const running = read(facts);
    const a = [...new Set(inFiles.map(x => x.value))].sort();
    const b = [...new Set(running.map(x => x.value))].sort();
    if (a.length === 0 || b.length === 0 || sameSet(a, b)) {
      return;
    }
    // One row per fact, value and source: pods of one template repeat.
    const shown = new Map<string, FactEvidence>();
    for (const x of [...inFiles.slice(0, 3), ...running.slice(0, 3)]) {
      const e = show(x.item);
      shown.set(`${e.fact}\u0000${e.value}\u0000${e.source.label}`, e);
    }
    out.push({
      message: `the manifests say ${what} ${list(
        a,
      )}, the running cluster has ${list(b)}`,
      evidence: [...shown.values()],
    });
  };
  compare(
    'ports',
    f =>
      (portFacts(f)?.ports ?? [])
        .filter(p => p.servicePort)
        .map(p => ({ value: `${p.port}/${p.protocol ?? '?'}`, item: p })),
    p => evidence(`port ${p.port}`, p.protocol ?? 'no protocol', p.source),
  );
  compare(
    'runAsUser',
    f =>
      (uidFacts(f)?.known ?? []).map(u => ({
        value: String(u.value),
        item: u,
      })),
    u => evidence(`runAsUser of ${u.container}`, u.value, u.source),
  );
  compare(
    'probes',
    f => (probeFacts(f)?.probes ?? []).map(p => ({ value: p.value, item: p })),
    p => evidence(p.fact, p.value, p.source),
  );
  compare(
    'replicas',
    f =>
      (observedWorkloads(f) ?? []).flatMap(w =>
        w.replicas && w.replicas.from !== 'default'
          ? [
              {
                value:
                  w.replicas.max === undefined
                    ? String(w.replicas.value)
                    : `${w.replicas.value}–${w.replicas.max}`,
                item: w.replicas,
              },
            ]
          : [],
      ),
    r =>
      evidence(
        'replicas',
        r.max === undefined ? r.value : `${r.value}–${r.max}`,
        r.source,
      ),
  );
  return out;
}

export const drift = defineEntityCheck({
  id: 'drift',
  title: 'Declarations, manifests and what runs agree',
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
    const running = runningDrift(facts);
    const cluster = facts.observed?.observedAt !== undefined;
    const scored = cluster ? 'running cluster' : 'manifests';
    if (drifts.length === 0 && running.length === 0) {
      return {
        status: 'pass',
        message: `No declaration contradicts the ${scored} (ports, run-as UID, probes, replicas, headless)${
          facts.observed?.written ? ', and the manifests match what runs' : ''
        }.`,
      };
    }
    const fixes = [
      ...(drifts.length > 0 ? ['correct or remove the annotation'] : []),
      ...(running.length > 0
        ? ['deploy the manifests, or bring them up to date with what runs']
        : []),
    ];
    return {
      status: 'warn',
      message: `${[...drifts, ...running]
        .map(d => d.message)
        .join('; ')}. The ${scored} ${
        cluster ? 'is' : 'are'
      } scored; ${fixes.join(', and ')}.`,
      evidence: [...drifts, ...running].flatMap(d => d.evidence),
    };
  },
});
