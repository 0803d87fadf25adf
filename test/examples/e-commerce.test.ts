import { build } from '../../examples/e-commerce/main';
import { CONTEXT_PODS, policiesYaml, reachabilityWithContext, synthExample } from '../support/examples';
import { expectFlowTable } from '../support/flow-table';

describe('examples/e-commerce', () => {
  const manifests = synthExample(build);

  test('synthesizes schema-valid manifests: the namespace-wide policy and one per tier', () => {
    expect(manifests.filter((o) => o.kind === 'NetworkPolicy').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'shop/all-pods-netpol', 'shop/storefront-netpol', 'shop/payment-netpol', 'shop/database-netpol',
    ]);
    expect(policiesYaml(manifests)).toMatchSnapshot();
  });

  test('storefront from the ingress controller, payment only from storefront on 3000, database only from payment on 5432; every other pod of shop reaches DNS only', () => {
    const reach = reachabilityWithContext(manifests, [{ namespace: 'shop', name: 'other', labels: { app: 'other' } }]);
    expectFlowTable(reach, { front: 'shop/storefront', pay: 'shop/payment', db: 'shop/database', other: 'shop/other', ...CONTEXT_PODS }, `
      from\\to  front   pay   db    other  nginx  dns        agent  curl
      front     all     3000  -     -      -      53,53/udp  -      -
      pay       -       all   5432  -      -      53,53/udp  -      -
      db        -       -     all   -      -      53,53/udp  -      -
      other     -       -     -     all    -      53,53/udp  -      -
      nginx     80,443  -     -     -      all    all        all    all
      dns       -       -     -     -      all    all        all    all
      agent     -       -     -     -      all    all        all    all
      curl      -       -     -     -      all    all        all    all
    `);
  });
});
