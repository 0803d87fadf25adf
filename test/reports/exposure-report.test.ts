import { Reachability } from '../../src';
import { buildExposure, renderExposureText } from '../../src/reports';
import { namespace, pod, policy } from '../analyzer/helpers';

const web = pod('shop', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] });
const api = pod('shop', 'api', { labels: { app: 'api' } });
const ingressOnly = (name: string, app: string, ingress: any[]): any => policy('shop', name, { podSelector: { matchLabels: { app } }, policyTypes: ['Ingress'], ingress });
const exposureOf = (objects: any[], workload: string) => buildExposure(Reachability.fromManifests(objects)).find((w) => w.workload === workload)!;
const from = (objects: any[], workload: string): string[] => exposureOf(objects, workload).ingress.entries.map((e) => `${e.peer}: ${e.ports}`);

describe('exposure: who may connect to a workload, in the policies\' terms', () => {
  test('a workload no policy isolates is open to everything, and flagged both ways', () => {
    const w = exposureOf([web], 'shop/web');
    expect(w.ingress.isolated).toBe(false);
    expect(w.flags).toEqual(['open to the internet', 'open to the whole cluster', 'may reach the internet', 'may reach the whole cluster']);
  });

  test('isolated without rules: nothing, no flag', () => {
    const w = exposureOf([web, ingressOnly('deny', 'web', [])], 'shop/web');
    expect(w.ingress).toEqual({ isolated: true, entries: [] });
    expect(w.flags).toEqual(['may reach the internet', 'may reach the whole cluster']);
  });

  test('each peer shape, with the rule\'s ports (named ports resolved on the workload)', () => {
    const objects = [web, api, namespace('monitoring', { purpose: 'monitoring' }), ingressOnly('web', 'web', [
      { from: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'http' }] },
      { from: [{ podSelector: {} }], ports: [{ port: 9000, endPort: 9100, protocol: 'UDP' }] },
      { from: [{ namespaceSelector: { matchLabels: { purpose: 'monitoring' } } }], ports: [{ port: 'metrics' }] },
      { from: [{ namespaceSelector: { matchLabels: { purpose: 'ci' } }, podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['runner'] }] } }] },
      { from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.7/32'] } }], ports: [{ protocol: 'SCTP' }] },
    ])];
    expect(from(objects, 'shop/web')).toEqual([
      "pods app=api of namespace shop: TCP 'http' (8080)",
      'every pod of namespace shop: UDP 9000-9100',
      "every pod of namespaces purpose=monitoring (now monitoring): TCP 'metrics' (no such container port: nothing)",
      'pods role in (runner) of namespaces purpose=ci (none in the manifests): every port',
      'addresses 203.0.113.0/24 except 203.0.113.7/32: every SCTP port',
    ]);
    expect(exposureOf(objects, 'shop/web').flags).toEqual(['may reach the internet', 'may reach the whole cluster']);
  });

  test('every namespace flags the whole cluster; a 0.0.0.0/0 block, the internet; a rule without peers, both', () => {
    const cluster = [web, ingressOnly('web', 'web', [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080 }] }])];
    expect(from(cluster, 'shop/web')).toEqual(['every pod of every namespace: TCP 8080']);
    expect(exposureOf(cluster, 'shop/web').flags).toContain('open to the whole cluster');
    expect(exposureOf(cluster, 'shop/web').flags).not.toContain('open to the internet');
    const internet = [web, ingressOnly('web', 'web', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }])];
    expect(exposureOf(internet, 'shop/web').flags.filter((f) => f.startsWith('open'))).toEqual(['open to the internet']);
    const anyone = [web, ingressOnly('web', 'web', [{ ports: [{ port: 443 }] }])];
    expect(from(anyone, 'shop/web')).toEqual(['everything: every pod of every namespace and every address outside the cluster: TCP 443']);
    expect(exposureOf(anyone, 'shop/web').flags.filter((f) => f.startsWith('open'))).toEqual(['open to the internet', 'open to the whole cluster']);
  });

  test('egress: where it may go, named ports left to the destination', () => {
    const egress = policy('shop', 'web-out', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 'dns-tcp' }] }],
    });
    const w = exposureOf([web, egress], 'shop/web');
    expect(w.egress.entries.map((e) => `${e.peer}: ${e.ports} (${e.rule})`)).toEqual([
      "pods k8s-app=kube-dns of namespaces kubernetes.io/metadata.name=kube-system (none in the manifests): UDP 53, TCP 'dns-tcp' (named port of the destination) (shop/web-out egress[0])",
    ]);
    expect(w.flags).toEqual(['open to the internet', 'open to the whole cluster']);
  });

  test('text: the flagged workloads are marked', () => {
    const text = renderExposureText(buildExposure(Reachability.fromManifests([web, api, ingressOnly('api', 'api', [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }]),
      policy('shop', 'api-out', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'] })])));
    expect(text).toContain('Exposure of 2 workloads: 1 flagged');
    expect(text).toContain('shop/web (Pod)  !! open to the internet, open to the whole cluster, may reach the internet, may reach the whole cluster\n');
    expect(text).toContain('shop/api (Pod)\n  from: pods app=web of namespace shop: every port (shop/api ingress[0])\n  to:   nothing (isolated, no rule allows any)\n');
  });
});
