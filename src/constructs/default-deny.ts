import { Construct } from 'constructs';
import { PolicyDirection } from './policy-direction';
import { PolicyRegistry } from './policy-registry';
import { scopeTarget } from './scope-target';
import { DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { Workload } from '../vocabulary/workload';

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
 * whatever else is allowed for the same pods.
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
    for (const direction of directions) {
      registry.isolate(this, this.workload, direction, props.dns ?? DnsResolver.kubeDns());
    }
  }
}
