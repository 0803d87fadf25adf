import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, isEmptySelector, podObject } from './finding-context';
import { PortRangeTable, formatPortRanges } from '../analyzer/allowed-ports';
import { BitSet } from '../analyzer/bitset';
import { Direction, PeerModel, PodModel, PolicyModel } from '../analyzer/cluster-model';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { PortSet } from '../analyzer/port-range-set';
import { rulePortSet } from '../analyzer/rule-ports';

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

/** A flow one policy grants and the other side blocks, between two classes. */
interface BlockedGrant {
  readonly source: number;
  readonly destination: number;
  readonly ports: PortSet;
}

/** A pair of pods a finding lists: the source, the destination, the ports, and what blocks them. */
interface BlockedPair {
  readonly a: PodModel;
  readonly b: PodModel;
  readonly ports: string;
  readonly blockers: readonly string[];
}

/** The one-sided grants of one policy in one direction, over every pair of pods. */
interface OneSidedGrants {
  readonly policy: PolicyModel;
  readonly direction: Direction;
  readonly grants: BlockedGrant[];
}

/**
 * For each class and each NetworkPolicy isolating it in `direction`, the peer classes its rules
 * name with the ports they open there, minus what the other side allows: only classes a rule
 * names are looked at, so the cost follows the rules, not pairs of pods.
 */
function blockedGrants(engine: MatrixEngine, table: PortRangeTable, direction: Direction): OneSidedGrants[] {
  const out = new Map<PolicyModel, OneSidedGrants>();
  const other: Direction = direction === 'Ingress' ? 'Egress' : 'Ingress';
  for (let subject = 0; subject < engine.classCount; subject++) {
    if (!engine.podClasses.has(subject)) continue;
    for (const tierPolicy of engine.networkPolicies(subject, direction)) {
      const policy = tierPolicy.policy;
      const granted = new Map<number, PortSet>();
      (direction === 'Ingress' ? policy.ingress : policy.egress).forEach((rule, r) => {
        // The layer's rules and peers follow the policy's, index for index.
        const matchers = tierPolicy.rules[r].peers;
        const named = new BitSet(engine.classCount);
        rule.peers.forEach((p, k) => { if (names(p)) named.or(engine.peerClasses(matchers[k])); });
        named.and(engine.podClasses);
        named.forEach((peer) => {
          const destination = engine.representative(direction === 'Ingress' ? subject : peer);
          granted.set(peer, (granted.get(peer) ?? PortSet.NONE).union(rulePortSet(rule.ports, destination)));
        });
      });
      for (const [peer, ports] of granted) {
        const [source, destination] = direction === 'Ingress' ? [peer, subject] : [subject, peer];
        const blocked = ports.subtract(table.sidePorts(other, peer, subject, destination));
        if (blocked.isEmpty()) continue;
        let entry = out.get(policy);
        if (!entry) { entry = { policy, direction, grants: [] }; out.set(policy, entry); }
        entry.grants.push({ source, destination, ports: blocked });
      }
    }
  }
  return [...out.values()];
}

function oneSided(context: FindingContext): FindingDraft[] {
  const { model } = context;
  // Pods no policy can tell apart give the same grants and blocks: work per pair of classes.
  const engine = context.engine();
  const table = new PortRangeTable(engine);
  const podsOfClass = new Map<number, PodModel[]>();
  model.pods.forEach((pod, i) => {
    const c = engine.classOfPod[i];
    const list = podsOfClass.get(c);
    if (list) list.push(pod); else podsOfClass.set(c, [pod]);
  });
  const isolating = (c: number, direction: Direction): string[] => engine.isolatingPolicies(c, direction).map((p) => model.policies[p].id);
  const drafts: FindingDraft[] = [];
  for (const { policy, direction, grants } of [...blockedGrants(engine, table, 'Ingress'), ...blockedGrants(engine, table, 'Egress')]) {
    const blockedSide: Direction = direction === 'Ingress' ? 'Egress' : 'Ingress';
    const pairs: BlockedPair[] = [];
    let count = 0;
    for (const grant of grants) {
      const blockers = isolating(blockedSide === 'Egress' ? grant.source : grant.destination, blockedSide);
      const ports = formatPortRanges(grant.ports.toRanges());
      for (const a of podsOfClass.get(grant.source) ?? []) {
        for (const b of podsOfClass.get(grant.destination) ?? []) {
          if (a === b) continue;
          count++;
          if (pairs.length < LISTED_PAIRS) pairs.push({ a, b, ports, blockers });
        }
      }
    }
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
