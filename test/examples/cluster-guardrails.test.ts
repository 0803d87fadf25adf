import { build } from '../../examples/cluster-guardrails/main';
import { Port } from '../../src';
import { CONTEXT_PODS, reachabilityWithContext, synthExample } from '../support/examples';
import { expectFlowTable } from '../support/flow-table';

describe('examples/cluster-guardrails', () => {
  const manifests = synthExample(build);
  const reach = reachabilityWithContext(manifests);

  test('synthesizes the platform\'s ClusterNetworkPolicies and the shop\'s NetworkPolicies', () => {
    expect(manifests.filter((o) => o.kind.endsWith('NetworkPolicy')).map((o) => `${o.kind} ${o.metadata.namespace ?? '(cluster)'}/${o.metadata.name}`)).toEqual([
      'ClusterNetworkPolicy (cluster)/platform-baseline',
      'ClusterNetworkPolicy (cluster)/platform-dns-egress',
      'ClusterNetworkPolicy (cluster)/platform-dns-resolver',
      'ClusterNetworkPolicy (cluster)/platform-metadata',
      'ClusterNetworkPolicy (cluster)/platform-tenants-acme',
      'ClusterNetworkPolicy (cluster)/platform-tenants-globex',
      'NetworkPolicy shop/api-netpol',
      'NetworkPolicy shop/web-netpol',
    ]);
  });

  test('shop and pay start denied but for DNS; shop opens web -> api on 8080; the cluster context is untouched', () => {
    // Baseline: shop/api reaches nothing but DNS (no NetworkPolicy isolates its egress) and pay/api
    // nothing at all but DNS; nobody reaches shop/web or pay/api. Each pod reaches itself.
    const pods = { web: 'shop/web', api: 'shop/api', payApi: 'pay/api', ...CONTEXT_PODS };
    expectFlowTable(reach, pods, `
      from\\to  web  api   payApi  nginx  dns        agent  curl
      web      all  8080  -       -      53,53/udp  -      -
      api      -    all   -       -      53,53/udp  -      -
      payApi   -    -     all     -      53,53/udp  -      -
      nginx    -    -     -       all    all        all    all
      dns      -    -     -       all    all        all    all
      agent    -    -     -       all    all        all    all
      curl     -    -     -       all    all        all    all
    `);
  });

  test('the tiers that decide, as explain gives them (the README quotes these)', () => {
    expect(reach.explain('shop/web', 'shop/api', Port.tcp(8080)).ingress.summary)
      .toBe('ingress of shop/api: NetworkPolicy tier: isolated by shop/api-netpol; allowed by NetworkPolicy shop/api-netpol ingress[0]');
    expect(reach.explain('shop/api', 'shop/web', Port.tcp(8080)).ingress.summary)
      .toBe("ingress of shop/web: Baseline tier: denied by ClusterNetworkPolicy platform-baseline ingress[0] 'default-deny' (Deny)");
    expect(reach.explain('shop/web', 'pay/api', Port.tcp(8080)).ingress.summary)
      .toBe("ingress of pay/api: Admin tier: denied by ClusterNetworkPolicy platform-tenants-globex ingress[0] 'other-tenants' (Deny)");
    expect(reach.explain('shop/api', '169.254.169.254', Port.HTTP).egress.summary)
      .toBe("egress of shop/api: Admin tier: denied by ClusterNetworkPolicy platform-metadata egress[0] 'metadata-endpoint' (Deny)");
  });
});
