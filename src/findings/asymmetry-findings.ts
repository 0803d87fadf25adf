import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, isEmptySelector, podObject } from './finding-context';
import { PortRange, PortRangeTable, PROTOCOLS, entryRanges as entryPortRanges, formatPortRanges } from '../analyzer/allowed-ports';
import { ClusterModel, Direction, PeerModel, PodModel, PolicyModel, PortRuleModel } from '../analyzer/cluster-model';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { subtractPortRanges as subtract } from '../analyzer/port-range-set';

/**
 * Flows allowed at one side but blocked at the other: B's ingress names A (a rule whose peer picks
 * A by labels or by namespace) but A is isolated for egress and may not reach B on those ports, or
 * the other way round. Both sides must allow a connection, so the grant that is there does
 * nothing. Peers that match everything (`{}`, no peers, ipBlocks) name nobody and are not checked.
 */

/** Whether a peer picks pods by labels or namespaces, rather than matching everything. */
function names(peer: PeerModel): boolean {
  if (peer.ipBlock) return false;
  const pods = peer.podSelector === undefined || isEmptySelector(peer.podSelector);
  const namespaces = peer.namespaceSelector === undefined || isEmptySelector(peer.namespaceSelector);
  return !(pods && namespaces);
}

function entryRanges(entry: PortRuleModel, destination: PodModel): PortRange[] {
  return entryPortRanges(entry, destination).map(([startPort, endPort]) => ({ protocol: entry.protocol, startPort, endPort }));
}

/** The ports that rules of the subject's isolating policies open to the peer by naming it. */
interface NamedGrants {
  readonly ranges: PortRange[];
  readonly policies: PolicyModel[];
}

/** What one class pair (source, destination) yields: the ports granted by naming and blocked on the other side. */
interface OneSidedPair {
  readonly byIngress: NamedGrants;
  readonly blockedByEgress: PortRange[];
  readonly byEgress: NamedGrants;
  readonly blockedByIngress: PortRange[];
}

function namedGrants(model: ClusterModel, engine: MatrixEngine, direction: Direction,
  subjectClass: number, peerClass: number, destination: PodModel): NamedGrants {
  const ranges: PortRange[] = [];
  const policies: PolicyModel[] = [];
  for (const index of engine.isolatingPolicies(subjectClass, direction)) {
    const policy = model.policies[index];
    for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
      if (!rule.peers.some((p) => names(p) && engine.peerClasses(policy, p).has(peerClass))) continue;
      if (!policies.includes(policy)) policies.push(policy);
      if (rule.ports.length === 0) ranges.push(...PROTOCOLS.map((protocol) => ({ protocol, startPort: 1, endPort: 65535 })));
      for (const entry of rule.ports) ranges.push(...entryRanges(entry, destination));
    }
  }
  return { ranges, policies };
}

function oneSided(context: FindingContext): FindingDraft[] {
  const { model } = context;
  // Pods no policy can tell apart give the same grants and blocks: work per pair of classes.
  const engine = new MatrixEngine(model);
  const table = new PortRangeTable(model, engine);
  const memo = new Map<number, OneSidedPair>();
  const pairOf = (s: number, d: number): OneSidedPair => {
    const key = s * engine.classCount + d;
    let pair = memo.get(key);
    if (!pair) {
      const destination = engine.representative(d);
      const sides = table.classPair(s, d);
      const byIngress = namedGrants(model, engine, 'Ingress', d, s, destination);
      const byEgress = namedGrants(model, engine, 'Egress', s, d, destination);
      pair = {
        byIngress,
        blockedByEgress: byIngress.ranges.length > 0 ? subtract(byIngress.ranges, sides.egress) : [],
        byEgress,
        blockedByIngress: byEgress.ranges.length > 0 ? subtract(byEgress.ranges, sides.ingress) : [],
      };
      memo.set(key, pair);
    }
    return pair;
  };
  const isolating = (c: number, direction: Direction): string[] => engine.isolatingPolicies(c, direction).map((p) => model.policies[p].id);
  const out: FindingDraft[] = [];
  model.pods.forEach((a, i) => {
    model.pods.forEach((b, j) => {
      if (i === j) return;
      const s = engine.classOfPod[i];
      const d = engine.classOfPod[j];
      const { byIngress, blockedByEgress: blocked, byEgress, blockedByIngress } = pairOf(s, d);
      if (blocked.length > 0) {
        const egressPolicies = isolating(s, 'Egress');
        out.push({
          subject: `${a.id}->${b.id}`,
          objects: [podObject(a), podObject(b), ...byIngress.policies.map((p) => `NetworkPolicy ${p.id}`), ...egressPolicies.map((p) => `NetworkPolicy ${p}`)],
          message: `${b.id}'s ingress (${byIngress.policies.map((p) => p.id).join(', ')}) admits ${a.id} on ${formatPortRanges(blocked)}, but ${a.id} is isolated for egress by ${egressPolicies.join(', ')} and may not connect to ${b.id} there, so the flow is blocked`,
          fix: `Allow the egress too: add a rule to ${a.id}'s egress towards ${b.id} on ${formatPortRanges(blocked)} (AllowFrom/AllowTo write both sides), or drop the ingress rule if the flow is not wanted.`,
        });
      }
      if (blockedByIngress.length > 0) {
        const ingressPolicies = isolating(d, 'Ingress');
        out.push({
          subject: `${a.id}->${b.id}`,
          objects: [podObject(a), podObject(b), ...byEgress.policies.map((p) => `NetworkPolicy ${p.id}`), ...ingressPolicies.map((p) => `NetworkPolicy ${p}`)],
          message: `${a.id}'s egress (${byEgress.policies.map((p) => p.id).join(', ')}) allows connecting to ${b.id} on ${formatPortRanges(blockedByIngress)}, but ${b.id} is isolated for ingress by ${ingressPolicies.join(', ')} and does not admit ${a.id} there, so the flow is blocked`,
          fix: `Allow the ingress too: add a rule to ${b.id}'s ingress from ${a.id} on ${formatPortRanges(blockedByIngress)} (AllowFrom/AllowTo write both sides), or drop the egress rule if the flow is not wanted.`,
        });
      }
    });
  });
  return out;
}

/** @internal */
export const ASYMMETRY_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP020',
    rule: 'flow-allowed-one-side-only',
    severity: FindingSeverity.WARNING,
    summary: "A flow one side names and allows but the other side blocks (B's ingress admits A, A's egress does not reach B, or the reverse).",
    fix: 'Allow both sides of the flow (AllowFrom/AllowTo do), or drop the one-sided rule.',
    check: oneSided,
  },
];
