/**
 * Three services of an orders team, each a `StandardService` (see standard-service.ts): web is public
 * and calls orders, orders calls inventory; monitoring scrapes all three. Nothing else is allowed.
 *
 * Synthesize with `npx cdk8s synth` in this folder (manifests in dist/).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
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
  }
}

/** Adds the example's charts to `app`. */
export function build(app: App = new App()): App {
  new PlatformChart(app, 'platform-construct');
  return app;
}

if (require.main === module) build().synth();
