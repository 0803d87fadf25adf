import { Port, Reachability } from '../../src';

const web = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
const api = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api' }] } };

function object(apiVersion: string, kind: string, name: string, namespace?: string, spec: any = {}): any {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}

describe('Reachability.unmodelled', () => {
  test('names every policy object it does not model, with its kind, apiVersion, name, source and reason', () => {
    const reach = Reachability.fromManifests([
      web,
      object('policy.networking.k8s.io/v1alpha2', 'AdminNetworkPolicy', 'deny-all'),
      object('policy.networking.k8s.io/v1beta1', 'BaselineAdminNetworkPolicy', 'default'),
      object('policy.networking.k8s.io/v1alpha1', 'ClusterNetworkPolicy', 'tenants'),
      object('crd.antrea.io/v1beta1', 'NetworkPolicy', 'l7', 'shop'),
      object('crd.antrea.io/v1beta1', 'ClusterNetworkPolicy', 'host'),
      object('projectcalico.org/v3', 'GlobalNetworkPolicy', 'deny-egress'),
      object('crd.projectcalico.org/v1', 'NetworkPolicy', 'calico-crd'),
      object('k8s.cni.cncf.io/v1beta1', 'MultiNetworkPolicy', 'secondary', 'shop'),
    ]);
    const u = reach.unmodelled;
    expect(u.map((x) => `${x.kind} ${x.apiVersion} ${x.name} ${x.source}`)).toEqual([
      // Versions of the cluster policies the analyzer does not model (it models ANP/BANP
      // v1alpha1 and ClusterNetworkPolicy v1alpha2).
      'AdminNetworkPolicy policy.networking.k8s.io/v1alpha2 deny-all items[1]',
      'BaselineAdminNetworkPolicy policy.networking.k8s.io/v1beta1 default items[2]',
      'ClusterNetworkPolicy policy.networking.k8s.io/v1alpha1 tenants items[3]',
      'NetworkPolicy crd.antrea.io/v1beta1 shop/l7 items[4]',
      'ClusterNetworkPolicy crd.antrea.io/v1beta1 host items[5]',
      'GlobalNetworkPolicy projectcalico.org/v3 deny-egress items[6]',
      // Namespaced, and in `default` when the manifest names no namespace, as kubectl would put it.
      'NetworkPolicy crd.projectcalico.org/v1 default/calico-crd items[7]',
      'MultiNetworkPolicy k8s.cni.cncf.io/v1beta1 shop/secondary items[8]',
    ]);
    expect(u[0].reason).toMatch(/^a cluster policy of an API version the analyzer does not model/);
    expect(u[3].reason).toMatch(/^an Antrea policy/);
    expect(u[7].reason).toMatch(/secondary \(Multus\) network interfaces/);
    expect(u[0].field).toBeUndefined();
  });

  test('a Calico GlobalNetworkPolicy that denies everything: the verdicts ignore it, and say so', () => {
    const gnp = object('projectcalico.org/v3', 'GlobalNetworkPolicy', 'deny-all', undefined, { selector: 'all()', types: ['Ingress'] });
    const reach = Reachability.fromManifests([web, api, gnp]);
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(true);
    expect(reach.unmodelled.map((x) => x.name)).toEqual(['deny-all']);
  });

  test('an AdminNetworkPolicy v1alpha1 that denies everything is modelled: the verdicts deny, nothing is unmodelled', () => {
    const anp = object('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy', 'deny-all', undefined, {
      priority: 10,
      subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
    });
    const reach = Reachability.fromManifests([web, api, anp]);
    expect(reach.isAllowed('web', 'api', Port.tcp(80))).toBe(false);
    expect(reach.unmodelled).toEqual([]);
  });

  test('a Calico NetworkPolicy is not a networking.k8s.io/v1 NetworkPolicy: not validated as one, not applied', () => {
    // Calico's own fields (a selector expression, order) would be invalid in a v1 NetworkPolicy.
    const calico = object('projectcalico.org/v3', 'NetworkPolicy', 'deny-web', 'shop', { selector: "app == 'web'", order: 10, types: ['Ingress'], ingress: [{ action: 'Deny' }] });
    const reach = Reachability.fromManifests([web, api, calico]);
    expect(reach.policies).toEqual([]);
    expect(reach.isolation('shop/web').ingressIsolated).toBe(false);
    expect(reach.unmodelled).toEqual([{
      kind: 'NetworkPolicy',
      apiVersion: 'projectcalico.org/v3',
      name: 'shop/deny-web',
      source: 'items[2]',
      reason: 'a Calico policy: Calico enforces it in its own tiers and order, so it can deny or allow flows the verdicts do not show',
    }]);
  });

  test('NetworkPolicy in a version Kubernetes no longer serves, and unknown …NetworkPolicy kinds', () => {
    const reach = Reachability.fromManifests([
      object('extensions/v1beta1', 'NetworkPolicy', 'old', 'shop', { podSelector: {} }),
      object('example.com/v1', 'FancyNetworkPolicy', 'fancy', 'shop'),
      object('example.com/v1', 'FancyClusterNetworkPolicy', 'global'),
    ]);
    expect(reach.policies).toEqual([]);
    expect(reach.unmodelled.map((x) => `${x.name}: ${x.reason}`)).toEqual([
      'shop/old: an API version of NetworkPolicy that Kubernetes no longer serves (kubectl apply fails); write it as networking.k8s.io/v1',
      "shop/fancy: a network policy kind of API group 'example.com' that the analyzer does not know, so it cannot tell what it allows or denies",
      "global: a network policy kind of API group 'example.com' that the analyzer does not know, so it cannot tell what it allows or denies",
    ]);
  });

  test('kinds that never affect traffic are not listed: staged Calico policies, Services, ConfigMaps', () => {
    const reach = Reachability.fromManifests([
      object('projectcalico.org/v3', 'StagedNetworkPolicy', 'try', 'shop'),
      object('v1', 'Service', 'web', 'shop'),
      object('v1', 'ConfigMap', 'conf', 'shop'),
    ]);
    expect(reach.unmodelled).toEqual([]);
  });

  test('a field of a modelled object: a host-network pod', () => {
    const hostNet = { ...web, spec: { ...web.spec, hostNetwork: true } };
    const ds = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { hostNetwork: true, containers: [{ name: 'a', image: 'a' }] } } },
    };
    const cron = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup', namespace: 'shop' },
      spec: { jobTemplate: { spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'b', image: 'b' }] } } } } },
    };
    const u = Reachability.fromManifests([hostNet, ds, cron]).unmodelled;
    expect(u.map((x) => `${x.kind} ${x.name} ${x.field}`)).toEqual([
      'Pod shop/web spec.hostNetwork',
      'DaemonSet kube-system/agent spec.template.spec.hostNetwork',
      'CronJob shop/backup spec.jobTemplate.spec.template.spec.hostNetwork',
    ]);
    expect(u[0].reason).toMatch(/^a host-network pod: NetworkPolicy behaviour for it is undefined/);
  });

  test('fromFiles names the file and document', () => {
    const reach = Reachability.fromFiles([`${__dirname}/../fixtures/analyzer/unmodelled`]);
    expect(reach.unmodelled.map((x) => x.source?.replace(/^.*fixtures\//, ''))).toEqual(['analyzer/unmodelled/calico-deny-all.yaml, document 0']);
  });

  test('a NetworkPolicy without apiVersion is still validated as v1, and refused', () => {
    expect(() => Reachability.fromManifests([{ kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: {} } }]))
      .toThrow(/apiVersion: Unsupported value/);
  });
});
