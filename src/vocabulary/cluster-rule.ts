import { invalid, show } from './errors';
import { checkArg, checkProps, Expected, Is, PropsSpec, required } from './input-checks';
import { A_PEER, Peer } from './peer';
import { A_PORT, Port } from './port';

/**
 * What a cluster-tier rule does with the traffic it matches. The first matching rule decides: rules
 * later in the policy and policies of higher priority values are not consulted.
 *
 * @example
 * ClusterRule.deny([Peer.ipv4('169.254.169.254/32')]).action; // ClusterRuleAction.DENY
 */
export enum ClusterRuleAction {
  /**
   * Allows the traffic, whatever NetworkPolicies say (written `Accept` in ClusterNetworkPolicy
   * v1alpha2, `Allow` in AdminNetworkPolicy v1alpha1). The other side of the connection still
   * applies its own rules.
   */
  ALLOW = 'Allow',
  /** Drops the traffic: no NetworkPolicy can open it. */
  DENY = 'Deny',
  /**
   * Skips the rest of the tier and leaves the traffic to the next one (NetworkPolicies after the
   * Admin tier). Not available in a v1alpha1 BaselineAdminNetworkPolicy.
   */
  PASS = 'Pass',
}

/**
 * Options of a {@link ClusterRule}.
 *
 * @example
 * { ports: [Port.DNS_UDP, Port.DNS_TCP], name: 'dns' }
 */
export interface ClusterRuleOptions {
  /**
   * The destination ports the rule matches.
   * @default - every port of every protocol
   */
  readonly ports?: Port[];

  /**
   * A name for the rule (at most 100 characters), shown by implementations and by `explain`.
   * @default - no name
   */
  readonly name?: string;
}

/**
 * One rule of a cluster guardrail: an action on the traffic exchanged with any of its peers on its
 * ports. Rules are checked in the order written, and the first that matches decides.
 *
 * Peers are the library's `Peer`s. Pods must name their namespace (`Peer.podsIn`,
 * `Peer.podsInNamespaces`, `Peer.namespace`, `Peer.namespaces`, `Peer.workload` of a workload with a
 * namespace): a cluster guardrail is about many namespaces, so `Peer.pods` is refused. Address
 * blocks are egress destinations only (the API's ingress peers are pods and namespaces), and an
 * `except` is written as the CIDRs that remain.
 *
 * @example
 * ClusterRule.allow([Peer.podsIn('kube-system', LabelSelector.matchLabels({ 'k8s-app': 'kube-dns' }))], { ports: [Port.DNS_UDP, Port.DNS_TCP] });
 * ClusterRule.deny([Peer.ipv4('169.254.169.254/32')], { name: 'no-metadata' });
 *
 * @see https://network-policy-api.sigs.k8s.io/
 */
export class ClusterRule {
  /**
   * Allows the traffic whatever NetworkPolicies say.
   * @param peers who the rule is about, at least one
   * @param options ports and name
   * @default options - every port, no name
   */
  public static allow(peers: Peer[], options: ClusterRuleOptions = {}): ClusterRule {
    return new ClusterRule(ClusterRuleAction.ALLOW, peers, options);
  }

  /**
   * Drops the traffic; no NetworkPolicy can open it.
   * @param peers who the rule is about, at least one
   * @param options ports and name
   * @default options - every port, no name
   */
  public static deny(peers: Peer[], options: ClusterRuleOptions = {}): ClusterRule {
    return new ClusterRule(ClusterRuleAction.DENY, peers, options);
  }

  /**
   * Leaves the traffic to the next tier (the namespaces' NetworkPolicies).
   * @param peers who the rule is about, at least one
   * @param options ports and name
   * @default options - every port, no name
   */
  public static pass(peers: Peer[], options: ClusterRuleOptions = {}): ClusterRule {
    return new ClusterRule(ClusterRuleAction.PASS, peers, options);
  }

  /** What the rule does with matching traffic. */
  public readonly action: ClusterRuleAction;
  /** The peers, any of which matches. */
  public readonly peers: Peer[];
  /**
   * The ports.
   * @default - every port of every protocol
   */
  public readonly ports?: Port[];
  /**
   * The rule's name.
   * @default - no name
   */
  public readonly name?: string;

  private constructor(action: ClusterRuleAction, peers: Peer[], options: ClusterRuleOptions) {
    const where = `ClusterRule.${action === ClusterRuleAction.ALLOW ? 'allow' : action.toLowerCase()}()`;
    checkArg(where, 'peers', peers, PEERS);
    checkProps(where, options, OPTIONS, 'options');
    if (peers.length === 0) throw invalid(where, 'no peers given, and the API requires at least one', 'Name the peers; for every pod use Peer.allNamespaces()');
    if (options.ports !== undefined && options.ports.length === 0) {
      throw invalid(where, "'ports' is empty", 'Leave ports out to match every port, or list them');
    }
    if (options.name !== undefined && (options.name.length === 0 || options.name.length > 100)) {
      throw invalid(where, `name ${show(options.name)} has ${options.name.length} characters`, 'Give the rule a name of 1 to 100 characters');
    }
    this.action = action;
    this.peers = [...peers];
    this.ports = options.ports ? [...options.ports] : undefined;
    this.name = options.name;
  }

  /** A readable form, e.g. `Deny 169.254.169.254/32 on all ports`. */
  public toString(): string {
    return `${this.action} ${this.peers.join(', ')} on ${this.ports ? this.ports.join(', ') : 'all ports'}`;
  }
}

const PEERS = required(Is.listOf(A_PEER));
const OPTIONS: PropsSpec<ClusterRuleOptions> = { ports: Is.listOf(A_PORT), name: Is.string("'dns'") };

/**
 * What an entry taking a {@link ClusterRule} expects.
 * @internal
 */
export const A_CLUSTER_RULE: Expected = Is.instanceOf(ClusterRule, "ClusterRule.deny([Peer.ipv4('169.254.169.254/32')])");
