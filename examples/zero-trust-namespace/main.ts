/**
 * Two teams, each in a locked-down namespace (default deny both ways, DNS kept, traffic within the
 * namespace allowed), one flow between them (team-a's web calls team-b's api on 8080), and
 * Prometheus in the monitoring namespace scraping both teams' `metrics` container ports and
 * answering queries from its own namespace only.
 *
 * Synthesize with `npx cdk8s synth` in this folder (manifests in dist/).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AllowFrom, Invariant, NetworkPolicyInvariants, OwnedNamespaces, Peer, Port, Workload, ZeroTrustNamespace } from 'cdk8s-netpol';

const HTTP: kplus.ContainerPort = { number: 8080, name: 'http' };
const METRICS: kplus.ContainerPort = { number: 9090, name: 'metrics' };

export class ZeroTrustChart extends Chart {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    for (const name of ['team-a', 'team-b', 'monitoring']) {
      new kplus.Namespace(this, `${name}-namespace`, { metadata: { name } });
    }
    const teamA = new ZeroTrustNamespace(this, 'team-a', { namespace: 'team-a', allowWithinNamespace: true });
    const teamB = new ZeroTrustNamespace(this, 'team-b', { namespace: 'team-b', allowWithinNamespace: true });

    const web = this.app('web', 'team-a', 'ghcr.io/example/team-a-web:1.0', [HTTP, METRICS]);
    const api = this.app('api', 'team-b', 'ghcr.io/example/team-b-api:1.0', [HTTP, METRICS]);
    const prometheus = this.app('prometheus', 'monitoring', 'prom/prometheus:v2.53.0', [{ number: 9090, name: 'web' }]);

    // The one flow between the teams, written on both sides: web's egress and api's ingress.
    teamA.allowTo(Peer.workload(api), [Port.tcp(8080)], { workload: web });

    // This app deploys Prometheus too, so it owns monitoring: the scrape rules' other side (Prometheus's
    // egress) is written there. Without this, it would be a flow request in dist/flow-requests/.
    new OwnedNamespaces(this, 'owned', { namespaces: ['monitoring'] });

    // Prometheus scrapes every pod's container port named 'metrics'.
    for (const team of [teamA, teamB]) {
      team.allowFrom(Peer.workload(prometheus), [Port.named('metrics')]);
    }
    // and answers queries (Grafana's, say) from its own namespace only, on its port named 'web'.
    new AllowFrom(this, 'prometheus-queries', { to: prometheus, from: [Peer.namespace('monitoring')], ports: [Port.named('web')] });

    // What the teams promise each other, checked at every synth (each ZeroTrustNamespace adds that
    // nothing but the declared flows enters or leaves its namespace).
    new NetworkPolicyInvariants(this, 'invariants', {
      invariants: [
        Invariant.neverAllowed({
          name: 'of team-a, only web reaches team-b, and only api on 8080',
          from: [Peer.namespace('team-a')],
          to: [Peer.namespace('team-b')],
          except: [{ from: [Peer.workload(web)], to: [Peer.workload(api)], ports: [Port.tcp(8080)] }],
        }),
        Invariant.neverAllowed({ name: 'team-b never reaches team-a', from: [Peer.namespace('team-b')], to: [Peer.namespace('team-a')] }),
        Invariant.alwaysAllowed({
          name: 'prometheus scrapes web and api on their metrics ports',
          from: [Peer.workload(prometheus)],
          to: [Peer.workload(web), Peer.workload(api)],
          ports: [Port.named('metrics')],
        }),
      ],
    });
  }

  /** A Deployment named `name` in `namespace`. */
  private app(name: string, namespace: string, image: string, ports: kplus.ContainerPort[]): Workload {
    return Workload.of(new kplus.Deployment(this, name, { metadata: { name, namespace }, containers: [{ image, ports }] }));
  }
}

/** Adds the example's charts to `app`. */
export function build(app: App = new App()): App {
  new ZeroTrustChart(app, 'zero-trust-namespace');
  return app;
}

if (require.main === module) {
  const app = build();
  app.synth();
  // The flows and invariants of the app, for `cdk8s-netpol analyze dist/ --invariants dist/invariants/app.yaml`.
  NetworkPolicyInvariants.writeFile(app);
}
