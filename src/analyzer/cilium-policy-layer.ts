import { BitSet } from './bitset';
import { CiliumEndpointSelector, CiliumPeerModel, CiliumPolicyModel, CiliumRuleModel } from './cilium-policy';
import { ClusterModel, Direction, IpBlockModel, PodModel } from './cluster-model';
import { EndpointModel, ExternalModel, blockHoldsExternal, isExternal } from './external-nodes';
import { formatSelector, selectorLabelKeys, selectorMatches, selectorMismatches } from './label-matcher';
import { ClassFeatures, ClassIndex, PeerMatcher, PeerMiss, PeerSelector, PolicyLayer, RuleProvenance, TierPolicy, TierRule } from './policy-tier';
import { ParsedCidr } from '../vocabulary/k8s-rules';

/**
 * Cilium policies as a layer of the NetworkPolicy tier, as Cilium enforces them together with
 * NetworkPolicies: a pod is in default deny for a direction once some NetworkPolicy or some Cilium
 * policy in default deny applies to it there; then a connection is allowed when some allow rule of
 * either kind matches it and no deny rule does. Deny rules win even when nothing isolates.
 *
 * Peers: endpoint selectors match pods only; CIDRs match addresses outside the cluster only (Cilium
 * gives pods their own identities, which CIDR rules do not select); entities `world*` match external
 * nodes (addresses and DNS names), `cluster` pods and the API server, `all` everything,
 * `kube-apiserver` the API server's named node; `toFQDNs` names match the DNS name nodes.
 */

/** Whether a Cilium endpoint selector matches a pod. @internal */
export function ciliumSelects(model: ClusterModel, selector: CiliumEndpointSelector, pod: PodModel): boolean {
  return selectorMatches(selector.pods, pod.labels)
    && (!selector.namespaces || selectorMatches(selector.namespaces, model.namespaceLabels(pod.namespace)));
}

function selectorClasses(index: ClassIndex, selector: CiliumEndpointSelector): BitSet {
  const pods = index.podSelectorClasses(selector.pods);
  return selector.namespaces ? pods.clone().and(index.namespaceSelectorClasses(selector.namespaces)) : pods;
}

/** Whether a `toFQDNs` pattern matches every name: only stars (`*`, `**`). @internal */
export function fqdnPatternMatchesAll(pattern: string): boolean {
  return /^\*+$/.test(pattern);
}

/**
 * Whether a `toFQDNs` pattern matches a name, as Cilium matches them: stars alone match every name;
 * a leading `**.` matches one or more whole labels; any other `*` (or run of stars) matches DNS
 * characters within one label, so `*.amazonaws.com` matches `s3.amazonaws.com` but not
 * `a.b.amazonaws.com` nor `amazonaws.com`.
 * @internal
 */
export function fqdnPatternMatches(pattern: string, name: string): boolean {
  if (fqdnPatternMatchesAll(pattern)) return true;
  const subdomains = /^\*{2,}\./.exec(pattern);
  const rest = subdomains ? pattern.slice(subdomains[0].length) : pattern;
  const body = rest.split(/\*+/).map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[-a-z0-9_]*');
  return new RegExp(`^${subdomains ? '[-a-z0-9_]+(\\.[-a-z0-9_]+)*\\.' : ''}${body}$`).test(name);
}

function formatBlock(block: IpBlockModel): string {
  return `CIDR ${block.cidr.canonical}${block.except.length ? ` except ${block.except.map((e) => e.canonical).join(', ')}` : ''}`;
}

/** A peer of a Cilium rule. */
class CiliumPeer implements PeerMatcher {
  public constructor(private readonly model: ClusterModel, private readonly peer: CiliumPeerModel) {}

  public matches(endpoint: EndpointModel): boolean {
    const peer = this.peer;
    switch (peer.kind) {
      case 'endpoints': return !isExternal(endpoint) && ciliumSelects(this.model, peer.selector, endpoint);
      case 'cidr': return isExternal(endpoint) && blockHoldsExternal(peer.block, endpoint);
      case 'entity': return entityMatches(peer.entity, endpoint);
      case 'fqdn': return isExternal(endpoint) && fqdnMatches(peer, endpoint);
      default: return false;
    }
  }

  public miss(endpoint: EndpointModel): PeerMiss {
    const peer = this.peer;
    switch (peer.kind) {
      case 'endpoints': {
        if (isExternal(endpoint)) return { distance: 3, reason: `${peer.text} matches pods only, and ${endpoint.id} is outside the cluster` };
        const podMiss = selectorMismatches(peer.selector.pods, endpoint.labels);
        const nsMiss = peer.selector.namespaces ? selectorMismatches(peer.selector.namespaces, this.model.namespaceLabels(endpoint.namespace)) : [];
        const parts = [
          ...(nsMiss.length ? [`namespace '${endpoint.namespace}' does not match ${formatSelector(peer.selector.namespaces!)}: ${nsMiss.join('; ')}`] : []),
          ...(podMiss.length ? [`pod labels do not match ${formatSelector(peer.selector.pods)}: ${podMiss.join('; ')}`] : []),
        ];
        return { distance: nsMiss.length && podMiss.length ? 3 : nsMiss.length ? 2 : 1, reason: `${peer.text}: ${parts.join('; and ')}` };
      }
      case 'cidr':
        return { distance: 3, reason: isExternal(endpoint) ? `${formatBlock(peer.block)}: ${endpoint.id} is outside it` : `${formatBlock(peer.block)}: Cilium CIDR rules do not select pods` };
      case 'entity': return { distance: 3, reason: `entity ${peer.entity} does not include ${endpoint.id}` };
      case 'fqdn': {
        const why = peer.pattern?.includes('*') && !endpoint.id.includes('*') && !fqdnPatternMatchesAll(peer.pattern)
          ? ' (a `*` matches within one label, a leading `**.` one or more labels)' : '';
        return { distance: 3, reason: `toFQDNs ${peer.name ?? peer.pattern} does not match ${endpoint.id}${why}` };
      }
      default: return { distance: 3, reason: `${peer.text} is not modelled (see unmodelled)` };
    }
  }

  public classes(index: ClassIndex): BitSet {
    const peer = this.peer;
    if (peer.kind === 'endpoints') return selectorClasses(index, peer.selector);
    if (peer.kind === 'cidr') return index.addressClasses(peer.block).clone().andNot(index.podClasses);
    const set = new BitSet(index.classCount);
    if (peer.kind === 'unmodelled') return set;
    for (let c = 0; c < index.classCount; c++) if (this.matches(index.representative(c))) set.add(c);
    return set;
  }
}

function entityMatches(entity: string, endpoint: EndpointModel): boolean {
  if (entity === 'all') return true;
  if (!isExternal(endpoint)) return entity === 'cluster';
  if (endpoint.named === 'kube-apiserver') return entity === 'kube-apiserver' || entity === 'cluster';
  if (entity === 'world') return true;
  if (entity === 'world-ipv4') return endpoint.family === 4;
  return entity === 'world-ipv6' && endpoint.family === 6 && endpoint.named === undefined;
}

/** Whether a `toFQDNs` name or pattern matches a named node. @internal */
export function fqdnMatches(peer: { name?: string; pattern?: string }, endpoint: ExternalModel): boolean {
  if (endpoint.named !== 'fqdn') return false;
  if (peer.name !== undefined) return endpoint.id === peer.name;
  const pattern = peer.pattern!;
  // A pattern node stands for the other names its pattern matches: another pattern covers it when
  // equal or `*`.
  if (endpoint.id.includes('*')) return fqdnPatternMatchesAll(pattern) || pattern === endpoint.id;
  return fqdnPatternMatches(pattern, endpoint.id);
}

/** A Cilium policy's rule set in one direction. @internal */
export class CiliumTierPolicy implements TierPolicy {
  public readonly tier = 'NetworkPolicy';
  public readonly object: string;
  public readonly id: string;
  public readonly priority = 0;
  public readonly isolates: boolean;
  public readonly rules: readonly TierRule[];

  public constructor(private readonly model: ClusterModel, public readonly policy: CiliumPolicyModel, direction: Direction) {
    this.object = `${policy.kind} ${policy.id}`;
    this.id = policy.id;
    this.isolates = policy.defaultDeny[direction];
    const rules: readonly CiliumRuleModel[] = direction === 'Ingress' ? policy.ingress : policy.egress;
    this.rules = rules.map((rule) => {
      const simple = rule.path === `spec.${direction.toLowerCase()}[${rule.index}]`;
      const provenance: RuleProvenance = {
        tier: 'NetworkPolicy',
        object: this.object,
        policy: policy.id,
        direction,
        ruleIndex: rule.index,
        action: rule.action,
        ...(simple ? {} : { ruleName: rule.path.replace(/^spec\./, '') }),
      };
      const peers: PeerMatcher[] = rule.matchesNothing ? [NOTHING] : rule.peers.map((p) => new CiliumPeer(model, p));
      return { action: rule.action, peers, ports: rule.ports, provenance };
    });
  }

  public appliesTo(pod: PodModel): boolean {
    return this.policy.subject !== undefined && ciliumSelects(this.model, this.policy.subject, pod);
  }

  public subjectClasses(index: ClassIndex): BitSet {
    return this.policy.subject ? selectorClasses(index, this.policy.subject) : new BitSet(index.classCount);
  }
}

/** The peer of a rule that matches nothing (`{}`). */
const NOTHING: PeerMatcher = {
  matches: () => false,
  miss: () => ({ distance: 3, reason: 'an empty rule ({}) matches nothing: it only puts the endpoint in default deny' }),
  classes: (index) => new BitSet(index.classCount),
};

/** The Cilium policies of a model. @internal */
export class CiliumPolicyLayer implements PolicyLayer {
  public readonly tier = 'NetworkPolicy';
  public readonly cidrs: readonly ParsedCidr[];
  public readonly features: ClassFeatures;
  public readonly peerSelectors: readonly PeerSelector[];
  public readonly names: readonly string[];
  public readonly namesApiServer: boolean;
  private readonly ingress: CiliumTierPolicy[] = [];
  private readonly egress: CiliumTierPolicy[] = [];

  public constructor(model: ClusterModel) {
    const labelKeys = new Set<string>();
    const portNames = new Set<string>();
    const blocks: IpBlockModel[] = [];
    const names = new Set<string>();
    const selectors: PeerSelector[] = [];
    let apiServer = false;
    const addSelector = (selector: CiliumEndpointSelector): void => {
      for (const k of selectorLabelKeys(selector.pods)) labelKeys.add(k);
    };
    for (const policy of model.ciliumPolicies) {
      if (policy.applies.Ingress) this.ingress.push(new CiliumTierPolicy(model, policy, 'Ingress'));
      if (policy.applies.Egress) this.egress.push(new CiliumTierPolicy(model, policy, 'Egress'));
      if (policy.subject) addSelector(policy.subject);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const port of rule.ports) if (typeof port.port === 'string') portNames.add(port.port);
        for (const peer of rule.peers) {
          if (peer.kind === 'endpoints') {
            addSelector(peer.selector);
            selectors.push({ pods: peer.selector.pods, ...(peer.selector.namespaces ? { namespaces: peer.selector.namespaces } : {}) });
          }
          if (peer.kind === 'cidr') blocks.push(peer.block);
          if (peer.kind === 'fqdn') names.add(peer.name ?? peer.pattern!);
          if (peer.kind === 'entity' && peer.entity === 'kube-apiserver') apiServer = true;
        }
      }
    }
    this.cidrs = blocks.flatMap((b) => [b.cidr, ...b.except]);
    this.features = { podLabelKeys: [...labelKeys], portNames: [...portNames], addressBlocks: blocks };
    this.peerSelectors = selectors;
    this.names = [...names];
    this.namesApiServer = apiServer;
  }

  public policies(direction: Direction): readonly CiliumTierPolicy[] {
    return direction === 'Ingress' ? this.ingress : this.egress;
  }
}
