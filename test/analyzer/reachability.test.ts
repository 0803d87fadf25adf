import { namespace, pod, policy } from './helpers';
import { Reachability } from '../../src/analyzer';
import { Port } from '../../src/vocabulary/port';

const tcp80 = Port.tcp(80);

describe('Reachability: isolation and defaults', () => {
  test('without policies every pod reaches every pod', () => {
    const r = Reachability.fromManifests([pod('a', 'x'), pod('b', 'y')]);
    expect(r.isAllowed('a/x', 'b/y', tcp80)).toBe(true);
    expect(r.isAllowed('b/y', 'a/x', Port.udp(53))).toBe(true);
  });

  test('a pod always reaches itself, even when denied both ways', () => {
    const r = Reachability.fromManifests([
      pod('a', 'x'),
      policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    ]);
    expect(r.isAllowed('a/x', 'a/x', tcp80)).toBe(true);
    expect(r.explain('a/x', 'a/x', tcp80).selfTraffic).toBe(true);
  });

  test('two pods with the same labels do not reach each other under default deny', () => {
    const r = Reachability.fromManifests([
      pod('a', 'x1', { labels: { app: 'x' } }),
      pod('a', 'x2', { labels: { app: 'x' } }),
      policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(r.isAllowed('x1', 'x2', tcp80)).toBe(false);
    expect(r.matrix(tcp80).isAllowed('x1', 'x2')).toBe(false);
    expect(r.matrix(tcp80).isAllowed('x1', 'x1')).toBe(true);
  });

  test('ingress isolation does not restrict egress', () => {
    const r = Reachability.fromManifests([
      pod('a', 'x'), pod('a', 'y'),
      policy('a', 'deny-in', { podSelector: { matchLabels: {} }, policyTypes: ['Ingress'] }),
    ]);
    // Both are ingress-isolated: neither direction works between them, but egress is open.
    expect(r.isAllowed('x', 'y', tcp80)).toBe(false);
    expect(r.isolation('x')).toEqual({ pod: 'a/x', ingressIsolated: true, egressIsolated: false, ingressPolicies: ['a/deny-in'], egressPolicies: [] });
  });

  test('policyTypes omitted: Ingress always, Egress only when egress rules are written', () => {
    const r = Reachability.fromManifests([
      pod('a', 'x', { labels: { app: 'x' } }), pod('a', 'y', { labels: { app: 'y' } }), pod('a', 'z', { labels: { app: 'z' } }),
      policy('a', 'x-only-ingress', { podSelector: { matchLabels: { app: 'x' } } }),
      policy('a', 'y-empty-egress', { podSelector: { matchLabels: { app: 'y' } }, egress: [] }),
      policy('a', 'z-egress', { podSelector: { matchLabels: { app: 'z' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(r.isolation('x')).toMatchObject({ ingressIsolated: true, egressIsolated: false });
    expect(r.isolation('y')).toMatchObject({ ingressIsolated: true, egressIsolated: false });
    expect(r.isolation('z')).toMatchObject({ ingressIsolated: true, egressIsolated: true });
    expect(r.isAllowed('z', 'y', Port.udp(53))).toBe(false); // y's ingress is isolated with no rules
    expect(r.isAllowed('y', 'z', Port.udp(53))).toBe(false); // z's ingress too
  });

  test('policyTypes: [] is defaulted like a missing policyTypes (the API server checks its length)', () => {
    // pkg/apis/networking/v1/defaults.go: `if len(obj.Spec.PolicyTypes) == 0` → Ingress (+ Egress with egress rules).
    const r = Reachability.fromManifests([
      pod('a', 'x', { labels: { app: 'x' } }), pod('a', 'z', { labels: { app: 'z' } }),
      policy('a', 'x-empty-types', { podSelector: { matchLabels: { app: 'x' } }, policyTypes: [] }),
      policy('a', 'z-empty-types', { podSelector: { matchLabels: { app: 'z' } }, policyTypes: [], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(r.isolation('x')).toMatchObject({ ingressIsolated: true, egressIsolated: false });
    expect(r.isolation('z')).toMatchObject({ ingressIsolated: true, egressIsolated: true });
    expect(r.isAllowed('z', 'x', tcp80)).toBe(false);
    expect(r.matrix(tcp80).isAllowed('z', 'x')).toBe(false);
    expect(r.matrix(tcp80).isAllowed('x', 'z')).toBe(false);
  });

  test('ingress: [{}] allows everything; ingress: [] allows nothing', () => {
    const r = Reachability.fromManifests([
      pod('a', 'open', { labels: { app: 'open' } }), pod('a', 'closed', { labels: { app: 'closed' } }), pod('b', 'client'),
      policy('a', 'open', { podSelector: { matchLabels: { app: 'open' } }, ingress: [{}] }),
      policy('a', 'closed', { podSelector: { matchLabels: { app: 'closed' } }, ingress: [] }),
    ]);
    expect(r.isAllowed('client', 'open', Port.sctp(9))).toBe(true);
    expect(r.isAllowed('client', 'closed', tcp80)).toBe(false);
  });

  test('policies add up: any rule of any isolating policy allows', () => {
    const r = Reachability.fromManifests([
      pod('a', 'srv', { labels: { app: 'srv' } }), pod('a', 'one', { labels: { app: 'one' } }), pod('a', 'two', { labels: { app: 'two' } }),
      policy('a', 'p1', { podSelector: { matchLabels: { app: 'srv' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'one' } } }] }] }),
      policy('a', 'p2', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'two' } } }], ports: [{ port: 80 }] }] }),
    ]);
    expect(r.isAllowed('one', 'srv', Port.tcp(1))).toBe(true);
    expect(r.isAllowed('two', 'srv', tcp80)).toBe(true);
    expect(r.isAllowed('two', 'srv', Port.tcp(81))).toBe(false);
  });

  test('ingress rules of an Egress-only policy are ignored', () => {
    const r = Reachability.fromManifests([
      pod('a', 'x'), pod('a', 'y'),
      policy('a', 'egress-only', { podSelector: {}, policyTypes: ['Egress'], ingress: [], egress: [{}] }),
    ]);
    expect(r.isolation('x').ingressIsolated).toBe(false);
    expect(r.isAllowed('x', 'y', tcp80)).toBe(true);
  });

  test('a connection needs both the source egress and the destination ingress', () => {
    const r = Reachability.fromManifests([
      pod('a', 'src', { labels: { app: 'src' } }), pod('a', 'dst', { labels: { app: 'dst' } }),
      policy('a', 'src', { podSelector: { matchLabels: { app: 'src' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 80 }] }] }),
      policy('a', 'dst', { podSelector: { matchLabels: { app: 'dst' } }, ingress: [{ ports: [{ port: 81 }] }] }),
    ]);
    expect(r.isAllowed('src', 'dst', tcp80)).toBe(false);
    expect(r.isAllowed('src', 'dst', Port.tcp(81))).toBe(false);
    const e = r.explain('src', 'dst', tcp80);
    expect([e.egress.allowed, e.ingress.allowed]).toEqual([true, false]);
  });
});

describe('Reachability: peers', () => {
  const objects = (peer: any): any[] => [
    namespace('prod', { env: 'prod' }), namespace('dev', { env: 'dev' }),
    pod('prod', 'db', { labels: { app: 'db' } }),
    pod('prod', 'api', { labels: { app: 'api' } }),
    pod('prod', 'web', { labels: { app: 'web' } }),
    pod('dev', 'api', { labels: { app: 'api' } }),
    pod('other', 'api', { labels: { app: 'api' } }),
    policy('prod', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: peer }] }),
  ];
  const sourcesOfDb = (peer: any): string[] => {
    const r = Reachability.fromManifests(objects(peer));
    return r.pods.filter((p) => p !== 'prod/db' && r.isAllowed(p, 'prod/db', tcp80));
  };

  test('podSelector alone selects pods in the policy namespace only', () => {
    expect(sourcesOfDb([{ podSelector: { matchLabels: { app: 'api' } } }])).toEqual(['prod/api']);
  });

  test('an empty podSelector selects every pod of the policy namespace', () => {
    expect(sourcesOfDb([{ podSelector: {} }])).toEqual(['prod/api', 'prod/web']);
  });

  test('namespaceSelector alone selects every pod of matching namespaces', () => {
    expect(sourcesOfDb([{ namespaceSelector: { matchLabels: { env: 'dev' } } }])).toEqual(['dev/api']);
    expect(sourcesOfDb([{ namespaceSelector: {} }])).toEqual(['prod/api', 'prod/web', 'dev/api', 'other/api']);
  });

  test('an undeclared namespace has its name label, and only that', () => {
    expect(sourcesOfDb([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }])).toEqual(['other/api']);
    expect(sourcesOfDb([{ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] } }])).toEqual(['other/api']);
  });

  test('a declared namespace has its name label even when not written', () => {
    expect(sourcesOfDb([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dev' } } }])).toEqual(['dev/api']);
  });

  test('podSelector and namespaceSelector in one peer: AND', () => {
    expect(sourcesOfDb([{ namespaceSelector: { matchLabels: { env: 'dev' } }, podSelector: { matchLabels: { app: 'api' } } }])).toEqual(['dev/api']);
    expect(sourcesOfDb([{ namespaceSelector: { matchLabels: { env: 'dev' } }, podSelector: { matchLabels: { app: 'web' } } }])).toEqual([]);
  });

  test('podSelector and namespaceSelector in two peers: OR', () => {
    expect(sourcesOfDb([{ namespaceSelector: { matchLabels: { env: 'dev' } } }, { podSelector: { matchLabels: { app: 'web' } } }]))
      .toEqual(['prod/web', 'dev/api']);
  });

  test('matchExpressions: In, NotIn (absent key matches), Exists, DoesNotExist', () => {
    const r = Reachability.fromManifests([
      pod('n', 'dst', { labels: { role: 'dst' } }),
      pod('n', 'a', { labels: { tier: 'a' } }),
      pod('n', 'b', { labels: { tier: 'b' } }),
      pod('n', 'none'),
      policy('n', 'p', {
        podSelector: { matchLabels: { role: 'dst' } },
        ingress: [
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a'] }] } }], ports: [{ port: 1 }] },
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] } }], ports: [{ port: 2 }] },
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }], ports: [{ port: 3 }] },
          { from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] } }], ports: [{ port: 4 }] },
        ],
      }),
    ]);
    const allowedFrom = (port: number): string[] => ['a', 'b', 'none'].filter((p) => r.isAllowed(p, 'dst', Port.tcp(port)));
    expect(allowedFrom(1)).toEqual(['a']);
    expect(allowedFrom(2)).toEqual(['b', 'none']);
    expect(allowedFrom(3)).toEqual(['a', 'b']);
    expect(allowedFrom(4)).toEqual(['none']);
  });

  test('ipBlock with except matches pod IPs, IPv4 and IPv6; pods without IPs never match', () => {
    const r = Reachability.fromManifests([
      pod('n', 'dst', { labels: { role: 'dst' } }),
      pod('n', 'in4', { ips: ['10.1.2.3'] }),
      pod('n', 'except4', { ips: ['10.1.9.9'] }),
      pod('n', 'out4', { ips: ['192.168.0.1'] }),
      pod('n', 'in6', { ips: ['fd00::1:5'] }),
      pod('n', 'except6', { ips: ['fd00::ff:1'] }),
      pod('n', 'dual', { ips: ['192.168.0.2', 'fd00::2'] }),
      pod('n', 'noip'),
      policy('n', 'p', {
        podSelector: { matchLabels: { role: 'dst' } },
        ingress: [{
          from: [
            { ipBlock: { cidr: '10.1.0.0/16', except: ['10.1.9.0/24'] } },
            { ipBlock: { cidr: 'fd00::/64', except: ['fd00::ff:0/112'] } },
          ],
        }],
      }),
    ]);
    const sources = r.pods.filter((p) => p !== 'n/dst' && r.isAllowed(p, 'dst', tcp80));
    expect(sources).toEqual(['n/in4', 'n/in6', 'n/dual']);
  });

  test('an egress ipBlock matches the destination pod IPs', () => {
    const r = Reachability.fromManifests([
      pod('n', 'src', { labels: { role: 'src' } }),
      pod('n', 'in', { ips: ['10.0.0.5'] }),
      pod('n', 'out', { ips: ['10.0.1.5'] }),
      policy('n', 'p', { podSelector: { matchLabels: { role: 'src' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }] }] }),
    ]);
    expect(r.isAllowed('src', 'in', tcp80)).toBe(true);
    expect(r.isAllowed('src', 'out', tcp80)).toBe(false);
  });
});

describe('Reachability: ports', () => {
  const build = (ports: any[], direction: 'ingress' | 'egress' = 'ingress'): Reachability => Reachability.fromManifests([
    pod('n', 'src', { labels: { role: 'src' } }),
    pod('n', 'dst', { labels: { role: 'dst' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 5353, protocol: 'UDP' }] }),
    pod('n', 'other', { labels: { role: 'dst' }, ports: [{ name: 'http', containerPort: 9090 }] }),
    direction === 'ingress'
      ? policy('n', 'p', { podSelector: { matchLabels: { role: 'dst' } }, ingress: [{ ports }] })
      : policy('n', 'p', { podSelector: { matchLabels: { role: 'src' } }, policyTypes: ['Egress'], egress: [{ ports }] }),
  ]);

  test('protocol defaults to TCP', () => {
    const r = build([{ port: 80 }]);
    expect(r.isAllowed('src', 'dst', Port.tcp(80))).toBe(true);
    expect(r.isAllowed('src', 'dst', Port.udp(80))).toBe(false);
  });

  test('a port entry without port admits every port of its protocol', () => {
    const r = build([{ protocol: 'UDP' }]);
    expect(r.isAllowed('src', 'dst', Port.udp(1))).toBe(true);
    expect(r.isAllowed('src', 'dst', Port.udp(65535))).toBe(true);
    expect(r.isAllowed('src', 'dst', Port.tcp(1))).toBe(false);
  });

  test('endPort: an inclusive range', () => {
    const r = build([{ port: 8000, endPort: 8080 }]);
    expect([7999, 8000, 8080, 8081].map((p) => r.isAllowed('src', 'dst', Port.tcp(p)))).toEqual([false, true, true, false]);
  });

  test('a named port resolves on each destination pod, for its protocol', () => {
    for (const direction of ['ingress', 'egress'] as const) {
      const r = build([{ port: 'http' }, { port: 'dns', protocol: 'UDP' }], direction);
      expect(r.isAllowed('src', 'dst', Port.tcp(8080))).toBe(true);
      expect(r.isAllowed('src', 'dst', Port.tcp(9090))).toBe(false);
      expect(r.isAllowed('src', 'other', Port.tcp(9090))).toBe(true);
      expect(r.isAllowed('src', 'other', Port.tcp(8080))).toBe(false);
      expect(r.isAllowed('src', 'dst', Port.udp(5353))).toBe(true);
      expect(r.isAllowed('src', 'dst', Port.tcp(5353))).toBe(false);
      expect(r.isAllowed('src', 'dst', Port.named('http'))).toBe(true);
      expect(r.matrix(Port.tcp(9090)).isAllowed('src', 'other')).toBe(true);
      expect(r.matrix(Port.tcp(9090)).isAllowed('src', 'dst')).toBe(false);
    }
  });

  test('a named port with the wrong protocol does not match', () => {
    const r = build([{ port: 'http', protocol: 'UDP' }]);
    expect(r.isAllowed('src', 'dst', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('src', 'dst', Port.udp(8080))).toBe(false);
  });

  test('probes must be one port', () => {
    const r = build([]);
    expect(() => r.isAllowed('src', 'dst', Port.tcpRange(1, 2))).toThrow(/one port, not a range/);
    expect(() => r.isAllowed('src', 'dst', Port.allPorts())).toThrow(/one port of one protocol/);
    expect(() => r.isAllowed('src', 'dst', Port.named('nope'))).toThrow(/n\/dst has no TCP container port named 'nope'/);
    expect(() => r.matrix(Port.named('http'))).toThrow(/use a numeric port/);
  });

  test('allowedPorts: egress ranges intersected with ingress ranges', () => {
    const r = Reachability.fromManifests([
      pod('n', 'src', { labels: { role: 'src' } }),
      pod('n', 'dst', { labels: { role: 'dst' }, ports: [{ name: 'http', containerPort: 8080 }] }),
      policy('n', 'src', { podSelector: { matchLabels: { role: 'src' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 8000, endPort: 9000 }, { protocol: 'UDP' }] }] }),
      policy('n', 'dst', { podSelector: { matchLabels: { role: 'dst' } }, ingress: [{ ports: [{ port: 'http' }, { port: 443 }, { port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(r.allowedPorts('src', 'dst')).toEqual([{ protocol: 'TCP', startPort: 8080, endPort: 8080 }, { protocol: 'UDP', startPort: 53, endPort: 53 }]);
    expect(r.allowedPorts('dst', 'src')).toEqual([
      { protocol: 'TCP', startPort: 1, endPort: 65535 }, { protocol: 'UDP', startPort: 1, endPort: 65535 }, { protocol: 'SCTP', startPort: 1, endPort: 65535 },
    ]);
  });
});

describe('Reachability: pods and names', () => {
  test('workload pod templates are endpoints named after the workload', () => {
    const r = Reachability.fromManifests([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { template: { metadata: { labels: { a: '1' } }, spec: { containers: [] } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj', namespace: 'n' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { a: '2' } }, spec: { containers: [] } } } } } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'ds' }, spec: { template: { metadata: { labels: {} }, spec: { containers: [] } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ignored', namespace: 'n' } },
    ]);
    expect(r.pods).toEqual(['n/d', 'n/cj', 'default/ds']);
  });

  test('a workload whose controlled objects are present stands back for them', () => {
    const owned = (kind: string, owner: string) => [{ apiVersion: 'v1', kind, name: owner, controller: true }];
    const r = Reachability.fromManifests([
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'n' }, spec: { template: { metadata: { labels: { app: 'web' } } } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8', namespace: 'n', ownerReferences: owned('Deployment', 'web') }, spec: { template: { metadata: { labels: { app: 'web' } } } } },
      { ...pod('n', 'web-5d8-abcde', { labels: { app: 'web' }, ips: ['10.0.0.1'] }), metadata: { name: 'web-5d8-abcde', namespace: 'n', labels: { app: 'web' }, ownerReferences: owned('ReplicaSet', 'web-5d8') } },
    ]);
    expect(r.pods).toEqual(['n/web-5d8-abcde']);
  });

  test('plain names work when unique, and errors list the choices', () => {
    const r = Reachability.fromManifests([pod('a', 'x'), pod('b', 'x'), pod('b', 'y')]);
    expect(r.isAllowed('y', 'a/x', tcp80)).toBe(true);
    expect(() => r.isAllowed('x', 'y', tcp80)).toThrow("pod name 'x' is ambiguous: a/x, b/x. Write it as namespace/name");
    expect(() => r.isAllowed('zz', 'y', tcp80)).toThrow("no pod named 'zz'. Known pods: a/x, b/x, b/y");
    expect(() => r.isAllowed('c/x', 'y', tcp80)).toThrow("no pod 'c/x'");
  });

  test('two pods with one name are an error naming both', () => {
    expect(() => Reachability.fromManifests([pod('a', 'x'), { ...pod('a', 'x'), kind: 'Pod' }]))
      .toThrow("items[1]: there are two pods named 'a/x': a Pod (items[0]) and a Pod");
  });

  test('two NetworkPolicies with one name are an error, not a union: the API server keeps only one', () => {
    const wide = policy('a', 'p', { podSelector: {}, ingress: [{}] });
    const narrow = policy('a', 'p', { podSelector: {}, ingress: [] });
    expect(() => Reachability.fromManifests([pod('a', 'x'), wide, narrow]))
      .toThrow("items[2]: there are two NetworkPolicies named 'a/p' (items[1] and items[2]); the API server keeps one object per name, so the later one would replace the earlier. Rename one or delete it");
  });

  test('addPod declares pods from elsewhere', () => {
    const r = Reachability.fromManifests([
      pod('a', 'srv', { labels: { app: 'srv' } }),
      policy('a', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'clients' } } }], ports: [{ port: 'http' }] }] }),
    ]);
    expect(r.isAllowed('srv', 'srv', tcp80)).toBe(true);
    r.addPod({ namespace: 'clients', name: 'c', labels: { any: 'thing' } })
      .addPod({ namespace: 'a', name: 'srv2', ports: [{ name: 'http', containerPort: 80 }] });
    expect(r.isAllowed('c', 'srv2', tcp80)).toBe(true);
    expect(r.matrix(tcp80).isAllowed('c', 'srv2')).toBe(true);
    expect(r.isAllowed('c', 'srv', tcp80)).toBe(false);
  });

  test('invalid NetworkPolicies are rejected with the API server message', () => {
    expect(() => Reachability.fromManifests([policy('a', 'p', { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] })]))
      .toThrow(/items\[0\]: NetworkPolicy 'a\/p' is invalid \(the API server would reject it\): .*endPort/);
  });
});
