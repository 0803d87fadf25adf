import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, isEmptySelector, podObject } from './finding-context';
import { PortRange, allowedPortRanges, formatPortRanges } from '../analyzer/allowed-ports';
import { ClusterModel, Direction, PeerModel, PodModel, PolicyModel, PortRuleModel } from '../analyzer/cluster-model';
import { matchPeer, policySelects } from '../analyzer/evaluator';
import { subtractPortRanges as subtract } from '../analyzer/port-range-set';

/**
 * Flows allowed at one side but blocked at the other: B's ingress names A (a rule whose peer picks
 * A by labels or by namespace) but A is isolated for egress and may not reach B on those ports, or
 * the other way round. Both sides must allow a connection, so the grant that is there does
 * nothing. Peers that match everything (`{}`, no peers, ipBlocks) name nobody and are not checked.
 */

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Whether a peer picks pods by labels or namespaces, rather than matching everything. */
function names(peer: PeerModel): boolean {
  if (peer.ipBlock) return false;
  const pods = peer.podSelector === undefined || isEmptySelector(peer.podSelector);
  const namespaces = peer.namespaceSelector === undefined || isEmptySelector(peer.namespaceSelector);
  return !(pods && namespaces);
}

function entryRanges(entry: PortRuleModel, destination: PodModel): PortRange[] {
  if (entry.port === undefined) return [{ protocol: entry.protocol, startPort: 1, endPort: 65535 }];
  if (typeof entry.port === 'number') return [{ protocol: entry.protocol, startPort: entry.port, endPort: entry.endPort ?? entry.port }];
  return destination.ports.filter((p) => p.name === entry.port && p.protocol === entry.protocol)
    .map((p) => ({ protocol: entry.protocol, startPort: p.containerPort, endPort: p.containerPort }));
}

/** The ports that rules of `subject`'s isolating policies open to `peer` by naming it. */
interface NamedGrants {
  readonly ranges: PortRange[];
  readonly policies: PolicyModel[];
}

function namedGrants(model: ClusterModel, direction: Direction, subject: PodModel, peer: PodModel, destination: PodModel): NamedGrants {
  const ranges: PortRange[] = [];
  const policies: PolicyModel[] = [];
  for (const policy of model.policies) {
    if (!(direction === 'Ingress' ? policy.isolatesIngress : policy.isolatesEgress) || !policySelects(policy, subject)) continue;
    for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
      if (!rule.peers.some((p) => names(p) && matchPeer(model, policy, p, peer).matched)) continue;
      if (!policies.includes(policy)) policies.push(policy);
      if (rule.ports.length === 0) ranges.push(...PROTOCOLS.map((protocol) => ({ protocol, startPort: 1, endPort: 65535 })));
      for (const entry of rule.ports) ranges.push(...entryRanges(entry, destination));
    }
  }
  return { ranges, policies };
}

/**
 * The model seen from one side only: the other direction's isolation switched off, so the
 * analyzer's allowed ports are what that side alone allows.
 */
function oneSide(model: ClusterModel, side: Direction): ClusterModel {
  const view = Object.create(model) as ClusterModel;
  const policies = model.policies.map((p) => (side === 'Egress' ? { ...p, isolatesIngress: false } : { ...p, isolatesEgress: false }));
  Object.defineProperty(view, 'policies', { value: policies });
  return view;
}

function oneSided(context: FindingContext): FindingDraft[] {
  const { model } = context;
  const egressSide = oneSide(model, 'Egress');
  const ingressSide = oneSide(model, 'Ingress');
  const out: FindingDraft[] = [];
  for (const a of model.pods) {
    for (const b of model.pods) {
      if (a === b) continue;
      const byIngress = namedGrants(model, 'Ingress', b, a, b);
      if (byIngress.ranges.length > 0) {
        const blocked = subtract(byIngress.ranges, allowedPortRanges(egressSide, a, b));
        if (blocked.length > 0) {
          const egressPolicies = model.policies.filter((p) => p.isolatesEgress && policySelects(p, a)).map((p) => p.id);
          out.push({
            subject: `${a.id}->${b.id}`,
            objects: [podObject(a), podObject(b), ...byIngress.policies.map((p) => `NetworkPolicy ${p.id}`), ...egressPolicies.map((p) => `NetworkPolicy ${p}`)],
            message: `${b.id}'s ingress (${byIngress.policies.map((p) => p.id).join(', ')}) admits ${a.id} on ${formatPortRanges(blocked)}, but ${a.id} is isolated for egress by ${egressPolicies.join(', ')} and may not connect to ${b.id} there, so the flow is blocked`,
            fix: `Allow the egress too: add a rule to ${a.id}'s egress towards ${b.id} on ${formatPortRanges(blocked)} (AllowFrom/AllowTo write both sides), or drop the ingress rule if the flow is not wanted.`,
          });
        }
      }
      const byEgress = namedGrants(model, 'Egress', a, b, b);
      if (byEgress.ranges.length > 0) {
        const blocked = subtract(byEgress.ranges, allowedPortRanges(ingressSide, a, b));
        if (blocked.length > 0) {
          const ingressPolicies = model.policies.filter((p) => p.isolatesIngress && policySelects(p, b)).map((p) => p.id);
          out.push({
            subject: `${a.id}->${b.id}`,
            objects: [podObject(a), podObject(b), ...byEgress.policies.map((p) => `NetworkPolicy ${p.id}`), ...ingressPolicies.map((p) => `NetworkPolicy ${p}`)],
            message: `${a.id}'s egress (${byEgress.policies.map((p) => p.id).join(', ')}) allows connecting to ${b.id} on ${formatPortRanges(blocked)}, but ${b.id} is isolated for ingress by ${ingressPolicies.join(', ')} and does not admit ${a.id} there, so the flow is blocked`,
            fix: `Allow the ingress too: add a rule to ${b.id}'s ingress from ${a.id} on ${formatPortRanges(blocked)} (AllowFrom/AllowTo write both sides), or drop the egress rule if the flow is not wanted.`,
          });
        }
      }
    }
  }
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
