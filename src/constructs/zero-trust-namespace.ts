import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AllowFrom } from './allow-from';
import { AllowTo } from './allow-to';
import { DefaultDeny } from './default-deny';
import { NetworkPolicyInvariants } from './network-policy-invariants';
import { checkNamespaceProp, scopeTarget } from './scope-target';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { checkArg, checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { Invariant } from '../vocabulary/invariant';
import { A_PEER, Peer } from '../vocabulary/peer';
import { A_PORT, Port } from '../vocabulary/port';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

const PROPS: PropsSpec<ZeroTrustNamespaceProps> = { namespace: Is.namespaceName(), allowWithinNamespace: Is.boolean(), dns: A_DNS_RESOLVER };
const FLOW_OPTIONS: PropsSpec<ZeroTrustFlowOptions> = { workload: A_WORKLOAD };

/**
 * Properties of a {@link ZeroTrustNamespace}.
 *
 * @example
 * { namespace: 'payments', allowWithinNamespace: true, dns: DnsResolver.nodeLocal() }
 */
export interface ZeroTrustNamespaceProps {
  /**
   * The namespace to lock down.
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Let every pod of the namespace reach every other pod of it, on every port.
   * @default false
   */
  readonly allowWithinNamespace?: boolean;

  /**
   * The DNS resolver every pod of the namespace keeps reaching; `DnsResolver.none()` for none.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;
}

/**
 * Options of {@link ZeroTrustNamespace.allowFrom} and {@link ZeroTrustNamespace.allowTo}.
 *
 * @example
 * zeroTrust.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS], { workload: Workload.fromLabels({ app: 'gateway' }) });
 */
export interface ZeroTrustFlowOptions {
  /**
   * Only this workload of the namespace, instead of every pod of it.
   * @default - every pod of the namespace
   */
  readonly workload?: Workload;
}

/**
 * Locks a namespace down, the pattern every security guide recommends: every pod is isolated for
 * ingress and egress, DNS keeps working, and only the flows added with `allowFrom` and `allowTo` (and,
 * optionally, traffic within the namespace) get through.
 *
 * Flows to and from workloads in the cluster are written on both sides, so they work when the other
 * namespace is locked down too. Adding the same flow twice is a no-op.
 *
 * It declares what it promises as invariants (see {@link NetworkPolicyInvariants}): nothing reaches
 * the pods of the namespace but the flows the app declares, and they reach nothing but DNS and the
 * flows the app declares (its own, and those of other constructs over the namespace, such as a
 * `ThreeTierApp`); its `DefaultDeny` adds that they keep reaching DNS. So synth fails when a policy
 * the app writes by other means opens the namespace, naming the rule that does.
 *
 * @example
 * const payments = new ZeroTrustNamespace(chart, 'payments', { namespace: 'payments', allowWithinNamespace: true });
 * payments.allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS]);
 * payments.allowTo(Peer.ipv4('203.0.113.0/24'), [Port.HTTPS], { workload: Workload.fromLabels({ app: 'gateway' }) });
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#default-policies
 */
export class ZeroTrustNamespace extends Construct {
  /** The namespace. */
  public readonly namespace: string;

  /** Every pod of the namespace. */
  public readonly pods: Workload;

  private readonly dns: DnsResolver;

  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props the namespace and its options
   */
  constructor(scope: Construct, id: string, props: ZeroTrustNamespaceProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (!namespace) {
      throw invalid(this.node.path, `no namespace given, and the chart '${Chart.of(this).node.path}' has none either`,
        "Pass { namespace: 'my-ns' }, or create the chart with new Chart(app, 'id', { namespace: 'my-ns' })");
    }
    checkNamespaceProp(this, namespace);
    this.namespace = namespace;
    this.pods = Workload.allPods(namespace);
    this.dns = props.dns ?? DnsResolver.kubeDns();
    new DefaultDeny(this, 'Deny', { workload: this.pods, dns: this.dns });
    const pods = Peer.workload(this.pods);
    new NetworkPolicyInvariants(this, 'Invariants', {
      invariants: [
        Invariant.neverAllowed({ name: `nothing reaches the pods of ${namespace} but the flows the app declares`, to: [pods], exceptDeclaredFlows: true }),
        Invariant.neverAllowed({
          name: `the pods of ${namespace} reach nothing but ${this.dns.isNone ? '' : 'DNS and '}the flows the app declares`,
          from: [pods],
          exceptDeclaredFlows: true,
        }),
      ],
    });
    if (props.allowWithinNamespace) {
      this.allowFrom(Peer.namespace(namespace), [Port.allPorts()]);
      this.allowTo(Peer.namespace(namespace), [Port.allPorts()]);
    }
  }

  /**
   * Allows `peer` to connect to the pods of the namespace (or of one workload of it) on `ports`.
   * @returns the construct that records the flow (the same one when the flow was already added)
   * @param peer who may connect
   * @param ports the ports they may connect to
   * @param options which workload of the namespace
   * @default options - every pod of the namespace
   */
  public allowFrom(peer: Peer, ports: Port[], options: ZeroTrustFlowOptions = {}): AllowFrom {
    this.checkFlow('allowFrom', peer, ports, options);
    const to = scopeTarget(this, this.namespace, options.workload);
    const id = this.flowId('From', to, peer, ports);
    return this.node.tryFindChild(id) as AllowFrom | undefined
      ?? new AllowFrom(this, id, { to, from: [peer], ports, dns: this.dns });
  }

  /**
   * Allows the pods of the namespace (or of one workload of it) to connect to `peer` on `ports`.
   * @returns the construct that records the flow (the same one when the flow was already added)
   * @param peer where the pods may connect
   * @param ports the ports they may connect to
   * @param options which workload of the namespace
   * @default options - every pod of the namespace
   */
  public allowTo(peer: Peer, ports: Port[], options: ZeroTrustFlowOptions = {}): AllowTo {
    this.checkFlow('allowTo', peer, ports, options);
    const from = scopeTarget(this, this.namespace, options.workload);
    const id = this.flowId('To', from, peer, ports);
    return this.node.tryFindChild(id) as AllowTo | undefined
      ?? new AllowTo(this, id, { from, to: [peer], ports, dns: this.dns });
  }

  private checkFlow(method: string, peer: Peer, ports: Port[], options: ZeroTrustFlowOptions): void {
    const where = `${this.node.path}.${method}()`;
    checkArg(where, 'peer', peer, required(A_PEER));
    checkArg(where, 'ports', ports, required(Is.listOf(A_PORT)));
    checkProps(where, options, FLOW_OPTIONS, 'options');
  }

  /** A child id that is the same exactly when the flow is: the resolved workload, peer and ports. */
  private flowId(direction: string, workload: Workload, peer: Peer, ports: Port[]): string {
    const resolved = workload._resolve(this);
    const key = JSON.stringify([
      direction,
      resolved.selector.toJson(),
      peer._resolve(this.namespace, this).key,
      ports.map((p) => p.toJson() ?? 'all').map((p) => JSON.stringify(p)).sort(),
    ]);
    return `${direction}-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
  }
}
