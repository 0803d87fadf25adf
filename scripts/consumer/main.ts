// A consumer's app, as `cdk8s init typescript-app` starts one: cdk8s-plus-33 workloads (the check
// swaps in another line) and cdk8s-netpol from its packed tarball. check.sh builds and synthesizes it.
import { App, Chart, ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-33';
import { AllowFrom, DefaultDeny, Peer, Port, Workload } from 'cdk8s-netpol';
import { Construct } from 'constructs';

export class ShopChart extends Chart {
  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    super(scope, id, props);
    const deployment = (name: string) => new kplus.Deployment(this, name, {
      metadata: { name },
      containers: [{ image: `example/${name}:1.0`, portNumber: 8080 }],
    });
    const api = deployment('api');
    const web = deployment('web');
    deployment('batch');

    new DefaultDeny(this, 'default-deny');
    new AllowFrom(this, 'web-to-api', {
      to: Workload.of(api, { name: 'api' }),
      from: [Peer.workload(Workload.of(web, { name: 'web' }))],
      ports: [Port.tcp(8080)],
    });
  }
}

const app = new App();
new ShopChart(app, 'shop', { namespace: 'shop' });
app.synth();
