import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, isEmptySelector, podObject } from './finding-context';
import { PortRangeTable, formatPortRanges } from '../analyzer/allowed-ports';
import { BitSet } from '../analyzer/bitset';
import { Direction, PeerModel, PodModel, PolicyModel, RuleModel } from '../analyzer/cluster-model';
import { TierRule } from '../analyzer/policy-tier';
import { PortSet } from '../analyzer/port-range-set';
import { dependsOnDestination, rulePortSet } from '../analyzer/rule-ports';
import { SideProgram } from '../analyzer/verdict-walk';

/**
 * Flows allowed at one side but blocked at the other: B's ingress names A (a rule whose peer picks
 * A by labels or by namespace) but A is isolated for egress and may not reach B on those ports, or
 * the other way round. Both sides must allow a connection, so the grant that is there does
 * nothing. Peers that match everything (`{}`, no peers, ipBlocks) name nobody and are not checked.
 * One finding per granting policy and direction, with the number of pairs of pods it grants in
 * vain and the first few of them, so a policy naming a thousand workloads is one finding.
 */

/** Whether a peer picks pods by labels or namespaces, rather than matching everything. */
function names(peer: PeerModel): boolean {
  if (peer.ipBlock) return false;
  const pods = peer.podSelector === undefined || isEmptySelector(peer.podSelector);
  const namespaces = peer.namespaceSelector === undefined || isEmptySelector(peer.namespaceSelector);
  return !(pods && namespaces);
}

/** Pairs of pods listed in an aggregated finding's message; the rest are counted. */
const LISTED_PAIRS = 5;

/** A pair of pods a finding lists: the source, the destination, the ports, and what blocks them. */
interface BlockedPair {
  readonly a: PodModel;
  readonly b: PodModel;
  readonly ports: string;
  readonly blockers: readonly string[];
}

/** The one-sided grants of one policy in one direction: how many pairs of pods, and the first few. */
interface OneSidedGrants {
  readonly policy: PolicyModel;
  readonly direction: Direction;
  count: number;
  readonly pairs: BlockedPair[];
}

/**
 * For each class and each NetworkPolicy isolating it in `direction`, the peer classes its rules
 * name with the ports they open there, minus what the other side allows: only classes a rule
 * names are looked at, so the cost follows the rules, not pairs of pods. What a rule names, the
 * ports it opens on a destination and what the other side allows are each worked out once and
 * shared by the classes that see them alike (the same policies, the same named ports), and pairs
 * of pods are counted, not listed, past the first few: a rule naming thousands of classes costs a
 * look-up per class.
 */
function oneSidedGrants(context: FindingContext, table: PortRangeTable, direction: Direction): OneSidedGrants[] {
  const { model } = context;
  const engine = context.engine();
  const out = new Map<PolicyModel, OneSidedGrants>();
  const other: Direction = direction === 'Ingress' ? 'Egress' : 'Ingress';
  const namedMemo = new Map<TierRule, BitSet>();
  const namedBy = (rule: RuleModel, matcher: TierRule): BitSet => {
    let named = namedMemo.get(matcher);
    if (!named) {
      named = new BitSet(engine.classCount);
      // The layer's peers follow the policy's, index for index.
      for (let k = 0; k < rule.peers.length; k++) if (names(rule.peers[k])) named.or(engine.peerClasses(matcher.peers[k]));
      named.and(engine.podClasses);
      namedMemo.set(matcher, named);
    }
    return named;
  };
  // Named ports resolve on the destination: classes with equal port keys get equal ports.
  const portsMemo = new Map<RuleModel, Map<string, PortSet>>();
  const grantedPorts = (rule: RuleModel, destinationClass: number): PortSet => {
    const key = rule.ports.some(dependsOnDestination) ? engine.portKey(destinationClass) : '';
    let byKey = portsMemo.get(rule);
    if (!byKey) { byKey = new Map(); portsMemo.set(rule, byKey); }
    let ports = byKey.get(key);
    if (!ports) { ports = rulePortSet(rule.ports, engine.representative(destinationClass)); byKey.set(key, ports); }
    return ports;
  };
  const isolating = (c: number, side: Direction): string[] => engine.isolatingPolicies(c, side).map((p) => model.policies[p].id);
  for (let subject = 0; subject < engine.classCount; subject++) {
    if (!engine.podClasses.has(subject)) continue;
    // What the peer's side allows depends on the peer only through its policies (and, when the
    // peer is the destination, the ports it declares), so peers sharing those share the walk.
    const otherSide = new Map<SideProgram, Map<string, PortSet>>();
    const allowedThere = (peer: number, destination: number): PortSet => {
      const program = engine.program(peer, other);
      const key = direction === 'Egress' ? engine.portKey(peer) : '';
      let byKey = otherSide.get(program);
      if (!byKey) { byKey = new Map(); otherSide.set(program, byKey); }
      let ports = byKey.get(key);
      if (!ports) { ports = table.sidePorts(other, peer, subject, destination); byKey.set(key, ports); }
      return ports;
    };
    for (const tierPolicy of engine.networkPolicies(subject, direction)) {
      const policy = tierPolicy.policy;
      const granted = new Map<number, PortSet>();
      (direction === 'Ingress' ? policy.ingress : policy.egress).forEach((rule, r) => {
        const forSubject = direction === 'Ingress' ? grantedPorts(rule, subject) : undefined;
        namedBy(rule, tierPolicy.rules[r]).forEach((peer) => {
          const ports = forSubject ?? grantedPorts(rule, peer);
          const before = granted.get(peer);
          granted.set(peer, before === undefined ? ports : before.union(ports));
        });
      });
      for (const [peer, ports] of granted) {
        if (ports.isEmpty()) continue;
        const [source, destination] = direction === 'Ingress' ? [peer, subject] : [subject, peer];
        const blocked = ports.subtract(allowedThere(peer, destination));
        if (blocked.isEmpty()) continue;
        let entry = out.get(policy);
        if (!entry) { entry = { policy, direction, count: 0, pairs: [] }; out.set(policy, entry); }
        const sources = context.podsOfClass(source);
        const destinations = context.podsOfClass(destination);
        entry.count += sources.length * destinations.length - (source === destination ? sources.length : 0);
        if (entry.pairs.length >= LISTED_PAIRS) continue;
        const blockers = isolating(direction === 'Ingress' ? source : destination, other);
        const text = formatPortRanges(blocked.toRanges());
        for (const a of sources) {
          for (const b of destinations) {
            if (a === b) continue;
            if (entry.pairs.length >= LISTED_PAIRS) break;
            entry.pairs.push({ a, b, ports: text, blockers });
          }
        }
      }
    }
  }
  return [...out.values()];
}

function oneSided(context: FindingContext): FindingDraft[] {
  // Pods no policy can tell apart give the same grants and blocks: work per pair of classes.
  const table = new PortRangeTable(context.engine());
  const drafts: FindingDraft[] = [];
  for (const { policy, direction, count, pairs } of [...oneSidedGrants(context, table, 'Ingress'), ...oneSidedGrants(context, table, 'Egress')]) {
    if (count === 0) continue;
    drafts.push(count === 1 ? onePair(policy, direction, pairs[0]) : manyPairs(policy, direction, pairs, count));
  }
  return drafts;
}

/** One blocked flow: said as the two pods see it. */
function onePair(policy: PolicyModel, direction: Direction, { a, b, ports, blockers }: BlockedPair): FindingDraft {
  const objects = [podObject(a), podObject(b), `NetworkPolicy ${policy.id}`, ...blockers.map((p) => `NetworkPolicy ${p}`)];
  if (direction === 'Ingress') {
    return {
      subject: policy.id,
      objects,
      message: `${b.id}'s ingress (${policy.id}) admits ${a.id} on ${ports}, but ${a.id} is isolated for egress by ${blockers.join(', ')} and may not connect to ${b.id} there, so the flow is blocked`,
      fix: `Allow the egress too: add a rule to ${a.id}'s egress towards ${b.id} on ${ports} (AllowFrom/AllowTo write both sides), or drop the ingress rule if the flow is not wanted.`,
    };
  }
  return {
    subject: policy.id,
    objects,
    message: `${a.id}'s egress (${policy.id}) allows connecting to ${b.id} on ${ports}, but ${b.id} is isolated for ingress by ${blockers.join(', ')} and does not admit ${a.id} there, so the flow is blocked`,
    fix: `Allow the ingress too: add a rule to ${b.id}'s ingress from ${a.id} on ${ports} (AllowFrom/AllowTo write both sides), or drop the egress rule if the flow is not wanted.`,
  };
}

/** Several blocked flows of one policy: counted, the first few listed. */
function manyPairs(policy: PolicyModel, direction: Direction, pairs: readonly BlockedPair[], count: number): FindingDraft {
  const ingress = direction === 'Ingress';
  const objects = [`NetworkPolicy ${policy.id}`, ...new Set(pairs.flatMap((p) => [podObject(p.a), podObject(p.b)])),
    ...new Set(pairs.flatMap((p) => p.blockers.map((b) => `NetworkPolicy ${b}`)))];
  const listed = pairs.map((p) => `${p.a.id} -> ${p.b.id} on ${p.ports} (${ingress ? `${p.a.id}'s egress` : `${p.b.id}'s ingress`} isolated by ${p.blockers.join(', ')})`);
  const more = count > pairs.length ? `; and ${count - pairs.length} more` : '';
  return {
    subject: policy.id,
    objects,
    message: ingress
      ? `${policy.id}'s ingress admits ${count} pairs of pods whose source is isolated for egress without a rule towards the destination, so these flows are blocked: ${listed.join('; ')}${more}`
      : `${policy.id}'s egress allows ${count} pairs of pods to connect where the destination is isolated for ingress and does not admit the source, so these flows are blocked: ${listed.join('; ')}${more}`,
    fix: ingress
      ? `Allow the egress too: add rules to the sources' egress towards the destinations on those ports (AllowFrom/AllowTo write both sides), or narrow ${policy.id}'s ingress if the flows are not wanted.`
      : `Allow the ingress too: add rules to the destinations' ingress from the sources on those ports (AllowFrom/AllowTo write both sides), or narrow ${policy.id}'s egress if the flows are not wanted.`,
  };
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
