import { Construct } from 'constructs';
import { PolicyDirection } from './policy-direction';
import { PolicyRegistry } from './policy-registry';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { A_PEER, Peer } from '../vocabulary/peer';
import { A_PORT, Port } from '../vocabulary/port';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

/**
 * Properties of an {@link AllowTo}.
 *
 * @example
 * { from: Workload.fromLabels({ app: 'api' }), to: [Peer.anyPublicIpv4()], ports: [Port.HTTPS] }
 */
export interface AllowToProps {
  /** The workload that opens the connections. */
  readonly from: Workload;

  /** Where it may connect. */
  readonly to: Peer[];

  /** The ports it may connect to, on the destination. */
  readonly ports: Port[];

  /**
   * Also allow the matching ingress on each destination that is a workload in the cluster
   * (`Peer.pods`, `Peer.podsIn`, `Peer.workload`), so the flow works when it is ingress-isolated. That
   * rule isolates the destination for ingress. A destination in a namespace the app does not own gets
   * no rule (see `writeUnownedNamespaces`).
   * @default true
   */
  readonly allowDestinationIngress?: boolean;

  /**
   * Write the destination's ingress rule even into a namespace the app does not own (see
   * `OwnedNamespaces` for what the app owns). By default that
   * rule is not written, since it would isolate the destination's pods and cut off their other
   * clients: synth warns, naming the flow, and writes it to `flow-requests/<namespace>.yaml` in the
   * app's outdir for the namespace's owner.
   * @default false
   */
  readonly writeUnownedNamespaces?: boolean;

  /**
   * The DNS resolver the workload keeps reaching now that it is egress-isolated;
   * `DnsResolver.none()` for none.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;
}

const PROPS: PropsSpec<AllowToProps> = {
  from: required(A_WORKLOAD),
  to: required(Is.listOf(A_PEER)),
  ports: required(Is.listOf(A_PORT)),
  allowDestinationIngress: Is.boolean(),
  writeUnownedNamespaces: Is.boolean(),
  dns: A_DNS_RESOLVER,
};

/**
 * Allows traffic from a workload to peers on ports. The workload becomes isolated for egress: what no
 * rule allows is denied, except DNS, which is kept unless `dns` says otherwise.
 *
 * @example
 * new AllowTo(chart, 'api-to-db', {
 *   from: Workload.fromLabels({ app: 'api' }),
 *   to: [Peer.pods(LabelSelector.matchLabels({ app: 'db' }))],
 *   ports: [Port.POSTGRES],
 * });
 */
export class AllowTo extends Construct {
  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props what to allow
   */
  constructor(scope: Construct, id: string, props: AllowToProps) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    PolicyRegistry.of(this).allow(this, props.from, PolicyDirection.EGRESS, props.to, props.ports, {
      bothSides: props.allowDestinationIngress ?? true,
      writeUnownedNamespaces: props.writeUnownedNamespaces ?? false,
      dns: props.dns ?? DnsResolver.kubeDns(),
    });
  }
}
