import { ANNOTATION_MANIFESTS } from '../../annotationKeys';
import type { FactSource, ObservedWorkload } from '../../observed';
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

type Mode = 'istio-sidecar' | 'istio-ambient' | 'linkerd';

const MODE_NAMES: Record<Mode, string> = {
  'istio-sidecar': "Istio's sidecar mode",
  'istio-ambient': "Istio's ambient mode",
  linkerd: 'Linkerd',
};

/** A label or annotation that puts the workload in or keeps it out of a mesh. */
interface Signal {
  key: string;
  value: string;
  level: 'pod' | 'namespace';
  /** `pod label of Deployment orders`, `label of Namespace shop`. */
  on: string;
  source: FactSource;
  mode: Mode;
  effect: 'in' | 'out';
}

/** `key: "value"` */
function keyValue(s: Signal): string {
  return `${s.key}: ${JSON.stringify(s.value)}`;
}

function described(s: Signal): string {
  return `${keyValue(s)} (${s.on})`;
}

/** `Namespace shop`, or `its Namespace` when the workload names none. */
function namespaceName(w: ObservedWorkload): string {
  return w.namespace ? `Namespace ${w.namespace}` : 'its Namespace';
}

/** The injection labels and annotations of one workload and its Namespace. */
function signalsOf(w: ObservedWorkload): Signal[] {
  const signals: Signal[] = [];
  const add = (
    key: string,
    value: string | undefined,
    on: string,
    level: Signal['level'],
    source: FactSource,
    mode: Mode,
    effects: Record<string, 'in' | 'out'>,
    anyValue?: 'in',
  ) => {
    if (value === undefined) {
      return;
    }
    const effect = effects[value] ?? anyValue;
    if (effect) {
      signals.push({ key, value, level, on, source, mode, effect });
    }
  };
  const name = workloadName(w);
  const podLabel = `pod label of ${name}`;
  const podAnnotation = `pod annotation of ${name}`;
  // Istio reads sidecar.istio.io/inject as a pod label (the annotation is
  // the older, still honoured form).
  const sidecar = { true: 'in', false: 'out' } as const;
  add(
    'sidecar.istio.io/inject',
    w.podLabels['sidecar.istio.io/inject'],
    podLabel,
    'pod',
    w.source,
    'istio-sidecar',
    sidecar,
  );
  add(
    'sidecar.istio.io/inject',
    w.podAnnotations['sidecar.istio.io/inject'],
    podAnnotation,
    'pod',
    w.source,
    'istio-sidecar',
    sidecar,
  );
  add(
    'istio.io/rev',
    w.podLabels['istio.io/rev'],
    podLabel,
    'pod',
    w.source,
    'istio-sidecar',
    {},
    'in',
  );
  const ambient = { ambient: 'in', none: 'out' } as const;
  add(
    'istio.io/dataplane-mode',
    w.podLabels['istio.io/dataplane-mode'],
    podLabel,
    'pod',
    w.source,
    'istio-ambient',
    ambient,
  );
  // Linkerd reads linkerd.io/inject as an annotation only.
  add(
    'linkerd.io/inject',
    w.podAnnotations['linkerd.io/inject'],
    podAnnotation,
    'pod',
    w.source,
    'linkerd',
    {
      enabled: 'in',
      ingress: 'in',
      disabled: 'out',
    },
  );
  const ns = w.namespaceLabels;
  if (ns) {
    const on = `label of ${namespaceName(w)}`;
    add(
      'istio-injection',
      ns.labels['istio-injection'],
      on,
      'namespace',
      ns.source,
      'istio-sidecar',
      {
        enabled: 'in',
        disabled: 'out',
      },
    );
    add(
      'istio.io/rev',
      ns.labels['istio.io/rev'],
      on,
      'namespace',
      ns.source,
      'istio-sidecar',
      {},
      'in',
    );
    add(
      'istio.io/dataplane-mode',
      ns.labels['istio.io/dataplane-mode'],
      on,
      'namespace',
      ns.source,
      'istio-ambient',
      ambient,
    );
  }
  return signals;
}

/** The signals without repeats (workloads that share a Namespace). */
function unique(signals: Signal[]): Signal[] {
  const seen = new Set<string>();
  return signals.filter(s => {
    const key = `${s.on}\u0000${s.key}\u0000${s.value}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/** The conflicts among one workload's signals, in words. */
function conflictsOf(signals: Signal[]): string[] {
  const conflicts: string[] = [];
  const nsLabel = (key: string, value?: string) =>
    signals.find(
      s =>
        s.level === 'namespace' &&
        s.key === key &&
        (value === undefined || s.value === value),
    );
  const legacy = nsLabel('istio-injection', 'enabled');
  const rev = nsLabel('istio.io/rev');
  if (legacy && rev) {
    conflicts.push(
      `${described(legacy)} and ${described(
        rev,
      )} both select Istio injection (istioctl analyze IST0123: keep one)`,
    );
  }
  const optedOut = new Set(
    signals.filter(s => s.effect === 'out').map(s => s.mode),
  );
  const firstIn = new Map<Mode, Signal>();
  for (const s of signals) {
    if (s.effect === 'in' && !optedOut.has(s.mode) && !firstIn.has(s.mode)) {
      firstIn.set(s.mode, s);
    }
  }
  const sidecar = firstIn.get('istio-sidecar');
  const ambient = firstIn.get('istio-ambient');
  const linkerd = firstIn.get('linkerd');
  if (sidecar && ambient) {
    conflicts.push(
      `${described(sidecar)} selects Istio's sidecar mode and ${described(
        ambient,
      )} its ambient mode: Istio asks for one or the other, never both (the sidecar wins)`,
    );
  }
  const istio = sidecar ?? ambient;
  if (istio && linkerd) {
    conflicts.push(
      `${described(istio)} enables Istio and ${described(
        linkerd,
      )} enables Linkerd: a pod can be in one mesh only`,
    );
  }
  return conflicts;
}

export const injectionLabels = defineEntityCheck({
  id: 'injection-labels',
  title: 'No label keeps the workload out of the mesh',
  category: 'workload',
  weight: 1,
  appliesTo: WORKLOADS,
  reads: [ANNOTATION_MANIFESTS],
  rationale:
    'Meshes decide per pod whether to mesh it from labels and annotations on the pod and its namespace. An opt-out set long ago (sidecar.istio.io/inject: "false", linkerd.io/inject: disabled, istio.io/dataplane-mode: none, a namespace labelled istio-injection: disabled) silently keeps the workload out of the mesh when it is rolled out. Conflicting labels make the result depend on precedence rules: a namespace with both istio-injection and istio.io/rev (IST0123), sidecar and ambient mode at once, or Istio and Linkerd injection both enabled.',
  remediation:
    "Remove opt-outs that no longer have a reason, and keep one injection label per namespace and one mesh per pod: istio-injection=enabled or istio.io/rev=<revision> for Istio's sidecars, istio.io/dataplane-mode=ambient for ambient, or the linkerd.io/inject: enabled annotation for Linkerd.",
  sources: [
    SOURCES.istioSidecarInjection,
    SOURCES.istioIst0123,
    SOURCES.istioAmbientAddWorkloads,
    SOURCES.linkerdProxyInjection,
  ],
  evaluate(facts) {
    const found = workloadsOrUnknown(facts, 'the injection labels');
    if (!hasWorkloads(found)) {
      return found;
    }
    const signals = unique(found.flatMap(signalsOf));
    const cited = cite(
      signals.map(s => evidence(`${s.on}: ${s.key}`, s.value, s.source)),
    );
    const conflicts = [
      ...new Set(found.flatMap(w => conflictsOf(signalsOf(w)))),
    ];
    if (conflicts.length > 0) {
      return {
        status: 'fail',
        message: `Injection labels conflict: ${conflicts.join('; ')}.`,
        evidence: cited,
      };
    }
    const outs = signals.filter(s => s.effect === 'out');
    if (outs.length > 0) {
      return {
        status: 'warn',
        message: `${list(
          outs.map(
            s => `${described(s)} keeps it out of ${MODE_NAMES[s.mode]}`,
          ),
        )}: the workload would stay outside the mesh unless this is removed.`,
        evidence: cited,
      };
    }
    if (signals.length > 0) {
      return {
        status: 'pass',
        message: `Injection is enabled: ${list(signals.map(described))}.`,
        evidence: cited,
      };
    }
    return {
      status: 'pass',
      message:
        "No injection labels yet: the mesh's namespace label will decide.",
      evidence: cite(
        found.flatMap(w => [
          evidence(`${workloadName(w)} injection labels`, 'none', w.source),
          ...(w.namespaceLabels
            ? [
                evidence(
                  `${namespaceName(w)} injection labels`,
                  'none',
                  w.namespaceLabels.source,
                ),
              ]
            : []),
        ]),
      ),
    };
  },
});
