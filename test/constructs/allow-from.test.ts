import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, DefaultDeny, DnsResolver, LabelSelector, Peer, Port, Workload } from '../../src';
import { allowedFlows, chartIn, chartWithoutNamespace, KUBE_DNS, policiesOf, reachabilityOf } from '../support/cluster';

const web = LabelSelector.matchLabels({ app: 'web' });
const api = Workload.fromLabels({ app: 'api' });
const PODS = [
  { namespace: 'shop', name: 'web', labels: { app: 'web' } },
  { namespace: 'shop', name: 'api', labels: { app: 'api' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }] },
  { namespace: 'shop', name: 'worker', labels: { app: 'worker' } },
  { namespace: 'ingress-nginx', name: 'controller', labels: { app: 'ingress' } },
  { namespace: 'other', name: 'client', labels: { app: 'client' } },
  KUBE_DNS,
];
const NAMES = ['shop/web', 'shop/api', 'shop/worker', 'ingress-nginx/controller', 'other/client'];

describe('AllowFrom', () => {
  test('ingress to the workload from a pod peer, and the matching egress on the source', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'web-to-api', { to: api, from: [Peer.pods(web)], ports: [Port.tcp(8080)] });
    expect(policiesOf(chart)).toMatchSnapshot();

    const reach = reachabilityOf(chart, PODS);
    // api is ingress-isolated: only web reaches it. web is egress-isolated: only api (and DNS).
    expect(allowedFlows(reach, NAMES, Port.tcp(8080))).toEqual([
      'ingress-nginx/controller -> other/client',
      'ingress-nginx/controller -> shop/web',
      'ingress-nginx/controller -> shop/worker',
      'other/client -> ingress-nginx/controller',
      'other/client -> shop/web',
      'other/client -> shop/worker',
      'shop/api -> ingress-nginx/controller',
      'shop/api -> other/client',
      'shop/api -> shop/web',
      'shop/api -> shop/worker',
      'shop/web -> shop/api',
      'shop/worker -> ingress-nginx/controller',
      'shop/worker -> other/client',
      'shop/worker -> shop/web',
    ]);
    expect(reach.isAllowed('shop/web', 'shop/api', Port.tcp(9090))).toBe(false);
    expect(reach.isAllowed('shop/web', 'shop/api', Port.udp(8080))).toBe(false);
    expect(reach.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
  });

  test('allowSourceEgress: false writes only the destination side', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'web-to-api', { to: api, from: [Peer.pods(web)], ports: [Port.tcp(8080)], allowSourceEgress: false });
    expect(policiesOf(chart).map((p) => p.metadata.name)).toEqual(['api-netpol']);
    const reach = reachabilityOf(chart, PODS);
    expect(reach.isAllowed('shop/web', 'shop/api', Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed('shop/web', 'other/client', Port.tcp(8080))).toBe(true);
  });

  test('the flow works when both sides are default-denied', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny');
    new AllowFrom(chart, 'web-to-api', { to: api, from: [Peer.pods(web)], ports: [Port.tcp(8080)] });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, PODS);
    expect(allowedFlows(reach, NAMES, Port.tcp(8080))).toEqual([
      'ingress-nginx/controller -> other/client',
      'other/client -> ingress-nginx/controller',
      'shop/web -> shop/api',
    ]);
  });

  test('peers in other namespaces: namespace by name and pods in a namespace (AND)', () => {
    const chart = chartIn('shop');
    chartIn('other', chart.node.root as App);
    new DefaultDeny(chart, 'deny');
    new AllowFrom(chart, 'ingress-to-web', { to: Workload.fromLabels({ app: 'web' }), from: [Peer.namespace('ingress-nginx')], ports: [Port.HTTP] });
    new AllowFrom(chart, 'client-to-api', {
      to: api,
      from: [Peer.podsIn('other', LabelSelector.matchLabels({ app: 'client' }))],
      ports: [Port.tcp(8080)],
    });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, [...PODS, { namespace: 'other', name: 'intruder', labels: { app: 'intruder' } }]);
    expect(reach.isAllowed('ingress-nginx/controller', 'shop/web', Port.HTTP)).toBe(true);
    expect(reach.isAllowed('ingress-nginx/controller', 'shop/api', Port.HTTP)).toBe(false);
    expect(reach.isAllowed('other/client', 'shop/api', Port.tcp(8080))).toBe(true);
    // the other side of the cross-namespace flow is written in the source's namespace, which the app owns
    expect(policiesOf(chart).find((p) => p.metadata.namespace === 'other')?.spec.egress).toBeDefined();
    expect(reach.isAllowed('other/intruder', 'shop/api', Port.tcp(8080))).toBe(false);
    // a namespace is not one workload: no policy is written in ingress-nginx
    expect(policiesOf(chart).some((p) => p.metadata.namespace === 'ingress-nginx')).toBe(false);
  });

  test('ports: named ports resolve on the destination, ranges and all-TCP', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'web-to-api', { to: api, from: [Peer.pods(web)], ports: [Port.named('http')] });
    new AllowFrom(chart, 'worker-to-api', { to: api, from: [Peer.pods(LabelSelector.matchLabels({ app: 'worker' }))], ports: [Port.tcpRange(9000, 9100)] });
    new AllowFrom(chart, 'ingress-to-api', { to: api, from: [Peer.namespace('ingress-nginx')], ports: [Port.allTcp()] });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, PODS);
    expect(reach.isAllowed('shop/web', 'shop/api', Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed('shop/web', 'shop/api', Port.tcp(9090))).toBe(false);
    expect(reach.isAllowed('shop/worker', 'shop/api', Port.tcp(9090))).toBe(true);
    expect(reach.isAllowed('shop/worker', 'shop/api', Port.tcp(9101))).toBe(false);
    expect(reach.isAllowed('ingress-nginx/controller', 'shop/api', Port.tcp(12345))).toBe(true);
    expect(reach.isAllowed('ingress-nginx/controller', 'shop/api', Port.udp(12345))).toBe(false);
  });

  test('IP blocks: no other side is written', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'office-to-api', { to: api, from: [Peer.ipv4('203.0.113.0/24', ['203.0.113.128/25'])], ports: [Port.HTTPS] });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, [
      ...PODS,
      { namespace: 'external', name: 'office', ips: ['203.0.113.10'] },
      { namespace: 'external', name: 'guest-wifi', ips: ['203.0.113.200'] },
    ]);
    expect(reach.isAllowed('external/office', 'shop/api', Port.HTTPS)).toBe(true);
    expect(reach.isAllowed('external/guest-wifi', 'shop/api', Port.HTTPS)).toBe(false);
  });

  test('cdk8s-plus-28 workloads on both sides', () => {
    const chart = chartIn('shop');
    const frontend = new kplus.Deployment(chart, 'frontend', { containers: [{ image: 'web', portNumber: 80 }] });
    const backend = new kplus.StatefulSet(chart, 'backend', { containers: [{ image: 'api', portNumber: 8080 }] });
    new DefaultDeny(chart, 'deny');
    new AllowFrom(chart, 'frontend-to-backend', { to: Workload.of(backend), from: [Peer.workload(Workload.of(frontend))], ports: [Port.tcp(8080)] });
    const reach = reachabilityOf(chart, []);
    expect(reach.isAllowed(`shop/${frontend.name}`, `shop/${backend.name}`, Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed(`shop/${backend.name}`, `shop/${frontend.name}`, Port.tcp(80))).toBe(false);
  });

  test('a custom DNS resolver for the source made egress-isolated', () => {
    const chart = chartIn('shop');
    new AllowFrom(chart, 'web-to-api', { to: api, from: [Peer.pods(web)], ports: [Port.tcp(8080)], dns: DnsResolver.openShift() });
    const webPolicy = policiesOf(chart).find((p) => p.metadata.name === 'web-netpol');
    expect(webPolicy.spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } }, podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } } }],
      ports: [{ protocol: 'TCP', port: 5353 }, { protocol: 'UDP', port: 5353 }],
    });
  });

  describe('bad input', () => {
    test('no peers', () => {
      expect(() => new AllowFrom(chartIn('shop'), 'x', { to: api, from: [], ports: [Port.HTTP] })).toThrow(
        "shop/x: 'from' is empty, so nothing would be allowed while the pods would still be isolated. Name at least one peer; to deny everything use DefaultDeny");
    });

    test('dns with allowSourceEgress: false', () => {
      expect(() => new AllowFrom(chartIn('shop'), 'a', { to: api, from: [Peer.pods(web)], ports: [Port.HTTP], allowSourceEgress: false, dns: DnsResolver.openShift() })).toThrow(
        'shop/a: dns is set to openshift-dns but allowSourceEgress is false, so no source is made egress-isolated and it would have no effect. Remove dns, or leave allowSourceEgress out');
    });

    test('no ports', () => {
      expect(() => new AllowFrom(chartIn('shop'), 'x', { to: api, from: [Peer.pods(web)], ports: [] })).toThrow(
        "shop/x: 'ports' is empty. List the ports, or use Port.allPorts() to allow every port of every protocol");
    });

    test('a workload without a namespace in a chart without one', () => {
      expect(() => new AllowFrom(chartWithoutNamespace(), 'x', { to: api, from: [Peer.pods(web)], ports: [Port.HTTP] })).toThrow(
        "no-namespace/x: Workload.fromSelector('app=api') has no namespace, and the chart 'no-namespace' has none either");
    });
  });
});
