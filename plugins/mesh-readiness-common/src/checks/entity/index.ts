/*
 * The built-in per-workload checks, in catalogue order. A new check is one
 * file in this folder and one line here (see docs/adding-a-check.md).
 */
import type { EntityCheck } from '../types';
import { batchWorkload } from './batchWorkload';
import { bindAddress } from './bindAddress';
import { clusterKnown } from './clusterKnown';
import { complianceMtlsScope } from './complianceMtlsScope';
import { costInputs } from './costInputs';
import { drift } from './drift';
import { grpcLoadBalancing } from './grpcLoadBalancing';
import { headless } from './headless';
import { hostNetwork } from './hostNetwork';
import { initContainers } from './initContainers';
import { injectionLabels } from './injectionLabels';
import { lifecycle } from './lifecycle';
import { opaquePorts } from './opaquePorts';
import { owner } from './owner';
import { podSecurity } from './podSecurity';
import { portConflicts } from './portConflicts';
import { probes } from './probes';
import { protocols } from './protocols';
import { proxyUid } from './proxyUid';
import { reservedPorts } from './reservedPorts';
import { retryPolicy } from './retryPolicy';
import { retrySafety } from './retrySafety';
import { serverFirstProtocols } from './serverFirstProtocols';
import { serviceAccountToken } from './serviceAccountToken';
import { targetPorts } from './targetPorts';
import { timeouts } from './timeouts';
import { tracing } from './tracing';
import { udp } from './udp';

/** @internal */
export const ENTITY_CHECKS: readonly EntityCheck[] = [
  owner,
  lifecycle,
  clusterKnown,
  tracing,
  protocols,
  portConflicts,
  targetPorts,
  serverFirstProtocols,
  opaquePorts,
  reservedPorts,
  udp,
  grpcLoadBalancing,
  proxyUid,
  podSecurity,
  hostNetwork,
  injectionLabels,
  serviceAccountToken,
  bindAddress,
  probes,
  batchWorkload,
  initContainers,
  headless,
  timeouts,
  retryPolicy,
  retrySafety,
  complianceMtlsScope,
  costInputs,
  drift,
];
