import { namespace, pod, policy } from './helpers';
import { Port, Reachability } from '../../src';

/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) and AdminNetworkPolicy /
 * BaselineAdminNetworkPolicy (v1alpha1) in the verdict walk. Each test quotes the API field comment
 * (network-policy-api, config/crd) it checks. The class-level matrix must agree with the probe walk
 * in every test (`agrees`).
 */

const V2 = 'policy.networking.k8s.io/v1alpha2';
const V1 = 'policy.networking.k8s.io/v1alpha1';

function cnp(name: string, tier: 'Admin' | 'Baseline', priority: number, spec: any): any {
  return { apiVersion: V2, kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier, priority, subject: { namespaces: {} }, ...spec } };
}

const ns = (name: string, labels: Record<string, string> = {}): any => namespace(name, labels);
const all = [{ namespaces: {} }];

// Two tenants and a monitoring namespace.
const cluster = [
  ns('a', { tenant: 'a' }), ns('b', { tenant: 'b' }), ns('monitoring'),
  pod('a', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }], ips: ['10.1.0.1'] }),
  pod('a', 'db', { labels: { app: 'db' }, ports: [{ name: 'pg', containerPort: 5432 }], ips: ['10.1.0.2'] }),
  pod('b', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 9090 }], ips: ['10.2.0.1'] }),
  pod('monitoring', 'prometheus', { labels: { app: 'prometheus' }, ips: ['10.3.0.1'] }),
];

/**
 * Every pair of pods: the matrix agrees with the walk for the probe; and the ports whole reports
 * list (only for the pairs some Allow rule may connect) are the walk's, pods and external nodes.
 */
function agrees(r: Reachability, port: Port): void {
  const matrix = r.matrix(port);
  for (const from of r.pods) {
    for (const to of r.pods) expect([from, to, matrix.isAllowed(from, to)]).toEqual([from, to, r.isAllowed(from, to, port)]);
  }
  const endpoints = [...r.pods, ...r.externals];
  const classOf = r._engine.classOfEndpoint;
  endpoints.forEach((from, i) => endpoints.forEach((to, j) => {
    if (i === j && i < r.pods.length) return;
    expect([from, to, r._portTable.reachable(classOf[i]).get(classOf[j])?.ports ?? []]).toEqual([from, to, r.allowedPorts(from, to)]);
  }));
}

function reach(...objects: any[]): Reachability {
  return Reachability.fromManifests([...cluster, ...objects]);
}

describe('ClusterNetworkPolicy v1alpha2: tiers', () => {
  test('"Deny: Drops the selected traffic. No further ClusterNetworkPolicy or NetworkPolicy rules will be processed"', () => {
    const r = reach(
      cnp('tenants', 'Admin', 10, { ingress: [{ action: 'Deny', from: [{ namespaces: { matchLabels: { tenant: 'b' } } }] }] }),
      policy('a', 'allow-all', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{}] }),
    );
    expect(r.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(true);
    const why = r.explain('b/web', 'a/web', Port.tcp(8080));
    expect(why.ingress.tier).toBe('Admin');
    expect(why.ingress.decidedBy.map((d) => `${d.object} ${d.direction}[${d.ruleIndex}] ${d.action}`)).toEqual(['ClusterNetworkPolicy tenants Ingress[0] Deny']);
    agrees(r, Port.tcp(8080));
  });

  test('"Accept: ... No further ingress ClusterNetworkPolicy or NetworkPolicy rules will be processed": it overrides an isolating NetworkPolicy', () => {
    const r = reach(
      cnp('scrape', 'Admin', 5, { ingress: [{ name: 'prometheus', action: 'Accept', from: [{ pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } } }], protocols: [{ tcp: { destinationPort: { number: 8080 } } }] }] }),
      policy('a', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
    );
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8081))).toBe(false);
    expect(r.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(false);
    const why = r.explain('monitoring/prometheus', 'a/web', Port.tcp(8080));
    expect(why.ingress.summary).toBe("ingress of a/web: Admin tier: allowed by ClusterNetworkPolicy scrape ingress[0] 'prometheus' (Allow)");
    agrees(r, Port.tcp(8080));
  });

  test('egress Accept: "any ingress rules at the destination do apply"', () => {
    const r = reach(
      cnp('out', 'Admin', 5, { egress: [{ action: 'Accept', to: all }] }),
      policy('a', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }),
    );
    const why = r.explain('b/web', 'a/web', Port.tcp(8080));
    expect([why.egress.allowed, why.ingress.allowed, why.allowed]).toEqual([true, false, false]);
  });

  test('"Pass: Skips all further ClusterNetworkPolicy rules in the current tier ... and passes evaluation to the next tier"', () => {
    const objects = [
      cnp('pass-monitoring', 'Admin', 1, { ingress: [{ name: 'pass', action: 'Pass', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }] }),
      cnp('deny-all', 'Admin', 2, { ingress: [{ action: 'Deny', from: all }] }),
    ];
    // No NetworkPolicy selects a/web: the Baseline tier, then the default, allow it.
    let r = reach(...objects);
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(false);
    let why = r.explain('monitoring/prometheus', 'a/web', Port.tcp(8080));
    expect(why.ingress.tier).toBe('Default');
    expect(why.ingress.passedOver.map((p) => `${p.object} ${p.ruleName}`)).toEqual(['ClusterNetworkPolicy pass-monitoring pass']);
    expect(why.ingress.summary).toMatch(/passed on by ClusterNetworkPolicy pass-monitoring ingress\[0\] 'pass' \(Pass\)/);
    agrees(r, Port.tcp(8080));
    // A NetworkPolicy isolating a/web decides what was passed.
    r = reach(...objects, policy('a', 'deny-all', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(false);
    why = r.explain('monitoring/prometheus', 'a/web', Port.tcp(8080));
    expect(why.ingress.tier).toBe('NetworkPolicy');
    agrees(r, Port.tcp(8080));
  });

  test('the Baseline tier: "can be overridden by the v1.NetworkPolicy"; it decides for pods no NetworkPolicy selects', () => {
    const r = reach(
      cnp('baseline-deny', 'Baseline', 100, { ingress: [{ action: 'Deny', from: all }] }),
      policy('a', 'web-from-b', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: 'b' } } }] }] }),
    );
    expect(r.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(false);
    expect(r.explain('monitoring/prometheus', 'a/web', Port.tcp(8080)).ingress.tier).toBe('NetworkPolicy');
    // a/db: no NetworkPolicy; the Baseline tier denies.
    const why = r.explain('a/web', 'a/db', Port.tcp(5432));
    expect([why.allowed, why.ingress.tier]).toEqual([false, 'Baseline']);
    agrees(r, Port.tcp(8080));
  });

  test('"If a given connection wasn\'t allowed or denied by any of the tiers, the default ... all pods can communicate"; a Baseline Pass goes to it', () => {
    const r = reach(cnp('baseline', 'Baseline', 1, { ingress: [{ action: 'Pass', from: all }, { action: 'Deny', from: all }] }));
    expect(r.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(true);
  });

  test('priority: "Policies with lower priority values have higher precedence"; rules: "a rule that appears at the top ... would take the highest precedence"', () => {
    const deny = cnp('deny', 'Admin', 20, { ingress: [{ action: 'Deny', from: all }] });
    const allow = cnp('allow', 'Admin', 10, { ingress: [{ action: 'Accept', from: all }] });
    expect(reach(deny, allow).isAllowed('b/web', 'a/web', Port.tcp(1))).toBe(true);
    expect(reach(cnp('deny', 'Admin', 5, { ingress: [{ action: 'Deny', from: all }] }), allow).isAllowed('b/web', 'a/web', Port.tcp(1))).toBe(false);
    const ordered = (first: string, second: string): any => cnp('p', 'Admin', 1, { ingress: [{ action: first, from: all }, { action: second, from: all }] });
    expect(reach(ordered('Accept', 'Deny')).isAllowed('b/web', 'a/web', Port.tcp(1))).toBe(true);
    expect(reach(ordered('Deny', 'Accept')).isAllowed('b/web', 'a/web', Port.tcp(1))).toBe(false);
  });

  test('"CNPs with no ingress rules do not affect ingress traffic"', () => {
    const r = reach(cnp('egress-only', 'Admin', 1, { egress: [{ action: 'Deny', to: [{ namespaces: { matchLabels: { tenant: 'b' } } }] }] }));
    const why = r.explain('b/web', 'a/web', Port.tcp(8080));
    expect([why.allowed, why.ingress.tier, why.ingress.summary]).toEqual([true, 'Default', 'ingress of a/web: not isolated (no NetworkPolicy selects it with Ingress in policyTypes), so everything is allowed']);
    expect(r.isAllowed('a/web', 'b/web', Port.tcp(9090))).toBe(false);
  });

  test('subject: "Pods is used to select pods via namespace AND pod selectors"', () => {
    const r = reach({
      apiVersion: V2,
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'db' },
      spec: {
        tier: 'Admin',
        priority: 1,
        subject: { pods: { namespaceSelector: { matchLabels: { tenant: 'a' } }, podSelector: { matchLabels: { app: 'db' } } } },
        ingress: [{ action: 'Deny', from: all }],
      },
    });
    expect(r.isAllowed('a/web', 'a/db', Port.tcp(5432))).toBe(false);
    expect(r.isAllowed('a/db', 'a/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('a/db', 'b/web', Port.tcp(9090))).toBe(true);
    agrees(r, Port.tcp(5432));
  });
});

describe('ClusterNetworkPolicy v1alpha2: ports', () => {
  test('"If unspecified, protocol-specific attributes will not be used to match traffic": every port of every protocol', () => {
    const r = reach(cnp('deny', 'Admin', 1, { ingress: [{ action: 'Deny', from: all }] }));
    expect(r.allowedPorts('b/web', 'a/web')).toEqual([]);
  });

  test('tcp/udp/sctp destinationPort number and range ("start ... must be less than End")', () => {
    const r = reach(cnp('deny', 'Admin', 1, {
      ingress: [{
        action: 'Deny',
        from: all,
        protocols: [
          { tcp: { destinationPort: { number: 80 } } },
          { udp: { destinationPort: { range: { start: 1000, end: 2000 } } } },
          { sctp: { destinationPort: { number: 9 } } },
        ],
      }],
    }));
    expect(r.allowedPorts('b/web', 'a/web')).toEqual([
      { protocol: 'TCP', startPort: 1, endPort: 79 }, { protocol: 'TCP', startPort: 81, endPort: 65535 },
      { protocol: 'UDP', startPort: 1, endPort: 999 }, { protocol: 'UDP', startPort: 2001, endPort: 65535 },
      { protocol: 'SCTP', startPort: 1, endPort: 8 }, { protocol: 'SCTP', startPort: 10, endPort: 65535 },
    ]);
    expect(() => reach(cnp('bad', 'Admin', 1, { ingress: [{ action: 'Deny', from: all, protocols: [{ tcp: { destinationPort: { range: { start: 80, end: 80 } } } }] }] })))
      .toThrow(/ClusterNetworkPolicy 'bad' is invalid .*spec.ingress\[0\].protocols\[0\].tcp.destinationPort.range: Start port must be less than End port \(80-80\)/);
  });

  test('"DestinationNamedPort selects a destination port on a pod based on the ContainerPort name", whatever its protocol', () => {
    const r = reach(cnp('deny-named', 'Admin', 1, { egress: [{ action: 'Deny', to: all, protocols: [{ destinationNamedPort: 'http' }, { destinationNamedPort: 'dns' }] }] }));
    // Resolved on each destination: 8080 on a/web (and UDP 5353 there), 9090 on b/web.
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.udp(5353))).toBe(false);
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(9090))).toBe(true);
    expect(r.isAllowed('monitoring/prometheus', 'b/web', Port.tcp(9090))).toBe(false);
    expect(r.isAllowed('monitoring/prometheus', 'b/web', Port.tcp(8080))).toBe(true);
    agrees(r, Port.tcp(8080));
    agrees(r, Port.tcp(9090));
  });
});

describe('ClusterNetworkPolicy v1alpha2: networks', () => {
  const metadata = cnp('metadata', 'Admin', 1, { egress: [{ name: 'no-metadata', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }] });

  test('"Networks defines a way to select peers via CIDR blocks": the CIDRs split the outside into external nodes', () => {
    const r = reach(metadata);
    expect(r.externals).toEqual(['0.0.0.0/0 except 169.254.169.254/32', '169.254.169.254/32']);
    expect(r.isAllowed('a/web', '169.254.169.254', Port.tcp(80))).toBe(false);
    expect(r.isAllowed('a/web', '169.254.169.253', Port.tcp(80))).toBe(true);
    const why = r.explain('a/web', '169.254.169.254', Port.tcp(80));
    expect(why.egress.summary).toBe("egress of a/web: Admin tier: denied by ClusterNetworkPolicy metadata egress[0] 'no-metadata' (Deny)");
  });

  test('"cluster-internal traffic will be checked against the rule as well": pods by their IPs', () => {
    const r = reach(cnp('deny-tenant-b-cidr', 'Admin', 1, { egress: [{ action: 'Deny', to: [{ networks: ['10.2.0.0/16'] }] }] }));
    expect(r.isAllowed('a/web', 'b/web', Port.tcp(9090))).toBe(false);
    expect(r.isAllowed('a/web', 'a/db', Port.tcp(5432))).toBe(true);
    agrees(r, Port.tcp(9090));
  });

  test('IPv6 networks split the IPv6 space', () => {
    const r = reach(cnp('v6', 'Admin', 1, { egress: [{ action: 'Deny', to: [{ networks: ['fd00::/8'] }] }] }));
    expect(r.externals).toEqual(['0.0.0.0/0', '::/0 except fd00::/8', 'fd00::/8']);
    expect(r.isAllowed('a/web', 'fd00::1', Port.tcp(443))).toBe(false);
    expect(r.isAllowed('a/web', '2001:db8::1', Port.tcp(443))).toBe(true);
  });
});

describe('ClusterNetworkPolicy v1alpha2: peers the analyzer cannot resolve', () => {
  test('nodes and domainNames (experimental): listed in unmodelled with their field, and match nothing', () => {
    const r = reach(cnp('egress', 'Admin', 1, {
      egress: [
        { action: 'Accept', to: [{ domainNames: ['*.example.com'] }] },
        { action: 'Deny', to: [{ nodes: {} }, { namespaces: { matchLabels: { tenant: 'b' } } }] },
      ],
    }));
    expect(r.unmodelled.map((u) => `${u.kind} ${u.name} ${u.field}`)).toEqual([
      'ClusterNetworkPolicy egress spec.egress[0].to[0].domainNames',
      'ClusterNetworkPolicy egress spec.egress[1].to[0].nodes',
    ]);
    expect(r.unmodelled[0].reason).toMatch(/domainNames peer .* cannot resolve/);
    expect(r.isAllowed('a/web', 'b/web', Port.tcp(9090))).toBe(false);
    expect(r.isAllowed('a/web', '1.2.3.4', Port.tcp(443))).toBe(true);
  });

  test('a peer with no field the API defines "should fail closed": an Accept rule matches nothing, a Deny or Pass rule denies all', () => {
    const unknownPeer = [{ futurePeer: {} }];
    const accept = reach(cnp('x', 'Admin', 1, { ingress: [{ action: 'Accept', from: unknownPeer }] }), policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }));
    expect(accept.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(false);
    for (const action of ['Deny', 'Pass']) {
      const r = reach(cnp('x', 'Admin', 1, { ingress: [{ action, from: [...unknownPeer, { namespaces: { matchLabels: { tenant: 'b' } } }] }] }));
      expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(false);
      expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.udp(53))).toBe(false);
    }
  });
});

describe('what the API server rejects is refused', () => {
  test.each([
    ['priority 1001', cnp('p', 'Admin', 1001, {}), /spec.priority: Invalid value: 1001: must be an integer from 0 to 1000/],
    ['tier', cnp('t', 'Namespace' as any, 1, {}), /spec.tier: Unsupported value: "Namespace"/],
    ['action Allow in v1alpha2', cnp('a', 'Admin', 1, { ingress: [{ action: 'Allow', from: all }] }), /spec.ingress\[0\].action: Unsupported value: "Allow": supported values: "Accept", "Deny", "Pass"/],
    ['no peers', cnp('n', 'Admin', 1, { egress: [{ action: 'Deny', to: [] }] }), /spec.egress\[0\].to: Required value/],
    ['a bad CIDR', cnp('c', 'Admin', 1, { egress: [{ action: 'Deny', to: [{ networks: ['10.0.0.0/33'] }] }] }), /networks\[0\]: '10.0.0.0\/33' has an invalid prefix length/],
    ['a BANP not named default', { apiVersion: V1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'other' }, spec: { subject: { namespaces: {} } } }, /only one BaselineAdminNetworkPolicy, named "default"/],
    ['Pass in a BANP', { apiVersion: V1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: all }] } }, /supported values: "Allow", "Deny"/],
  ])('%s', (_name, object, message) => {
    expect(() => reach(object)).toThrow(message);
  });
});

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1', () => {
  const anp = (name: string, priority: number, spec: any): any => ({ apiVersion: V1, kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject: { namespaces: {} }, ...spec } });
  const banp = (spec: any): any => ({ apiVersion: V1, kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ...spec } });

  test('Allow, Deny and Pass in the Admin tier; Allow and Deny in the Baseline tier', () => {
    const r = reach(
      anp('tenants', 10, {
        ingress: [
          { name: 'monitoring', action: 'Allow', from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
          { name: 'same-tenant', action: 'Pass', from: [{ namespaces: { matchLabels: { tenant: 'a' } } }] },
        ],
      }),
      banp({ ingress: [{ name: 'deny-rest', action: 'Deny', from: all }] }),
    );
    expect(r.isAllowed('monitoring/prometheus', 'a/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('a/db', 'a/web', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('b/web', 'a/web', Port.tcp(8080))).toBe(false);
    const why = r.explain('a/db', 'a/web', Port.tcp(8080));
    expect(why.ingress.summary).toBe("ingress of a/web: passed on by AdminNetworkPolicy tenants ingress[1] 'same-tenant' (Pass); Baseline tier: denied by BaselineAdminNetworkPolicy default ingress[0] 'deny-rest' (Deny)");
    agrees(r, Port.tcp(8080));
  });

  test('ports: portNumber, portRange (protocol defaults to TCP) and namedPort resolved on the destination', () => {
    const r = reach(anp('ports', 1, {
      egress: [{
        action: 'Deny',
        to: all,
        ports: [
          { portNumber: { port: 53, protocol: 'UDP' } },
          { portRange: { start: 8000, end: 8100 } },
          { namedPort: 'pg' },
        ],
      }],
    }));
    expect(r.allowedPorts('a/web', 'a/db')).toEqual([
      { protocol: 'TCP', startPort: 1, endPort: 5431 }, { protocol: 'TCP', startPort: 5433, endPort: 7999 }, { protocol: 'TCP', startPort: 8101, endPort: 65535 },
      { protocol: 'UDP', startPort: 1, endPort: 52 }, { protocol: 'UDP', startPort: 54, endPort: 65535 },
      { protocol: 'SCTP', startPort: 1, endPort: 65535 },
    ]);
  });
});
