import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { NetworkPolicyGuardrails } from './network-policy-guardrails';
import { checkInvariants, describeViolatedInvariant } from '../analyzer/invariant-check';
import { NetworkPolicyInvariants } from '../constructs/network-policy-invariants';
import { PolicyRegistry } from '../constructs/policy-registry';
import { InvariantSpec } from '../vocabulary/invariant';

/**
 * The synth-time check of the app's invariants (see `NetworkPolicyInvariants`): the constructs
 * record them, this module (loaded with the package's main entry) gives them the analyzer.
 */

/** `ZeroTrustNamespace shop/locked-down` for a rule a construct inside it asked for, else the construct itself. */
function describeConstruct(c: IConstruct): string {
  const owner = c.node.scope && !Chart.isChart(c.node.scope) && c.node.scope.node.scope ? c.node.scope : c;
  return `${owner.constructor.name} ${owner.node.path}`;
}

function checkAtSynth(root: IConstruct, objects: any[], invariants: InvariantSpec[]): (string | undefined)[] {
  const pods = root.node.findAll().filter((c): c is NetworkPolicyGuardrails => c instanceof NetworkPolicyGuardrails).flatMap((g) => g._pods);
  const registry = PolicyRegistry.of(root);
  const origin = (rule: string): string | undefined => {
    const [, policy, direction, index] = /^NetworkPolicy (\S+) (ingress|egress)\[(\d+)\]$/.exec(rule)!;
    const by = registry.ruleOrigins(policy, direction === 'ingress' ? 'Ingress' : 'Egress', Number(index));
    return by && by.length > 0 ? [...new Set(by.map(describeConstruct))].join(', ') : undefined;
  };
  const results = checkInvariants(objects.map((object) => ({ object })), invariants, pods);
  return results.map((r) => (r.held ? undefined : describeViolatedInvariant(r, origin)));
}

NetworkPolicyInvariants._useChecker(checkAtSynth);
