import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, isEmptySelector, podObject } from './finding-context';
import { PortRange, PortRangeTable, formatPortRanges } from '../analyzer/allowed-ports';
import { Direction, PeerModel, PolicyModel } from '../analyzer/cluster-model';
import { EndpointModel } from '../analyzer/external-nodes';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { PortSet, subtractPortRanges as subtract } from '../analyzer/port-range-set';
import { rulePortSet } from '../analyzer/rule-ports';

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

function namedGrants(engine: MatrixEngine, direction: Direction, subjectClass: number, peerClass: number, destination: EndpointModel): NamedGrants {
  let ports = PortSet.NONE;
  const policies: PolicyModel[] = [];
  for (const tierPolicy of engine.networkPolicies(subjectClass, direction)) {
    const policy = tierPolicy.policy;
    (direction === 'Ingress' ? policy.ingress : policy.egress).forEach((rule, r) => {
      // The layer's rules and peers follow the policy's, index for index.
      const matchers = tierPolicy.rules[r].peers;
      if (!rule.peers.some((p, k) => names(p) && engine.peerClasses(matchers[k]).has(peerClass))) return;
      if (!policies.includes(policy)) policies.push(policy);
      ports = ports.union(rulePortSet(rule.ports, destination));
    });
  }
  return { ranges: ports.toRanges(), policies };
}

function oneSided(context: FindingContext): FindingDraft[] {
  const { model } = context;
  // Pods no policy can tell apart give the same grants and blocks: work per pair of classes.
  const engine = context.engine();
  const table = new PortRangeTable(engine);
  const memo = new Map<number, OneSidedPair>();
  const pairOf = (s: number, d: number): OneSidedPair => {
    const key = s * engine.classCount + d;
    let pair = memo.get(key);
    if (!pair) {
      const destination = engine.representative(d);
      const sides = table.classPair(s, d);
      const byIngress = namedGrants(engine, 'Ingress', d, s, destination);
      const byEgress = namedGrants(engine, 'Egress', s, d, destination);
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
