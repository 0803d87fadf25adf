import { ApiObject, App, Chart, Testing } from 'cdk8s';
import {
  AllowFrom, AllowTo, AlwaysAllowDns, AlwaysAllowMonitoring, AlwaysDenyMetadataEndpoint, BaselineDefaultDeny, ClusterGuardrail,
  ClusterPolicyBackend, ClusterRule, ClusterTier, DefaultDeny, DnsResolver, LabelSelector, Peer, PolicyDirection, Port, Reachability,
  TenantIsolation, Workload,
} from '../../src';
import { namespace, pod } from '../analyzer/helpers';
import { synthValid } from '../support/validate-manifests';

/**
 * Cluster guardrails: intent rendered as ClusterNetworkPolicy v1alpha2 (or v1alpha1
 * AdminNetworkPolicy/BaselineAdminNetworkPolicy), proved with the analyzer over the synthesized
 * manifests and a cluster of pods.
 */

const CLUSTER = [
  namespace('shop', { tenant: 'acme' }), namespace('pay', { tenant: 'globex' }), namespace('monitoring'), namespace('kube-system'), namespace('other'),
  pod('shop', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }], ips: ['10.1.0.1'] }),
  pod('shop', 'api', { labels: { app: 'api' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }], ips: ['10.1.0.2'] }),
  pod('pay', 'api', { labels: { app: 'api' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9100 }], ips: ['10.2.0.1'] }),
  pod('monitoring', 'prometheus', { labels: { app: 'prometheus' }, ips: ['10.3.0.1'] }),
  pod('kube-system', 'coredns', { labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }], ips: ['10.4.0.10'] }),
  pod('other', 'tool', { labels: { app: 'tool' }, ips: ['10.5.0.1'] }),
];

const PROMETHEUS = Workload.fromLabels({ app: 'prometheus' }, { namespace: 'monitoring' });

/** An app with a chart for the platform (no namespace) and one per namespace the tests use. */
function cluster(backends?: ClusterPolicyBackend[]): { app: App; platform: Chart; shop: Chart; pay: Chart } {
  const app = Testing.app();
  if (backends) ClusterPolicyBackend.use(app, backends);
  return { app, platform: new Chart(app, 'platform'), shop: new Chart(app, 'shop', { namespace: 'shop' }), pay: new Chart(app, 'pay', { namespace: 'pay' }) };
}

function manifestsOf(app: App): any[] {
  return synthValid(app);
}

function reach(app: App): Reachability {
  return Reachability.fromManifests([...CLUSTER, ...manifestsOf(app)]);
}

function clusterObjects(app: App): any[] {
  return manifestsOf(app).filter((o) => o.apiVersion.startsWith('policy.networking.k8s.io/'));
}

describe('BaselineDefaultDeny', () => {
  test('denies what no NetworkPolicy decides, in the listed namespaces only, and keeps DNS', () => {
    const { app, platform } = cluster();
    new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop'] });
    const r = reach(app);
    expect(r.isAllowed('shop/web', 'shop/api', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('other/tool', 'shop/api', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('shop/web', '203.0.113.5', Port.HTTPS)).toBe(false);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.HTTP)).toBe(false);
    expect(r.isAllowed('other/tool', 'pay/api', Port.tcp(8080))).toBe(true);
    expect(r.explain('shop/web', 'shop/api', Port.tcp(8080)).ingress.summary)
      .toBe("ingress of shop/api: Baseline tier: denied by ClusterNetworkPolicy platform-baseline ingress[0] 'default-deny' (Deny)");
  });

  test('a namespace NetworkPolicy opens what the baseline denies, and then decides alone for those pods', () => {
    const { app, platform, shop } = cluster();
    new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop'] });
    new AllowFrom(shop, 'web-to-api', { to: Workload.fromLabels({ app: 'api' }), from: [Peer.pods(LabelSelector.matchLabels({ app: 'web' }))], ports: [Port.tcp(8080)] });
    const r = reach(app);
    expect(r.isAllowed('shop/web', 'shop/api', Port.tcp(8080))).toBe(true);
    expect(r.explain('shop/web', 'shop/api', Port.tcp(8080)).ingress.summary).toBe('ingress of shop/api: NetworkPolicy tier: isolated by shop/api-netpol; allowed by NetworkPolicy shop/api-netpol ingress[0]');
    expect(r.isAllowed('shop/web', 'shop/api', Port.tcp(9100))).toBe(false);
    expect(r.isAllowed('other/tool', 'shop/api', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(r.isAllowed('shop/web', '203.0.113.5', Port.HTTPS)).toBe(false);
  });

  test('ingress from outside the cluster is not the API\'s to deny: it stays allowed', () => {
    const { app, platform } = cluster();
    new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop'], directions: [PolicyDirection.INGRESS] });
    const r = reach(app);
    expect(r.isAllowed('203.0.113.5', 'shop/api', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('shop/web', '203.0.113.5', Port.HTTPS)).toBe(true);
  });

  test('DnsResolver.none() denies DNS too; the chart\'s namespace is the default', () => {
    const { app, shop } = cluster();
    new BaselineDefaultDeny(shop, 'baseline', { dns: DnsResolver.none() });
    const r = reach(app);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(false);
    expect(r.isAllowed('pay/api', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
  });
});

describe('Admin guardrails', () => {
  test('AlwaysDenyMetadataEndpoint: no NetworkPolicy can open the metadata endpoint', () => {
    const build = (guardrail: boolean): Reachability => {
      const { app, platform, shop } = cluster();
      if (guardrail) new AlwaysDenyMetadataEndpoint(platform, 'metadata');
      new AllowTo(shop, 'web-to-metadata', { from: Workload.fromLabels({ app: 'web' }), to: [Peer.ipv4('169.254.169.254/32')], ports: [Port.HTTP] });
      return reach(app);
    };
    expect(build(false).isAllowed('shop/web', '169.254.169.254', Port.HTTP)).toBe(true);
    const r = build(true);
    expect(r.isAllowed('shop/web', '169.254.169.254', Port.HTTP)).toBe(false);
    expect(r.explain('shop/web', '169.254.169.254', Port.HTTP).egress.summary)
      .toBe("egress of shop/web: Admin tier: denied by ClusterNetworkPolicy platform-metadata egress[0] 'metadata-endpoint' (Deny)");
    expect(r.isAllowed('other/tool', '169.254.169.254', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('other/tool', '169.254.169.253', Port.tcp(8080))).toBe(true);
  });

  test('TenantIsolation: tenants never reach each other, whatever their NetworkPolicies allow; unlabelled namespaces are not affected', () => {
    const { app, platform, pay } = cluster();
    new TenantIsolation(platform, 'tenants', { labelKey: 'tenant', tenants: ['acme', 'globex'] });
    new AllowFrom(pay, 'anyone', { to: Workload.fromLabels({ app: 'api' }), from: [Peer.allNamespaces()], ports: [Port.allPorts()] });
    const r = reach(app);
    expect(r.isAllowed('shop/web', 'pay/api', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('pay/api', 'shop/web', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('other/tool', 'pay/api', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('monitoring/prometheus', 'shop/web', Port.tcp(9100))).toBe(true);
    expect(r.isAllowed('shop/web', 'shop/api', Port.tcp(8080))).toBe(true);
    expect(r.explain('shop/web', 'pay/api', Port.tcp(8080)).ingress.summary)
      .toBe("ingress of pay/api: Admin tier: denied by ClusterNetworkPolicy platform-tenants-globex ingress[0] 'other-tenants' (Deny)");
  });

  test('AlwaysAllowDns: DNS works where NetworkPolicies deny it, on the DNS ports only', () => {
    const build = (guardrail: boolean): Reachability => {
      const { app, platform, shop } = cluster();
      if (guardrail) new AlwaysAllowDns(platform, 'dns');
      new DefaultDeny(shop, 'deny', { dns: DnsResolver.none() });
      new DefaultDeny(shop, 'deny-kube-system', { namespace: 'kube-system', dns: DnsResolver.none() });
      return reach(app);
    };
    expect(build(false).isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(false);
    const r = build(true);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_TCP)).toBe(true);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.HTTP)).toBe(false);
    expect(r.isAllowed('shop/web', 'shop/api', Port.DNS_UDP)).toBe(false);
  });

  test('AlwaysAllowMonitoring: scrapes work where NetworkPolicies deny them, on the scrape port only', () => {
    const build = (guardrail: boolean): Reachability => {
      const { app, platform, shop } = cluster();
      if (guardrail) new AlwaysAllowMonitoring(platform, 'scrapes', { scrapers: PROMETHEUS, ports: [Port.named('metrics')] });
      new DefaultDeny(shop, 'deny');
      new DefaultDeny(shop, 'deny-monitoring', { namespace: 'monitoring' });
      return reach(app);
    };
    expect(build(false).isAllowed('monitoring/prometheus', 'shop/api', Port.tcp(9100))).toBe(false);
    const r = build(true);
    expect(r.isAllowed('monitoring/prometheus', 'shop/api', Port.tcp(9100))).toBe(true);
    expect(r.isAllowed('monitoring/prometheus', 'shop/api', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('shop/web', 'shop/api', Port.tcp(9100))).toBe(false);
  });
});

/** Every guardrail of the platform, in a given order of construction. */
function platformGuardrails(platform: Chart, reversed: boolean): void {
  const steps = [
    () => new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop', 'pay'] }),
    () => new AlwaysAllowDns(platform, 'dns'),
    () => new AlwaysAllowMonitoring(platform, 'scrapes', { scrapers: PROMETHEUS, ports: [Port.tcp(9100)] }),
    () => new AlwaysDenyMetadataEndpoint(platform, 'metadata'),
    () => new TenantIsolation(platform, 'tenants', { labelKey: 'tenant', tenants: ['acme', 'globex'] }),
  ];
  for (const step of reversed ? steps.reverse() : steps) step();
}

describe('priorities', () => {
  test('allocated by kind and construct path, not by the order of construction: guardrails that only deny come first', () => {
    const priorities = (reversed: boolean): string[] => {
      const { app, platform } = cluster();
      platformGuardrails(platform, reversed);
      return clusterObjects(app).map((o) => `${o.spec.tier} ${o.spec.priority} ${o.metadata.name}`).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    };
    expect(priorities(false)).toEqual([
      'Admin 10 platform-metadata',
      'Admin 20 platform-tenants-acme',
      'Admin 30 platform-tenants-globex',
      'Admin 40 platform-dns-egress',
      'Admin 50 platform-dns-resolver',
      'Admin 60 platform-scrapes-scrapers',
      'Admin 70 platform-scrapes-targets',
      'Baseline 10 platform-baseline',
    ]);
    expect(priorities(true)).toEqual(priorities(false));
  });

  test('a priority given is kept, and allocated ones go around it', () => {
    const { app, platform } = cluster();
    new ClusterGuardrail(platform, 'a', { egress: [ClusterRule.deny([Peer.ipv4('192.0.2.0/24')])], priority: 10 });
    new ClusterGuardrail(platform, 'b', { egress: [ClusterRule.deny([Peer.ipv4('198.51.100.0/24')])] });
    expect(clusterObjects(app).map((o) => `${o.metadata.name} ${o.spec.priority}`)).toEqual(['platform-a 10', 'platform-b 20']);
  });

  test('two guardrails given one priority in one tier fail, naming both, the priority and the fix', () => {
    const { platform } = cluster();
    new ClusterGuardrail(platform, 'a', { egress: [ClusterRule.deny([Peer.ipv4('192.0.2.0/24')])], priority: 100 });
    new ClusterGuardrail(platform, 'baseline-b', { tier: ClusterTier.BASELINE, egress: [ClusterRule.deny([Peer.ipv4('192.0.2.0/24')])], priority: 100 });
    expect(() => new ClusterGuardrail(platform, 'b', { egress: [ClusterRule.allow([Peer.ipv4('198.51.100.0/24')])], priority: 100 }))
      .toThrow('platform/b: priority 100 in the Admin tier is also taken by platform/a: the API leaves the order of two policies with one priority undefined. '
        + 'Give one of them another priority (10 is free), or leave priority out to have one allocated');
  });

  test('when the tier has no free priority left, synth fails naming the guardrail and the fix', () => {
    const { app, platform } = cluster();
    // Allocated priorities are 10, 20, ... 1000: the 101st guardrail finds none.
    for (let i = 0; i < 101; i++) new ClusterGuardrail(platform, `g${String(i).padStart(3, '0')}`, { egress: [ClusterRule.deny([Peer.ipv4(`10.0.${i}.0/24`)])] });
    expect(() => manifestsOf(app)).toThrow(/platform\/g100: no free priority is left in the Admin tier .*Give some guardrails their priority by hand/);
  });

  test('a split guardrail takes consecutive priorities, and a clash with any of them fails', () => {
    const { platform } = cluster();
    new ClusterGuardrail(platform, 'long', { egress: disjointRules(30), priority: 100 });
    expect(() => new ClusterGuardrail(platform, 'b', { egress: [ClusterRule.deny([Peer.ipv4('192.0.2.0/24')])], priority: 101 }))
      .toThrow(/platform\/b: priority 101 in the Admin tier is also taken by platform\/long \(priorities 100-101: its rules are split into 2 objects\)/);
  });
});

/** `count` deny rules, each for its own /24 of 10.0.0.0/16. */
function disjointRules(count: number): ClusterRule[] {
  return Array.from({ length: count }, (_, i) => ClusterRule.deny([Peer.ipv4(`10.0.${i}.0/24`)]));
}

/** The first of `rules` (action, IPv4 CIDR) that contains `address`, by hand: the reference for first match. */
function firstMatch(rules: [string, string][], address: string): string | undefined {
  const value = (ip: string): number => ip.split('.').reduce((acc, part) => acc * 256 + Number(part), 0);
  const hit = rules.find(([, cidr]) => {
    const [base, prefix] = cidr.split('/');
    const size = 2 ** (32 - Number(prefix));
    return Math.floor(value(address) / size) === Math.floor(value(base) / size);
  });
  return hit?.[0];
}

describe('the API\'s limits: split without changing what is decided', () => {
  test('thirty ordered rules become two objects at consecutive priorities, and first match is unchanged', () => {
    // Rules 0-28 allow or deny their own /24 alternately; rule 29 denies the whole /16. Were the
    // second object checked first, the /16 would shadow every allow of the first.
    const written: [string, string][] = [
      ...Array.from({ length: 29 }, (_, i): [string, string] => [i % 2 === 0 ? 'Deny' : 'Allow', `10.0.${i}.0/24`]),
      ['Deny', '10.0.0.0/16'],
    ];
    const { app, platform } = cluster();
    new ClusterGuardrail(platform, 'ordered', {
      namespaces: LabelSelector.matchLabels({ 'kubernetes.io/metadata.name': 'other' }),
      egress: written.map(([action, cidr]) => (action === 'Deny' ? ClusterRule.deny : ClusterRule.allow)([Peer.ipv4(cidr)])),
    });
    const objects = clusterObjects(app);
    expect(objects.map((o) => `${o.metadata.name} ${o.spec.priority} ${o.spec.egress.length}`)).toEqual(['platform-ordered 10 25', 'platform-ordered-2 11 5']);
    const r = reach(app);
    const probes = [...Array.from({ length: 29 }, (_, i) => `10.0.${i}.1`), '10.0.200.1', '10.9.0.1'];
    for (const address of probes) {
      const expected = (firstMatch(written, address) ?? 'Allow') === 'Allow';
      expect([address, r.isAllowed('other/tool', address, Port.HTTPS)]).toEqual([address, expected]);
    }
    expect(r.explain('other/tool', '10.0.27.1', Port.HTTPS).egress.summary)
      .toBe('egress of other/tool: Admin tier: allowed by ClusterNetworkPolicy platform-ordered-2 egress[2] (Allow)');
  });

  test('thirty peers, thirty ports and thirty CIDRs become rules and peers of at most 25, with the same verdicts', () => {
    const { app, platform } = cluster();
    const namespaces = Array.from({ length: 30 }, (_, i) => `ns-${i}`);
    const ports = Array.from({ length: 30 }, (_, i) => Port.tcp(1000 + i));
    new ClusterGuardrail(platform, 'wide', {
      namespaces: LabelSelector.matchLabels({ 'kubernetes.io/metadata.name': 'other' }),
      ingress: [ClusterRule.deny(namespaces.map((n) => Peer.namespace(n)), { ports, name: 'wide' })],
      egress: [ClusterRule.deny(Array.from({ length: 30 }, (_, i) => Peer.ipv4(`192.0.2.${i * 8}/29`)), { name: 'cidrs' })],
    });
    const [object] = clusterObjects(app);
    expect(object.spec.ingress.map((rule: any) => `${rule.action} ${rule.from.length} peers ${rule.protocols.length} ports`))
      .toEqual(['Deny 25 peers 25 ports', 'Deny 25 peers 5 ports', 'Deny 5 peers 25 ports', 'Deny 5 peers 5 ports']);
    expect(object.spec.egress.map((rule: any) => rule.to.map((peer: any) => peer.networks.length))).toEqual([[25, 5]]);
    const r = Reachability.fromManifests([...CLUSTER, ...clusterObjects(app), namespace('ns-0'), namespace('ns-29'), namespace('ns-30'),
      pod('ns-0', 'a'), pod('ns-29', 'a'), pod('ns-30', 'a')]);
    for (const [from, port, allowed] of [['ns-0/a', 1000, false], ['ns-29/a', 1029, false], ['ns-29/a', 1024, false], ['ns-0/a', 1030, true], ['ns-30/a', 1000, true]] as const) {
      expect([from, port, r.isAllowed(from, 'other/tool', Port.tcp(port))]).toEqual([from, port, allowed]);
    }
    for (const [address, allowed] of [['192.0.2.1', false], ['192.0.2.239', false], ['192.0.2.240', true]] as const) {
      expect([address, r.isAllowed('other/tool', address, Port.HTTPS)]).toEqual([address, allowed]);
    }
  });

  test('an except is written as the CIDRs that remain', () => {
    const { app, platform } = cluster();
    new ClusterGuardrail(platform, 'public', { egress: [ClusterRule.deny([Peer.anyIpv4(['10.0.0.0/8'])])] });
    const [object] = clusterObjects(app);
    expect(object.spec.egress[0].to).toEqual([{ networks: ['0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1'] }]);
    const r = reach(app);
    expect(r.isAllowed('other/tool', '10.200.0.1', Port.HTTPS)).toBe(true);
    expect(r.isAllowed('other/tool', '9.255.255.255', Port.HTTPS)).toBe(false);
    expect(r.isAllowed('other/tool', '11.0.0.0', Port.HTTPS)).toBe(false);
  });

  test('v1alpha1 takes 100 rules per object', () => {
    const { app, platform } = cluster([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    new ClusterGuardrail(platform, 'long', { egress: disjointRules(110) });
    expect(clusterObjects(app).map((o) => `${o.kind} ${o.metadata.name} ${o.spec.priority} ${o.spec.egress.length}`))
      .toEqual(['AdminNetworkPolicy platform-long 10 100', 'AdminNetworkPolicy platform-long-2 11 10']);
  });
});

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1', () => {
  /** The verdicts of every pair of pods and a few addresses, on a few ports. */
  function verdicts(r: Reachability): string[] {
    const ends = [...r.pods, '169.254.169.254', '203.0.113.5'];
    const out: string[] = [];
    for (const from of r.pods) {
      for (const to of ends) {
        for (const port of [Port.DNS_UDP, Port.tcp(8080), Port.tcp(9100)]) out.push(`${from} -> ${to} ${port}: ${r.isAllowed(from, to, port)}`);
      }
    }
    return out;
  }

  function platformApp(backends: ClusterPolicyBackend[]): App {
    const { app, platform, shop } = cluster(backends);
    platformGuardrails(platform, false);
    new AllowFrom(shop, 'web-to-api', { to: Workload.fromLabels({ app: 'api' }), from: [Peer.pods(LabelSelector.matchLabels({ app: 'web' }))], ports: [Port.tcp(8080)] });
    return app;
  }

  test('the platform\'s guardrails decide the same in v1alpha1 as in v1alpha2', () => {
    const v1 = platformApp([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    expect(clusterObjects(v1).map((o) => `${o.kind} ${o.metadata.name}`)).toEqual([
      'BaselineAdminNetworkPolicy default',
      'AdminNetworkPolicy platform-dns-egress',
      'AdminNetworkPolicy platform-dns-resolver',
      'AdminNetworkPolicy platform-scrapes-targets',
      'AdminNetworkPolicy platform-scrapes-scrapers',
      'AdminNetworkPolicy platform-metadata',
      'AdminNetworkPolicy platform-tenants-acme',
      'AdminNetworkPolicy platform-tenants-globex',
    ]);
    expect(verdicts(reach(v1))).toEqual(verdicts(reach(platformApp([ClusterPolicyBackend.CLUSTER_NETWORK_POLICY]))));
  });

  test('Baseline guardrails with the same rules for namespaces by name become one subject of the BaselineAdminNetworkPolicy', () => {
    const { app, shop, pay } = cluster([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    new BaselineDefaultDeny(shop, 'baseline');
    new BaselineDefaultDeny(pay, 'baseline');
    const objects = clusterObjects(app);
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['BaselineAdminNetworkPolicy default']);
    expect(objects[0].spec.subject).toEqual({ namespaces: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['pay', 'shop'] }] } });
    const r = reach(app);
    expect(r.isAllowed('shop/web', 'pay/api', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('other/tool', 'monitoring/prometheus', Port.tcp(8080))).toBe(true);
  });

  test('Baseline guardrails that cannot be one object fail, naming them and the fix', () => {
    const { app, platform, shop } = cluster([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    new BaselineDefaultDeny(shop, 'baseline');
    new ClusterGuardrail(platform, 'no-smtp', { tier: ClusterTier.BASELINE, egress: [ClusterRule.deny([Peer.anyIpv4()], { ports: [Port.tcp(25)] })] });
    expect(() => manifestsOf(app)).toThrow(/Validation failed with the following errors:\n  \[shop\/baseline\/Guardrail\/BaselineAdminNetworkPolicy\] platform\/no-smtp, shop\/baseline\/Guardrail: these Baseline guardrails apply to different pods with different rules, .* one BaselineAdminNetworkPolicy per cluster \(named default\).*\. Give them the same subject/);
  });

  test('what v1alpha1 cannot write fails: Pass in the Baseline tier, named ports', () => {
    const pass = cluster([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    expect(() => new ClusterGuardrail(pass.platform, 'pass', { tier: ClusterTier.BASELINE, egress: [ClusterRule.pass([Peer.allNamespaces()])] }))
      .toThrow(/platform\/pass: Pass cannot be written in a BaselineAdminNetworkPolicy v1alpha1/);
    const named = cluster([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    expect(() => new AlwaysAllowMonitoring(named.platform, 'scrapes', { scrapers: PROMETHEUS, ports: [Port.named('metrics')] }))
      .toThrow(/platform\/scrapes\/Targets: ingress\[0\]: the named port 'metrics' cannot be written in AdminNetworkPolicy v1alpha1 .*Use port numbers, or render ClusterNetworkPolicy v1alpha2/);
  });
});

describe('what the cluster tier cannot express fails with the fix', () => {
  const egress = (peer: Peer): (() => void) => () => new ClusterGuardrail(cluster().platform, 'g', { egress: [ClusterRule.allow([peer])] });
  test.each([
    ['pods relative to no namespace', egress(Peer.pods(LabelSelector.matchLabels({ app: 'web' }))), /platform\/g: egress\[0\]: pods app=web are relative to .* Name the namespace: Peer.podsIn/],
    ['a DNS name', egress(Peer.fqdn('api.stripe.com')), /platform\/g: egress\[0\]: Peer.fqdn\('api.stripe.com'\): the cluster tier's standard API cannot select a DNS name.*fallbackCidrs/],
    ['an address block as a source', () => new ClusterGuardrail(cluster().platform, 'g', { ingress: [ClusterRule.deny([Peer.ipv4('192.0.2.0/24')])] }),
      /platform\/g: ingress\[0\]: 192.0.2.0\/24 is an address block, and cluster-tier ingress rules select sources by namespace and pod only/],
    ['no rule', () => new ClusterGuardrail(cluster().platform, 'g', {}), /platform\/g: no ingress or egress rule given/],
    ['a priority out of range', () => new ClusterGuardrail(cluster().platform, 'g', { egress: [ClusterRule.deny([Peer.allNamespaces()])], priority: 1001 }), /priority 1001 is not an integer from 0 to 1000/],
    ['no peers', () => ClusterRule.deny([]), /ClusterRule.deny\(\): no peers given/],
  ])('%s', (_name, build, message) => {
    expect(build).toThrow(message);
  });

  test('two guardrails with one name fail, naming both', () => {
    const { platform } = cluster();
    new ClusterGuardrail(platform, 'a', { egress: [ClusterRule.deny([Peer.allNamespaces()])], name: 'deny-all' });
    expect(() => new ClusterGuardrail(platform, 'b', { egress: [ClusterRule.deny([Peer.allNamespaces()])], name: 'deny-all' }))
      .toThrow("platform/b: the name 'deny-all' is taken by platform/a, and cluster-scoped objects need names unique in the cluster. Give one of them another name");
  });

  test('the backend is chosen before the first guardrail', () => {
    const { app, platform } = cluster();
    new AlwaysDenyMetadataEndpoint(platform, 'metadata');
    expect(() => ClusterPolicyBackend.use(app, [ClusterPolicyBackend.ADMIN_NETWORK_POLICY])).toThrow(/1 guardrails already exist, made for ClusterNetworkPolicy/);
  });
});

describe('manifests', () => {
  test('every field written is one the class generated from the CRD knows (its toJson keeps only those)', () => {
    for (const backend of [ClusterPolicyBackend.CLUSTER_NETWORK_POLICY, ClusterPolicyBackend.ADMIN_NETWORK_POLICY]) {
      const { app, platform } = cluster([backend]);
      platformGuardrails(platform, false);
      const objects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && c.apiVersion.startsWith('policy.networking.k8s.io/'));
      expect(objects.length).toBeGreaterThan(0);
      for (const object of objects) expect(object.toJson()).toEqual(ApiObject.prototype.toJson.call(object));
    }
  });

  test('cluster-scoped objects carry no namespace, even in a chart that has one', () => {
    const { app, shop } = cluster();
    new AlwaysDenyMetadataEndpoint(shop, 'metadata');
    expect(clusterObjects(app).map((o) => o.metadata)).toEqual([{ name: 'shop-metadata' }]);
  });

  test('ClusterNetworkPolicy v1alpha2', () => {
    const { app, platform } = cluster();
    platformGuardrails(platform, false);
    expect(clusterObjects(app)).toMatchSnapshot();
  });

  test('AdminNetworkPolicy and BaselineAdminNetworkPolicy v1alpha1', () => {
    const { app, platform } = cluster([ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
    platformGuardrails(platform, false);
    expect(clusterObjects(app)).toMatchSnapshot();
  });
});
