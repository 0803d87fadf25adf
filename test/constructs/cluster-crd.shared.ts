import { App, Chart, Testing } from 'cdk8s';
import {
  AlwaysAllowDns, AlwaysAllowMonitoring, AlwaysDenyMetadataEndpoint, BaselineDefaultDeny, ClusterGuardrail, ClusterPolicyBackend, ClusterRule,
  ClusterTier, LabelSelector, Peer, Port, Reachability, TenantIsolation, Workload,
} from '../../src';
import { crdProblems } from '../support/crd-schema';

const NPA = 'network-policy-api';
const CRDS: Record<string, string> = {
  ClusterNetworkPolicy: `${NPA}/v1alpha2-0eec1b0/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml`,
  AdminNetworkPolicy: `${NPA}/v1alpha1-v0.1.7/standard/policy.networking.k8s.io_adminnetworkpolicies.yaml`,
  BaselineAdminNetworkPolicy: `${NPA}/v1alpha1-v0.1.7/standard/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml`,
};

/**
 * An app with every guardrail and every peer and port the cluster tier writes, and guardrails beyond
 * the API's limits (split). The objects are checked against the standard channel's CRDs: what the
 * library writes must need no experimental field.
 */
function everything(backend: ClusterPolicyBackend, namedPorts: boolean): App {
  const app = Testing.app();
  ClusterPolicyBackend.use(app, [backend]);
  const platform = new Chart(app, 'platform');
  const prometheus = Workload.fromLabels({ app: 'prometheus' }, { namespace: 'monitoring' });
  new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop', 'pay'] });
  new AlwaysAllowDns(platform, 'dns');
  new AlwaysAllowMonitoring(platform, 'scrapes', { scrapers: prometheus, ports: [namedPorts ? Port.named('metrics') : Port.tcp(9100)] });
  new AlwaysDenyMetadataEndpoint(platform, 'metadata');
  new TenantIsolation(platform, 'tenants', { labelKey: 'tenant', tenants: ['acme', 'globex'] });
  new ClusterGuardrail(platform, 'vocabulary', {
    namespaces: LabelSelector.matchLabels({ team: 'a' }),
    pods: LabelSelector.matchLabels({ app: 'web' }),
    ingress: [
      ClusterRule.pass([Peer.podsIn('monitoring', LabelSelector.matchLabels({ app: 'prometheus' }))], { ports: [Port.allTcp()] }),
      ClusterRule.allow([Peer.podsInNamespaces(LabelSelector.matchLabels({ app: 'x' }), LabelSelector.matchLabels({ team: 'b' })), Peer.namespace('ingress')],
        { ports: [Port.tcpRange(8000, 8080), Port.udp(5353), Port.sctp(9999), Port.allUdp()] }),
    ],
    egress: [
      ClusterRule.deny([Peer.anyIpv4(['10.0.0.0/8']), Peer.ipv6('2001:db8::/32', ['2001:db8:1::/48'])], { ports: [Port.tcp(25)], name: 'no-smtp-out' }),
      ClusterRule.allow([Peer.fqdn('api.example.com', { fallbackCidrs: ['203.0.113.0/24'] }), Peer.kubeApiServer({ endpoints: ['10.0.0.1'], port: 6443 })], { ports: [Port.HTTPS] }),
    ],
  });
  // Beyond every limit of v1alpha2: 30 rules, a rule with 30 peers and 30 ports, a peer of 30 CIDRs.
  new ClusterGuardrail(platform, 'wide', {
    ingress: [ClusterRule.deny(Array.from({ length: 30 }, (_, i) => Peer.namespace(`ns-${i}`)), { ports: Array.from({ length: 30 }, (_, i) => Port.tcp(1000 + i)) })],
    egress: [
      ClusterRule.deny(Array.from({ length: 30 }, (_, i) => Peer.ipv4(`192.0.2.${i * 8}/29`))),
      ...Array.from({ length: 30 }, (_, i) => ClusterRule.allow([Peer.ipv4(`10.${i}.0.0/16`)])),
    ],
  });
  // v1alpha1 has one Baseline object, with one subject: only v1alpha2 takes a second Baseline guardrail.
  if (backend === ClusterPolicyBackend.CLUSTER_NETWORK_POLICY) {
    new ClusterGuardrail(platform, 'baseline-sctp', {
      tier: ClusterTier.BASELINE,
      namespaces: LabelSelector.matchLabels({ team: 'c' }),
      egress: [
        ClusterRule.pass([Peer.allNamespaces()], { ports: [Port.allSctp()] }),
        ClusterRule.deny([Peer.anyIpv6()], { ports: [Port.allSctp()] }),
      ],
    });
  }
  return app;
}

function clusterObjects(app: App): any[] {
  return app.charts.flatMap((chart) => Testing.synth(chart)).filter((o) => o.apiVersion.startsWith('policy.networking.k8s.io/'));
}

describe.each([
  ['ClusterNetworkPolicy v1alpha2', ClusterPolicyBackend.CLUSTER_NETWORK_POLICY, true, 12],
  ['AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1', ClusterPolicyBackend.ADMIN_NETWORK_POLICY, false, 10],
])('%s output against the CRD schema (../shared/crds, standard channel)', (_name, backend, namedPorts, count) => {
  const objects = clusterObjects(everything(backend, namedPorts));

  test('every guardrail is rendered, split where the limits say so', () => {
    expect(objects).toHaveLength(count);
  });

  test('each object passes the schema', () => {
    for (const object of objects) {
      expect([object.kind, object.metadata.name, crdProblems(CRDS[object.kind], object)]).toEqual([object.kind, object.metadata.name, []]);
    }
  });

  test('the analyzer reads every object (it checks what the schema leaves to CEL: CIDRs, port ranges) and models every field', () => {
    expect(Reachability.fromManifests(objects).unmodelled).toEqual([]);
  });
});

test('the schema check can fail: 26 rules, a protocol without a port, an unknown action', () => {
  const [object] = clusterObjects(everything(ClusterPolicyBackend.CLUSTER_NETWORK_POLICY, true)).filter((o) => o.kind === 'ClusterNetworkPolicy');
  const rule = { action: 'Deny', to: [{ namespaces: {} }] };
  expect(crdProblems(CRDS.ClusterNetworkPolicy, { ...object, spec: { ...object.spec, egress: Array.from({ length: 26 }, () => rule) } }))
    .toEqual(['/spec/egress: must NOT have more than 25 items {"limit":25}']);
  expect(crdProblems(CRDS.ClusterNetworkPolicy, { ...object, spec: { ...object.spec, egress: [{ ...rule, protocols: [{ tcp: {} }] }] } }))
    .toEqual(['/spec/egress/0/protocols/0/tcp: must NOT have fewer than 1 properties {"limit":1}']);
  expect(crdProblems(CRDS.ClusterNetworkPolicy, { ...object, spec: { ...object.spec, egress: [{ ...rule, action: 'Allow' }] } }).join('\n'))
    .toMatch(/\/spec\/egress\/0\/action: must be equal to one of the allowed values/);
});
