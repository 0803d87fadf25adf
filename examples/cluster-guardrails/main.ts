/**
 * A platform team's guardrails for the whole cluster, and one tenant namespace opening what it
 * needs: every tenant namespace starts denied (Baseline tier), DNS always works, nothing reaches the
 * cloud metadata endpoint and tenants never reach each other (Admin tier, which no namespace can
 * override). The shop namespace (tenant acme) lets its web reach its api on 8080 with an ordinary
 * NetworkPolicy; the pay namespace (tenant globex) says nothing.
 *
 * Synthesize with `npx cdk8s synth` in this folder (manifests in dist/).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AllowFrom, AlwaysAllowDns, AlwaysDenyMetadataEndpoint, BaselineDefaultDeny, Invariant, NetworkPolicyInvariants, Peer, Port, TenantIsolation,
  Workload,
} from 'cdk8s-netpol';

/** Adds the example's charts to `app`. */
export function build(app: App = new App()): App {
  // The platform: cluster-scoped guardrails, rendered as ClusterNetworkPolicy v1alpha2.
  const platform = new Chart(app, 'platform');
  new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop', 'pay'] });
  new AlwaysAllowDns(platform, 'dns');
  new AlwaysDenyMetadataEndpoint(platform, 'metadata');
  new TenantIsolation(platform, 'tenants', { labelKey: 'tenant', tenants: ['acme', 'globex'] });
  new kplus.Namespace(platform, 'shop-namespace', { metadata: { name: 'shop', labels: { tenant: 'acme' } } });
  new kplus.Namespace(platform, 'pay-namespace', { metadata: { name: 'pay', labels: { tenant: 'globex' } } });

  // A tenant opens what it needs with a namespace NetworkPolicy.
  const shop = new Chart(app, 'shop', { namespace: 'shop' });
  const web = deployment(shop, 'web');
  const api = deployment(shop, 'api');
  new AllowFrom(shop, 'web-to-api', { to: api, from: [Peer.workload(web)], ports: [Port.tcp(8080)] });

  const pay = new Chart(app, 'pay', { namespace: 'pay' });
  deployment(pay, 'api');

  // What the platform promises, checked at every synth against all the charts of the app.
  new NetworkPolicyInvariants(platform, 'invariants', {
    invariants: [
      Invariant.neverAllowed({ name: 'shop (tenant acme) never reaches pay (tenant globex)', from: [Peer.namespace('shop')], to: [Peer.namespace('pay')] }),
      Invariant.neverAllowed({ name: 'pay (tenant globex) never reaches shop (tenant acme)', from: [Peer.namespace('pay')], to: [Peer.namespace('shop')] }),
      Invariant.neverAllowed({ name: 'no tenant pod reaches the cloud metadata endpoint', from: [Peer.namespace('shop'), Peer.namespace('pay')], to: [Peer.ipv4('169.254.169.254/32')] }),
      Invariant.alwaysAllowed({ name: 'shop/web reaches shop/api on 8080', from: [Peer.workload(web)], to: [Peer.workload(api)], ports: [Port.tcp(8080)] }),
    ],
  });
  return app;
}

/** A Deployment named `name` serving 8080. */
function deployment(chart: Chart, name: string): Workload {
  return Workload.of(new kplus.Deployment(chart, name, {
    metadata: { name },
    containers: [{ image: `ghcr.io/example/${name}:1.0`, ports: [{ number: 8080, name: 'http' }] }],
  }));
}

if (require.main === module) {
  const app = build();
  app.synth();
  // The flows and invariants of the app, for `cdk8s-netpol analyze dist/ --invariants dist/invariants/app.yaml`.
  NetworkPolicyInvariants.writeFile(app);
}
