import { BitSet } from '../../src/analyzer/bitset';
import { PodModel } from '../../src/analyzer/cluster-model';
import { EndpointModel } from '../../src/analyzer/external-nodes';
import { PeerMatcher, RuleAction, TIERS, TierName, TierPolicy, TierRule } from '../../src/analyzer/policy-tier';
import { PortSet } from '../../src/analyzer/port-range-set';
import { SideProgram, orderTier, walkClasses, walkSide } from '../../src/analyzer/verdict-walk';

/**
 * The walk with made-up policies of every tier, as the tier layers to come will feed it: first
 * match by priority in the Admin and Baseline tiers (Allow, Deny, Pass), isolation in the
 * NetworkPolicy tier, the default last; the port-set walk and the class walk agree.
 */

const PEERS = ['a', 'b', 'c', 'd'];
const endpoint = (id: string): PodModel => ({ id, namespace: 'n', name: id, kind: 'Pod', labels: {}, ports: [], ips: [] });

function peers(...ids: string[]): PeerMatcher[] {
  return [{
    matches: (e: EndpointModel) => ids.includes(e.id),
    miss: () => ({ distance: 3, reason: 'not listed' }),
    classes: () => { const set = new BitSet(PEERS.length); ids.forEach((id) => set.add(PEERS.indexOf(id))); return set; },
  }];
}

function tierPolicy(tier: TierName, id: string, priority: number, rules: [RuleAction, PeerMatcher[], number, number][]): TierPolicy {
  const made: TierRule[] = rules.map(([action, matchers, from, to], ruleIndex) => ({
    action,
    peers: matchers,
    ports: [{ protocol: 'TCP', port: from, endPort: to }],
    provenance: { tier, object: `Test ${id}`, policy: id, direction: 'Egress', ruleIndex, action },
  }));
  return { tier, object: `Test ${id}`, id, priority, appliesTo: () => true, subjectClasses: () => BitSet.full(PEERS.length), rules: made };
}

const admin = [
  tierPolicy('Admin', 'late', 10, [['Pass', peers('a'), 80, 80], ['Deny', peers('a', 'b'), 1, 1000]]),
  tierPolicy('Admin', 'early', 5, [['Allow', peers('b'), 22, 22]]),
];
const networkPolicy = [tierPolicy('NetworkPolicy', 'np', 0, [['Allow', peers('a'), 80, 90]])];
const baseline = [tierPolicy('Baseline', 'baseline', 0, [['Deny', peers('c'), 1, 65535]])];

function program(withNetworkPolicy: boolean): SideProgram {
  const byTier: Record<TierName, TierPolicy[]> = { Admin: admin, NetworkPolicy: withNetworkPolicy ? networkPolicy : [], Baseline: baseline };
  return { direction: 'Egress', byTier: TIERS.map((t) => orderTier(t, byTier[t])) };
}

function walk(p: SideProgram, peer: string) {
  return walkSide(p, (rule) => rule.peers.length === 0 || rule.peers.some((m) => m.matches(endpoint(peer))), endpoint('dst'), PortSet.ALL, true);
}

describe('the verdict walk', () => {
  test('orders first-match tiers by priority, ties in input order', () => {
    expect(program(true).byTier[0].map((p) => p.id)).toEqual(['early', 'late']);
  });

  test('Pass sends ports on to the NetworkPolicy tier; the first matching rule decides the rest', () => {
    const a = walk(program(true), 'a');
    expect(a.allowed.toRanges()).toEqual([{ protocol: 'TCP', startPort: 80, endPort: 80 }]);
    expect(a.passed.map((p) => [p.rule.provenance.policy, p.ports.toRanges()])).toEqual([['late', [{ protocol: 'TCP', startPort: 80, endPort: 80 }]]]);
    expect(a.decisions.map((d) => [d.tier, d.kind, d.allowed, d.rule?.provenance.policy])).toEqual([
      ['Admin', 'rule', false, 'late'],
      ['NetworkPolicy', 'rule', true, 'np'],
      ['NetworkPolicy', 'isolated', false, undefined],
    ]);
    // 81-90 were denied in the Admin tier before the NetworkPolicy rule could allow them.
    expect(a.decisions[0].ports.toRanges()).toEqual([{ protocol: 'TCP', startPort: 1, endPort: 79 }, { protocol: 'TCP', startPort: 81, endPort: 1000 }]);
  });

  test('a higher-priority Allow wins over a later Deny', () => {
    expect(walk(program(true), 'b').allowed.toRanges()).toEqual([{ protocol: 'TCP', startPort: 22, endPort: 22 }]);
  });

  test('NetworkPolicy isolation decides everything left, so Baseline is not reached', () => {
    const c = walk(program(true), 'c');
    expect(c.allowed.isEmpty()).toBe(true);
    expect(c.decisions.map((d) => d.tier)).toEqual(['NetworkPolicy']);
  });

  test('without NetworkPolicy isolation, Baseline decides, then the default allows', () => {
    // The Baseline rule denies every TCP port; other protocols fall through to the default.
    expect(walk(program(false), 'c').allowed.toRanges().map((r) => r.protocol)).toEqual(['UDP', 'SCTP']);
    expect(walk(program(false), 'c').decisions.map((d) => [d.tier, d.kind])).toEqual([['Baseline', 'rule'], [undefined, 'default']]);
    const d = walk(program(false), 'd');
    expect(d.allowed.isAll()).toBe(true);
    expect(d.decisions.map((x) => x.kind)).toEqual(['default']);
    // a: Admin passes 80 on; nothing isolates, Baseline does not match a: the default allows 80.
    expect(walk(program(false), 'a').allowed.toRanges().filter((r) => r.protocol === 'TCP')).toEqual([
      { protocol: 'TCP', startPort: 80, endPort: 80 }, { protocol: 'TCP', startPort: 1001, endPort: 65535 },
    ]);
  });

  test('the class walk agrees with the port-set walk on every probe', () => {
    const all = BitSet.full(PEERS.length);
    for (const withNetworkPolicy of [true, false]) {
      const p = program(withNetworkPolicy);
      for (const port of [1, 22, 79, 80, 85, 91, 1000, 1001, 65535]) {
        const admits = (rule: TierRule): boolean => rule.ports.some((e) => port >= (e.port as number) && port <= e.endPort!);
        const ports = (rule: TierRule): BitSet => (admits(rule) ? all : new BitSet(PEERS.length));
        const peerClasses = (rule: TierRule): BitSet => rule.peers.reduce((set, m) => set.or(m.classes(undefined as any)), new BitSet(PEERS.length));
        const classes = walkClasses(p, all, peerClasses, ports);
        for (const [i, peer] of PEERS.entries()) expect([peer, port, classes.has(i)]).toEqual([peer, port, walk(p, peer).allowed.has(port, 'TCP')]);
      }
    }
  });
});
