import { ApiObject, JsonPatch, Lazy, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ClusterPolicyIntent } from './cluster-policy-intent';
import { partName } from './cluster-policy-names';
import { ClusterPolicyRegistry } from './cluster-policy-registry';
import { ClusterApiShape, ClusterPolicyPart, mergeBaseline, splitClusterPolicy, V1ALPHA1, V1ALPHA2 } from './cluster-policy-renderer';
import { ClusterTier } from './cluster-tier';
import { AdminNetworkPolicy } from '../imports/anp-v1alpha1-policy.networking.k8s.io';
import { BaselineAdminNetworkPolicy } from '../imports/banp-v1alpha1-policy.networking.k8s.io';
import { ClusterNetworkPolicy } from '../imports/cnp-v1alpha2-policy.networking.k8s.io';
import { ClusterRuleAction } from '../vocabulary/cluster-rule';
import { invalid } from '../vocabulary/errors';
import { checkArg, Is, required } from '../vocabulary/input-checks';

/**
 * The API the app's cluster guardrails render to. Guardrail constructs record intent only; the app
 * chooses the API once:
 *
 * - `ClusterPolicyBackend.CLUSTER_NETWORK_POLICY` (the default): ClusterNetworkPolicy
 *   `policy.networking.k8s.io/v1alpha2` (network-policy-api v0.2.0), one object per guardrail in the
 *   Admin or Baseline tier.
 * - `ClusterPolicyBackend.ADMIN_NETWORK_POLICY`: the older v1alpha1 API for CNIs that do not serve
 *   v1alpha2 yet: an AdminNetworkPolicy per Admin guardrail, and the cluster's one
 *   BaselineAdminNetworkPolicy (named `default`) for all Baseline guardrails, merged (they must
 *   share their subject, or their rules for namespaces given by name). Named ports and Pass in the
 *   Baseline tier cannot be written there and fail the synth.
 *
 * Either way a guardrail with more rules, peers, ports or CIDRs than one object takes is split into
 * several with the same meaning (see `ClusterGuardrail`).
 *
 * @example
 * const app = new App();
 * ClusterPolicyBackend.use(app, [ClusterPolicyBackend.ADMIN_NETWORK_POLICY]);
 */
export class ClusterPolicyBackend {
  /** ClusterNetworkPolicy `policy.networking.k8s.io/v1alpha2`, the default. */
  public static readonly CLUSTER_NETWORK_POLICY = new ClusterPolicyBackend('ClusterNetworkPolicy', V1ALPHA2);

  /** AdminNetworkPolicy and BaselineAdminNetworkPolicy `policy.networking.k8s.io/v1alpha1`. */
  public static readonly ADMIN_NETWORK_POLICY = new ClusterPolicyBackend('AdminNetworkPolicy', V1ALPHA1);

  /**
   * Chooses what the app's cluster guardrails render to. Call it once, right after creating the App
   * and before any guardrail.
   * @param scope the app, or any construct in it
   * @param backends one or more backends
   */
  public static use(scope: IConstruct, backends: ClusterPolicyBackend[]): void {
    checkArg('ClusterPolicyBackend.use()', 'scope', scope, required(Is.construct('the app or a construct in it', 'ClusterPolicyBackend.use(app, [ClusterPolicyBackend.ADMIN_NETWORK_POLICY])')));
    checkArg(`ClusterPolicyBackend.use(${scope.node.path || 'app'})`, 'backends', backends,
      required(Is.listOf(Is.instanceOf(ClusterPolicyBackend, 'ClusterPolicyBackend.ADMIN_NETWORK_POLICY'))));
    ClusterPolicyRegistry.of(scope).useBackends(scope, backends);
  }

  /** The kind it renders in the Admin tier, e.g. `ClusterNetworkPolicy`. */
  public readonly name: string;

  /** Each intent's split, made once (every object of an intent renders from it). */
  private readonly splits = new WeakMap<ClusterPolicyIntent, ClusterPolicyPart[]>();

  private constructor(name: string, private readonly shape: ClusterApiShape) {
    this.name = name;
  }

  /**
   * The rules of `intent` as this backend writes them, split to fit its limits.
   * @internal
   */
  public _split(intent: ClusterPolicyIntent): ClusterPolicyPart[] {
    if (this.isSingletonBaseline(intent)) {
      const pass = [...intent.ingress, ...intent.egress].find((r) => r.action === ClusterRuleAction.PASS);
      if (pass) {
        throw invalid(intent.requester.node.path, 'Pass cannot be written in a BaselineAdminNetworkPolicy v1alpha1 (its actions are Allow and Deny): after the Baseline tier there is nothing to pass to but the default, which allows',
          'Use ClusterRule.allow for the same traffic, or render ClusterNetworkPolicy v1alpha2');
      }
    }
    let parts = this.splits.get(intent);
    if (!parts) {
      parts = splitClusterPolicy(intent, this.shape, intent.requester.node.path);
      this.splits.set(intent, parts);
    }
    return parts;
  }

  /**
   * Makes the objects of `intent` (its spec rendered lazily, with the priorities the registry
   * allocates at synth); a v1alpha1 Baseline intent joins the one BaselineAdminNetworkPolicy.
   * @internal
   */
  public _write(registry: ClusterPolicyRegistry, intent: ClusterPolicyIntent): void {
    const scope = intent.requester as Construct;
    if (this.isSingletonBaseline(intent)) {
      if (registry._claimSingleton(this)) {
        const banp = new BaselineAdminNetworkPolicy(scope, 'BaselineAdminNetworkPolicy', {
          metadata: { name: 'default' },
          spec: Lazy.any({ produce: () => this.baselineSpec(registry) }) as any,
        });
        this.place(banp);
        // Whether the Baseline guardrails make one object is known once all exist: synth reports it.
        banp.node.addValidation({ validate: () => problemOf(() => this.baselineSpec(registry)) });
      }
      return;
    }
    const parts = this._split(intent).length;
    for (let k = 0; k < parts; k++) {
      const metadata = { name: partName(intent.name, k) };
      const spec = Lazy.any({ produce: () => this.spec(registry, intent, k) }) as any;
      const id = `${this.name}${k === 0 ? '' : `-${k + 1}`}`;
      this.place(this === ClusterPolicyBackend.CLUSTER_NETWORK_POLICY
        ? new ClusterNetworkPolicy(scope, id, { metadata, spec })
        : new AdminNetworkPolicy(scope, id, { metadata, spec }));
    }
  }

  /** Whether `intent` goes into the one BaselineAdminNetworkPolicy of the cluster. */
  private isSingletonBaseline(intent: ClusterPolicyIntent): boolean {
    return this === ClusterPolicyBackend.ADMIN_NETWORK_POLICY && intent.tier === ClusterTier.BASELINE;
  }

  private spec(registry: ClusterPolicyRegistry, intent: ClusterPolicyIntent, k: number): any {
    const part = this._split(intent)[k];
    return {
      ...(this === ClusterPolicyBackend.CLUSTER_NETWORK_POLICY ? { tier: intent.tier } : {}),
      priority: registry._priorityOf(intent) + k,
      subject: intent.subject,
      ...(part.ingress.length > 0 ? { ingress: part.ingress } : {}),
      ...(part.egress.length > 0 ? { egress: part.egress } : {}),
    };
  }

  private baselineSpec(registry: ClusterPolicyRegistry): any {
    const intents = registry._inPriorityOrder(ClusterTier.BASELINE);
    const spec = mergeBaseline(intents, (intent) => {
      const parts = this._split(intent);
      if (parts.length > 1) {
        throw invalid(intent.requester.node.path, `its rules need ${parts.length} objects of at most ${this.shape.maxRules} rules, and the BaselineAdminNetworkPolicy is one object`,
          'Use fewer rules, or render ClusterNetworkPolicy v1alpha2');
      }
      return parts[0];
    });
    for (const direction of ['ingress', 'egress']) {
      const count = spec[direction]?.length ?? 0;
      if (count > this.shape.maxRules) {
        throw invalid(intents.map((i) => i.requester.node.path).join(', '), `together these Baseline guardrails have ${count} ${direction} rules, and the one BaselineAdminNetworkPolicy takes at most ${this.shape.maxRules}`,
          'Use fewer rules, or render ClusterNetworkPolicy v1alpha2');
      }
    }
    return spec;
  }

  /** Cluster-scoped objects carry no namespace, whatever their chart's. */
  private place(object: ApiObject): void {
    if (Chart.of(object).namespace !== undefined) object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

/** The message of what `check` throws, or nothing. */
function problemOf(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}
