import { Reachability } from '../../src';
import { WorkloadExposure, buildExposure, renderExposureText } from '../../src/reports';
import { namespace, pod, policy } from '../analyzer/helpers';

const web = pod('shop', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] });
const api = pod('shop', 'api', { labels: { app: 'api' } });
const prometheus = pod('monitoring', 'prometheus', { labels: { app: 'prometheus' } });
const ingressOnly = (name: string, app: string, ingress: any[]): any => policy('shop', name, { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'], ingress });
const exposureOf = (objects: any[], workload: string): WorkloadExposure =>
  buildExposure(Reachability.fromManifests(objects)).find((w) => w.workload === workload)!;
const lines = (entries: WorkloadExposure['ingress']['entries']): string[] => entries.map((e) => `${e.peer}: ${e.ports} (${e.rule})`);
const from = (objects: any[], workload: string): string[] => exposureOf(objects, workload).ingress.entries.map((e) => `${e.peer}: ${e.ports}`);
const to = (objects: any[], workload: string): string[] => exposureOf(objects, workload).egress.entries.map((e) => `${e.peer}: ${e.ports}`);

const anp = (name: string, priority: number, spec: any): any => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name }, spec: { priority, subject: { namespaces: {} }, ...spec },
});
const banp = (spec: any): any => ({
  apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: { subject: { namespaces: {} }, ...spec },
});
const cnp = (ns: string, name: string, spec: any): any => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: ns }, spec });
const byName = (name: string): any => ({ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

describe('exposure: who may connect to a workload and where it may connect, as the tiers decide', () => {
  test('a workload no policy applies to is open to everything, and flagged both ways', () => {
    const w = exposureOf([web], 'shop/web');
    expect(w.ingress.policies).toEqual([]);
    expect(lines(w.ingress.entries)).toEqual(['everything: every pod of every namespace and every address outside the cluster: every port (no policy applies)']);
    expect(w.flags).toEqual(['open to the internet', 'open to the whole cluster', 'may reach the internet', 'may reach the whole cluster']);
  });

  test('isolated without rules: nothing, and what denies it; no flag', () => {
    const w = exposureOf([web, ingressOnly('deny', 'web', [])], 'shop/web');
    expect(w.ingress).toEqual({ policies: ['NetworkPolicy shop/deny'], entries: [], deniedBy: ['isolated by NetworkPolicy shop/deny'] });
    expect(w.flags).toEqual(['may reach the internet', 'may reach the whole cluster']);
  });

  test('peers grouped by namespace, pods the selectors describe that the manifests lack, address ranges; named ports resolved on the workload', () => {
    const objects = [web, api, namespace('monitoring', { purpose: 'monitoring' }), ingressOnly('web', 'web', [
      { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }] },
      { from: [{ podSelector: {} }], ports: [{ port: 9000, endPort: 9100, protocol: 'UDP' }] },
      { from: [{ namespaceSelector: { matchLabels: { purpose: 'monitoring' } } }], ports: [{ port: 'metrics' }] },
      { from: [{ namespaceSelector: { matchLabels: { purpose: 'ci' } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['runner'] }] } }] },
      { from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.7/32'] } }], ports: [{ protocol: 'SCTP' }] },
    ])];
    // 'metrics' is no container port of shop/web: that rule opens nothing.
    expect(from(objects, 'shop/web')).toEqual([
      'every pod of namespace shop: UDP 9000-9100',
      'shop/api (Pod): TCP 8080',
      'pods role in (runner) of namespaces purpose=ci (none in the manifests): every port',
      'addresses 203.0.113.0/24 except 203.0.113.7/32: SCTP all',
    ]);
    expect(exposureOf(objects, 'shop/web').flags).toEqual(['may reach the internet', 'may reach the whole cluster']);
  });

  test('every namespace flags the whole cluster; a range of 0.0.0.0/0, the internet; a rule without peers, both', () => {
    const cluster = [web, ingressOnly('web', 'web', [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }])];
    expect(from(cluster, 'shop/web')).toEqual(['every pod of every namespace: TCP 8080']);
    expect(exposureOf(cluster, 'shop/web').flags).toContain('open to the whole cluster');
    expect(exposureOf(cluster, 'shop/web').flags).not.toContain('open to the internet');
    const internet = [web, ingressOnly('web', 'web', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }])];
    expect(from(internet, 'shop/web')).toEqual(['addresses 0.0.0.0/0 except 10.0.0.0/8: every port']);
    expect(exposureOf(internet, 'shop/web').flags.filter((f) => f.startsWith('open'))).toEqual(['open to the internet']);
    const anyone = [web, ingressOnly('web', 'web', [{ ports: [{ port: 443 }] }])];
    expect(from(anyone, 'shop/web')).toEqual(['everything: every pod of every namespace and every address outside the cluster: TCP 443']);
    expect(exposureOf(anyone, 'shop/web').flags.filter((f) => f.startsWith('open'))).toEqual(['open to the internet', 'open to the whole cluster']);
  });

  test('egress: a namespace and pods the manifests lack; named ports resolve on each destination', () => {
    const egress = policy('shop', 'web-out', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 'dns-tcp' }] }],
    });
    expect(lines(exposureOf([web, egress], 'shop/web').egress.entries)).toEqual([
      'pods k8s-app=kube-dns of namespace kube-system (not in the manifests): UDP 53 (NetworkPolicy shop/web-out egress[0])',
    ]);
    const coredns = pod('kube-system', 'coredns', { labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns-tcp', containerPort: 53 }] });
    expect(to([web, egress, coredns], 'shop/web')).toEqual(['kube-system/coredns (Pod): TCP 53; UDP 53']);
    expect(exposureOf([web, egress], 'shop/web').flags).toEqual(['open to the internet', 'open to the whole cluster']);
  });

  test('an AdminNetworkPolicy that denies every pod and address closes every workload, whatever NetworkPolicies allow', () => {
    const objects = [web, api, prometheus, ingressOnly('web', 'web', [{}]), anp('deny-all', 10, {
      ingress: [{ name: 'pods', action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [{ name: 'everything', action: 'Deny', to: [{ namespaces: {} }, { networks: ['0.0.0.0/0'] }] }],
    })];
    for (const workload of ['shop/web', 'shop/api', 'monitoring/prometheus']) {
      const w = exposureOf(objects, workload);
      expect(w.egress.entries).toEqual([]);
      expect(w.egress.deniedBy).toEqual(["denied by AdminNetworkPolicy deny-all egress[0] 'everything'"]);
      // v1alpha1 ingress peers are pods only: addresses outside the cluster stay to the NetworkPolicy tier, then the default.
      expect(from(objects, workload)).toEqual(['every address outside the cluster: every port']);
      expect(w.flags).toEqual(['open to the internet']);
    }
    expect(lines(exposureOf(objects, 'shop/web').ingress.entries)).toEqual(['every address outside the cluster: every port (NetworkPolicy shop/web ingress[0])']);
    expect(exposureOf(objects, 'shop/web').ingress.policies).toEqual(['AdminNetworkPolicy deny-all', 'NetworkPolicy shop/web']);
  });

  test('a Baseline deny is opened by a namespace NetworkPolicy; an Admin Pass hands the rest on; an Admin Accept overrides isolation', () => {
    const base = [web, api, prometheus, banp({ ingress: [{ name: 'pods', action: 'Deny', from: [{ namespaces: {} }] }] })];
    expect(from(base, 'shop/api')).toEqual(['every address outside the cluster: every port']);
    const opened = [...base, ingressOnly('api', 'api', [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090 }] }])];
    expect(lines(exposureOf(opened, 'shop/api').ingress.entries)).toEqual(['every pod of namespace monitoring: TCP 9090 (NetworkPolicy shop/api ingress[0])']);
    // shop/web, which no NetworkPolicy selects, stays denied by the Baseline tier.
    expect(from(opened, 'shop/web')).toEqual(['every address outside the cluster: every port']);

    const passed = [web, api, prometheus,
      anp('monitoring', 1, { ingress: [{ name: 'to-namespaces', action: 'Pass', from: [byName('monitoring')] }] }),
      anp('tenants', 2, { ingress: [{ name: 'no-pods', action: 'Deny', from: [{ namespaces: {} }] }] })];
    expect(lines(exposureOf(passed, 'shop/web').ingress.entries)).toEqual([
      'every pod of namespace monitoring: every port (no rule decides, so the default allows)',
      'every address outside the cluster: every port (no rule decides, so the default allows)',
    ]);
    expect(lines(exposureOf([...passed, ingressOnly('web', 'web', [])], 'shop/web').ingress.entries)).toEqual([]);

    const accepted = [web, api, prometheus, ingressOnly('web', 'web', []),
      anp('scrape', 1, { ingress: [{ name: 'prometheus', action: 'Allow', from: [byName('monitoring')], ports: [{ portNumber: { protocol: 'TCP', port: 9090 } }] }] })];
    expect(lines(exposureOf(accepted, 'shop/web').ingress.entries)).toEqual(["every pod of namespace monitoring: TCP 9090 (AdminNetworkPolicy scrape ingress[0] 'prometheus')"]);
  });

  test('Cilium: allow rules, entities and deny rules as Cilium enforces them with NetworkPolicies', () => {
    const objects = [web, api, prometheus, cnp('shop', 'api', {
      endpointSelector: { matchLabels: { app: 'api' } },
      ingress: [
        { fromEndpoints: [{ matchLabels: { app: 'web' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] },
        { fromEntities: ['world'], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] },
      ],
      ingressDeny: [{ fromCIDR: ['203.0.113.0/24'] }],
    })];
    const w = exposureOf(objects, 'shop/api');
    expect(lines(w.ingress.entries)).toEqual([
      'shop/web (Pod): TCP 8080 (CiliumNetworkPolicy shop/api ingress[0])',
      'addresses 0.0.0.0/0 except 203.0.113.0/24: TCP 443 (CiliumNetworkPolicy shop/api ingress[1])',
    ]);
    expect(w.ingress.deniedBy).toContain('denied by CiliumNetworkPolicy shop/api ingress[0] \'ingressDeny[0]\'');
    expect(w.flags).toEqual(['open to the internet', 'may reach the internet', 'may reach the whole cluster']);
  });

  test('text: the flagged workloads are marked, and what closes a direction is named', () => {
    const text = renderExposureText(buildExposure(Reachability.fromManifests([web, api, ingressOnly('api', 'api', [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]),
      policy('shop', 'api-out', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'] })])));
    expect(text).toContain('Exposure of 2 workloads: 1 flagged');
    expect(text).toContain('shop/web (Pod)  !! open to the internet, open to the whole cluster, may reach the internet, may reach the whole cluster\n');
    expect(text).toContain('shop/api (Pod)\n  from: shop/web (Pod): every port (NetworkPolicy shop/api ingress[0])\n  to:   nothing (isolated by NetworkPolicy shop/api-out)\n');
  });
});
