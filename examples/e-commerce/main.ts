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
import { Invariant, NetworkPolicyInvariants, Peer, Port, ThreeTierApp, Workload, ZeroTrustNamespace } from 'cdk8s-netpol';

const NAMESPACE = 'shop';

export class ECommerceChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new kplus.Namespace(this, 'namespace', { metadata: { name: NAMESPACE } });

    // Every pod of the namespace: no traffic in or out but DNS, unless allowed below.
    new ZeroTrustNamespace(this, 'locked-down', { namespace: NAMESPACE });

    const shop = new ThreeTierApp(this, 'flows', {
      frontend: this.service('storefront', 'ghcr.io/example/storefront:2.3', 80),
      backend: this.service('payment', 'ghcr.io/example/payment:1.8', 3000),
      database: this.service('database', 'postgres:16', 5432),
      backendPorts: [Port.tcp(3000)],
    });

    // What the shop promises beyond what its constructs declare, checked at every synth.
    const [storefront, payment, database] = [shop.frontend, shop.backend, shop.database].map((w) => Peer.workload(w));
    new NetworkPolicyInvariants(this, 'invariants', {
      invariants: [
        Invariant.neverAllowed({ name: 'only payment reaches the database, on 5432', to: [database], except: [{ from: [payment], ports: [Port.POSTGRES] }] }),
        Invariant.neverAllowed({ name: 'payment and the database never reach the internet', from: [payment, database], to: [Peer.anyIpv4(), Peer.anyIpv6()] }),
        Invariant.alwaysAllowed({ name: 'the ingress controller reaches the storefront on 80', from: [Peer.namespace('ingress-nginx')], to: [storefront], ports: [Port.HTTP] }),
      ],
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

if (require.main === module) {
  const app = build();
  app.synth();
  // The flows and invariants of the app, for `cdk8s-netpol analyze dist/ --invariants dist/invariants/app.yaml`.
  NetworkPolicyInvariants.writeFile(app);
}
