import { App, Testing } from 'cdk8s';
import { build as eCommerce } from '../../examples/e-commerce/main';
import { build as platformConstruct } from '../../examples/platform-construct/main';
import { build as threeTier } from '../../examples/three-tier/main';
import { build as zeroTrustNamespace } from '../../examples/zero-trust-namespace/main';
import { NetworkPolicyFindings } from '../../src';

/**
 * The findings on what each example synthesizes (the guardrails' view at synth: no cluster
 * context), checked by hand: peers in namespaces the examples do not deploy (ingress-nginx,
 * monitoring) are NP007 infos; every example namespace has a default deny, so NP003/NP004 only fire where a namespace has none.
 */
function findings(build: (app: App) => App): string[] {
  return NetworkPolicyFindings.ofApp(build(Testing.app())).map((f) => `${f.id} ${f.subject}`);
}

describe('findings on the examples', () => {
  test('three-tier: a default deny in every tier namespace; only ingress-nginx lives elsewhere', () => {
    expect(findings(threeTier)).toEqual(['NP007 frontend/frontend-netpol']);
  });

  test('e-commerce: a zero-trust namespace; only the ingress controller is outside the manifests', () => {
    expect(findings(eCommerce)).toEqual(['NP007 shop/storefront-netpol']);
  });

  test('platform-construct: monitoring and ingress-nginx are outside the manifests', () => {
    expect(findings(platformConstruct)).toEqual([
      'NP003 orders', 'NP004 orders',
      'NP007 orders/inventory-netpol', 'NP007 orders/orders-netpol', 'NP007 orders/web-netpol', 'NP007 orders/web-netpol',
    ]);
  });

  test('zero-trust-namespace: prometheus answers its whole namespace; each team allows its own namespace', () => {
    expect(findings(zeroTrustNamespace)).toEqual([
      'NP003 monitoring', 'NP004 monitoring',
      'NP013 monitoring/prometheus-netpol',
      'NP013 team-a/all-pods-netpol', 'NP013 team-a/all-pods-netpol', 'NP013 team-b/all-pods-netpol', 'NP013 team-b/all-pods-netpol',
    ]);
  });

  test('no example has an error', () => {
    for (const build of [threeTier, eCommerce, platformConstruct, zeroTrustNamespace]) {
      expect(NetworkPolicyFindings.ofApp(build(Testing.app())).filter((f) => f.severity === 'error')).toEqual([]);
    }
  });
});
