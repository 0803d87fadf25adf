import { IConstruct } from 'constructs';
import { ClusterTier } from './cluster-tier';
import { PortSet } from './policy-intent';
import { ClusterRule, ClusterRuleAction } from '../vocabulary/cluster-rule';
import { invalid } from '../vocabulary/errors';
import { ClusterPeerEntry } from '../vocabulary/peer';
import { Port } from '../vocabulary/port';

/** One rule of a cluster guardrail, its peers resolved. @internal */
export interface ClusterRuleIntent {
  readonly action: ClusterRuleAction;
  readonly name?: string;
  readonly peers: readonly ClusterPeerEntry[];
  readonly ports: PortSet;
}

/**
 * Everything one cluster guardrail declared: the single source each cluster-tier backend
 * (ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1) renders.
 * @internal
 */
export interface ClusterPolicyIntent {
  /** The construct that declared it: errors name its path; implicit priorities follow it. */
  readonly requester: IConstruct;
  /** The object's name (the first of its objects when split). */
  readonly name: string;
  readonly tier: ClusterTier;
  /** `subject` as written: `{ namespaces }` or `{ pods: { namespaceSelector, podSelector } }`. */
  readonly subject: any;
  readonly ingress: readonly ClusterRuleIntent[];
  readonly egress: readonly ClusterRuleIntent[];
  /** The priority given; undefined: allocated. */
  readonly priority?: number;
}

/**
 * The intents of `rules` for one direction: peers resolved in no namespace (a cluster guardrail is
 * about many), ports merged. An egress rule whose peers arrive on other ports (a Service's target
 * ports) becomes one rule per set of ports, in order: consecutive rules with one action match what
 * the one rule would.
 * @internal
 */
export function resolveClusterRules(requester: IConstruct, direction: 'ingress' | 'egress', rules: readonly ClusterRule[]): ClusterRuleIntent[] {
  const path = requester.node.path;
  return rules.flatMap((rule, r) => {
    const where = `${path}: ${direction}[${r}]`;
    const groups = new Map<string, { peers: ClusterPeerEntry[]; ports: PortSet }>();
    for (const peer of rule.peers) {
      const resolved = peer._resolve('', requester);
      if (direction === 'ingress' && resolved.destinationOnly) {
        throw invalid(where, `${peer} can only be a destination`, 'Move the rule to egress');
      }
      const entry = resolved.renderCluster(where);
      if (direction === 'ingress' && entry.networks) {
        throw invalid(where, `${peer} is an address block, and cluster-tier ingress rules select sources by namespace and pod only (the API has no ingress networks)`,
          'Deny or allow the addresses as egress destinations of the pods that reach them, or use NetworkPolicy ipBlocks for ingress');
      }
      const ports = rule.ports === undefined ? 'all' : portSet(direction === 'egress' && resolved.destinationPorts ? resolved.destinationPorts(rule.ports, where) : rule.ports);
      const key = ports === 'all' ? 'all' : ports.map(String).join(',');
      const group = groups.get(key) ?? { peers: [], ports };
      group.peers.push(entry);
      groups.set(key, group);
    }
    return [...groups.values()].map((group) => ({
      action: rule.action,
      ...(rule.name !== undefined ? { name: rule.name } : {}),
      peers: group.peers,
      ports: group.ports,
    }));
  });
}

/** Ports as a set: `all` when one of them is every port; those another covers dropped. */
function portSet(ports: Port[]): PortSet {
  if (ports.some((p) => p.protocol === undefined)) return 'all';
  return ports.filter((p, i) => !ports.some((o, j) => j !== i && p.isCoveredBy(o) && (!o.isCoveredBy(p) || j < i)));
}
