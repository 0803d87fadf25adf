import { findings, run } from './run-rules';
import { FindingSeverity } from '../../src/findings';
import { namespace, pod, policy } from '../analyzer/helpers';

/**
 * NP022-NP024: the cluster tiers' order (priority, then written order, first match decides) and
 * Pass, over two tenants and a monitoring namespace.
 */

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject: { namespaces: {} }, ...spec } };
}

function anp(name: string, priority: number, spec: any): any {
  return { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject: { namespaces: {} }, ...spec } };
}

const byName = (name: string): any => ({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
const all = [{ namespaces: {} }];
const tcp = (port: number): any => ({ tcp: { destinationPort: { number: port } } });

const cluster = [
  namespace('a', { tenant: 'a' }), namespace('b', { tenant: 'b' }), namespace('monitoring'),
  pod('a', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('b', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('monitoring', 'prometheus', { labels: { app: 'prometheus' } }),
];

describe('NP022 cluster policies with the same priority', () => {
  test('fires for two policies of one tier and priority that match one connection, naming both', () => {
    const deny = cnp('deny-b', 'Admin', 10, { ingress: [{ action: 'Deny', from: [byName('b')] }] });
    const allow = cnp('allow-all', 'Admin', 10, { ingress: [{ action: 'Accept', from: all }] });
    const [f] = findings(['NP022'], [...cluster, deny, allow]);
    expect(f).toMatchObject({
      id: 'NP022',
      severity: FindingSeverity.WARNING,
      subject: 'deny-b',
      objects: ['ClusterNetworkPolicy deny-b', 'ClusterNetworkPolicy allow-all'],
    });
    expect(f.message).toBe("ClusterNetworkPolicy 'deny-b' and ClusterNetworkPolicy 'allow-all' are both in the Admin tier with priority 10 and could both match ingress to a/web from b/web: which one decides is up to the implementation (the API leaves it undefined), so the verdicts here, which take them in input order, may not be the cluster's");
  });

  test('does not fire for different priorities, different tiers, or rules that cannot match one connection', () => {
    const deny = cnp('deny-b', 'Admin', 10, { ingress: [{ action: 'Deny', from: [byName('b')] }] });
    expect(run(['NP022'], [...cluster, deny, cnp('allow-all', 'Admin', 11, { ingress: [{ action: 'Accept', from: all }] })])).toEqual([]);
    expect(run(['NP022'], [...cluster, deny, cnp('baseline', 'Baseline', 10, { ingress: [{ action: 'Accept', from: all }] })])).toEqual([]);
    // Same priority, but one speaks of tenant b's sources, the other of monitoring's: no connection matches both.
    expect(run(['NP022'], [...cluster, deny, cnp('scrape', 'Admin', 10, { ingress: [{ action: 'Accept', from: [byName('monitoring')] }] })])).toEqual([]);
    // Ports that do not overlap.
    const http = cnp('http', 'Admin', 10, { ingress: [{ action: 'Accept', from: all, protocols: [tcp(8080)] }] });
    const other = cnp('other', 'Admin', 10, { ingress: [{ action: 'Deny', from: all, protocols: [tcp(9090)] }] });
    expect(run(['NP022'], [...cluster, http, other])).toEqual([]);
    // One policy for ingress, the other for egress.
    expect(run(['NP022'], [...cluster, deny, cnp('out', 'Admin', 10, { egress: [{ action: 'Deny', to: all }] })])).toEqual([]);
  });

  test('without pods, two policies with the same subject and rules in one direction could match one connection', () => {
    const p = anp('first', 5, { egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }] });
    const q = anp('second', 5, { egress: [{ action: 'Allow', to: all }] });
    expect(run(['NP022'], [p, q])).toEqual(['NP022 first']);
    expect(findings(['NP022'], [p, q])[0].message).toContain('could both match the egress of the same subjects');
    const elsewhere = { ...q, spec: { ...q.spec, subject: { namespaces: { matchLabels: { tenant: 'b' } } } } };
    expect(run(['NP022'], [p, elsewhere])).toEqual([]);
  });
});

describe('NP023 cluster policy rules that never decide anything', () => {
  test('an earlier rule of the same policy takes everything a rule matches', () => {
    const p = cnp('tenants', 'Admin', 10, {
      ingress: [
        { name: 'deny-all', action: 'Deny', from: all },
        { name: 'scrape', action: 'Accept', from: [byName('monitoring')], protocols: [tcp(8080)] },
      ],
    });
    const [f] = findings(['NP023'], [...cluster, p]);
    expect(f).toMatchObject({ id: 'NP023', severity: FindingSeverity.WARNING, subject: 'tenants', objects: ['ClusterNetworkPolicy tenants'] });
    expect(f.message).toBe("ClusterNetworkPolicy 'tenants': spec.ingress[1] 'scrape' (Allow) never decides anything: every connection it matches for the pods it applies to (a/web, b/web, monitoring/prometheus) is decided before it by spec.ingress[0] 'deny-all' (Deny)");
  });

  test('a policy with a lower priority value takes it, Pass rules included', () => {
    const first = cnp('pass-monitoring', 'Admin', 1, { ingress: [{ name: 'pass', action: 'Pass', from: [byName('monitoring')] }] });
    const later = cnp('scrape', 'Admin', 2, { ingress: [{ name: 'scrape', action: 'Accept', from: [byName('monitoring')], protocols: [tcp(8080)] }] });
    const [f] = findings(['NP023'], [...cluster, later, first]);
    expect(f.subject).toBe('scrape');
    expect(f.objects).toEqual(['ClusterNetworkPolicy scrape', 'ClusterNetworkPolicy pass-monitoring']);
    expect(f.message).toMatch(/decided before it by ClusterNetworkPolicy pass-monitoring spec\.ingress\[0\] 'pass' \(Pass\), priority 1$/);
  });

  test('two earlier rules that each take part of the ports take all of them together', () => {
    const p = cnp('ports', 'Admin', 10, {
      egress: [
        { action: 'Deny', to: all, protocols: [{ tcp: { destinationPort: { range: { start: 1, end: 1000 } } } }] },
        { action: 'Accept', to: all, protocols: [{ tcp: { destinationPort: { range: { start: 1001, end: 65535 } } } }] },
        { action: 'Deny', to: [byName('b')], protocols: [{ tcp: {} }] },
      ],
    });
    expect(findings(['NP023'], [...cluster, p]).map((f) => f.message.replace(/^.*: spec/, 'spec'))).toEqual([
      'spec.egress[2] (Deny) never decides anything: every connection it matches for the pods it applies to (a/web, b/web, monitoring/prometheus) is decided before it by spec.egress[0] (Deny); spec.egress[1] (Allow)',
    ]);
  });

  test('does not fire when part of what the rule matches reaches it', () => {
    // Port 9090 of tenant b's pods is left to the second rule.
    const ports = cnp('ports', 'Admin', 10, {
      ingress: [
        { action: 'Deny', from: all, protocols: [tcp(8080)] },
        { action: 'Deny', from: [byName('b')] },
      ],
    });
    expect(run(['NP023'], [...cluster, ports])).toEqual([]);
    // An earlier rule for other sources; a policy whose subject does not cover this one's pods.
    const narrow = cnp('narrow', 'Admin', 1, { subject: { namespaces: { matchLabels: { tenant: 'a' } } }, ingress: [{ action: 'Deny', from: all }] });
    const wide = cnp('wide', 'Admin', 2, { ingress: [{ action: 'Deny', from: [byName('monitoring')] }] });
    expect(run(['NP023'], [...cluster, narrow, wide])).toEqual([]);
    // Same priority: which goes first is undefined (NP022), not shadowing.
    expect(run(['NP023'], [...cluster, cnp('x', 'Admin', 3, { ingress: [{ action: 'Deny', from: all }] }), cnp('y', 'Admin', 3, { ingress: [{ action: 'Deny', from: all }] })])).toEqual([]);
  });

  test('does not fire for a rule that matches nothing in the input', () => {
    const p = cnp('p', 'Admin', 10, { ingress: [{ action: 'Deny', from: all }, { action: 'Deny', from: [byName('nowhere')] }] });
    expect(run(['NP023'], [...cluster, p])).toEqual([]);
  });
});

describe('NP024 Pass rules that reach no NetworkPolicy', () => {
  const pass = cnp('delegate', 'Admin', 10, { subject: { namespaces: { matchLabels: { tenant: 'a' } } }, ingress: [{ name: 'to-owners', action: 'Pass', from: all }] });

  test('fires when no NetworkPolicy isolates the pods it passes, saying what decides instead', () => {
    const [f] = findings(['NP024'], [...cluster, pass]);
    expect(f).toMatchObject({ id: 'NP024', severity: FindingSeverity.WARNING, subject: 'delegate', objects: ['ClusterNetworkPolicy delegate'] });
    expect(f.message).toBe("ClusterNetworkPolicy 'delegate': spec.ingress[0] 'to-owners' (Pass) passes ingress of a/web to the NetworkPolicy tier, but no NetworkPolicy isolates those pods for ingress: it is allowed");
    const baseline = cnp('baseline-deny', 'Baseline', 1, { ingress: [{ action: 'Deny', from: all }] });
    const [g] = findings(['NP024'], [...cluster, pass, baseline]);
    expect(g.objects).toEqual(['ClusterNetworkPolicy delegate', 'ClusterNetworkPolicy baseline-deny']);
    expect(g.message).toMatch(/: the Baseline tier \(ClusterNetworkPolicy baseline-deny\) decides it, and what it does not decide is allowed$/);
  });

  test('does not fire when a NetworkPolicy isolates the passed pods for that direction', () => {
    expect(run(['NP024'], [...cluster, pass, policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })])).toEqual([]);
    // An egress-only NetworkPolicy does not pick up passed ingress.
    expect(run(['NP024'], [...cluster, pass, policy('a', 'deny', { podSelector: {}, policyTypes: ['Egress'] })])).toEqual(['NP024 delegate']);
  });

  test('does not fire for a Pass rule that matches none of the input\'s traffic, nor for other actions', () => {
    const nothing = cnp('delegate', 'Admin', 10, { ingress: [{ action: 'Pass', from: [byName('nowhere')] }] });
    expect(run(['NP024'], [...cluster, nothing])).toEqual([]);
    expect(run(['NP024'], [...cluster, cnp('deny', 'Admin', 10, { ingress: [{ action: 'Deny', from: all }] })])).toEqual([]);
  });

  test('a Pass in the Baseline tier goes to the default, which allows', () => {
    const [f] = findings(['NP024'], [...cluster, cnp('baseline', 'Baseline', 1, { egress: [{ action: 'Pass', to: all }] }), policy('a', 'deny', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(f.message).toBe("ClusterNetworkPolicy 'baseline': spec.egress[0] (Pass) is in the Baseline tier, after every NetworkPolicy: what it passes goes to the default, which allows it");
  });
});
