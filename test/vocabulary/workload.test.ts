import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, LabelSelector, Peer, Port, Workload } from '../../src';
import { chartIn, reachabilityOf } from '../support/cluster';

describe('Workload', () => {
  test('from a selector, with its namespace or the chart\'s', () => {
    const chart = chartIn('shop');
    expect(Workload.fromLabels({ app: 'web' })._resolve(chart)).toEqual({ namespace: 'shop', selector: LabelSelector.matchLabels({ app: 'web' }), name: 'web' });
    expect(Workload.fromLabels({ app: 'web' }, { namespace: 'blog' })._resolve(chart).namespace).toBe('blog');
    expect(Workload.allPods('shop').isAllPods).toBe(true);
    expect(Workload.fromLabels({ app: 'web' }).toString()).toBe('<chart namespace>/app=web');
  });

  test.each([
    ['Deployment', (c: Chart) => new kplus.Deployment(c, 'w', { containers: [{ image: 'img', portNumber: 8080 }] })],
    ['StatefulSet', (c: Chart) => new kplus.StatefulSet(c, 'w', { containers: [{ image: 'img', portNumber: 8080 }] })],
    ['DaemonSet', (c: Chart) => new kplus.DaemonSet(c, 'w', { containers: [{ image: 'img', portNumber: 8080 }] })],
    ['Job', (c: Chart) => new kplus.Job(c, 'w', { containers: [{ image: 'img', portNumber: 8080 }] })],
    ['Pod', (c: Chart) => new kplus.Pod(c, 'w', { containers: [{ image: 'img', portNumber: 8080 }] })],
  ])('a cdk8s-plus-28 %s: its pods are selected and its namespace used', (_kind, make) => {
    const chart = chartIn('shop');
    const workload = make(chart);
    new AllowFrom(chart, 'allow', { to: Workload.of(workload), from: [Peer.pods(LabelSelector.matchLabels({ app: 'client' }))], ports: [Port.tcp(8080)] });
    const reach = reachabilityOf(chart, [
      { namespace: 'shop', name: 'client', labels: { app: 'client' } },
      { namespace: 'shop', name: 'stranger', labels: { app: 'stranger' } },
    ]);
    expect(reach.isAllowed('shop/client', `shop/${workload.name}`, Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed('shop/stranger', `shop/${workload.name}`, Port.tcp(8080))).toBe(false);
  });

  test('a cdk8s-plus-28 workload with its own namespace', () => {
    const chart = new Chart(Testing.app(), 'c');
    const deployment = new kplus.Deployment(chart, 'api', { metadata: { namespace: 'payments' }, containers: [{ image: 'img' }] });
    expect(Workload.of(deployment)._resolve(chart).namespace).toBe('payments');
  });
});
