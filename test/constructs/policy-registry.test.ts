import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, DnsResolver, LabelExpression, LabelSelector, OwnedNamespaces, Peer, Port, Workload } from '../../src';
import { checkDns1123Subdomain } from '../../src/vocabulary/k8s-rules';
import { chartIn, KUBE_DNS, NODE_LOCAL_DNS, policiesOf, reachabilityOf } from '../support/cluster';

const api = Workload.fromLabels({ app: 'api' });
const web = Peer.pods(LabelSelector.matchLabels({ app: 'web' }));
const worker = Peer.pods(LabelSelector.matchLabels({ app: 'worker' }));

/** The spec of the policy named `name`. */
function spec(policies: any[], name: string): any {
  const policy = policies.find((p) => p.metadata.name === name);
  if (!policy) throw new Error(`no policy ${name} in ${policies.map((p) => p.metadata.name).join(', ')}`);
  return policy.spec;
}

describe('rules are merged into the smallest set of policies', () => {
  test('a repeated grant is a no-op, never a crash', () => {
    const once = chartIn('shop');
    new AllowFrom(once, 'a', { to: api, from: [web], ports: [Port.tcp(8080)] });
    const thrice = chartIn('shop');
    new AllowFrom(thrice, 'a', { to: api, from: [web], ports: [Port.tcp(8080)] });
    new AllowFrom(thrice, 'b', { to: api, from: [web, web], ports: [Port.tcp(8080), Port.tcp(8080)] });
    new AllowTo(thrice, 'c', { from: Workload.fromLabels({ app: 'web' }), to: [Peer.workload(api)], ports: [Port.tcp(8080)] });
    expect(policiesOf(thrice)).toEqual(policiesOf(once));
  });

  test('one policy per workload; peers with the same ports share a rule', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'web', { to: api, from: [web], ports: [Port.tcp(8080)] });
    new AllowFrom(chart, 'worker', { to: api, from: [worker], ports: [Port.tcp(8080)] });
    expect(spec(policiesOf(chart), 'api-netpol').ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { app: 'web' } } }, { podSelector: { matchLabels: { app: 'worker' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }],
    }]);
  });

  test('ports granted to one peer at different times end up in one rule', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'http', { to: api, from: [web], ports: [Port.tcp(8080)] });
    new AllowFrom(chart, 'metrics', { to: api, from: [web], ports: [Port.tcp(9090), Port.udp(8125)] });
    expect(spec(policiesOf(chart), 'api-netpol').ingress).toEqual([{
      from: [{ podSelector: { matchLabels: { app: 'web' } } }],
      ports: [{ protocol: 'TCP', port: 8080 }, { protocol: 'TCP', port: 9090 }, { protocol: 'UDP', port: 8125 }],
    }]);
  });

  test('peers with different ports get separate rules (never a cross product)', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'web', { to: api, from: [web], ports: [Port.tcp(8080)] });
    new AllowFrom(chart, 'worker', { to: api, from: [worker], ports: [Port.tcp(9090)] });
    expect(spec(policiesOf(chart), 'api-netpol').ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ protocol: 'TCP', port: 8080 }] },
      { from: [{ podSelector: { matchLabels: { app: 'worker' } } }], ports: [{ protocol: 'TCP', port: 9090 }] },
    ]);
  });

  test('wider ports absorb narrower ones', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'a', { to: api, from: [web], ports: [Port.tcp(8080), Port.tcp(9001), Port.udp(53)] });
    new AllowFrom(chart, 'b', { to: api, from: [web], ports: [Port.tcpRange(9000, 9100)] });
    new AllowFrom(chart, 'c', { to: api, from: [web], ports: [Port.allUdp()] });
    expect(spec(policiesOf(chart), 'api-netpol').ingress[0].ports).toEqual([
      { protocol: 'TCP', port: 8080 },
      { protocol: 'TCP', port: 9000, endPort: 9100 },
      { protocol: 'UDP' },
    ]);
    new AllowFrom(chart, 'd', { to: api, from: [web], ports: [Port.allPorts()] });
    expect(spec(policiesOf(chart), 'api-netpol').ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]);
  });

  test('the same workload written different ways is one policy', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'a', { to: Workload.fromLabels({ tier: 'api', app: 'shop' }), from: [web], ports: [Port.HTTP] });
    new AllowFrom(chart, 'b', { to: Workload.fromSelector(LabelSelector.of({ labels: { app: 'shop', tier: 'api' } }), { namespace: 'shop' }), from: [worker], ports: [Port.HTTP] });
    expect(policiesOf(chart)).toHaveLength(3);
    expect(policiesOf(chart).filter((p) => p.spec.podSelector.matchLabels?.tier === 'api')).toHaveLength(1);
  });

  test('a whole namespace given as a workload gets its side written; a namespace given as a peer does not', () => {
    const chart = chartIn('shop');
    new OwnedNamespaces(chart, 'owned', { namespaces: ['batch', 'monitoring'] });
    new AllowFrom(chart, 'a', { to: api, from: [Peer.workload(Workload.allPods('batch'))], ports: [Port.HTTP] });
    new AllowFrom(chart, 'b', { to: api, from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] });
    const policies = policiesOf(chart);
    expect(policies.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['shop/api-netpol', 'batch/all-pods-netpol']);
    expect(policies[1].spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'api' } } }],
      ports: [{ protocol: 'TCP', port: 80 }],
    });
  });

  test('policyTypes is always explicit and lists exactly the isolated directions', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'a', { to: api, from: [web], ports: [Port.HTTP] });
    new AllowTo(chart, 'b', { from: api, to: [Peer.anyPublicIpv4()], ports: [Port.HTTPS] });
    const policies = policiesOf(chart);
    expect(spec(policies, 'api-netpol').policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec(policies, 'web-netpol').policyTypes).toEqual(['Egress']);
  });

  test('one app, several charts: a workload still gets one policy', () => {
    const app = Testing.app();
    const first = chartIn('shop', app);
    const second = chartIn('shop-extra', app);
    new AllowFrom(first, 'a', { to: api, from: [web], ports: [Port.HTTP] });
    new AllowFrom(second, 'b', { to: Workload.fromLabels({ app: 'api' }, { namespace: 'shop' }), from: [worker], ports: [Port.HTTP] });
    const apiPolicies = policiesOf(first).filter((p) => p.metadata.name === 'api-netpol');
    expect(apiPolicies).toHaveLength(1);
    expect(apiPolicies[0].spec.ingress[0].from).toHaveLength(2);
  });
});

describe('charts', () => {
  test('a policy is written into the chart of its namespace when the app has one, whichever chart declares the flow', () => {
    const app = Testing.app();
    const shop = chartIn('shop', app);
    const payments = chartIn('payments', app);
    const other = new Chart(app, 'flows');
    new AllowFrom(payments, 'web-to-api', {
      to: Workload.fromLabels({ app: 'api' }),
      from: [Peer.podsIn('shop', LabelSelector.matchLabels({ app: 'web' }))],
      ports: [Port.HTTPS],
    });
    new DefaultDeny(other, 'deny-blog', { namespace: 'blog' });
    const placed = (chart: Chart) => Testing.synth(chart).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(placed(shop)).toEqual(['shop/web-netpol']);
    expect(placed(payments)).toEqual(['payments/api-netpol']);
    // No chart of the app is the namespace 'blog': the requester's chart holds it.
    expect(placed(other)).toEqual(['blog/all-pods-netpol']);
  });
});

describe('names', () => {
  test('deterministic: the same program writes the same manifests', () => {
    const build = () => {
      const chart = chartIn('shop');
      const deployment = new kplus.Deployment(chart, 'frontend', { containers: [{ image: 'web' }] });
      new DefaultDeny(chart, 'deny');
      new AllowFrom(chart, 'a', { to: Workload.of(deployment), from: [Peer.namespace('ingress-nginx')], ports: [Port.HTTP] });
      new AllowFrom(chart, 'b', { to: api, from: [Peer.workload(Workload.of(deployment))], ports: [Port.tcp(8080)] });
      return policiesOf(chart);
    };
    expect(build()).toEqual(build());
  });

  test('two workloads with the same derived name get distinct names', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'a', { workload: Workload.fromLabels({ app: 'web' }) });
    new DefaultDeny(chart, 'b', { workload: Workload.fromLabels({ name: 'web' }) });
    const names = policiesOf(chart).map((p) => p.metadata.name);
    expect(names[0]).toBe('web-netpol');
    expect(names[1]).toMatch(/^web-[0-9a-f]{8}-netpol$/);
  });

  test('the same name in two namespaces is fine', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'a', { workload: Workload.fromLabels({ app: 'web' }) });
    new DefaultDeny(chart, 'b', { workload: Workload.fromLabels({ app: 'web' }, { namespace: 'blog' }) });
    expect(policiesOf(chart).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['shop/web-netpol', 'blog/web-netpol']);
  });

  test('namespace and name never run together: a-b/c and a/b-c are two policies, not a crash', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'a', { workload: Workload.fromLabels({ app: 'c' }, { namespace: 'a-b' }) });
    new DefaultDeny(chart, 'b', { workload: Workload.fromLabels({ app: 'b-c' }, { namespace: 'a' }) });
    expect(policiesOf(chart).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['a-b/c-netpol', 'a/b-c-netpol']);
  });

  test.each([
    [{ app: 'a'.repeat(63) }],
    [{ 'app.kubernetes.io/name': 'Web_Frontend.v2' }],
    [{ app: 'x', team: 'y', tier: 'z', env: 'production-eu-west-1', component: 'frontend-server' }],
  ])('long or odd label values still make valid names: %p', (labels) => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny', { workload: Workload.fromLabels(labels) });
    const [policy] = policiesOf(chart);
    expect(checkDns1123Subdomain(policy.metadata.name)).toBeUndefined();
    expect(policy.metadata.name.length).toBeLessThanOrEqual(63);
  });

  test('expression-only selectors and explicit names', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'a', { workload: Workload.fromSelector(LabelSelector.of({ expressions: [LabelExpression.exists('canary')] })) });
    new DefaultDeny(chart, 'b', { workload: Workload.fromLabels({ app: 'x' }, { name: 'checkout' }) });
    expect(policiesOf(chart).map((p) => p.metadata.name)).toEqual(['selected-pods-netpol', 'checkout-netpol']);
  });
});

describe('DNS on a workload inside a namespace-wide policy', () => {
  const API = { namespace: 'shop', name: 'api', labels: { app: 'api' } };
  const OPENSHIFT_DNS = { namespace: 'openshift-dns', name: 'dns-default', labels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } };

  test('a workload asking for another resolver than its namespace keeps reaching it', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny');
    new AllowTo(chart, 'api-out', { from: api, to: [Peer.ipv4('203.0.113.0/24')], ports: [Port.HTTPS], dns: DnsResolver.openShift() });
    new DefaultDeny(chart, 'web-deny', { workload: Workload.fromLabels({ app: 'web' }), dns: DnsResolver.nodeLocal() });
    const reach = reachabilityOf(chart, [API, { namespace: 'shop', name: 'web', labels: { app: 'web' } }, KUBE_DNS, NODE_LOCAL_DNS, OPENSHIFT_DNS]);
    expect(reach.isAllowed('shop/api', 'openshift-dns/dns-default', Port.udp(5353))).toBe(true);
    expect(reach.isAllowed('shop/web', 'kube-system/node-local-dns', Port.DNS_UDP)).toBe(true);
    // The resolver the namespace already reaches is not written again.
    expect(spec(policiesOf(chart), 'web-netpol').egress).toEqual([{
      to: [{ ipBlock: { cidr: '169.254.20.10/32' } }],
      ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
    }]);
  });

  test('a namespace egress-isolated without DNS leaves the workload its own', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny', { dns: DnsResolver.none() });
    new DefaultDeny(chart, 'api-deny', { workload: api });
    const reach = reachabilityOf(chart, [API, KUBE_DNS]);
    expect(reach.isAllowed('shop/api', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('shop/api', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
  });

  test('two custom resolvers on one workload: both are reached', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'one', { workload: api, dns: DnsResolver.custom([Peer.ipv4('10.0.0.10/32')], [Port.DNS_UDP]) });
    new DefaultDeny(chart, 'two', { workload: api, dns: DnsResolver.custom([Peer.ipv4('10.0.0.20/32')], [Port.DNS_UDP]) });
    const reach = reachabilityOf(chart, [API,
      { namespace: 'dns', name: 'one', labels: { app: 'dns' }, ips: ['10.0.0.10'] },
      { namespace: 'dns', name: 'two', labels: { app: 'dns' }, ips: ['10.0.0.20'] }]);
    expect(reach.isAllowed('shop/api', 'dns/one', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('shop/api', 'dns/two', Port.DNS_UDP)).toBe(true);
  });
});
