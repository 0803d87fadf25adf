import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, policyObject, policyWhere } from './finding-context';

/**
 * `policyTypes` surprises: rules for a direction the policy does not list are ignored, and a
 * policy that writes only egress rules but omits `policyTypes` is defaulted to
 * `[Ingress, Egress]`, which also isolates its pods' ingress.
 */

function ignoredRules(context: FindingContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const policy of context.model.policies) {
    const ignored: string[] = [];
    if (policy.egress.length > 0 && !policy.isolatesEgress) ignored.push('Egress');
    if (policy.ingress.length > 0 && !policy.isolatesIngress) ignored.push('Ingress');
    for (const direction of ignored) {
      const list = direction === 'Egress' ? 'egress' : 'ingress';
      const count = direction === 'Egress' ? policy.egress.length : policy.ingress.length;
      out.push({
        subject: policy.id,
        objects: [policyObject(policy)],
        message: `${policyWhere(policy)} has ${count} ${list} rule${count === 1 ? '' : 's'} but policyTypes [${[policy.isolatesIngress ? 'Ingress' : '', policy.isolatesEgress ? 'Egress' : ''].filter((t) => t).join(', ')}] does not list ${direction}, so Kubernetes ignores ${count === 1 ? 'it' : 'them'}`,
        fix: `Add ${direction} to spec.policyTypes (this also isolates the selected pods for ${list}), or delete spec.${list}.`,
      });
    }
  }
  return out;
}

function defaultedIngress(context: FindingContext): FindingDraft[] {
  return context.model.policies
    .filter((p) => p.egress.length > 0 && p.ingress.length === 0 && p.isolatesIngress && context.policyTypesWritten(p) === false)
    .map((policy) => ({
      subject: policy.id,
      objects: [policyObject(policy)],
      message: `${policyWhere(policy)} writes only egress rules and no policyTypes, so Kubernetes defaults policyTypes to [Ingress, Egress]: it also isolates the selected pods for ingress and allows no ingress to them`,
    }));
}

/** @internal */
export const POLICY_TYPE_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP010',
    rule: 'rules-ignored-by-policy-types',
    severity: FindingSeverity.ERROR,
    summary: 'Egress (or ingress) rules in a policy whose policyTypes does not list that direction: Kubernetes ignores them.',
    fix: 'Add the direction to spec.policyTypes, or delete the rules.',
    check: ignoredRules,
  },
  {
    id: 'NP011',
    rule: 'egress-policy-isolates-ingress',
    severity: FindingSeverity.WARNING,
    summary: 'An egress-only policy without policyTypes: defaulting adds Ingress, which blocks all ingress to its pods.',
    fix: 'Write policyTypes: [Egress] (or [Ingress, Egress] if blocking ingress is intended).',
    check: defaultedIngress,
  },
];
