import { Construct } from 'constructs';
import { resolveClusterRules } from './cluster-policy-intent';
import { nameFromPath } from './cluster-policy-names';
import { ClusterPolicyRegistry } from './cluster-policy-registry';
import { ClusterTier } from './cluster-tier';
import { A_CLUSTER_RULE, ClusterRule } from '../vocabulary/cluster-rule';
import { invalid, show } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec } from '../vocabulary/input-checks';
import { checkDns1123Subdomain } from '../vocabulary/k8s-rules';
import { A_LABEL_SELECTOR, LabelSelector } from '../vocabulary/label-selector';

/**
 * Properties of a {@link ClusterGuardrail}.
 *
 * @example
 * { namespaces: LabelSelector.matchLabels({ tenant: 'a' }), ingress: [ClusterRule.deny([Peer.namespaces(LabelSelector.matchLabels({ tenant: 'b' }))])] }
 */
export interface ClusterGuardrailProps {
  /**
   * The tier: Admin rules come before every NetworkPolicy, Baseline rules after them.
   * @default ClusterTier.ADMIN
   */
  readonly tier?: ClusterTier;

  /**
   * The namespaces whose pods the rules apply to (the subject).
   * @default - every namespace
   */
  readonly namespaces?: LabelSelector;

  /**
   * Only the pods matching this selector in those namespaces.
   * @default - every pod of the namespaces
   */
  readonly pods?: LabelSelector;

  /**
   * Rules for traffic into the pods, in order: the first that matches decides.
   * @default - none
   */
  readonly ingress?: ClusterRule[];

  /**
   * Rules for traffic out of the pods, in order: the first that matches decides.
   * @default - none
   */
  readonly egress?: ClusterRule[];

  /**
   * The priority in its tier, 0 to 1000, lower first. Another guardrail of the app with the same
   * priority in the same tier fails the synth.
   * @default - allocated: the lowest free multiple of 10, guardrails that only deny first, then by
   * construct path
   */
  readonly priority?: number;

  /**
   * The object's name (cluster-scoped, so unique in the cluster); objects it is split into get
   * `-2`, `-3`...
   * @default - made of the construct path
   */
  readonly name?: string;
}

/**
 * A rule set for the whole cluster that namespaces cannot override (Admin tier) or that applies
 * where they say nothing (Baseline tier), rendered as a ClusterNetworkPolicy v1alpha2 (or, with
 * `ClusterPolicyBackend.ADMIN_NETWORK_POLICY`, as a v1alpha1 AdminNetworkPolicy, Baseline rules going
 * into the one BaselineAdminNetworkPolicy).
 *
 * Rules are checked in the order written and the first match decides; across guardrails of a
 * tier, lower priorities first. The API takes at most 25 rules per direction, 25 peers and 25 ports
 * per rule and 25 CIDRs per `networks` peer (v1alpha1: 100, 100, 100 and 25): a guardrail beyond
 * them is split into more peers, rules and objects (at consecutive priorities) that decide exactly
 * the same.
 *
 * The higher-level guardrails (`BaselineDefaultDeny`, `AlwaysAllowDns`, `AlwaysAllowMonitoring`,
 * `AlwaysDenyMetadataEndpoint`, `TenantIsolation`) are made of this.
 *
 * @example
 * new ClusterGuardrail(chart, 'no-smtp', {
 *   egress: [ClusterRule.deny([Peer.anyIpv4()], { ports: [Port.tcp(25)], name: 'no-smtp' })],
 * });
 *
 * @see https://network-policy-api.sigs.k8s.io/
 */
export class ClusterGuardrail extends Construct {
  /** The name of the (first) object. */
  public readonly policyName: string;

  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the subject and the rules
   */
  constructor(scope: Construct, id: string, props: ClusterGuardrailProps) {
    super(scope, id);
    const path = this.node.path;
    checkProps(path, props, PROPS);
    // JavaScript callers may give no props: that is a guardrail without rules.
    const ingress = props?.ingress ?? [];
    const egress = props?.egress ?? [];
    if (ingress.length + egress.length === 0) {
      throw invalid(path, 'no ingress or egress rule given, so the guardrail would decide nothing', 'Give at least one rule');
    }
    if (props.priority !== undefined && !(Number.isInteger(props.priority) && props.priority >= 0 && props.priority <= 1000)) {
      throw invalid(path, `priority ${props.priority} is not an integer from 0 to 1000`, 'Give one in that range, or leave it out to have one allocated');
    }
    this.policyName = props.name ?? nameFromPath(path);
    // Room for the '-N' of split objects.
    const problem = checkDns1123Subdomain(this.policyName) ?? (this.policyName.length > 60 ? 'is longer than 60 characters' : undefined);
    if (problem) throw invalid(path, `name ${show(this.policyName)} ${problem}`, "Give a lower-case name of letters, digits and '-', e.g. 'deny-metadata'");
    const namespaces = (props.namespaces ?? LabelSelector._everything()).toJson();
    ClusterPolicyRegistry.of(this).add({
      requester: this,
      name: this.policyName,
      tier: props.tier ?? ClusterTier.ADMIN,
      subject: props.pods ? { pods: { namespaceSelector: namespaces, podSelector: props.pods.toJson() } } : { namespaces },
      ingress: resolveClusterRules(this, 'ingress', ingress),
      egress: resolveClusterRules(this, 'egress', egress),
      ...(props.priority !== undefined ? { priority: props.priority } : {}),
    });
  }
}

const PROPS: PropsSpec<ClusterGuardrailProps> = {
  tier: Is.enumOf('ClusterTier', ClusterTier),
  namespaces: A_LABEL_SELECTOR,
  pods: A_LABEL_SELECTOR,
  ingress: Is.listOf(A_CLUSTER_RULE),
  egress: Is.listOf(A_CLUSTER_RULE),
  priority: Is.number('100'),
  name: Is.string("'deny-metadata'"),
};
