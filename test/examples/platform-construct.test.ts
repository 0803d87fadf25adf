import { Chart, Testing } from 'cdk8s';
import { build } from '../../examples/platform-construct/main';
import { StandardService } from '../../examples/platform-construct/standard-service';
import { CONTEXT_PODS, policiesYaml, reachabilityWithContext, synthExample } from '../support/examples';
import { expectFlowTable } from '../support/flow-table';
import { synthValid } from '../support/validate-manifests';

describe('examples/platform-construct', () => {
  const manifests = synthExample(build);

  test('synthesizes schema-valid manifests: a Deployment, a Service and a policy per StandardService', () => {
    expect(manifests.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'Deployment inventory', 'Deployment orders', 'Deployment web', 'Namespace orders',
      'NetworkPolicy inventory-netpol', 'NetworkPolicy orders-netpol', 'NetworkPolicy web-netpol',
      'Service inventory', 'Service orders', 'Service web',
    ]);
    expect(policiesYaml(manifests)).toMatchSnapshot();
  });

  test('web is public and calls orders, orders calls inventory, monitoring scrapes metrics; other pods are left alone', () => {
    const reach = reachabilityWithContext(manifests, [{ namespace: 'orders', name: 'other', labels: { app: 'other' } }]);
    expectFlowTable(reach, { web: 'orders/web', orders: 'orders/orders', inv: 'orders/inventory', other: 'orders/other', ...CONTEXT_PODS }, `
      from\\to  web   orders  inv   other  nginx  dns        agent  curl
      web       all   8080    -     -      -      53,53/udp  -      -
      orders    -     all     9000  -      -      53,53/udp  -      -
      inv       -     -       all   -      -      53,53/udp  -      -
      other     -     -       -     all    all    all        all    all
      nginx     8080  -       -     all    all    all        all    all
      dns       -     -       -     all    all    all        all    all
      agent     9090  9090    9090  all    all    all        all    all
      curl      -     -       -     all    all    all        all    all
    `);
  });

  test('calls() twice is a no-op', () => {
    const chart = new Chart(Testing.app(), 'twice');
    const a = new StandardService(chart, 'a', { namespace: 'orders', image: 'a' });
    const b = new StandardService(chart, 'b', { namespace: 'orders', image: 'b' });
    a.calls(b);
    const once = synthValid(chart);
    a.calls(b);
    expect(a.node.children.filter((c) => c.node.id.startsWith('Calls-'))).toHaveLength(1);
    expect(synthValid(chart)).toEqual(once);
  });
});
