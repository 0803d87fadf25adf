import { Construct } from 'constructs';
import { PolicyRegistry } from './policy-registry';
import { scopeTarget } from './scope-target';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec } from '../vocabulary/input-checks';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

/**
 * Properties of an {@link AllowDnsEgress}.
 *
 * @example
 * { namespace: 'shop', resolver: DnsResolver.nodeLocal() }
 */
export interface AllowDnsEgressProps {
  /**
   * The namespace whose pods may resolve names.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Only this workload's pods.
   * @default - every pod of the namespace
   */
  readonly workload?: Workload;

  /**
   * The resolver to reach.
   * @default DnsResolver.kubeDns()
   */
  readonly resolver?: DnsResolver;
}

const PROPS: PropsSpec<AllowDnsEgressProps> = { namespace: Is.namespaceName(), workload: A_WORKLOAD, resolver: A_DNS_RESOLVER };

/**
 * Lets the pods of a namespace (or one workload) reach the cluster's DNS resolver: kube-dns/CoreDNS
 * by default, or NodeLocal DNSCache, OpenShift DNS or a custom one.
 *
 * Like every egress rule, it isolates the selected pods for egress: use it with {@link DefaultDeny}
 * or {@link AllowTo}, which already include it unless told otherwise.
 *
 * @example
 * new AllowDnsEgress(chart, 'dns', { namespace: 'shop', resolver: DnsResolver.nodeLocal() });
 */
export class AllowDnsEgress extends Construct {
  /** The pods that may resolve names. */
  public readonly workload: Workload;

  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props what to allow
   */
  constructor(scope: Construct, id: string, props: AllowDnsEgressProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const resolver = props.resolver ?? DnsResolver.kubeDns();
    if (resolver.isNone) {
      throw invalid(this.node.path, 'resolver is DnsResolver.none(), so nothing would be allowed', 'Remove this construct, or name a resolver');
    }
    this.workload = scopeTarget(this, props.namespace, props.workload);
    PolicyRegistry.of(this).allowDns(this, this.workload, resolver);
  }
}
