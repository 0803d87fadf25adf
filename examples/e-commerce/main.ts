/**
 * A shop in one namespace: the storefront takes traffic from the ingress controller, the payment
 * service only from the storefront on 3000, the database only from payment on 5432. Nothing else:
 * every pod of the namespace, these three and any added later, is isolated both ways, and DNS keeps
 * working.
 *
 * Synthesize with `npx cdk8s synth` in this folder (manifests in dist/).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Port, ThreeTierApp, Workload, ZeroTrustNamespace } from 'cdk8s-netpol';

const NAMESPACE = 'shop';

export class ECommerceChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new kplus.Namespace(this, 'namespace', { metadata: { name: NAMESPACE } });

    // Every pod of the namespace: no traffic in or out but DNS, unless allowed below.
    new ZeroTrustNamespace(this, 'locked-down', { namespace: NAMESPACE });

    new ThreeTierApp(this, 'flows', {
      frontend: this.service('storefront', 'ghcr.io/example/storefront:2.3', 80),
      backend: this.service('payment', 'ghcr.io/example/payment:1.8', 3000),
      database: this.service('database', 'postgres:16', 5432),
      backendPorts: [Port.tcp(3000)],
    });
  }

  /** A Deployment and its Service, both named `name`. */
  private service(name: string, image: string, port: number): Workload {
    const deployment = new kplus.Deployment(this, name, {
      metadata: { name, namespace: NAMESPACE },
      containers: [{ image, portNumber: port }],
    });
    deployment.exposeViaService({ name, ports: [{ port }] });
    return Workload.of(deployment);
  }
}

/** Adds the example's charts to `app`. */
export function build(app: App = new App()): App {
  new ECommerceChart(app, 'e-commerce');
  return app;
}

if (require.main === module) build().synth();
