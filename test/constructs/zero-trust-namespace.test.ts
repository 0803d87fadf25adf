import { Chart } from 'cdk8s';
import * as yaml from 'yaml';
import { DnsResolver, LabelSelector, Peer, Port, Workload, ZeroTrustNamespace } from '../../src';
import { PodDeclaration } from '../../src/analyzer';
import { chartIn, chartWithoutNamespace, KUBE_DNS, policiesOf, reachabilityOf } from '../support/cluster';
import { expectFlowTable } from '../support/flow-table';

/** Two teams' namespaces, the ingress controller, monitoring and the cluster DNS. */
const PODS: { [alias: string]: PodDeclaration } = {
  aWeb: { namespace: 'team-a', name: 'web', labels: { app: 'web' } },
  aApi: { namespace: 'team-a', name: 'api', labels: { app: 'api' } },
  bApi: { namespace: 'team-b', name: 'api', labels: { app: 'api' } },
  bJob: { namespace: 'team-b', name: 'job', labels: { app: 'job' } },
  nginx: { namespace: 'ingress-nginx', name: 'controller', labels: { app: 'ingress-nginx' } },
  prom: { namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' } },
  dns: KUBE_DNS,
};
const IDS = Object.fromEntries(Object.entries(PODS).map(([alias, pod]) => [alias, `${pod.namespace}/${pod.name}`]));

/** Synthesizes (validating every manifest), snapshots the policies as YAML, and returns what they allow between PODS. */
function analyze(chart: Chart) {
  expect(yaml.stringify(policiesOf(chart))).toMatchSnapshot();
  return reachabilityOf(chart, Object.values(PODS));
}

describe('ZeroTrustNamespace', () => {
  test('denies everything both ways but DNS, and leaves other namespaces alone', () => {
    const chart = chartIn('team-a');
    new ZeroTrustNamespace(chart, 'zt');
    expectFlowTable(analyze(chart), IDS, `
      from\\to  aWeb  aApi  bApi  bJob  nginx  prom  dns
      aWeb      all   -     -     -     -      -     53,53/udp
      aApi      -     all   -     -     -      -     53,53/udp
      bApi      -     -     all   all   all    all   all
      bJob      -     -     all   all   all    all   all
      nginx     -     -     all   all   all    all   all
      prom      -     -     all   all   all    all   all
      dns       -     -     all   all   all    all   all
    `);
  });

  test('allowWithinNamespace: the pods of the namespace reach each other on every port, and nothing outside', () => {
    const chart = chartWithoutNamespace();
    new ZeroTrustNamespace(chart, 'zt', { namespace: 'team-a', allowWithinNamespace: true });
    expectFlowTable(analyze(chart), IDS, `
      from\\to  aWeb  aApi  bApi  bJob  nginx  prom  dns
      aWeb      all   all   -     -     -      -     53,53/udp
      aApi      all   all   -     -     -      -     53,53/udp
      bApi      -     -     all   all   all    all   all
      bJob      -     -     all   all   all    all   all
      nginx     -     -     all   all   all    all   all
      prom      -     -     all   all   all    all   all
      dns       -     -     all   all   all    all   all
    `);
  });

  test('two locked-down namespaces, one flow across them, ingress to one workload, monitoring scraping both', () => {
    const chart = chartWithoutNamespace();
    const teamA = new ZeroTrustNamespace(chart, 'team-a', { namespace: 'team-a' });
    const teamB = new ZeroTrustNamespace(chart, 'team-b', { namespace: 'team-b', allowWithinNamespace: true });
    const web = Workload.fromLabels({ app: 'web' });
    const prometheus = Peer.podsIn('monitoring', LabelSelector.matchLabels({ app: 'prometheus' }));
    teamA.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS], { workload: web });
    teamA.allowTo(Peer.workload(Workload.fromLabels({ app: 'api' }, { namespace: 'team-b' })), [Port.tcp(8080)], { workload: web });
    teamA.allowFrom(prometheus, [Port.tcp(9090)]);
    teamB.allowFrom(prometheus, [Port.tcp(9090)]);
    // The app does not own monitoring, so Prometheus keeps its egress (the scrape rules' other side is
    // a flow request): it reaches the teams' metrics ports and everything outside the teams.
    expectFlowTable(analyze(chart), IDS, `
      from\\to  aWeb  aApi  bApi  bJob  nginx  prom  dns
      aWeb      all   -     8080  -     -      -     53,53/udp
      aApi      -     all   -     -     -      -     53,53/udp
      bApi      -     -     all   all   -      -     53,53/udp
      bJob      -     -     all   all   -      -     53,53/udp
      nginx     443   -     -     -     all    all   all
      prom      9090  9090  9090  9090  all    all   all
      dns       -     -     -     -     all    all   all
    `);
  });

  test('a workload-level flow reaches only that workload', () => {
    const chart = chartIn('team-a');
    const zt = new ZeroTrustNamespace(chart, 'zt');
    zt.allowTo(Peer.ipv4('203.0.113.0/24'), [Port.HTTPS], { workload: Workload.fromLabels({ app: 'api' }) });
    const reach = analyze(chart).addPod({ namespace: 'outside', name: 'provider', ips: ['203.0.113.10'] });
    expect(reach.allowedPorts(IDS.aApi, 'outside/provider')).toEqual([{ protocol: 'TCP', startPort: 443, endPort: 443 }]);
    expect(reach.allowedPorts(IDS.aWeb, 'outside/provider')).toEqual([]);
  });

  test('a repeated flow is a no-op: the same child construct, the same manifests', () => {
    const once = chartIn('team-a');
    const zt1 = new ZeroTrustNamespace(once, 'zt');
    zt1.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS, Port.HTTP]);

    const twice = chartIn('team-a');
    const zt2 = new ZeroTrustNamespace(twice, 'zt');
    const first = zt2.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS, Port.HTTP]);
    const second = zt2.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTP, Port.HTTPS]);
    expect(second).toBe(first);
    expect(zt2.node.children.length).toBe(zt1.node.children.length);
    expect(policiesOf(twice)).toEqual(policiesOf(once));
  });

  test('different flows are different children, merged into one policy', () => {
    const chart = chartIn('team-a');
    const zt = new ZeroTrustNamespace(chart, 'zt');
    const https = zt.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS]);
    const http = zt.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTP]);
    const api = zt.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS], { workload: Workload.fromLabels({ app: 'api' }) });
    expect(new Set([https, http, api]).size).toBe(3);
    expect(policiesOf(chart).map((p) => p.metadata.name)).toEqual(['all-pods-netpol', 'api-netpol']);
  });

  test('a custom DNS resolver replaces kube-dns', () => {
    const chart = chartIn('team-a');
    const unbound = Peer.podsIn('dns-system', LabelSelector.matchLabels({ app: 'unbound' }));
    new ZeroTrustNamespace(chart, 'zt', { dns: DnsResolver.custom([unbound], [Port.DNS_UDP]) });
    const reach = analyze(chart).addPod({ namespace: 'dns-system', name: 'unbound', labels: { app: 'unbound' } });
    expect(reach.allowedPorts(IDS.aWeb, 'dns-system/unbound')).toEqual([{ protocol: 'UDP', startPort: 53, endPort: 53 }]);
    expect(reach.allowedPorts(IDS.aWeb, IDS.dns)).toEqual([]);
  });

  test('DnsResolver.none(): the namespace resolves nothing', () => {
    const chart = chartIn('team-a');
    new ZeroTrustNamespace(chart, 'zt', { dns: DnsResolver.none() });
    expect(analyze(chart).allowedPorts(IDS.aWeb, IDS.dns)).toEqual([]);
  });

  describe('bad input', () => {
    test('no namespace anywhere', () => {
      expect(() => new ZeroTrustNamespace(chartWithoutNamespace(), 'zt')).toThrow(
        "no-namespace/zt: no namespace given, and the chart 'no-namespace' has none either. Pass { namespace: 'my-ns' }, or create the chart with new Chart(app, 'id', { namespace: 'my-ns' })");
    });

    test('an invalid namespace name', () => {
      expect(() => new ZeroTrustNamespace(chartIn('team-a'), 'zt', { namespace: 'Team_B' })).toThrow(
        "team-a/zt: namespace 'Team_B' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit. Use the namespace's name as Kubernetes has it, e.g. 'shop-prod'");
    });

    test('a workload of another namespace', () => {
      const zt = new ZeroTrustNamespace(chartIn('team-a'), 'zt');
      expect(() => zt.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS], { workload: Workload.fromLabels({ app: 'api' }, { namespace: 'team-b' }) }))
        .toThrow("team-a/zt: namespace 'team-a' conflicts with the workload's namespace 'team-b'. Give the namespace on one of them only");
    });

    test('no ports', () => {
      const zt = new ZeroTrustNamespace(chartIn('team-a'), 'zt');
      expect(() => zt.allowTo(Peer.namespace('team-b'), [])).toThrow(/'ports' is empty/);
    });
  });
});
