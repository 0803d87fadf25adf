import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, LabelSelector, Peer, PolicyBackend, Port, Reachability, Workload } from '../../src';
import { crdProblems } from '../support/crd-schema';

const CRD = 'cilium/ciliumnetworkpolicies.yaml';

/** An app rendering to Cilium with every vocabulary item the Cilium backend writes. */
function everything(): App {
  const app = Testing.app();
  PolicyBackend.use(app, [PolicyBackend.CILIUM]);
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const web = Workload.fromLabels({ app: 'web' });
  const deployment = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }], securityContext: { ensureNonRoot: false } }] });
  const service = deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080, name: 'http' }] });
  new DefaultDeny(chart, 'deny');
  new AllowTo(chart, 'web-out', {
    from: web,
    to: [
      Peer.fqdn('api.stripe.com'),
      Peer.fqdn('*.amazonaws.com'),
      Peer.anyPublicIpv4(),
      Peer.ipv6('2001:db8::/32'),
      Peer.podsIn('data', LabelSelector.matchLabels({ app: 'db' })),
    ],
    ports: [Port.HTTPS, Port.tcpRange(30000, 32767), Port.named('metrics'), Port.allUdp()],
  });
  new AllowTo(chart, 'web-to-api', { from: web, to: [Peer.service(service)], ports: [Port.HTTP] });
  new AllowTo(chart, 'web-to-apiserver', { from: web, to: [Peer.kubeApiServer({ port: 6443 })], ports: [Port.HTTPS] });
  new AllowTo(chart, 'web-anything', { from: Workload.fromLabels({ app: 'debug' }), to: [Peer.allNamespaces()], ports: [Port.allPorts()] });
  new AllowFrom(chart, 'webhook', {
    to: Workload.fromLabels({ app: 'webhook' }),
    from: [Peer.kubeApiServer(), Peer.namespaces(LabelSelector.matchLabels({ team: 'obs' })), Peer.ipv4('203.0.113.0/24', ['203.0.113.7/32'])],
    ports: [Port.tcp(9443)],
  });
  return app;
}

describe('CiliumNetworkPolicy output against the CRD schema (../shared/crds)', () => {
  const manifests = Testing.synth(everything().charts[0] as Chart);
  const policies = manifests.filter((o) => o.kind === 'CiliumNetworkPolicy');

  test('every vocabulary item is rendered', () => {
    const text = JSON.stringify(policies);
    for (const field of ['toFQDNs', 'toCIDRSet', 'fromCIDRSet', 'toEntities', 'fromEntities', 'toEndpoints', 'fromEndpoints', 'endPort', '"rules":{"dns"', 'enableDefaultDeny']) {
      expect([field, text.includes(field)]).toEqual([field, true]);
    }
    expect(policies.length).toBeGreaterThanOrEqual(5);
  });

  test('each policy passes the schema', () => {
    for (const policy of policies) expect([policy.metadata.name, crdProblems(CRD, policy)]).toEqual([policy.metadata.name, []]);
  });

  test('the schema check can fail: a port out of range and a mixed-up field are refused', () => {
    const [policy] = policies;
    const bad = { ...policy, spec: { ...policy.spec, egress: [{ toPorts: [{ ports: [{ port: '70000', protocol: 'TCP' }] }] }], enableDefaultDeny: { egress: 'yes' } } };
    expect(crdProblems(CRD, bad).length).toBeGreaterThan(0);
  });

  test('the analyzer models every field written: nothing is reported unmodelled', () => {
    expect(Reachability.fromManifests(manifests).unmodelled).toEqual([]);
  });
});
