/*
 * Organisation checks: the three gates behind the verdict (genuine need,
 * platform capacity, observability) and the platform-level checks shown
 * next to them (PKI plan, config linting, cost vs capacity, kernel and
 * Kubernetes versions). They read org facts, never single entities.
 *
 * A new org check is one file in this folder (a defineOrgCheck call) and
 * one line in GATES or ORG_CHECKS below.
 */
import type { OrgCheck } from '../types';
import { configLint } from './configLint';
import { costVsCapacity } from './costVsCapacity';
import { genuineNeed } from './genuineNeed';
import { kernelVersion } from './kernelVersion';
import { kubernetesVersion } from './kubernetesVersion';
import { observability } from './observability';
import { pkiPlan } from './pkiPlan';
import { platformCapacity } from './platformCapacity';

export type { OrgCheck, OrgCheckInput } from '../types';

/** The org gates, in verdict order. @internal */
export const GATES: readonly OrgCheck[] = [
  genuineNeed,
  platformCapacity,
  observability,
];

/** The other organisation checks. @internal */
export const ORG_CHECKS: readonly OrgCheck[] = [
  pkiPlan,
  configLint,
  costVsCapacity,
  kernelVersion,
  kubernetesVersion,
];
