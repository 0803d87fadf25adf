import { namespace, pod, policy } from './helpers';
import { Port, Reachability } from '../../src';

function cnp(ns: string, name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec };
}
function ccnp(name: string, spec: any): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name }, spec };
}

const web = pod('shop', 'web', { labels: { app: 'web' }, ips: ['10.0.0.5'] });
const api = pod('shop', 'api', { labels: { app: 'api' }, ips: ['10.0.0.6'], ports: [{ name: 'http', containerPort: 8080 }] });
const job = pod('shop', 'job', { labels: { app: 'job' } });
const prom = pod('monitoring', 'prom', { labels: { app: 'prom' } });
const apiSelector = { matchLabels: { app: 'api' } };

/** Every ordered pair of pods, as the matrix and as probes: the two engines must agree. */
function expectEnginesAgree(reach: Reachability, port: Port): void {
  const matrix = reach.matrix(port);
  for (const from of reach.pods) {
    for (const to of reach.pods) expect([from, to, matrix.isAllowed(from, to)]).toEqual([from, to, reach.isAllowed(from, to, port)]);
  }
}

describe('CiliumNetworkPolicy: endpoints and isolation', () => {
  test('an ingress rule puts the pods in default deny and allows its peers on its ports', () => {
    const reach = Reachability.fromManifests([web, api, job, cnp('shop', 'api', {
      endpointSelector: apiSelector,
      ingress: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
    })]);
    expect(reach.isAllowed('web', 'api', Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.tcp(9090))).toBe(false);
    expect(reach.isAllowed('job', 'api', Port.tcp(8080))).toBe(false);
    expect(reach.isAllowed('api', 'job', Port.tcp(8080))).toBe(true);
    const why = reach.explain('web', 'api', Port.tcp(8080));
    expect(why.ingress.isolatingPolicies).toEqual(['CiliumNetworkPolicy shop/api']);
    expect(why.ingress.decidedBy.map((r) => `${r.object} ${r.direction}[${r.ruleIndex}] ${r.action}`)).toEqual(['CiliumNetworkPolicy shop/api Ingress[0] Allow']);
    expect(reach.explain('job', 'api', Port.tcp(8080)).ingress.nearestMiss?.reasons.join(' ')).toMatch(/pod labels do not match app=web/);
    expect(reach.unmodelled).toEqual([]);
    expectEnginesAgree(reach, Port.tcp(8080));
  });

  test('peer selectors stay in the policy namespace unless they name one', () => {
    const reach = Reachability.fromManifests([web, api, prom, namespace('monitoring', { team: 'obs' }), cnp('shop', 'api', {
      endpointSelector: apiSelector,
      ingress: [
        { fromEndpoints: [{}] },
        { fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring', 'app': 'prom' } }], toPorts: [{ ports: [{ port: '9090' }] }] },
      ],
    })]);
    expect(reach.isAllowed('web', 'api', Port.tcp(1))).toBe(true);
    expect(reach.isAllowed('prom', 'api', Port.tcp(1))).toBe(false);
    expect(reach.isAllowed('prom', 'api', Port.tcp(9090))).toBe(true);
    // ANY is TCP, UDP and SCTP.
    expect(reach.isAllowed('prom', 'api', Port.udp(9090))).toBe(true);
    expectEnginesAgree(reach, Port.tcp(9090));
  });

  test('namespace labels through io.cilium.k8s.namespace.labels', () => {
    const reach = Reachability.fromManifests([web, api, prom, namespace('monitoring', { team: 'obs' }), cnp('shop', 'api', {
      endpointSelector: apiSelector,
      ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'obs' } }] }],
    })]);
    expect(reach.isAllowed('prom', 'api', Port.tcp(1))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.tcp(1))).toBe(false);
  });

  test('an empty rule ({}) isolates and allows nothing; an empty list does not isolate', () => {
    const deny = Reachability.fromManifests([web, api, cnp('shop', 'deny', { endpointSelector: apiSelector, ingress: [{}] })]);
    expect(deny.isAllowed('web', 'api', Port.tcp(80))).toBe(false);
    const none = Reachability.fromManifests([web, api, cnp('shop', 'none', { endpointSelector: apiSelector, ingress: [] })]);
    expect(none.isAllowed('web', 'api', Port.tcp(80))).toBe(true);
  });

  test('a rule with ports only allows every peer on them, pods and addresses', () => {
    const reach = Reachability.fromManifests([web, api, cnp('shop', 'web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: [{ toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }] })]);
    expect(reach.isAllowed('web', 'api', Port.tcp(443))).toBe(true);
    expect(reach.isAllowed('web', '203.0.113.9', Port.tcp(443))).toBe(true);
    expect(reach.isAllowed('web', '203.0.113.9', Port.tcp(80))).toBe(false);
  });

  test('named ports and port ranges resolve as in NetworkPolicies', () => {
    const reach = Reachability.fromManifests([web, api, cnp('shop', 'api', {
      endpointSelector: apiSelector,
      ingress: [{ toPorts: [{ ports: [{ port: 'http', protocol: 'TCP' }, { port: '9000', endPort: 9010, protocol: 'UDP' }] }] }],
    })]);
    expect(reach.isAllowed('web', 'api', Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.udp(9005))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.udp(9011))).toBe(false);
    expectEnginesAgree(reach, Port.tcp(8080));
  });
});

describe('Cilium policies combined with NetworkPolicies', () => {
  const npAllows80 = policy('shop', 'api', { podSelector: apiSelector, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] });

  test('allowed when either kind allows: one tier, as Cilium enforces both', () => {
    const reach = Reachability.fromManifests([web, api, npAllows80, cnp('shop', 'api', { endpointSelector: apiSelector, ingress: [{ toPorts: [{ ports: [{ port: '8080' }] }] }] })]);
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.tcp(22))).toBe(false);
    expect(reach.explain('web', 'api', Port.tcp(22)).ingress.isolatingPolicies).toEqual(['shop/api', 'CiliumNetworkPolicy shop/api']);
    expectEnginesAgree(reach, Port.tcp(8080));
  });

  test('a deny rule wins over every allow, of either kind', () => {
    const reach = Reachability.fromManifests([web, api, job, npAllows80, cnp('shop', 'no-web', {
      endpointSelector: apiSelector,
      ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }],
    })]);
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(false);
    expect(reach.isAllowed('job', 'api', Port.tcp(80))).toBe(true);
    const why = reach.explain('web', 'api', Port.tcp(80));
    expect(why.ingress.decidedBy.map((r) => `${r.object} ${r.action} ${r.ruleName}`)).toEqual(['CiliumNetworkPolicy shop/no-web Deny ingressDeny[0]']);
    expectEnginesAgree(reach, Port.tcp(80));
  });

  test('a deny-only policy puts the pods in default deny, unless enableDefaultDeny says otherwise', () => {
    const deny = { endpointSelector: apiSelector, ingressDeny: [{ fromEndpoints: [{ matchLabels: { app: 'web' } }] }] };
    const isolating = Reachability.fromManifests([web, api, job, cnp('shop', 'd', deny)]);
    expect(isolating.isAllowed('job', 'api', Port.tcp(80))).toBe(false);
    const open = Reachability.fromManifests([web, api, job, cnp('shop', 'd', { ...deny, enableDefaultDeny: { ingress: false } })]);
    expect(open.isAllowed('job', 'api', Port.tcp(80))).toBe(true);
    expect(open.isAllowed('web', 'api', Port.tcp(80))).toBe(false);
    expect(open.explain('web', 'api', Port.tcp(80)).ingress.summary).toMatch(/denied by CiliumNetworkPolicy shop\/d ingress\[0\] 'ingressDeny\[0\]'/);
    expectEnginesAgree(open, Port.tcp(80));
  });
});

describe('CiliumClusterwideNetworkPolicy', () => {
  test('its selectors span namespaces', () => {
    const reach = Reachability.fromManifests([web, api, prom, ccnp('all-egress', {
      endpointSelector: { matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'NotIn', values: ['kube-system'] }] },
      egress: [{ toEndpoints: [{ matchLabels: { app: 'api' } }] }],
    })]);
    expect(reach.isAllowed('prom', 'api', Port.tcp(1))).toBe(true);
    expect(reach.isAllowed('prom', 'web', Port.tcp(1))).toBe(false);
    expect(reach.isAllowed('api', 'web', Port.tcp(1))).toBe(false);
    expectEnginesAgree(reach, Port.tcp(1));
  });
});

describe('Cilium peers outside the cluster', () => {
  const egress = (rules: any[]): Reachability => Reachability.fromManifests([web, api, cnp('shop', 'web', { endpointSelector: { matchLabels: { app: 'web' } }, egress: rules })]);

  test('world matches addresses and names outside the cluster, not pods', () => {
    const reach = egress([{ toEntities: ['world'] }, { toFQDNs: [{ matchName: 'api.stripe.com' }], toPorts: [{ ports: [{ port: '443' }] }] }]);
    expect(reach.isAllowed('web', '203.0.113.9', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'api.stripe.com', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(false);
  });

  test('cluster matches pods and the API server; kube-apiserver only the API server', () => {
    const reach = egress([{ toEntities: ['cluster'] }, { toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }]);
    expect(reach.externals).toContain('kube-apiserver');
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', '203.0.113.9', Port.tcp(80))).toBe(false);
    expect(reach.isAllowed('web', 'kube-apiserver', Port.tcp(443))).toBe(true);
    expect(reach.isAllowed('web', 'kube-apiserver', Port.tcp(6443))).toBe(true);
    const only = egress([{ toEntities: ['kube-apiserver'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }]);
    expect(only.isAllowed('web', 'kube-apiserver', Port.tcp(6443))).toBe(false);
    expect(only.isAllowed('web', 'api', Port.tcp(443))).toBe(false);
  });

  test('CIDR sets match addresses outside the cluster, never pod IPs', () => {
    const reach = egress([{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] }]);
    expect(reach.isAllowed('web', '10.2.0.1', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', '10.1.0.1', Port.tcp(80))).toBe(false);
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(false);
    expectEnginesAgree(reach, Port.tcp(80));
  });

  test('toFQDNs names and patterns are named external nodes that explain() takes', () => {
    const reach = egress([{ toFQDNs: [{ matchName: 'API.stripe.com.' }, { matchPattern: '*.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] }]);
    expect(reach.externals).toEqual(['0.0.0.0/0', '*.amazonaws.com', 'api.stripe.com']);
    const why = reach.explain('web', 'api.stripe.com', Port.tcp(443));
    expect(why.allowed).toBe(true);
    expect(why.toExternal).toBe(true);
    expect(reach.isAllowed('web', 'api.stripe.com', Port.tcp(80))).toBe(false);
    expect(reach.isAllowed('web', '*.amazonaws.com', Port.tcp(443))).toBe(true);
    expect(reach.isAllowed('web', '203.0.113.9', Port.tcp(443))).toBe(false);
  });

  test('a pattern matches the names it covers, one DNS label per *', () => {
    const reach = egress([
      { toFQDNs: [{ matchPattern: '*.example.com' }] },
      { toFQDNs: [{ matchName: 'a.example.com' }, { matchName: 'a.b.example.com' }, { matchName: 'example.com' }], toPorts: [{ ports: [{ port: '1' }] }] },
    ]);
    expect(reach.isAllowed('web', 'a.example.com', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'a.b.example.com', Port.tcp(80))).toBe(false);
    expect(reach.isAllowed('web', 'example.com', Port.tcp(80))).toBe(false);
  });

  test('a leading **. matches one or more labels; a name no policy mentions is judged by the patterns', () => {
    const reach = egress([{ toFQDNs: [{ matchPattern: '**.example.com' }, { matchPattern: 'api-*.example.org' }] }]);
    expect(reach.isAllowed('web', 'a.example.com', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'a.b.example.com', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'example.com', Port.tcp(80))).toBe(false);
    expect(reach.isAllowed('web', 'api-v2.example.org', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('web', 'api-v2.eu.example.org', Port.tcp(80))).toBe(false);
    expect(reach.resolve('API-V2.example.org.')).toBe('api-v2.example.org');
  });

  test('a NetworkPolicy ipBlock reaches DNS names only when it holds every public address', () => {
    const names = cnp('shop', 'names', { endpointSelector: { matchLabels: { app: 'job' } }, egress: [{ toFQDNs: [{ matchName: 'api.stripe.com' }] }] });
    const np = (cidr: string, except: string[] = []): Reachability => Reachability.fromManifests([web, names,
      policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr, except } }] }] })]);
    expect(np('0.0.0.0/0').isAllowed('web', 'api.stripe.com', Port.tcp(443))).toBe(true);
    expect(np('0.0.0.0/0', ['10.0.0.0/8', '169.254.169.254/32']).isAllowed('web', 'api.stripe.com', Port.tcp(443))).toBe(true);
    expect(np('0.0.0.0/0', ['54.0.0.0/8']).isAllowed('web', 'api.stripe.com', Port.tcp(443))).toBe(false);
    expect(np('203.0.113.0/24').isAllowed('web', 'api.stripe.com', Port.tcp(443))).toBe(false);
  });
});

describe('Cilium fields outside the modelled subset are reported, never skipped', () => {
  test('each with its path and why', () => {
    const reach = Reachability.fromManifests([web, api,
      cnp('shop', 'l7', {
        endpointSelector: apiSelector,
        ingress: [
          { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '80' }], rules: { http: [{ method: 'GET' }] } }] },
          { fromEntities: ['host'] },
          { fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'ci' } }] },
        ],
        egress: [{ toServices: [{ k8sService: { serviceName: 'db', namespace: 'shop' } }] }, { icmps: [{ fields: [{ type: 8 }] }] }],
      }),
      ccnp('hosts', { nodeSelector: {}, ingress: [{ fromEntities: ['world'] }] })]);
    expect(reach.unmodelled.map((u) => `${u.kind} ${u.name} ${u.field}`)).toEqual([
      'CiliumNetworkPolicy shop/l7 spec.ingress[0].toPorts[0].rules.http',
      'CiliumNetworkPolicy shop/l7 spec.ingress[1].fromEntities[0]',
      'CiliumNetworkPolicy shop/l7 spec.ingress[2].fromEndpoints[0]',
      'CiliumNetworkPolicy shop/l7 spec.egress[0].toServices',
      'CiliumNetworkPolicy shop/l7 spec.egress[1].icmps',
      'CiliumClusterwideNetworkPolicy hosts spec.nodeSelector',
    ]);
    // The L4 part is modelled; the unmodelled peers match nothing.
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(true);
    expect(reach.isAllowed('api', 'web', Port.tcp(5432))).toBe(false);
  });
});
