import { App } from 'cdk8s';
import { AllowDnsEgress, AllowTo, DefaultDeny, DnsResolver, LabelSelector, Peer, Port, Workload } from '../../src';
import { allowedFlows, chartIn, KUBE_DNS, NODE_LOCAL_DNS, policiesOf, reachabilityOf } from '../support/cluster';

const api = Workload.fromLabels({ app: 'api' });
const PODS = [
  { namespace: 'shop', name: 'web', labels: { app: 'web' } },
  { namespace: 'shop', name: 'api', labels: { app: 'api' } },
  { namespace: 'data', name: 'db', labels: { app: 'db' } },
  { namespace: 'data', name: 'cache', labels: { app: 'cache' } },
  { namespace: 'external', name: 'payment-gateway', ips: ['198.51.100.7'] },
  { namespace: 'external', name: 'metadata-service', ips: ['169.254.169.254'] },
  KUBE_DNS,
];
const NAMES = ['shop/web', 'shop/api', 'data/db', 'data/cache'];

describe('AllowTo', () => {
  test('egress from the workload, DNS kept, and the matching ingress on the destination in a namespace the app owns', () => {
    const chart = chartIn('shop');
    chartIn('data', chart.node.root as App);
    new AllowTo(chart, 'api-to-db', { from: api, to: [Peer.podsIn('data', LabelSelector.matchLabels({ app: 'db' }))], ports: [Port.POSTGRES] });
    expect(policiesOf(chart)).toMatchSnapshot();

    const reach = reachabilityOf(chart, PODS);
    // api may only reach db (and DNS); db only accepts api; everything else is untouched.
    expect(allowedFlows(reach, NAMES, Port.POSTGRES)).toEqual([
      'data/cache -> shop/api',
      'data/cache -> shop/web',
      'data/db -> data/cache',
      'data/db -> shop/api',
      'data/db -> shop/web',
      'shop/api -> data/db',
      'shop/web -> data/cache',
      'shop/web -> shop/api',
    ]);
    expect(reach.isAllowed('shop/api', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('shop/api', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
  });

  test('allowDestinationIngress: false writes only the source side', () => {
    const chart = chartIn('shop');
    new AllowTo(chart, 'api-to-db', { from: api, to: [Peer.podsIn('data', LabelSelector.matchLabels({ app: 'db' }))], ports: [Port.POSTGRES], allowDestinationIngress: false });
    expect(policiesOf(chart).map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual(['shop/api-netpol']);
  });

  test('dns: DnsResolver.none() blocks DNS', () => {
    const chart = chartIn('shop');
    new AllowTo(chart, 'api-to-db', { from: api, to: [Peer.podsIn('data', LabelSelector.matchLabels({ app: 'db' }))], ports: [Port.POSTGRES], dns: DnsResolver.none() });
    expect(reachabilityOf(chart, PODS).isAllowed('shop/api', 'kube-system/coredns', Port.DNS_UDP)).toBe(false);
  });

  test('external egress: public internet except private ranges', () => {
    const chart = chartIn('shop');
    new AllowTo(chart, 'api-to-internet', { from: api, to: [Peer.anyPublicIpv4()], ports: [Port.HTTPS] });
    const reach = reachabilityOf(chart, PODS);
    expect(reach.isAllowed('shop/api', 'external/payment-gateway', Port.HTTPS)).toBe(true);
    expect(reach.isAllowed('shop/api', 'external/metadata-service', Port.HTTPS)).toBe(false);
    expect(reach.isAllowed('shop/api', 'external/payment-gateway', Port.HTTP)).toBe(false);
  });

  test('a pod-level policy skips the DNS the namespace-wide policy already allows', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny');
    new AllowTo(chart, 'api-to-db', { from: api, to: [Peer.podsIn('data', LabelSelector.matchLabels({ app: 'db' }))], ports: [Port.POSTGRES] });
    const apiPolicy = policiesOf(chart).find((p) => p.metadata.name === 'api-netpol');
    expect(apiPolicy.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'db' } } }],
      ports: [{ protocol: 'TCP', port: 5432 }],
    }]);
    expect(reachabilityOf(chart, PODS).isAllowed('shop/api', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
  });
});

describe('AllowDnsEgress', () => {
  test('for a namespace, with the default resolver', () => {
    const chart = chartIn('shop');
    new AllowDnsEgress(chart, 'dns');
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, PODS);
    expect(reach.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('shop/web', 'kube-system/coredns', Port.tcp(9153))).toBe(false);
    // like every egress rule it isolates: nothing else leaves the namespace
    expect(reach.isAllowed('shop/web', 'data/db', Port.POSTGRES)).toBe(false);
  });

  test('for one workload, with NodeLocal DNSCache', () => {
    const chart = chartIn('shop');
    new AllowDnsEgress(chart, 'dns', { workload: api, resolver: DnsResolver.nodeLocal() });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, [...PODS, NODE_LOCAL_DNS]);
    expect(reach.isAllowed('shop/api', 'kube-system/node-local-dns', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('shop/api', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
    expect(reach.isAllowed('shop/web', 'data/db', Port.POSTGRES)).toBe(true);
  });

  test('OpenShift and custom resolvers', () => {
    const chart = chartIn('shop');
    new AllowDnsEgress(chart, 'openshift', { resolver: DnsResolver.openShift() });
    new AllowDnsEgress(chart, 'custom', {
      namespace: 'data',
      resolver: DnsResolver.custom([Peer.podsIn('dns', LabelSelector.matchLabels({ app: 'unbound' }))], [Port.DNS_UDP]),
    });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, [
      ...PODS,
      { namespace: 'openshift-dns', name: 'dns-default', labels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } },
      { namespace: 'dns', name: 'unbound', labels: { app: 'unbound' } },
    ]);
    expect(reach.isAllowed('shop/web', 'openshift-dns/dns-default', Port.udp(5353))).toBe(true);
    expect(reach.isAllowed('shop/web', 'openshift-dns/dns-default', Port.DNS_UDP)).toBe(false);
    expect(reach.isAllowed('data/db', 'dns/unbound', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('data/db', 'dns/unbound', Port.DNS_TCP)).toBe(false);
  });

  test('bad input: resolver none', () => {
    expect(() => new AllowDnsEgress(chartIn('shop'), 'dns', { resolver: DnsResolver.none() })).toThrow(
      'shop/dns: resolver is DnsResolver.none(), so nothing would be allowed. Remove this construct, or name a resolver');
  });
});
