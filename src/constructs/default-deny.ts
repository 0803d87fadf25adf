import { Construct } from 'constructs';
import { NetworkPolicyInvariants } from './network-policy-invariants';
import { A_DIRECTION, PolicyDirection } from './policy-direction';
import { PolicyRegistry } from './policy-registry';
import { scopeTarget } from './scope-target';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec } from '../vocabulary/input-checks';
import { Invariant } from '../vocabulary/invariant';
import { Peer } from '../vocabulary/peer';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

const PROPS: PropsSpec<DefaultDenyProps> = {
  namespace: Is.namespaceName(),
  workload: A_WORKLOAD,
  directions: Is.listOf(A_DIRECTION),
  dns: A_DNS_RESOLVER,
};

/**
 * Properties of a {@link DefaultDeny}.
 *
 * @example
 * { namespace: 'shop', directions: [PolicyDirection.INGRESS, PolicyDirection.EGRESS], dns: DnsResolver.kubeDns() }
 */
export interface DefaultDenyProps {
  /**
   * The namespace whose pods are isolated.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Isolate only this workload's pods instead of the whole namespace.
   * @default - every pod of the namespace
   */
  readonly workload?: Workload;

  /**
   * The directions to deny.
   * @default [PolicyDirection.INGRESS, PolicyDirection.EGRESS]
   */
  readonly directions?: PolicyDirection[];

  /**
   * The DNS resolver the isolated pods keep reaching when egress is denied; `DnsResolver.none()`
   * denies DNS too.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;
}

/**
 * Isolates every pod of a namespace (or one workload) for ingress, egress or both: from then on, only
 * flows some policy allows get through. Denying egress keeps DNS working unless `dns` says otherwise.
 *
 * Renders into the namespace-wide policy `all-pods-netpol` (or the workload's policy), together with
 * whatever else is allowed for the same pods. When it denies egress it declares the invariant that
 * the pods keep reaching DNS, so synth fails if another policy takes DNS away (see
 * {@link NetworkPolicyInvariants}).
 *
 * @example
 * new DefaultDeny(chart, 'deny', { namespace: 'shop' });
 * new DefaultDeny(chart, 'deny-ingress', { namespace: 'shop', directions: [PolicyDirection.INGRESS] });
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 */
export class DefaultDeny extends Construct {
  /** The pods this construct isolates. */
  public readonly workload: Workload;

  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props what to deny
   */
  constructor(scope: Construct, id: string, props: DefaultDenyProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const directions = [...new Set(props.directions ?? [PolicyDirection.INGRESS, PolicyDirection.EGRESS])];
    if (directions.length === 0) {
      throw invalid(this.node.path, 'directions is empty, so nothing would be denied', 'Leave it out to deny both directions');
    }
    if (props.dns && !directions.includes(PolicyDirection.EGRESS)) {
      throw invalid(this.node.path, `dns is set to ${props.dns.name} but egress is not denied, so it would have no effect`,
        'Remove dns, or add PolicyDirection.EGRESS to directions');
    }
    this.workload = scopeTarget(this, props.namespace, props.workload);
    const registry = PolicyRegistry.of(this);
    const dns = props.dns ?? DnsResolver.kubeDns();
    for (const direction of directions) {
      registry.isolate(this, this.workload, direction, dns);
    }
    if (directions.includes(PolicyDirection.EGRESS) && !dns.isNone) {
      const pods = this.workload._resolve(this);
      new NetworkPolicyInvariants(this, 'Invariants', {
        invariants: dns._rules().map((rule) => Invariant.alwaysAllowed({
          name: `${pods.namespace}/${pods.name} keeps reaching DNS (${dns.name}: ${rule.peer})`,
          from: [Peer.workload(this.workload)],
          to: [rule.peer],
          ports: rule.ports,
        })),
      });
    }
  }
}
