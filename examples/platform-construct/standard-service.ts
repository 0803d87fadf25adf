/**
 * What a platform team would publish on top of cdk8s-netpol: one construct for a service that is
 * secure by default, built only from the library's public API.
 */
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { AllowFrom, AllowTo, DefaultDeny, Invariant, NetworkPolicyInvariants, Peer, Port, Workload } from 'cdk8s-netpol';

/** Properties of a {@link StandardService}. */
export interface StandardServiceProps {
  /** The namespace the service runs in. */
  readonly namespace: string;
  /** The container image. */
  readonly image: string;
  /**
   * The port the service listens on.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Whether the ingress controller (every pod of `ingressNamespace`) may reach the service.
   * @default false
   */
  readonly public?: boolean;
  /**
   * The ingress controller's namespace.
   * @default 'ingress-nginx'
   */
  readonly ingressNamespace?: string;
  /**
   * The namespace of the monitoring stack, which may scrape the container port named 'metrics'.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
}

/**
 * A Deployment and its Service, isolated both ways from the start: it takes traffic from the ingress
 * controller when public, from the services declared with `calls()`, and from monitoring on its
 * metrics port; it reaches the services it calls and DNS, nothing else.
 */
export class StandardService extends Construct {
  /** The service's pods, for flows of your own. */
  public readonly workload: Workload;
  /** The port the service listens on. */
  public readonly port: number;

  constructor(scope: Construct, id: string, props: StandardServiceProps) {
    super(scope, id);
    this.port = props.port ?? 8080;
    const deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: id, namespace: props.namespace },
      containers: [{ image: props.image, ports: [{ number: this.port, name: 'http' }, { number: 9090, name: 'metrics' }] }],
    });
    deployment.exposeViaService({ name: id, ports: [{ port: this.port, targetPort: this.port }] });
    this.workload = Workload.of(deployment);

    const [monitoring, ingress] = [Peer.namespace(props.monitoringNamespace ?? 'monitoring'), Peer.namespace(props.ingressNamespace ?? 'ingress-nginx')];
    new DefaultDeny(this, 'Isolated', { workload: this.workload });
    new AllowFrom(this, 'Scraped', { to: this.workload, from: [monitoring], ports: [Port.named('metrics')] });
    if (props.public) {
      new AllowFrom(this, 'Public', { to: this.workload, from: [ingress], ports: [Port.tcp(this.port)] });
    }

    // What the service promises, checked at every synth of any app that uses it: nothing reaches it but
    // the flows declared for it (whichever construct declares them), monitoring keeps scraping it, and
    // a service that is not public is never reached from the ingress controller.
    const self = Peer.workload(this.workload);
    new NetworkPolicyInvariants(this, 'Invariants', {
      invariants: [
        Invariant.neverAllowed({ name: `nothing reaches ${id} but the flows declared for it`, to: [self], exceptDeclaredFlows: true }),
        Invariant.alwaysAllowed({ name: `monitoring scrapes ${id}`, from: [monitoring], to: [self], ports: [Port.named('metrics')] }),
        ...(props.public ? [] : [Invariant.neverAllowed({ name: `${id} is not reachable from the ingress controller`, from: [ingress], to: [self] })]),
      ],
    });
  }

  /**
   * Lets this service call `other` on its port: egress here and ingress there. Calling it again for
   * the same service changes nothing.
   */
  public calls(other: StandardService): void {
    const id = `Calls-${other.node.addr}`;
    if (this.node.tryFindChild(id)) return;
    new AllowTo(this, id, { from: this.workload, to: [Peer.workload(other.workload)], ports: [Port.tcp(other.port)] });
  }
}
