import { Construct } from 'constructs';
import { PolicyDirection } from './policy-direction';
import { PolicyRegistry } from './policy-registry';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { A_PEER, Peer } from '../vocabulary/peer';
import { A_PORT, Port } from '../vocabulary/port';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

/**
 * Properties of an {@link AllowFrom}.
 *
 * @example
 * { to: Workload.fromLabels({ app: 'api' }), from: [Peer.pods(LabelSelector.matchLabels({ app: 'web' }))], ports: [Port.tcp(8080)] }
 */
export interface AllowFromProps {
  /** The workload that receives the traffic. */
  readonly to: Workload;

  /** Who may connect. */
  readonly from: Peer[];

  /** The ports they may connect to, on the receiving pods. */
  readonly ports: Port[];

  /**
   * Also allow the matching egress on each source that is a workload in the cluster (`Peer.pods`,
   * `Peer.podsIn`, `Peer.workload`), so the flow works when the source is egress-isolated. That rule
   * isolates the source for egress (with DNS kept, see `dns`). A source in a namespace the app does
   * not own gets no rule (see `writeUnownedNamespaces`).
   * @default true
   */
  readonly allowSourceEgress?: boolean;

  /**
   * Write the source's egress rule even into a namespace the app does not own (see
   * `OwnedNamespaces` for what the app owns). By default that rule
   * is not written, since it would isolate the source's pods for egress and cut off their other
   * destinations: synth warns, naming the flow, and writes it to `flow-requests/<namespace>.yaml` in
   * the app's outdir for the namespace's owner.
   * @default false
   */
  readonly writeUnownedNamespaces?: boolean;

  /**
   * The DNS resolver a source made egress-isolated by `allowSourceEgress` keeps reaching.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;
}

const PROPS: PropsSpec<AllowFromProps> = {
  to: required(A_WORKLOAD),
  from: required(Is.listOf(A_PEER)),
  ports: required(Is.listOf(A_PORT)),
  allowSourceEgress: Is.boolean(),
  writeUnownedNamespaces: Is.boolean(),
  dns: A_DNS_RESOLVER,
};

/**
 * Allows traffic into a workload from peers on ports. The workload becomes isolated for ingress: what
 * no rule allows is denied.
 *
 * @example
 * new AllowFrom(chart, 'web-to-api', {
 *   to: Workload.fromLabels({ app: 'api' }),
 *   from: [Peer.pods(LabelSelector.matchLabels({ app: 'web' }))],
 *   ports: [Port.tcp(8080)],
 * });
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class AllowFrom extends Construct {
  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props what to allow
   */
  constructor(scope: Construct, id: string, props: AllowFromProps) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const bothSides = props.allowSourceEgress ?? true;
    if (!bothSides && props.dns) {
      throw invalid(this.node.path, `dns is set to ${props.dns.name} but allowSourceEgress is false, so no source is made egress-isolated and it would have no effect`,
        'Remove dns, or leave allowSourceEgress out');
    }
    PolicyRegistry.of(this).allow(this, props.to, PolicyDirection.INGRESS, props.from, props.ports, {
      bothSides,
      writeUnownedNamespaces: props.writeUnownedNamespaces ?? false,
      dns: props.dns ?? DnsResolver.kubeDns(),
    });
  }
}
