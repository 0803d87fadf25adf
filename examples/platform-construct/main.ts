/**
 * Three services of an orders team, each a `StandardService` (see standard-service.ts): web is public
 * and calls orders, orders calls inventory; monitoring scrapes all three. Nothing else is allowed.
 *
 * Synthesize with `npx cdk8s synth` in this folder (manifests in dist/).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Invariant, NetworkPolicyInvariants, Peer } from 'cdk8s-netpol';
import { StandardService } from './standard-service';

export class PlatformChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const namespace = 'orders';
    new kplus.Namespace(this, 'namespace', { metadata: { name: namespace } });

    const web = new StandardService(this, 'web', { namespace, image: 'ghcr.io/example/web:3.1', public: true });
    const orders = new StandardService(this, 'orders', { namespace, image: 'ghcr.io/example/orders:1.4' });
    const inventory = new StandardService(this, 'inventory', { namespace, image: 'ghcr.io/example/inventory:2.0', port: 9000 });
    web.calls(orders);
    orders.calls(inventory);

    // The team's own promise, beside those each StandardService declares; checked at every synth.
    new NetworkPolicyInvariants(this, 'invariants', {
      invariants: [
        Invariant.neverAllowed({ name: 'web never calls inventory directly', from: [Peer.workload(web.workload)], to: [Peer.workload(inventory.workload)] }),
      ],
    });
  }
}

/** Adds the example's charts to `app`. */
export function build(app: App = new App()): App {
  new PlatformChart(app, 'platform-construct');
  return app;
}

if (require.main === module) {
  const app = build();
  app.synth();
  // The flows and invariants of the app, for `cdk8s-netpol analyze dist/ --invariants dist/invariants/app.yaml`.
  NetworkPolicyInvariants.writeFile(app);
}
