/**
 * Two versions of a three-tier app built with our constructs, for reports and diffs: v1 is the
 * seed example (examples/three-tier); v2 moves the backend to port 8443 and lets the monitoring
 * agent scrape its metrics on 9090. Both come with the ingress controller and CoreDNS pods of
 * examples/cluster-context.yaml, so the pictures show who reaches the frontend and DNS.
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { clusterContext } from './examples';
import { build } from '../../examples/three-tier/main';
import { LabelSelector, Peer, Port, ThreeTierApp, Tier, Workload, ZeroTrustNamespace } from '../../src';

/** The pods of the cluster context the three-tier app talks to. */
export function contextPods(): any[] {
  return clusterContext().filter((o) => ['ingress-nginx-controller', 'coredns', 'agent'].includes(o.metadata.name));
}

function tier(chart: Chart, name: string, image: string, port: number): Workload {
  new kplus.Namespace(chart, `${name}-namespace`, { metadata: { name } });
  new ZeroTrustNamespace(chart, `${name}-zero-trust`, { namespace: name });
  const deployment = new kplus.Deployment(chart, name, { metadata: { name, namespace: name }, containers: [{ image, portNumber: port }] });
  return Workload.of(deployment);
}

/** The manifests of version 1 (the example) or 2, with the context pods. */
export function threeTier(version: 1 | 2): any[] {
  let app: App;
  if (version === 1) {
    app = build(Testing.app());
  } else {
    app = Testing.app();
    const chart = new Chart(app, 'three-tier');
    new ThreeTierApp(chart, 'shop', {
      frontend: tier(chart, 'frontend', 'nginx:1.27', 80),
      backend: tier(chart, 'backend', 'ghcr.io/example/shop-api:1.1', 8443),
      database: tier(chart, 'database', 'postgres:16', 5432),
      backendPorts: [Port.tcp(8443)],
      extraIngress: [{
        tier: Tier.BACKEND,
        from: [Peer.podsIn('monitoring', LabelSelector.matchLabels({ app: 'metrics-agent' }))],
        ports: [Port.tcp(9090)],
        allowSourceEgress: false,
      }],
    });
  }
  return [...app.charts.flatMap((c) => c.toJson()), ...contextPods()];
}
