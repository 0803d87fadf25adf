import { ClusterModel, Direction, IpBlockModel, PeerModel, PodModel, PolicyModel, PortRuleModel, RuleModel } from './cluster-model';
import { formatSelector, selectorMatches, selectorMismatches } from './label-matcher';
import { cidrContainsIp } from '../vocabulary/k8s-rules';

/**
 * Decides one probe (source pod, destination pod, port, protocol) with exact NetworkPolicy v1
 * semantics, keeping every intermediate verdict so the explanation can say why. For whole
 * truth tables see `reachability-matrix.ts`, which must agree with this.
 */

/** The probe's port and protocol. @internal */
export interface ProbePort {
  readonly port: number;
  readonly protocol: string;
}

/** How one rule fared against a probe. @internal */
export interface RuleVerdict {
  readonly policy: PolicyModel;
  readonly direction: Direction;
  readonly ruleIndex: number;
  readonly peerMatched: boolean;
  readonly portMatched: boolean;
  /** Why no peer matched (one phrase per peer), empty when a peer matched. */
  readonly peerMisses: readonly string[];
  /** Why no port matched, undefined when a port matched. */
  readonly portMiss?: string;
  /** Lower is nearer to allowing; 0 allows. */
  readonly distance: number;
}

/** The verdict for one side of a connection (source egress or destination ingress). @internal */
export interface DirectionVerdict {
  readonly direction: Direction;
  /** The pod whose policies decide this side. */
  readonly pod: PodModel;
  /** Policies that select the pod and list this direction in policyTypes. */
  readonly isolatingPolicies: readonly PolicyModel[];
  readonly allowed: boolean;
  readonly allowingRules: readonly RuleVerdict[];
  /** The rule that came nearest to allowing, when isolated and nothing allows. */
  readonly nearestMiss?: RuleVerdict;
}

/** The verdict for a probe. @internal */
export interface ProbeVerdict {
  readonly from: PodModel;
  readonly to: PodModel;
  readonly probe: ProbePort;
  readonly allowed: boolean;
  /** True when source and destination are the same pod (always allowed). */
  readonly selfTraffic: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

/** Whether a peer matched, how far off it was and why. @internal */
export interface PeerMatch {
  readonly matched: boolean;
  readonly distance: number;
  readonly miss?: string;
}

/** Whether a policy selects a pod: same namespace and podSelector matches. @internal */
export function policySelects(policy: PolicyModel, pod: PodModel): boolean {
  return policy.namespace === pod.namespace && selectorMatches(policy.podSelector, pod.labels);
}

/** Whether a pod has an IP inside the block and outside its exceptions. Pods without IPs never do. @internal */
export function ipBlockMatches(block: IpBlockModel, pod: PodModel): boolean {
  return pod.ips.some((ip) => cidrContainsIp(block.cidr, ip.family, ip.value)
    && !block.except.some((e) => cidrContainsIp(e, ip.family, ip.value)));
}

/** Whether a peer of a policy's rule matches a pod: `matchPeer` without the explanation, for hot loops. @internal */
export function peerMatches(model: ClusterModel, policy: PolicyModel, peer: PeerModel, pod: PodModel): boolean {
  if (peer.ipBlock) return ipBlockMatches(peer.ipBlock, pod);
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const namespaceOk = peer.namespaceSelector
    ? selectorMatches(peer.namespaceSelector, model.namespaceLabels(pod.namespace))
    : pod.namespace === policy.namespace;
  return namespaceOk && (!peer.podSelector || selectorMatches(peer.podSelector, pod.labels));
}

/**
 * Whether a peer of a policy's rule matches a pod, and if not, how far off it is
 * (1: pod labels, 2: namespace, 3: both or an ipBlock) and why.
 * @internal
 */
export function matchPeer(model: ClusterModel, policy: PolicyModel, peer: PeerModel, pod: PodModel): PeerMatch {
  if (peerMatches(model, policy, peer, pod)) return { matched: true, distance: 0 };
  if (peer.ipBlock) {
    const block = `ipBlock ${peer.ipBlock.cidr.canonical}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.map((e) => e.canonical).join(', ')}` : ''}`;
    if (pod.ips.length === 0) return { matched: false, distance: 3, miss: `${block}: ${pod.id} has no known IP (ipBlocks match pod IPs from status.podIPs only)` };
    return { matched: false, distance: 3, miss: `${block}: ${pod.id} has IP ${pod.ips.map((i) => i.text).join(', ')}, outside it` };
  }
  if (!peer.podSelector && !peer.namespaceSelector) return { matched: false, distance: 3, miss: 'an empty peer matches nothing' };
  let nsMiss: string | undefined;
  if (peer.namespaceSelector) {
    const mismatches = selectorMismatches(peer.namespaceSelector, model.namespaceLabels(pod.namespace));
    if (mismatches.length) nsMiss = `namespace '${pod.namespace}' does not match namespaceSelector ${formatSelector(peer.namespaceSelector)}: ${mismatches.join('; ')}`;
  } else if (pod.namespace !== policy.namespace) {
    nsMiss = `a podSelector without namespaceSelector only selects pods in the policy's namespace '${policy.namespace}', and ${pod.id} is in '${pod.namespace}'`;
  }
  let podMiss: string | undefined;
  if (peer.podSelector) {
    const mismatches = selectorMismatches(peer.podSelector, pod.labels);
    if (mismatches.length) podMiss = `pod labels do not match podSelector ${formatSelector(peer.podSelector)}: ${mismatches.join('; ')}`;
  }
  const distance = nsMiss && podMiss ? 3 : nsMiss ? 2 : 1;
  return { matched: false, distance, miss: [nsMiss, podMiss].filter((m) => m).join('; and ') };
}

/**
 * Whether a rule's port entry admits the probe on the destination pod. A named port matches when
 * the destination has a container port of that name and the probed protocol whose number is the
 * probed port.
 * @internal
 */
export function portEntryMatches(entry: PortRuleModel, destination: PodModel, probe: ProbePort): boolean {
  if (entry.protocol !== probe.protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    return entry.endPort === undefined ? probe.port === entry.port : probe.port >= entry.port && probe.port <= entry.endPort;
  }
  return destination.ports.some((p) => p.name === entry.port && p.protocol === probe.protocol && p.containerPort === probe.port);
}

/** Readable form of a rule's port entry, with named ports resolved on the destination. @internal */
export function formatPortEntry(entry: PortRuleModel, destination: PodModel): string {
  if (entry.port === undefined) return `every ${entry.protocol} port`;
  if (typeof entry.port === 'number') return `${entry.port}${entry.endPort !== undefined ? `-${entry.endPort}` : ''}/${entry.protocol}`;
  const resolved = destination.ports.filter((p) => p.name === entry.port && p.protocol === entry.protocol).map((p) => p.containerPort);
  return `'${entry.port}'/${entry.protocol} (${resolved.length ? `${resolved.join(', ')} on ${destination.id}` : `not a ${entry.protocol} container port of ${destination.id}`})`;
}

function judgeRule(model: ClusterModel, policy: PolicyModel, direction: Direction, ruleIndex: number, rule: RuleModel,
  peerPod: PodModel, destination: PodModel, probe: ProbePort): RuleVerdict {
  let peerMatched = rule.peers.length === 0;
  let peerDistance = peerMatched ? 0 : 3;
  const peerMisses: string[] = [];
  for (const peer of rule.peers) {
    const result = matchPeer(model, policy, peer, peerPod);
    if (result.matched) { peerMatched = true; peerDistance = 0; break; }
    peerDistance = Math.min(peerDistance, result.distance);
    peerMisses.push(result.miss!);
  }
  const portMatched = rule.ports.length === 0 || rule.ports.some((p) => portEntryMatches(p, destination, probe));
  const portMiss = portMatched ? undefined
    : `${probe.port}/${probe.protocol} is not among the rule's ports: ${rule.ports.map((p) => formatPortEntry(p, destination)).join(', ')}`;
  return {
    policy,
    direction,
    ruleIndex,
    peerMatched,
    portMatched,
    peerMisses: peerMatched ? [] : peerMisses,
    portMiss,
    distance: peerDistance * 2 + (portMatched ? 0 : 1),
  };
}

/**
 * One side of a connection: the egress of `subject` towards `peer` or the ingress of `subject`
 * from `peer`; `destination` is the pod named ports resolve on.
 * @internal
 */
export function judgeDirection(model: ClusterModel, direction: Direction, subject: PodModel, peer: PodModel, destination: PodModel,
  probe: ProbePort): DirectionVerdict {
  const isolatingPolicies = model.policies.filter((p) => (direction === 'Ingress' ? p.isolatesIngress : p.isolatesEgress) && policySelects(p, subject));
  if (isolatingPolicies.length === 0) return { direction, pod: subject, isolatingPolicies, allowed: true, allowingRules: [] };
  const allowingRules: RuleVerdict[] = [];
  let nearestMiss: RuleVerdict | undefined;
  for (const policy of isolatingPolicies) {
    const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
    rules.forEach((rule, index) => {
      const verdict = judgeRule(model, policy, direction, index, rule, peer, destination, probe);
      if (verdict.distance === 0) allowingRules.push(verdict);
      else if (!nearestMiss || verdict.distance < nearestMiss.distance) nearestMiss = verdict;
    });
  }
  const allowed = allowingRules.length > 0;
  return { direction, pod: subject, isolatingPolicies, allowed, allowingRules, nearestMiss: allowed ? undefined : nearestMiss };
}

/** Decides a probe from `from` to `to`. @internal */
export function judgeProbe(model: ClusterModel, from: PodModel, to: PodModel, probe: ProbePort): ProbeVerdict {
  const egress = judgeDirection(model, 'Egress', from, to, to, probe);
  const ingress = judgeDirection(model, 'Ingress', to, from, to, probe);
  const selfTraffic = from.id === to.id;
  return { from, to, probe, selfTraffic, egress, ingress, allowed: selfTraffic || (egress.allowed && ingress.allowed) };
}
