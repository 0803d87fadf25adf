import { ApiObject, App, Chart, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { renderCiliumSpec } from './cilium-policy-renderer';
import { RuleOrigins, renderNetworkPolicySpec } from './network-policy-renderer';
import { PolicyIntent } from './policy-intent';
import { PolicyRegistry } from './policy-registry';
import { CiliumNetworkPolicy } from '../imports/cilium-v2-cilium.io';
import { checkArg, Is, required } from '../vocabulary/input-checks';

/**
 * An enforcement layer the app's policies render to. Constructs record intent only; the app chooses
 * the backends once, and every workload's merged rules become one object per backend:
 *
 * - `PolicyBackend.NETWORK_POLICY` (the default): a `networking.k8s.io/v1` NetworkPolicy, enforced
 *   by every CNI. It cannot select DNS names (`Peer.fqdn` fails the synth unless given fallback
 *   CIDRs) or the API server by identity (`Peer.kubeApiServer` needs its endpoint addresses).
 * - `PolicyBackend.CILIUM`: a `cilium.io/v2` CiliumNetworkPolicy, which also expresses DNS names
 *   (`toFQDNs`, with the DNS proxy rule Cilium needs) and the API server (`toEntities:
 *   kube-apiserver`).
 * - Both: Cilium enforces NetworkPolicies and its own policies together (allowed when either
 *   allows), so rendering both gives the same access on Cilium and keeps NetworkPolicies for tools
 *   and clusters that read only them; intent v1 cannot express still fails.
 *
 * @example
 * const app = new App();
 * PolicyBackend.use(app, [PolicyBackend.CILIUM]);
 */
export class PolicyBackend {
  /** NetworkPolicy v1 (`networking.k8s.io/v1`), the default. */
  public static readonly NETWORK_POLICY = new PolicyBackend('NetworkPolicy', '', renderNetworkPolicySpec,
    (scope, id, props) => new ApiObject(scope, id, { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', ...props }));

  /** CiliumNetworkPolicy (`cilium.io/v2`). */
  public static readonly CILIUM = new PolicyBackend('CiliumNetworkPolicy', '.cilium', renderCiliumSpec,
    (scope, id, props) => new CiliumNetworkPolicy(scope, id, props));

  /**
   * Chooses what every policy of the app renders to. Call it once, right after creating the App and
   * before any construct of this library.
   * @param scope the app, or any construct in it
   * @param backends one or more backends
   */
  public static use(scope: IConstruct, backends: PolicyBackend[]): void {
    checkArg('PolicyBackend.use()', 'scope', scope, required(Is.construct('the app or a construct in it', 'PolicyBackend.use(app, [PolicyBackend.CILIUM])')));
    checkArg(`PolicyBackend.use(${scope.node.path || 'app'})`, 'backends', backends, required(Is.listOf(Is.instanceOf(PolicyBackend, 'PolicyBackend.CILIUM'))));
    PolicyRegistry.of(scope).useBackends(scope, backends);
  }

  /** The kind it renders, e.g. `CiliumNetworkPolicy`. */
  public readonly name: string;

  private constructor(
    name: string,
    private readonly idSuffix: string,
    private readonly render: (intent: PolicyIntent, record: RuleOrigins) => any,
    private readonly make: (scope: Construct, id: string, props: { metadata: ObjectMetadata; spec: any }) => ApiObject,
  ) {
    this.name = name;
  }

  /**
   * Makes the object of one workload's policy, its spec rendered lazily from its intent.
   * @internal
   */
  public _create(scope: Construct, id: string, metadata: ObjectMetadata, intent: () => PolicyIntent, record: RuleOrigins): ApiObject {
    return this.make(scope, `${id}${this.idSuffix}`, { metadata, spec: Lazy.any({ produce: () => this.render(intent(), record) }) });
  }

  /**
   * The manifest of one workload's policy as it would be written (flow requests).
   * @internal
   */
  public _manifest(metadata: ObjectMetadata, intent: PolicyIntent): any {
    const object = this.make(new Chart(new App(), 'manifest'), 'policy', { metadata, spec: this.render(intent, () => undefined) });
    return object.toJson();
  }
}

/** A policy's name and namespace. */
interface ObjectMetadata {
  readonly name: string;
  readonly namespace: string;
}
