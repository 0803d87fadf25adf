import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DefaultDeny, DnsResolver, PolicyDirection, Port, Workload } from '../../src';
import { allowedFlows, chartIn, chartWithoutNamespace, KUBE_DNS, NODE_LOCAL_DNS, policiesOf, reachabilityOf } from '../support/cluster';

const PODS = [
  { namespace: 'shop', name: 'web', labels: { app: 'web' } },
  { namespace: 'shop', name: 'api', labels: { app: 'api' } },
  { namespace: 'other', name: 'client', labels: { app: 'client' } },
  KUBE_DNS,
];
const NAMES = ['shop/web', 'shop/api', 'other/client', 'kube-system/coredns'];

describe('DefaultDeny', () => {
  test('denies ingress and egress for every pod of the chart\'s namespace, keeping DNS', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny');
    expect(policiesOf(chart)).toMatchSnapshot();

    const reach = reachabilityOf(chart, PODS);
    expect(allowedFlows(reach, NAMES, Port.tcp(8080))).toEqual([
      'kube-system/coredns -> other/client',
      'other/client -> kube-system/coredns',
    ]);
    expect(allowedFlows(reach, NAMES, Port.DNS_UDP)).toEqual([
      'kube-system/coredns -> other/client',
      'other/client -> kube-system/coredns',
      'shop/api -> kube-system/coredns',
      'shop/web -> kube-system/coredns',
    ]);
    expect(reach.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
    expect(reach.isAllowed('shop/web', 'kube-system/coredns', Port.tcp(9153))).toBe(false);
    expect(reach.isAllowed('shop/web', 'shop/web', Port.tcp(8080))).toBe(true);
  });

  test('ingress only: egress stays open and no DNS rule is needed', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny', { directions: [PolicyDirection.INGRESS] });
    const [policy] = policiesOf(chart);
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });

    const reach = reachabilityOf(chart, PODS);
    expect(allowedFlows(reach, NAMES, Port.tcp(8080))).toEqual([
      'kube-system/coredns -> other/client',
      'other/client -> kube-system/coredns',
      'shop/api -> kube-system/coredns',
      'shop/api -> other/client',
      'shop/web -> kube-system/coredns',
      'shop/web -> other/client',
    ]);
  });

  test('egress only', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny', { directions: [PolicyDirection.EGRESS] });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, PODS);
    expect(allowedFlows(reach, NAMES, Port.tcp(8080))).toEqual([
      'kube-system/coredns -> other/client',
      'kube-system/coredns -> shop/api',
      'kube-system/coredns -> shop/web',
      'other/client -> kube-system/coredns',
      'other/client -> shop/api',
      'other/client -> shop/web',
    ]);
  });

  test('an explicit namespace overrides the chart\'s', () => {
    const chart = chartWithoutNamespace();
    new DefaultDeny(chart, 'deny', { namespace: 'payments' });
    expect(policiesOf(chart).map((p) => p.metadata)).toEqual([{ name: 'all-pods-netpol', namespace: 'payments' }]);
  });

  test('one workload only', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny-api', { workload: Workload.fromLabels({ app: 'api' }) });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, PODS);
    expect(allowedFlows(reach, NAMES, Port.tcp(8080))).toEqual([
      'kube-system/coredns -> other/client',
      'kube-system/coredns -> shop/web',
      'other/client -> kube-system/coredns',
      'other/client -> shop/web',
      'shop/web -> kube-system/coredns',
      'shop/web -> other/client',
    ]);
    expect(reach.isAllowed('shop/api', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
  });

  test('a cdk8s-plus-28 Deployment', () => {
    const chart = chartIn('shop');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
    new DefaultDeny(chart, 'deny-api', { workload: Workload.of(api) });
    const [policy] = policiesOf(chart);
    expect(policy.spec.podSelector).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': api.podMetadata.getLabel(kplus.Pod.ADDRESS_LABEL) } });
    const reach = reachabilityOf(chart, PODS);
    expect(reach.isAllowed('shop/web', `shop/${api.name}`, Port.tcp(8080))).toBe(false);
    expect(reach.isAllowed(`shop/${api.name}`, 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
  });

  test('dns: DnsResolver.none() denies DNS too', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny', { dns: DnsResolver.none() });
    const [policy] = policiesOf(chart);
    expect(policy.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(reachabilityOf(chart, PODS).isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(false);
  });

  test('dns: NodeLocal DNSCache', () => {
    const chart = chartIn('shop');
    new DefaultDeny(chart, 'deny', { dns: DnsResolver.nodeLocal() });
    expect(policiesOf(chart)).toMatchSnapshot();
    const reach = reachabilityOf(chart, [...PODS, NODE_LOCAL_DNS]);
    expect(reach.isAllowed('shop/web', 'kube-system/node-local-dns', Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
    expect(reach.isAllowed('shop/web', 'kube-system/node-local-dns', Port.HTTP)).toBe(false);
  });

  test('repeating it changes nothing', () => {
    const once = chartIn('shop');
    new DefaultDeny(once, 'deny');
    const twice = chartIn('shop');
    new DefaultDeny(twice, 'deny');
    new DefaultDeny(twice, 'deny-again');
    new DefaultDeny(twice, 'deny-ingress', { directions: [PolicyDirection.INGRESS] });
    expect(policiesOf(twice)).toEqual(policiesOf(once));
  });

  describe('bad input', () => {
    test('no namespace anywhere', () => {
      const chart = chartWithoutNamespace();
      expect(() => new DefaultDeny(chart, 'deny')).toThrow(
        "no-namespace/deny: Workload.allPods() has no namespace, and the chart 'no-namespace' has none either. Pass { namespace: 'my-ns' } to the workload, or create the chart with new Chart(app, 'id', { namespace: 'my-ns' }): every NetworkPolicy needs one");
    });

    test('an invalid namespace name', () => {
      expect(() => new DefaultDeny(chartIn('shop'), 'deny', { namespace: 'Shop_Prod' })).toThrow(
        "shop/deny: namespace 'Shop_Prod' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit. Use the namespace's name as Kubernetes has it, e.g. 'shop-prod'");
    });

    test('an invalid namespace on the chart: an error, not a policy the API server rejects', () => {
      const chart = new Chart(Testing.app(), 'prod', { namespace: 'Shop_Prod' });
      expect(() => new DefaultDeny(chart, 'deny')).toThrow(
        "prod/deny: the namespace 'Shop_Prod' of the chart 'prod' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit. Create the chart with a valid namespace, e.g. new Chart(app, 'id', { namespace: 'shop-prod' })");
      expect(policiesOf(chart)).toEqual([]);
    });

    test('empty directions', () => {
      expect(() => new DefaultDeny(chartIn('shop'), 'deny', { directions: [] })).toThrow(
        'shop/deny: directions is empty, so nothing would be denied. Leave it out to deny both directions');
    });

    test('dns without egress', () => {
      expect(() => new DefaultDeny(chartIn('shop'), 'deny', { directions: [PolicyDirection.INGRESS], dns: DnsResolver.nodeLocal() })).toThrow(
        'shop/deny: dns is set to node-local 169.254.20.10 but egress is not denied, so it would have no effect. Remove dns, or add PolicyDirection.EGRESS to directions');
    });

    test('namespace conflicting with the workload\'s', () => {
      expect(() => new DefaultDeny(chartIn('shop'), 'deny', { namespace: 'shop', workload: Workload.fromLabels({ app: 'x' }, { namespace: 'data' }) })).toThrow(
        "shop/deny: namespace 'shop' conflicts with the workload's namespace 'data'. Give the namespace on one of them only");
    });

    test('nothing is emitted after an error', () => {
      const chart = chartWithoutNamespace();
      expect(() => new DefaultDeny(chart, 'deny')).toThrow();
      expect(policiesOf(chart)).toEqual([]);
    });
  });
});
