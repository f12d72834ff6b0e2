/*
 * Small helpers the entity checks share: what "invalid" and "unknown" say,
 * and the declared ports or the outcome that stands in for them.
 */
import { ANNOTATION_MANIFESTS, ANNOTATION_PORTS } from '../../annotationKeys';
import type { PortDeclaration } from '../../annotations';
import type { EntityFacts } from '../../facts';
import { type PortFact, portFacts } from '../../facts/resolve';
import type { CheckOutcome } from '../types';
import { annotationYaml } from '../yaml';

const PORTS_FIX = annotationYaml(
  {
    [ANNOTATION_MANIFESTS]: './deploy/',
    [ANNOTATION_PORTS]: '8080/http, 9090/grpc',
  },
  'link the Kubernetes manifests, or list every port as PORT/PROTOCOL',
);

/** What most entity checks apply to. */
const PORTS_NOT_SET: CheckOutcome = {
  status: 'unknown',
  message: `No manifests are linked (${ANNOTATION_MANIFESTS}) and ${ANNOTATION_PORTS} is not set, so the ports and their protocols are unknown.`,
  fixYaml: PORTS_FIX,
};

export const WORKLOADS =
  'Components whose spec.type is a workload (service, website, job, cronjob, batch, worker by default) and that are not excluded';

/** The `invalid` outcome when the annotation is malformed, else undefined. */
export function invalidAnnotation(
  facts: EntityFacts,
  key: string,
): CheckOutcome | undefined {
  if (!facts.annotations.invalid.includes(key)) {
    return undefined;
  }
  const first = facts.problems.find(p => p.key === key);
  return {
    status: 'invalid',
    message: first
      ? first.message
      : `${key} is malformed; see the annotation problems of this entity`,
  };
}

/** The declared ports, or the outcome to return when they are not usable. */
export function declaredPorts(
  facts: EntityFacts,
): PortDeclaration[] | CheckOutcome {
  const invalid = invalidAnnotation(facts, ANNOTATION_PORTS);
  if (invalid) {
    return invalid;
  }
  return facts.annotations.ports ?? PORTS_NOT_SET;
}

/** `a, b, c` */
export function list(values: readonly (number | string)[]): string {
  return values.join(', ');
}

/** `1 port` / `2 ports` */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A port as `8080/http`. */
export function portName(p: PortDeclaration): string {
  return `${p.port}/${p.protocol}`;
}

/**
 * The ports the workload serves, observed in its manifests or else
 * declared, or the outcome to return when neither is usable.
 */
export function workloadPorts(
  facts: EntityFacts,
): { ports: PortFact[]; observed: boolean } | CheckOutcome {
  const found = portFacts(facts);
  if (found?.observed) {
    return found;
  }
  const invalid = invalidAnnotation(facts, ANNOTATION_PORTS);
  if (invalid) {
    return invalid;
  }
  return found ?? PORTS_NOT_SET;
}

/** Whether `workloadPorts` gave ports rather than an outcome. */
export function hasPorts(
  found: { ports: PortFact[]; observed: boolean } | CheckOutcome,
): found is { ports: PortFact[]; observed: boolean } {
  return 'ports' in found;
}
