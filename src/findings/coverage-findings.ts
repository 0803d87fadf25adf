import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, podObject } from './finding-context';
import { Direction, PodModel } from '../analyzer/cluster-model';
import { policySelects } from '../analyzer/network-policy-layer';

/**
 * Pods that no policy isolates: every connection in that direction is allowed
 * (kube-score `pod-networkpolicy`, Polaris `missingNetworkPolicy`, Kubescape C-0260).
 */

function unisolated(context: FindingContext, direction: Direction): FindingDraft[] {
  const { model } = context;
  const isolated = (pod: PodModel): boolean => model.policies.some((p) => (direction === 'Ingress' ? p.isolatesIngress : p.isolatesEgress) && policySelects(p, pod));
  const word = direction.toLowerCase();
  return model.pods.filter((pod) => context.covers(pod.namespace) && !isolated(pod)).map((pod) => ({
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
