import { IConstruct } from 'constructs';
import { IntentPeer, PolicyIntent, PortSet, portSetKey, portSortKey } from './policy-intent';
import { invalid } from '../vocabulary/errors';
import { compare } from '../vocabulary/label-selector';
import { ResolvedPeer } from '../vocabulary/peer';

/**
 * Renders a workload's merged intent as a NetworkPolicy v1 spec: `policyTypes` written out, and peers
 * with the same ports grouped into one rule each (the fewest rules for exactly these pairs). A peer
 * v1 cannot express fails the synth, naming the grant and what can express it.
 * @internal
 */
export function renderNetworkPolicySpec(intent: PolicyIntent, record: RuleOrigins): any {
  const policyTypes = [...(intent.ingressIsolated ? ['Ingress'] : []), ...(intent.egressIsolated ? ['Egress'] : [])];
  const ingress = renderRules(intent.ingress, intent.namespace, 'from');
  const egress = renderRules(intent.egress, intent.namespace, 'to');
  for (const [direction, rules] of [['Ingress', ingress], ['Egress', egress]] as const) {
    rules.forEach((rule, index) => record(direction, index, rule.requesters));
  }
  return {
    podSelector: intent.selector.toJson(),
    policyTypes,
    ...(ingress.length > 0 ? { ingress: ingress.map((r) => r.rule) } : {}),
    ...(egress.length > 0 ? { egress: egress.map((r) => r.rule) } : {}),
  };
}

/** Receives, for each rule rendered, the constructs that asked for its peers. @internal */
export type RuleOrigins = (direction: string, index: number, requesters: readonly IConstruct[]) => void;

/** Groups peers with the same ports into one rule each; with each rule, the constructs that asked for its peers. */
function renderRules(peers: readonly IntentPeer[], namespace: string, side: 'from' | 'to'): { rule: any; requesters: IConstruct[] }[] {
  const groups = new Map<string, { ports: PortSet; peers: ResolvedPeer[]; requesters: Set<IConstruct> }>();
  for (const { peer, ports, requesters } of peers) {
    const grantedBy = requesters.map((r) => r.node.path).join(', ');
    if (peer.networkPolicyRefusal) throw invalid(grantedBy, peer.networkPolicyRefusal.problem, peer.networkPolicyRefusal.fix);
    if (peer.networkPolicyWarning) warnOnce(`${grantedBy}: ${peer.networkPolicyWarning}`);
    const portsKey = portSetKey(ports);
    const group = groups.get(portsKey) ?? { ports, peers: [], requesters: new Set() };
    group.peers.push(peer);
    for (const r of requesters) group.requesters.add(r);
    groups.set(portsKey, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([, group]) => ({
      rule: {
        [side]: group.peers.sort((a, b) => compare(a.key, b.key)).flatMap((p) => p.render(namespace)),
        ...(group.ports === 'all' ? {} : { ports: [...group.ports].sort((a, b) => compare(portSortKey(a), portSortKey(b))).map((p) => p.toJson()) }),
      },
      requesters: [...group.requesters],
    }));
}

const warned = new Set<string>();

/** Prints a caveat of a rendering once per process (synth renders each policy more than once). */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  process.stderr.write(`[warning] ${message}\n`);
}
