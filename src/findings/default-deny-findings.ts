import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, isEmptySelector } from './finding-context';
import { Direction, PolicyModel } from '../analyzer/cluster-model';

/**
 * Namespaces without a namespace-wide default deny (kubeaudit `netpols`): a policy whose
 * `podSelector` is `{}` and that isolates the direction without a rule that opens it to
 * everything. Rules that allow some peers (DNS, say) still count: new pods start isolated.
 */

function rules(policy: PolicyModel, direction: Direction) {
  return direction === 'Ingress' ? policy.ingress : policy.egress;
}

/** Whether a policy is a default deny for a direction. @internal */
export function isDefaultDeny(policy: PolicyModel, direction: Direction): boolean {
  const isolates = direction === 'Ingress' ? policy.isolatesIngress : policy.isolatesEgress;
  return isolates && isEmptySelector(policy.podSelector)
    && !rules(policy, direction).some((r) => r.peers.length === 0 && r.ports.length === 0);
}

function missingDefaultDeny(context: FindingContext, direction: Direction): FindingDraft[] {
  const word = direction.toLowerCase();
  return [...context.knownNamespaces].sort()
    .filter((ns) => context.covers(ns) && !context.model.policies.some((p) => p.namespace === ns && isDefaultDeny(p, direction)))
    .map((ns) => ({
      subject: ns,
      objects: [`Namespace ${ns}`],
      message: `Namespace '${ns}' has no default-deny ${word} policy (podSelector {} with ${direction} in policyTypes), so every pod added to it later starts with all ${word} allowed`,
    }));
}

/** @internal */
export const DEFAULT_DENY_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP003',
    rule: 'namespace-without-default-deny-ingress',
    severity: FindingSeverity.WARNING,
    summary: 'A namespace without a default-deny ingress policy (podSelector {}, Ingress in policyTypes).',
    fix: 'Add DefaultDeny to the namespace, or a NetworkPolicy with podSelector {} and policyTypes [Ingress] and no ingress rules.',
    check: (c) => missingDefaultDeny(c, 'Ingress'),
  },
  {
    id: 'NP004',
    rule: 'namespace-without-default-deny-egress',
    severity: FindingSeverity.WARNING,
    summary: 'A namespace without a default-deny egress policy (podSelector {}, Egress in policyTypes).',
    fix: 'Add DefaultDeny to the namespace (it keeps DNS egress), or a NetworkPolicy with podSelector {} and policyTypes [Egress] that allows only DNS.',
    check: (c) => missingDefaultDeny(c, 'Egress'),
  },
];
