/**
 * The seed scenario: a frontend, a backend and a database, each in its own namespace, secure by
 * default. `ThreeTierApp` isolates every tier both ways and allows only
 *
 *   ingress-nginx → frontend :80, :443 → backend :8080 → database :5432, and DNS for every tier.
 *
 * Each tier's namespace is a `ZeroTrustNamespace` too, so anything else deployed there later is
 * isolated from the start (and the guardrails find a default deny in every namespace).
 *
 * Synthesize with `npx cdk8s synth` in this folder (manifests in dist/).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Invariant, NetworkPolicyInvariants, Peer, Port, ThreeTierApp, Workload, ZeroTrustNamespace } from 'cdk8s-netpol';

export class ThreeTierChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const shop = new ThreeTierApp(this, 'shop', {
      frontend: this.tier('frontend', 'nginx:1.27', 80),
      backend: this.tier('backend', 'ghcr.io/example/shop-api:1.0', 8080),
      database: this.tier('database', 'postgres:16', 5432),
    });

    // What this app promises beyond what ThreeTierApp and ZeroTrustNamespace declare: checked at every
    // synth, which fails while one does not hold.
    const tiers = [shop.frontend, shop.backend, shop.database].map((tier) => Peer.workload(tier));
    new NetworkPolicyInvariants(this, 'invariants', {
      invariants: [
        Invariant.alwaysAllowed({
          name: 'the ingress controller reaches the frontend on 80 and 443',
          from: [Peer.namespace('ingress-nginx')],
          to: [Peer.workload(shop.frontend)],
          ports: [Port.HTTP, Port.HTTPS],
        }),
        Invariant.neverAllowed({ name: 'no address outside the cluster reaches a tier', from: [Peer.anyIpv4(), Peer.anyIpv6()], to: tiers }),
      ],
    });
  }

  /** A namespace, a Deployment and its Service, all named `name`. */
  private tier(name: string, image: string, port: number): Workload {
    new kplus.Namespace(this, `${name}-namespace`, { metadata: { name } });
    new ZeroTrustNamespace(this, `${name}-zero-trust`, { namespace: name });
    const deployment = new kplus.Deployment(this, name, {
      metadata: { name, namespace: name },
      containers: [{ image, portNumber: port }],
    });
    deployment.exposeViaService({ name, ports: [{ port }] });
    return Workload.of(deployment);
  }
}

/** Adds the example's charts to `app`. */
export function build(app: App = new App()): App {
  new ThreeTierChart(app, 'three-tier');
  return app;
}

if (require.main === module) {
  const app = build();
  app.synth();
  // The flows and invariants of the app, for `cdk8s-netpol analyze dist/ --invariants dist/invariants/app.yaml`.
  NetworkPolicyInvariants.writeFile(app);
}
