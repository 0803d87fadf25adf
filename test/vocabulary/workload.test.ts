import { Chart, Testing } from 'cdk8s';
import * as plus28 from 'cdk8s-plus-28';
import * as plus34 from 'cdk8s-plus-34';
import { AllowFrom, LabelSelector, Peer, Port, Workload } from '../../src';
import { chartIn, policiesOf, reachabilityOf } from '../support/cluster';

/** The oldest cdk8s-plus line we support and the newest the registry serves, as Workload.of reads them. */
const LINES = [['cdk8s-plus-28', plus28], ['cdk8s-plus-34', plus34]] as const;

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'] as const;

describe('Workload', () => {
  test('from a selector, with its namespace or the chart\'s', () => {
    const chart = chartIn('shop');
    expect(Workload.fromLabels({ app: 'web' })._resolve(chart)).toEqual({ namespace: 'shop', selector: LabelSelector.matchLabels({ app: 'web' }), name: 'web' });
    expect(Workload.fromLabels({ app: 'web' }, { namespace: 'blog' })._resolve(chart).namespace).toBe('blog');
    expect(Workload.allPods('shop').isAllPods).toBe(true);
    expect(Workload.fromLabels({ app: 'web' }).toString()).toBe('<chart namespace>/app=web');
  });

  describe.each(LINES)('Workload.of with %s', (_line, plus) => {
    test.each(KINDS)('a %s: its pods are selected, no other pods, and its namespace used', (kind) => {
      const chart = chartIn('shop');
      const make = (id: string) => new plus[kind](chart, id, { containers: [{ image: 'img', portNumber: 8080 }] });
      const workload = make('w');
      const other = make('other');
      new AllowFrom(chart, 'allow', { to: Workload.of(workload), from: [Peer.pods(LabelSelector.matchLabels({ app: 'client' }))], ports: [Port.tcp(8080)] });
      const reach = reachabilityOf(chart, [
        { namespace: 'shop', name: 'client', labels: { app: 'client' } },
        { namespace: 'shop', name: 'stranger', labels: { app: 'stranger' } },
      ]);
      // The pods the analyzer reads from the synthesized object itself, not a copy of its labels.
      expect(reach.pods).toEqual(expect.arrayContaining([`shop/${workload.name}`, `shop/${other.name}`]));
      expect(reach.isAllowed('shop/client', `shop/${workload.name}`, Port.tcp(8080))).toBe(true);
      expect(reach.isAllowed('shop/stranger', `shop/${workload.name}`, Port.tcp(8080))).toBe(false);
      expect(reach.isAllowed('shop/stranger', `shop/${other.name}`, Port.tcp(8080))).toBe(true);
    });

    test('a workload with its own namespace', () => {
      const chart = new Chart(Testing.app(), 'c');
      const deployment = new plus.Deployment(chart, 'api', { metadata: { namespace: 'payments' }, containers: [{ image: 'img' }] });
      expect(Workload.of(deployment)._resolve(chart).namespace).toBe('payments');
    });

    test('a name of your own names the policy; the object\'s name (with its hash) is the default', () => {
      const chart = chartIn('shop');
      const api = new plus.Deployment(chart, 'api', { containers: [{ image: 'img', portNumber: 8080 }] });
      const worker = new plus.Deployment(chart, 'worker', { containers: [{ image: 'img', portNumber: 8080 }] });
      new AllowFrom(chart, 'to-api', { to: Workload.of(api, { name: 'checkout-api' }), from: [Peer.pods(LabelSelector.matchLabels({ app: 'client' }))], ports: [Port.tcp(8080)] });
      new AllowFrom(chart, 'to-worker', { to: Workload.of(worker), from: [Peer.pods(LabelSelector.matchLabels({ app: 'client' }))], ports: [Port.tcp(8080)] });
      expect(policiesOf(chart).map((p) => p.metadata.name).sort()).toEqual(['checkout-api-netpol', 'client-netpol', `${worker.name}-netpol`]);
      expect(worker.name).toMatch(/^shop-worker-c8[0-9a-f]{6}$/);
      const reach = reachabilityOf(chart, [{ namespace: 'shop', name: 'stranger', labels: { app: 'stranger' } }]);
      expect(reach.isAllowed('shop/stranger', `shop/${api.name}`, Port.tcp(8080))).toBe(false);
    });
  });

  test('Workload.of names what it was given when that is no cdk8s-plus pod or workload, and how to fix it', () => {
    const chart = chartIn('shop');
    const configMap = new plus34.ConfigMap(chart, 'settings');
    expect(() => Workload.of(configMap as any)).toThrow(
      'Workload.of(shop/settings): the argument is not a cdk8s-plus Pod or workload: it has no podMetadata. '
      + 'Pass a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job or Pod, or select other pods with Workload.fromLabels');
    expect(() => Workload.of(undefined as any)).toThrow(/^Workload\.of\(undefined\): the argument is not a cdk8s-plus Pod or workload/);
  });
});
