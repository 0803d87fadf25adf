import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, podObject } from './finding-context';
import { Direction } from '../analyzer/cluster-model';

/**
 * Pods that no policy isolates: every connection in that direction is allowed
 * (kube-score `pod-networkpolicy`, Polaris `missingNetworkPolicy`, Kubescape C-0260).
 */

function unisolated(context: FindingContext, direction: Direction): FindingDraft[] {
  const { model } = context;
  const engine = context.engine();
  // The NetworkPolicies isolating a pod are those of its class's program (the engine's classes
  // keep apart what any policy's podSelector reads).
  const isolatedClass = new Map<number, boolean>();
  const isolated = (i: number): boolean => {
    const c = engine.classOfPod[i];
    let result = isolatedClass.get(c);
    if (result === undefined) {
      result = engine.isolatingPolicies(c, direction).length > 0;
      isolatedClass.set(c, result);
    }
    return result;
  };
  const word = direction.toLowerCase();
  return model.pods.filter((pod, i) => context.covers(pod.namespace) && !isolated(i)).map((pod) => ({
    subject: pod.id,
    objects: [podObject(pod)],
    message: `${podObject(pod)} is not isolated for ${word}: no NetworkPolicy in '${pod.namespace}' selects it with ${direction} in policyTypes, so ${direction === 'Ingress' ? 'every pod and address may connect to it' : 'it may connect to every pod and address'}`,
  }));
}

/** @internal */
export const COVERAGE_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP001',
    rule: 'pod-without-ingress-policy',
    severity: FindingSeverity.WARNING,
    summary: 'A pod or workload that no NetworkPolicy isolates for ingress: everything may connect to it.',
    fix: 'Add a default-deny for the namespace (DefaultDeny) and allow the flows it needs (AllowFrom).',
    check: (c) => unisolated(c, 'Ingress'),
  },
  {
    id: 'NP002',
    rule: 'pod-without-egress-policy',
    severity: FindingSeverity.WARNING,
    summary: 'A pod or workload that no NetworkPolicy isolates for egress: it may connect anywhere.',
    fix: 'Add a default-deny egress for the namespace (DefaultDeny keeps DNS) and allow the flows it needs (AllowTo).',
    check: (c) => unisolated(c, 'Egress'),
  },
];
