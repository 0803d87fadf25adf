import { BitSet } from './bitset';
import { ClusterModel, Direction, IpBlockModel, PodModel } from './cluster-model';
import { ClusterPeerModel, ClusterPolicyModel, ClusterRuleModel } from './cluster-policy-model';
import { EndpointModel, blockHoldsExternal, isExternal } from './external-nodes';
import { formatSelector, selectorLabelKeys, selectorMatches, selectorMismatches } from './label-matcher';
import { ipBlockMatches } from './network-policy-layer';
import { ClassFeatures, ClassIndex, PeerMatcher, PeerMiss, PeerSelector, PolicyLayer, RuleProvenance, TierName, TierPolicy, TierRule } from './policy-tier';
import { ParsedCidr } from '../vocabulary/k8s-rules';

/**
 * ClusterNetworkPolicy (v1alpha2), AdminNetworkPolicy and BaselineAdminNetworkPolicy (v1alpha1) as
 * layers of the Admin and Baseline tiers. The walk does the rest (`verdict-walk.ts`): a tier's
 * policies by ascending priority, rules in written order, the first rule matching the peer and
 * some of the ports decides them (Allow, Deny) or passes them on (Pass).
 *
 * Peers: `namespaces` matches every pod of the matching namespaces, `pods` the pods matching both
 * selectors, `networks` every address in the CIDRs — pods by their IPs and external nodes ("cluster
 * internal traffic will be checked against the rule as well", says the API). Selector peers never
 * match an address outside the cluster; `nodes` and `domainNames` match nothing here and are
 * listed in `Reachability.unmodelled`.
 */

/** The networks of a peer as ipBlocks without exceptions. */
function blocksOf(networks: readonly ParsedCidr[]): IpBlockModel[] {
  return networks.map((cidr) => ({ cidr, except: [] }));
}

/** A peer of a cluster policy rule. */
class ClusterPeer implements PeerMatcher {
  private readonly blocks: readonly IpBlockModel[];

  public constructor(private readonly model: ClusterModel, private readonly peer: ClusterPeerModel) {
    this.blocks = blocksOf(peer.networks ?? []);
  }

  public matches(endpoint: EndpointModel): boolean {
    const peer = this.peer;
    if (peer.networks) {
      return isExternal(endpoint) ? this.blocks.some((b) => blockHoldsExternal(b, endpoint)) : this.blocks.some((b) => ipBlockMatches(b, endpoint));
    }
    if (!peer.namespaceSelector || isExternal(endpoint)) return false;
    return selectorMatches(peer.namespaceSelector, this.model.namespaceLabels(endpoint.namespace))
      && (!peer.podSelector || selectorMatches(peer.podSelector, endpoint.labels));
  }

  public miss(endpoint: EndpointModel): PeerMiss {
    const peer = this.peer;
    if (peer.unresolved) return { distance: 3, reason: `a ${peer.unresolved} peer, which the analyzer cannot resolve, matches nothing here` };
    if (peer.networks) {
      const where = isExternal(endpoint) ? `${endpoint.id} is outside them`
        : endpoint.ips.length === 0 ? `${endpoint.id} has no known IP (networks match pod IPs from status.podIPs only)`
          : `${endpoint.id} has IP ${endpoint.ips.map((i) => i.text).join(', ')}, outside them`;
      return { distance: 3, reason: `networks ${peer.networks.map((c) => c.canonical).join(', ')}: ${where}` };
    }
    if (!peer.namespaceSelector) return { distance: 3, reason: 'a peer with no field the API defines matches nothing (fail closed)' };
    if (isExternal(endpoint)) return { distance: 3, reason: `a namespaces or pods peer matches pods only, and ${endpoint.id} is outside the cluster` };
    const nsMismatches = selectorMismatches(peer.namespaceSelector, this.model.namespaceLabels(endpoint.namespace));
    const podMismatches = peer.podSelector ? selectorMismatches(peer.podSelector, endpoint.labels) : [];
    const reasons = [
      ...(nsMismatches.length ? [`namespace '${endpoint.namespace}' does not match ${formatSelector(peer.namespaceSelector)}: ${nsMismatches.join('; ')}`] : []),
      ...(podMismatches.length ? [`pod labels do not match podSelector ${formatSelector(peer.podSelector!)}: ${podMismatches.join('; ')}`] : []),
    ];
    return { distance: nsMismatches.length && podMismatches.length ? 3 : nsMismatches.length ? 2 : 1, reason: reasons.join('; and ') };
  }

  public classes(index: ClassIndex): BitSet {
    const peer = this.peer;
    if (peer.networks) {
      const set = new BitSet(index.classCount);
      for (const block of this.blocks) set.or(index.addressClasses(block));
      return set;
    }
    if (!peer.namespaceSelector) return new BitSet(index.classCount);
    const namespaces = index.namespaceSelectorClasses(peer.namespaceSelector);
    return peer.podSelector ? index.podSelectorClasses(peer.podSelector).clone().and(namespaces) : namespaces;
  }
}

/** A cluster policy in one direction. @internal */
export class ClusterTierPolicy implements TierPolicy {
  public readonly tier: TierName;
  public readonly object: string;
  public readonly id: string;
  public readonly priority: number;
  public readonly rules: readonly TierRule[];

  public constructor(private readonly model: ClusterModel, public readonly policy: ClusterPolicyModel, direction: Direction) {
    this.tier = policy.tier;
    this.object = `${policy.kind} ${policy.name}`;
    this.id = policy.name;
    this.priority = policy.priority;
    const rules: readonly ClusterRuleModel[] = direction === 'Ingress' ? policy.ingress : policy.egress;
    this.rules = rules.map((rule, ruleIndex) => {
      const provenance: RuleProvenance = {
        tier: policy.tier,
        object: this.object,
        policy: policy.name,
        direction,
        ruleIndex,
        action: rule.action,
        ...(rule.name !== undefined ? { ruleName: rule.name } : {}),
      };
      return { action: rule.action, peers: rule.peers.map((peer) => new ClusterPeer(model, peer)), ports: rule.ports, provenance };
    });
  }

  public appliesTo(pod: PodModel): boolean {
    return selectorMatches(this.policy.subjectNamespaces, this.model.namespaceLabels(pod.namespace))
      && (!this.policy.subjectPods || selectorMatches(this.policy.subjectPods, pod.labels));
  }

  public subjectClasses(index: ClassIndex): BitSet {
    const namespaces = index.namespaceSelectorClasses(this.policy.subjectNamespaces);
    return this.policy.subjectPods ? index.podSelectorClasses(this.policy.subjectPods).clone().and(namespaces) : namespaces;
  }
}

/** The cluster policies of one tier (Admin or Baseline), in input order. @internal */
export class ClusterPolicyLayer implements PolicyLayer {
  public readonly cidrs: readonly ParsedCidr[];
  public readonly peerSelectors: readonly PeerSelector[];
  public readonly features: ClassFeatures;
  private readonly ingress: ClusterTierPolicy[] = [];
  private readonly egress: ClusterTierPolicy[] = [];

  public constructor(model: ClusterModel, public readonly tier: TierName) {
    const labelKeys = new Set<string>();
    const portNames = new Set<string>();
    const blocks: IpBlockModel[] = [];
    const cidrs: ParsedCidr[] = [];
    const selectors: PeerSelector[] = [];
    for (const policy of model.clusterPolicies) {
      if (policy.tier !== tier) continue;
      // A policy without rules for a direction does not affect that direction (API field comment).
      if (policy.ingress.length > 0) this.ingress.push(new ClusterTierPolicy(model, policy, 'Ingress'));
      if (policy.egress.length > 0) this.egress.push(new ClusterTierPolicy(model, policy, 'Egress'));
      if (policy.subjectPods) for (const k of selectorLabelKeys(policy.subjectPods)) labelKeys.add(k);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const port of rule.ports) if (typeof port.port === 'string') portNames.add(port.port);
        for (const peer of rule.peers) {
          if (peer.podSelector) for (const k of selectorLabelKeys(peer.podSelector)) labelKeys.add(k);
          if (peer.namespaceSelector) selectors.push({ pods: peer.podSelector, namespaces: peer.namespaceSelector });
          if (peer.networks) {
            blocks.push(...blocksOf(peer.networks));
            cidrs.push(...peer.networks);
          }
        }
      }
    }
    this.cidrs = cidrs;
    this.peerSelectors = selectors;
    this.features = { podLabelKeys: [...labelKeys], portNames: [...portNames], addressBlocks: blocks };
  }

  public policies(direction: Direction): readonly ClusterTierPolicy[] {
    return direction === 'Ingress' ? this.ingress : this.egress;
  }
}
