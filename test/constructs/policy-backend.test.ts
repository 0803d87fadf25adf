import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, AllowTo, DefaultDeny, LabelSelector, Peer, PolicyBackend, Port, Reachability, Workload } from '../../src';
import { KUBE_DNS } from '../support/cluster';
import { synthValid } from '../support/validate-manifests';

const web = Workload.fromLabels({ app: 'web' });
const operator = Workload.fromLabels({ app: 'operator' });
const webhook = Workload.fromLabels({ app: 'webhook' });
const PODS = [
  { namespace: 'shop', name: 'web', labels: { app: 'web' } },
  { namespace: 'shop', name: 'operator', labels: { app: 'operator' } },
  { namespace: 'shop', name: 'webhook', labels: { app: 'webhook' } },
  KUBE_DNS,
];

/** An app rendering to `backends`, with a chart for namespace `shop`. */
function shop(...backends: PolicyBackend[]): Chart {
  const app = Testing.app();
  if (backends.length > 0) PolicyBackend.use(app, backends);
  return new Chart(app, 'shop', { namespace: 'shop' });
}

/** The policies of the chart's app, validated, by kind. */
function policies(chart: Chart, kind: string): any[] {
  return synthValid(chart.node.root as App).filter((o) => o.kind === kind);
}

function reach(chart: Chart): Reachability {
  const r = Reachability.fromManifests(synthValid(chart.node.root as App));
  for (const pod of PODS) r.addPod(pod);
  return r;
}

/** Runs `body` with stderr captured, returning what was written. */
function stderrOf(body: () => void): string {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    body();
    return spy.mock.calls.map((c) => String(c[0])).join('');
  } finally {
    spy.mockRestore();
  }
}

describe('PolicyBackend: choosing what the intent renders to', () => {
  test('NetworkPolicy v1 by default, CiliumNetworkPolicy when chosen, both when both are', () => {
    const build = (chart: Chart): void => {
      new AllowTo(chart, 'web-to-operator', { from: web, to: [Peer.workload(operator)], ports: [Port.tcp(8080)] });
    };
    const kinds = (chart: Chart): string[] => synthValid(chart.node.root as App).map((o) => `${o.kind} ${o.metadata.name}`);
    const np = shop();
    build(np);
    expect(kinds(np)).toEqual(['NetworkPolicy web-netpol', 'NetworkPolicy operator-netpol']);
    const cilium = shop(PolicyBackend.CILIUM);
    build(cilium);
    expect(kinds(cilium)).toEqual(['CiliumNetworkPolicy web-netpol', 'CiliumNetworkPolicy operator-netpol']);
    const both = shop(PolicyBackend.NETWORK_POLICY, PolicyBackend.CILIUM);
    build(both);
    expect(kinds(both)).toEqual(['NetworkPolicy web-netpol', 'CiliumNetworkPolicy web-netpol', 'NetworkPolicy operator-netpol', 'CiliumNetworkPolicy operator-netpol']);
    // The same flows on every backend: only web reaches the operator on 8080, and DNS still works.
    for (const chart of [np, cilium, both]) {
      const r = reach(chart);
      expect(r.isAllowed('shop/web', 'shop/operator', Port.tcp(8080))).toBe(true);
      expect(r.isAllowed('shop/web', 'shop/operator', Port.tcp(9090))).toBe(false);
      expect(r.isAllowed('shop/webhook', 'shop/operator', Port.tcp(8080))).toBe(false);
      expect(r.isAllowed('shop/web', 'shop/webhook', Port.tcp(8080))).toBe(false);
      expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
      expect(r.unmodelled).toEqual([]);
    }
  });

  test('is chosen before the first policy, and is not empty', () => {
    const chart = shop();
    new DefaultDeny(chart, 'deny');
    expect(() => PolicyBackend.use(chart, [PolicyBackend.CILIUM])).toThrow(/^PolicyBackend.use\(shop\): 1 policies already exist, made for NetworkPolicy. Call PolicyBackend.use\(app, ...\) right after creating the App/);
    expect(() => PolicyBackend.use(Testing.app(), [])).toThrow(/no backend given/);
  });
});

describe('Peer.fqdn', () => {
  const build = (chart: Chart, peer: Peer): void => {
    new AllowTo(chart, 'web-to-stripe', { from: web, to: [peer], ports: [Port.HTTPS] });
  };

  test('NetworkPolicy v1 refuses a name at synth, naming the grant and the backends that can', () => {
    const chart = shop();
    build(chart, Peer.fqdn('api.stripe.com'));
    expect(() => Testing.synth(chart)).toThrow("shop/web-to-stripe: Peer.fqdn('api.stripe.com'): NetworkPolicy v1 cannot select a DNS name. Render with the Cilium backend (PolicyBackend.use(app, [PolicyBackend.CILIUM])), which writes toFQDNs, or give the addresses to allow instead: Peer.fqdn('api.stripe.com', { fallbackCidrs: ['203.0.113.0/24'] })");
  });

  test('NetworkPolicy v1 with fallback CIDRs allows those addresses', () => {
    const chart = shop();
    build(chart, Peer.fqdn('api.stripe.com', { fallbackCidrs: ['203.0.113.0/24', '2001:db8::/32'] }));
    const [policy] = policies(chart, 'NetworkPolicy');
    expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    const r = reach(chart);
    expect(r.isAllowed('shop/web', '203.0.113.9', Port.HTTPS)).toBe(true);
    expect(r.isAllowed('shop/web', '198.51.100.1', Port.HTTPS)).toBe(false);
  });

  test('Cilium writes toFQDNs and the DNS rule its proxy needs; the analyzer proves the name is reachable', () => {
    const chart = shop(PolicyBackend.CILIUM);
    build(chart, Peer.fqdn('api.stripe.com'));
    new AllowTo(chart, 'web-to-aws', { from: web, to: [Peer.fqdn('*.amazonaws.com')], ports: [Port.HTTPS] });
    const [policy] = policies(chart, 'CiliumNetworkPolicy');
    expect(policy).toMatchSnapshot();
    expect(policy.spec.egress).toContainEqual({ toFQDNs: [{ matchPattern: '*.amazonaws.com' }, { matchName: 'api.stripe.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(policy.spec.egress).toContainEqual({
      toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
      toPorts: [{ ports: [{ port: '53', protocol: 'TCP' }, { port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }],
    });
    const r = reach(chart);
    expect(r.isAllowed('shop/web', 'api.stripe.com', Port.HTTPS)).toBe(true);
    expect(r.isAllowed('shop/web', '*.amazonaws.com', Port.HTTPS)).toBe(true);
    expect(r.isAllowed('shop/web', 'api.stripe.com', Port.HTTP)).toBe(false);
    expect(r.isAllowed('shop/web', '203.0.113.9', Port.HTTPS)).toBe(false);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
    expect(r.explain('shop/web', 'api.stripe.com', Port.HTTPS).egress.summary).toMatch(/allowed by CiliumNetworkPolicy shop\/web-netpol egress\[\d\]/);
  });

  test('Cilium keeps the DNS rule on the workload even when the namespace-wide policy grants DNS', () => {
    const chart = shop(PolicyBackend.CILIUM);
    new DefaultDeny(chart, 'deny');
    build(chart, Peer.fqdn('api.stripe.com'));
    const own = policies(chart, 'CiliumNetworkPolicy').find((p) => p.metadata.name === 'web-netpol');
    expect(own.spec.egress).toContainEqual(expect.objectContaining({ toPorts: [expect.objectContaining({ rules: { dns: [{ matchPattern: '*' }] } })] }));
    const all = policies(chart, 'CiliumNetworkPolicy').find((p) => p.metadata.name === 'all-pods-netpol');
    expect(JSON.stringify(all.spec)).not.toContain('"rules"');
    expect(reach(chart).isAllowed('shop/web', 'api.stripe.com', Port.HTTPS)).toBe(true);
  });

  test('with both backends, NetworkPolicy v1 still refuses what it cannot express', () => {
    const chart = shop(PolicyBackend.NETWORK_POLICY, PolicyBackend.CILIUM);
    build(chart, Peer.fqdn('api.stripe.com'));
    expect(() => Testing.synth(chart)).toThrow(/NetworkPolicy v1 cannot select a DNS name. Render with the Cilium backend/);
  });

  test('checks the name, and is only a destination', () => {
    expect(Peer.fqdn('API.Stripe.com.').toString()).toBe('fqdn api.stripe.com');
    expect(() => Peer.fqdn('api.*.com')).toThrow("Peer.fqdn('api.*.com'): '*' may only start a name, as '*.' before a domain. Write an exact name");
    expect(() => Peer.fqdn('*.exa_mple.com')).toThrow(/Peer.fqdn\('\*.exa_mple.com'\): the domain after '\*.' 'exa_mple.com' must be a DNS-1123 subdomain/);
    expect(() => Peer.fqdn('api.stripe.com', { fallbackCidrs: ['203.0.113.1/24'] })).toThrow(/host bits set/);
    const chart = shop(PolicyBackend.CILIUM);
    expect(() => new AllowFrom(chart, 'from-name', { to: web, from: [Peer.fqdn('api.stripe.com')], ports: [Port.HTTPS] }))
      .toThrow('shop/from-name: fqdn api.stripe.com can only be a destination: no connection comes from a DNS name. Allow egress to it with AllowTo');
  });
});

describe('Peer.kubeApiServer', () => {
  const endpoints = { endpoints: ['10.0.0.1', '10.0.0.2'], port: 6443 };

  test('NetworkPolicy v1: ipBlocks of the endpoints on their port, with a warning about CNIs', () => {
    const chart = shop();
    new AllowTo(chart, 'operator-to-api', { from: operator, to: [Peer.kubeApiServer(endpoints)], ports: [Port.HTTPS] });
    let manifests: any[] = [];
    const printed = stderrOf(() => { manifests = synthValid(chart.node.root as App); });
    expect(printed).toContain('[warning] shop/operator-to-api: NetworkPolicy v1 allows the API server as ipBlocks of its endpoints (10.0.0.1, 10.0.0.2) on 6443/TCP; CNIs differ here');
    expect(manifests[0].spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '10.0.0.1/32' } }, { ipBlock: { cidr: '10.0.0.2/32' } }], ports: [{ port: 6443, protocol: 'TCP' }] });
    const r = reach(chart);
    expect(r.isAllowed('shop/operator', '10.0.0.1', Port.tcp(6443))).toBe(true);
    expect(r.isAllowed('shop/operator', '10.0.0.3', Port.tcp(6443))).toBe(false);
  });

  test('NetworkPolicy v1 without endpoints refuses, naming both ways out', () => {
    const chart = shop();
    new AllowTo(chart, 'operator-to-api', { from: operator, to: [Peer.kubeApiServer()], ports: [Port.HTTPS] });
    expect(() => Testing.synth(chart)).toThrow(/shop\/operator-to-api: Peer.kubeApiServer\(\): NetworkPolicy v1 cannot select the API server without its addresses. Give them .*or render with the Cilium backend/);
  });

  test('Cilium: the kube-apiserver entity on the endpoints\' port', () => {
    const chart = shop(PolicyBackend.CILIUM);
    new AllowTo(chart, 'operator-to-api', { from: operator, to: [Peer.kubeApiServer(endpoints)], ports: [Port.HTTPS] });
    const [policy] = policies(chart, 'CiliumNetworkPolicy');
    expect(policy.spec.egress).toContainEqual({ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '6443', protocol: 'TCP' }] }] });
    const r = reach(chart);
    expect(r.isAllowed('shop/operator', 'kube-apiserver', Port.tcp(6443))).toBe(true);
    expect(r.isAllowed('shop/operator', 'kube-apiserver', Port.tcp(443))).toBe(false);
    expect(r.isAllowed('shop/web', 'kube-apiserver', Port.tcp(6443))).toBe(true);
  });

  test('only its own port as a destination', () => {
    const chart = shop(PolicyBackend.CILIUM);
    expect(() => new AllowTo(chart, 'x', { from: operator, to: [Peer.kubeApiServer({ port: 6443 })], ports: [Port.HTTP] }))
      .toThrow("shop/x: the API server serves 6443/TCP (as the 'kubernetes' Service's 443), not 80/TCP. Use Port.HTTPS or Port.tcp(6443)");
    expect(() => Peer.kubeApiServer({ endpoints: ['10.0.0'] })).toThrow(/Peer.kubeApiServer\(\): endpoint '10.0.0'/);
  });
});

describe('letting the API server reach an admission webhook', () => {
  const build = (chart: Chart, peer: Peer): void => {
    new DefaultDeny(chart, 'deny');
    new AllowFrom(chart, 'api-to-webhook', { to: webhook, from: [peer], ports: [Port.tcp(9443)] });
  };

  test('NetworkPolicy v1: ingress from the endpoints', () => {
    const chart = shop();
    build(chart, Peer.kubeApiServer({ endpoints: ['10.0.0.1'] }));
    let r: Reachability | undefined;
    expect(stderrOf(() => { r = reach(chart); })).toContain('NetworkPolicy v1 allows the API server as ipBlocks of its endpoints (10.0.0.1)');
    r = r!;
    expect(r.isAllowed('10.0.0.1', 'shop/webhook', Port.tcp(9443))).toBe(true);
    expect(r.isAllowed('10.0.0.9', 'shop/webhook', Port.tcp(9443))).toBe(false);
    expect(r.isAllowed('shop/web', 'shop/webhook', Port.tcp(9443))).toBe(false);
  });

  test('Cilium: ingress from the kube-apiserver entity, with default deny written as ingress [{}] elsewhere', () => {
    const chart = shop(PolicyBackend.CILIUM);
    build(chart, Peer.kubeApiServer());
    const all = policies(chart, 'CiliumNetworkPolicy');
    expect(all).toMatchSnapshot();
    const r = reach(chart);
    expect(r.isAllowed('kube-apiserver', 'shop/webhook', Port.tcp(9443))).toBe(true);
    expect(r.isAllowed('kube-apiserver', 'shop/web', Port.tcp(9443))).toBe(false);
    expect(r.isAllowed('shop/web', 'shop/webhook', Port.tcp(9443))).toBe(false);
    expect(r.isAllowed('shop/web', 'kube-system/coredns', Port.DNS_UDP)).toBe(true);
  });
});

describe('Peer.service and Workload.fromService', () => {
  /** A cdk8s-plus Deployment on 8080 behind a Service on 80 (named http) and 9090 (metrics). */
  function apiService(chart: Chart): kplus.Service {
    const deployment = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', ports: [{ number: 8080, name: 'http' }, { number: 9091, name: 'metrics' }], securityContext: { ensureNonRoot: false } }] });
    return deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080, name: 'http' }, { port: 9090, targetPort: 9091, name: 'metrics' }] });
  }

  test.each([
    ['NetworkPolicy', []],
    ['CiliumNetworkPolicy', [PolicyBackend.CILIUM]],
  ])('rules name the Service ports and are written with its target ports, on both sides (%s)', (kind, backends) => {
    const chart = shop(...(backends as PolicyBackend[]));
    const service = apiService(chart);
    new AllowTo(chart, 'web-to-api', { from: web, to: [Peer.service(service)], ports: [Port.HTTP] });
    expect(policies(chart, kind)).toMatchSnapshot();
    const r = reach(chart);
    const api = r.pods.find((p) => p.startsWith('shop/') && p.includes('api'))!;
    expect(r.isAllowed('shop/web', api, Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('shop/web', api, Port.tcp(80))).toBe(false);
    expect(r.isAllowed('shop/operator', api, Port.tcp(8080))).toBe(false);
  });

  test('a port by name or all of them, and an error for a port the Service does not expose', () => {
    const chart = shop();
    const service = apiService(chart);
    new AllowTo(chart, 'by-name', { from: web, to: [Peer.service(service)], ports: [Port.named('http')] });
    new AllowTo(chart, 'all', { from: operator, to: [Peer.service(service)], ports: [Port.allPorts()] });
    const egress = (name: string): any => policies(chart, 'NetworkPolicy').find((p) => p.metadata.name === name).spec.egress;
    expect(egress('web-netpol')).toContainEqual(expect.objectContaining({ ports: [{ port: 8080, protocol: 'TCP' }] }));
    expect(egress('operator-netpol')).toContainEqual(expect.objectContaining({ ports: [{ port: 8080, protocol: 'TCP' }, { port: 9091, protocol: 'TCP' }] }));
    expect(() => new AllowTo(chart, 'bad', { from: web, to: [Peer.service(service)], ports: [Port.tcp(8080)] }))
      .toThrow(/^shop\/bad: Service 'shop\/shop-api-service-c8\w+' exposes no port matching 8080\/TCP \(it exposes 80\/TCP 'http', 9090\/TCP 'metrics'\)/);
  });

  test('Workload.fromService is the pods behind it, in its namespace', () => {
    const chart = shop();
    const service = apiService(chart);
    const workload = Workload.fromService(service);
    expect(workload.namespace).toBe('shop');
    expect(workload.selector.toJson()).toEqual({ matchLabels: { 'cdk8s.io/metadata.addr': expect.stringMatching(/^shop-api-/) } });
    expect(workload.name).toMatch(/^shop-api-service-c8[0-9a-f]{6}$/);
    expect(Workload.fromService(service, { name: 'api' }).name).toBe('api');
    const notService = new kplus.ConfigMap(chart, 'cm');
    expect(() => Workload.fromService(notService)).toThrow(/shop\/cm is a ConfigMap \(v1\), not a v1 Service/);
  });
});

describe('Cilium rendering of the other peers', () => {
  test('pods in other namespaces, namespaces by labels, every namespace, address blocks', () => {
    const chart = shop(PolicyBackend.CILIUM);
    new AllowFrom(chart, 'in', {
      to: web,
      from: [
        Peer.podsIn('monitoring', LabelSelector.matchLabels({ app: 'prom' })),
        Peer.namespaces(LabelSelector.matchLabels({ team: 'obs' })),
        Peer.allNamespaces(),
        Peer.ipv4('203.0.113.0/24', ['203.0.113.7/32']),
      ],
      ports: [Port.tcp(8080)],
      allowSourceEgress: false,
    });
    const [policy] = policies(chart, 'CiliumNetworkPolicy');
    expect(policy.spec.ingress).toEqual([
      { fromCIDRSet: [{ cidr: '203.0.113.0/24', except: ['203.0.113.7/32'] }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] },
      {
        fromEndpoints: [
          { matchLabels: { 'k8s:io.cilium.k8s.namespace.labels.team': 'obs' } },
          { matchExpressions: [{ key: 'k8s:io.kubernetes.pod.namespace', operator: 'Exists' }] },
          { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring', 'app': 'prom' } },
        ],
        toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
      },
    ]);
    const r = Reachability.fromManifests(synthValid(chart.node.root as App))
      .addPod({ namespace: 'shop', name: 'web', labels: { app: 'web' } })
      .addPod({ namespace: 'monitoring', name: 'prom', labels: { app: 'prom' } })
      .addPod({ namespace: 'other', name: 'x' });
    expect(r.isAllowed('monitoring/prom', 'shop/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('other/x', 'shop/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('203.0.113.8', 'shop/web', Port.tcp(8080))).toBe(true);
    expect(r.isAllowed('203.0.113.7', 'shop/web', Port.tcp(8080))).toBe(false);
    expect(r.isAllowed('other/x', 'shop/web', Port.tcp(80))).toBe(false);
  });
});
