import { BitSet } from './bitset';
import { ClusterModel, Direction, IpBlockModel, PeerModel, PodModel, PolicyModel, RuleModel } from './cluster-model';
import { EndpointModel, blockHoldsExternal, isExternal } from './external-nodes';
import { formatSelector, selectorLabelKeys, selectorMatches, selectorMismatches } from './label-matcher';
import { ClassFeatures, ClassIndex, PeerMatcher, PeerMiss, PeerSelector, PolicyLayer, RuleProvenance, TierPolicy, TierRule } from './policy-tier';
import { ParsedCidr, cidrContainsIp } from '../vocabulary/k8s-rules';

/**
 * NetworkPolicy v1 as a layer of the NetworkPolicy tier, with exact v1 semantics: a policy applies
 * to (isolates) the pods its podSelector selects in its namespace for the directions of its
 * `policyTypes`; every rule allows; peers are selectors (pods only) or ipBlocks (pod IPs and
 * external nodes).
 */

/** Whether a policy selects a pod: same namespace and podSelector matches. @internal */
export function policySelects(policy: PolicyModel, pod: PodModel): boolean {
  return policy.namespace === pod.namespace && selectorMatches(policy.podSelector, pod.labels);
}

/** Whether a pod has an IP inside the block and outside its exceptions. Pods without IPs never do. @internal */
export function ipBlockMatches(block: IpBlockModel, pod: PodModel): boolean {
  return pod.ips.some((ip) => cidrContainsIp(block.cidr, ip.family, ip.value)
    && !block.except.some((e) => cidrContainsIp(e, ip.family, ip.value)));
}

/**
 * Whether a peer of a policy's rule matches a pod: `matchPeer` without the explanation, for hot
 * loops. Only the policy's namespace matters, so invariants use it for their peers too.
 * @internal
 */
export function peerMatches(model: ClusterModel, policy: Pick<PolicyModel, 'namespace'>, peer: PeerModel, pod: PodModel): boolean {
  if (peer.ipBlock) return ipBlockMatches(peer.ipBlock, pod);
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, model.namespaceLabels(pod.namespace))
    : pod.namespace === policy.namespace;
  return namespaceOk && (!peer.podSelector || selectorMatches(peer.podSelector, pod.labels));
}

/**
 * The classes whose pods a policy selects (`policySelects` over classes): its namespace's classes
 * its podSelector matches, whether or not the policy isolates them.
 * @internal
 */
export function policySelectedClasses(index: ClassIndex, policy: PolicyModel): BitSet {
  return index.podSelectorClasses(policy.podSelector).clone().and(index.namespaceClasses(policy.namespace));
}

/**
 * The classes a peer of a policy's rule matches (`peerMatches` over classes, plus the external
 * nodes an ipBlock holds).
 * @internal
 */
export function peerClasses(index: ClassIndex, policy: Pick<PolicyModel, 'namespace'>, peer: PeerModel): BitSet {
  if (peer.ipBlock) return index.addressClasses(peer.ipBlock);
  if (!peer.podSelector && !peer.namespaceSelector) return new BitSet(index.classCount);
  const namespaces = peer.namespaceSelector
    ? index.namespaceSelectorClasses(peer.namespaceSelector)
    : index.namespaceClasses(policy.namespace);
  if (!peer.podSelector) return namespaces;
  return index.podSelectorClasses(peer.podSelector).clone().and(namespaces);
}

function formatBlock(block: IpBlockModel): string {
  return `ipBlock ${block.cidr.canonical}${block.except.length ? ` except ${block.except.map((e) => e.canonical).join(', ')}` : ''}`;
}

/** Why a peer of a policy's rule does not match a pod, and how far off it is. */
function podMiss(model: ClusterModel, policy: PolicyModel, peer: PeerModel, pod: PodModel): PeerMiss {
  if (peer.ipBlock) {
    if (pod.ips.length === 0) return { distance: 3, reason: `${formatBlock(peer.ipBlock)}: ${pod.id} has no known IP (ipBlocks match pod IPs from status.podIPs only)` };
    return { distance: 3, reason: `${formatBlock(peer.ipBlock)}: ${pod.id} has IP ${pod.ips.map((i) => i.text).join(', ')}, outside it` };
  }
  if (!peer.podSelector && !peer.namespaceSelector) return { distance: 3, reason: 'an empty peer matches nothing' };
  let nsMiss: string | undefined;
  if (peer.namespaceSelector) {
    const mismatches = selectorMismatches(peer.namespaceSelector, model.namespaceLabels(pod.namespace));
    if (mismatches.length) nsMiss = `namespace '${pod.namespace}' does not match namespaceSelector ${formatSelector(peer.namespaceSelector)}: ${mismatches.join('; ')}`;
  } else if (pod.namespace !== policy.namespace) {
    nsMiss = `a podSelector without namespaceSelector only selects pods in the policy's namespace '${policy.namespace}', and ${pod.id} is in '${pod.namespace}'`;
  }
  let podMismatch: string | undefined;
  if (peer.podSelector) {
    const mismatches = selectorMismatches(peer.podSelector, pod.labels);
    if (mismatches.length) podMismatch = `pod labels do not match podSelector ${formatSelector(peer.podSelector)}: ${mismatches.join('; ')}`;
  }
  const distance = nsMiss && podMismatch ? 3 : nsMiss ? 2 : 1;
  return { distance, reason: [nsMiss, podMismatch].filter((m) => m).join('; and ') };
}

/** A peer of a NetworkPolicy rule. */
class NetworkPolicyPeer implements PeerMatcher {
  public constructor(private readonly model: ClusterModel, private readonly policy: PolicyModel, private readonly peer: PeerModel) {}

  public matches(endpoint: EndpointModel): boolean {
    if (isExternal(endpoint)) return this.peer.ipBlock !== undefined && blockHoldsExternal(this.peer.ipBlock, endpoint);
    return peerMatches(this.model, this.policy, this.peer, endpoint);
  }

  public miss(endpoint: EndpointModel): PeerMiss {
    if (!isExternal(endpoint)) return podMiss(this.model, this.policy, this.peer, endpoint);
    if (this.peer.ipBlock && endpoint.named) {
      return { distance: 3, reason: `${formatBlock(this.peer.ipBlock)}: ${endpoint.id} has no known address, so only a block holding every public address matches it` };
    }
    if (this.peer.ipBlock) return { distance: 3, reason: `${formatBlock(this.peer.ipBlock)}: ${endpoint.id} is outside it` };
    const reason = `a pod or namespace selector matches pods only, and ${endpoint.id} is outside the cluster`;
    return { distance: 3, reason };
  }

  public classes(index: ClassIndex): BitSet {
    return peerClasses(index, this.policy, this.peer);
  }
}

/** A NetworkPolicy in one direction. @internal */
export class NetworkPolicyTierPolicy implements TierPolicy {
  public readonly tier = 'NetworkPolicy';
  public readonly object: string;
  public readonly id: string;
  public readonly priority = 0;
  public readonly rules: readonly TierRule[];

  /**
   * @param policy the policy
   * @param index its index in `model.policies`
   */
  public constructor(model: ClusterModel, public readonly policy: PolicyModel, public readonly index: number, direction: Direction) {
    this.object = `NetworkPolicy ${policy.id}`;
    this.id = policy.id;
    const rules: readonly RuleModel[] = direction === 'Ingress' ? policy.ingress : policy.egress;
    this.rules = rules.map((rule, ruleIndex) => {
      const provenance: RuleProvenance = { tier: 'NetworkPolicy', object: this.object, policy: policy.id, direction, ruleIndex, action: 'Allow' };
      return { action: 'Allow', peers: rule.peers.map((peer) => new NetworkPolicyPeer(model, policy, peer)), ports: rule.ports, provenance };
    });
  }

  public appliesTo(pod: PodModel): boolean {
    return policySelects(this.policy, pod);
  }

  public subjectClasses(index: ClassIndex): BitSet {
    return policySelectedClasses(index, this.policy);
  }
}

/** The NetworkPolicy v1 objects of a model. @internal */
export class NetworkPolicyLayer implements PolicyLayer {
  public readonly tier = 'NetworkPolicy';
  public readonly cidrs: readonly ParsedCidr[];
  public readonly peerSelectors: readonly PeerSelector[];
  public readonly features: ClassFeatures;
  private readonly ingress: NetworkPolicyTierPolicy[] = [];
  private readonly egress: NetworkPolicyTierPolicy[] = [];

  public constructor(model: ClusterModel) {
    const labelKeys = new Set<string>();
    const portNames = new Set<string>();
    const blocks: IpBlockModel[] = [];
    const cidrs: ParsedCidr[] = [];
    const selectors: PeerSelector[] = [];
    model.policies.forEach((policy, index) => {
      if (policy.isolatesIngress) this.ingress.push(new NetworkPolicyTierPolicy(model, policy, index, 'Ingress'));
      if (policy.isolatesEgress) this.egress.push(new NetworkPolicyTierPolicy(model, policy, index, 'Egress'));
      for (const k of selectorLabelKeys(policy.podSelector)) labelKeys.add(k);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const port of rule.ports) if (typeof port.port === 'string') portNames.add(port.port);
        for (const peer of rule.peers) {
          if (peer.podSelector) for (const k of selectorLabelKeys(peer.podSelector)) labelKeys.add(k);
          if (peer.ipBlock) {
            blocks.push(peer.ipBlock);
            cidrs.push(peer.ipBlock.cidr, ...peer.ipBlock.except);
          } else if (peer.podSelector || peer.namespaceSelector) {
            const where = peer.namespaceSelector ? { namespaces: peer.namespaceSelector } : { namespace: policy.namespace };
            selectors.push({ pods: peer.podSelector, ...where });
          }
        }
      }
    });
    this.cidrs = cidrs;
    this.peerSelectors = selectors;
    this.features = { podLabelKeys: [...labelKeys], portNames: [...portNames], addressBlocks: blocks };
  }

  public policies(direction: Direction): readonly NetworkPolicyTierPolicy[] {
    return direction === 'Ingress' ? this.ingress : this.egress;
  }
}
