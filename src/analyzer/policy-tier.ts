import type { BitSet } from './bitset';
import type { Direction, IpBlockModel, PodModel, PortRuleModel } from './cluster-model';
import type { EndpointModel } from './external-nodes';
import type { Selector } from './label-matcher';
import type { ParsedCidr } from '../vocabulary/k8s-rules';

/**
 * The extension point of the verdict walk. A direction's verdict (the source's egress, the
 * destination's ingress) walks the tiers in order — Admin, NetworkPolicy, Baseline, then the
 * default (allow) — over a set of ports; each tier decides a part of the ports and hands the rest
 * on (`verdict-walk.ts`). A *policy layer* feeds one tier with policies of one kind: today the
 * NetworkPolicy v1 layer (`network-policy-layer.ts`); ClusterNetworkPolicy, AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy and Cilium layers implement the same interface in files of their own
 * and are listed in `policy-layers.ts`. The walk, the class-level truth tables and the port tables
 * then account for them without change.
 */

/** The tiers, in the order the walk visits them. @internal */
export const TIERS = ['Admin', 'NetworkPolicy', 'Baseline'] as const;

/** A tier of the walk. @internal */
export type TierName = typeof TIERS[number];

/**
 * How a tier decides:
 * - `first-match` (Admin, Baseline): its policies by ascending priority, rules in written order;
 *   the first rule matching the peer and some of the ports decides those ports (Allow or Deny) or
 *   passes them to the next tier (Pass).
 * - `isolation` (NetworkPolicy, with Cilium policies): once a policy of the tier that isolates
 *   applies to the endpoint, the tier decides every port: what a Deny rule matches is denied, else
 *   what an Allow rule matches is allowed, else denied. When the policies applying do not isolate
 *   (Cilium `enableDefaultDeny: false`), the tier decides only what Deny rules match. When no
 *   policy applies the tier decides nothing.
 * @internal
 */
export const TIER_SEMANTICS: Readonly<Record<TierName, 'first-match' | 'isolation'>> = {
  Admin: 'first-match',
  NetworkPolicy: 'isolation',
  Baseline: 'first-match',
};

/** What a rule does with the traffic it matches. @internal */
export type RuleAction = 'Allow' | 'Deny' | 'Pass';

/** Where a decision comes from: tier, object, rule and action. @internal */
export interface RuleProvenance {
  readonly tier: TierName;
  /** The object, `Kind namespace/name` or `Kind name`, e.g. `NetworkPolicy shop/web`. */
  readonly object: string;
  /** The policy as findings and isolation reports name it: `namespace/name`, or `name` when cluster-scoped. */
  readonly policy: string;
  readonly direction: Direction;
  /** Index of the rule in the object's list for this direction (from 0). */
  readonly ruleIndex: number;
  /** The rule's name, for kinds whose rules have one. */
  readonly ruleName?: string;
  readonly action: RuleAction;
}

/** Why a peer does not match an endpoint: 1 pod labels, 2 namespace, 3 both or an address. @internal */
export interface PeerMiss {
  readonly distance: number;
  readonly reason: string;
}

/**
 * The classes of endpoints (see `matrix-engine.ts`) and the indexes a layer builds class sets
 * from. Selectors see only the label keys some layer declared in its `ClassFeatures`.
 * @internal
 */
export interface ClassIndex {
  readonly classCount: number;
  /** Every class: pods and external nodes. */
  readonly allClasses: BitSet;
  /** The classes of pods. */
  readonly podClasses: BitSet;
  /** The pod classes of a namespace. */
  namespaceClasses(name: string): BitSet;
  /** The pod classes of the namespaces whose labels match. */
  namespaceSelectorClasses(selector: Selector): BitSet;
  /** The pod classes whose labels match, in any namespace. */
  podSelectorClasses(selector: Selector): BitSet;
  /** The classes with an address in the block: pods by their IPs, and external nodes. */
  addressClasses(block: IpBlockModel): BitSet;
  /** An endpoint of the class: every endpoint of it behaves the same. */
  representative(classIndex: number): EndpointModel;
}

/** A peer of a rule: which endpoints it matches, one at a time or as classes. @internal */
export interface PeerMatcher {
  matches(endpoint: EndpointModel): boolean;
  /** Why it does not match an endpoint it does not match. */
  miss(endpoint: EndpointModel): PeerMiss;
  /** The classes it matches. */
  classes(index: ClassIndex): BitSet;
}

/** A rule as the walk sees it. @internal */
export interface TierRule {
  readonly action: RuleAction;
  /** The peers, any of which matches; empty: every endpoint. */
  readonly peers: readonly PeerMatcher[];
  /** The ports, named ones resolved on the destination; empty: every port. */
  readonly ports: readonly PortRuleModel[];
  readonly provenance: RuleProvenance;
}

/** A policy of one direction as the walk sees it. @internal */
export interface TierPolicy {
  readonly tier: TierName;
  /** `Kind namespace/name` or `Kind name`. */
  readonly object: string;
  /** `namespace/name`, or `name` when cluster-scoped. */
  readonly id: string;
  /** First-match tiers visit lower priorities first (ties in input order); the NetworkPolicy tier ignores it. */
  readonly priority: number;
  /** Its rules for this direction, in written order. */
  readonly rules: readonly TierRule[];
  /**
   * Whether applying puts the endpoint in default deny for this direction (isolation tier only).
   * @default true
   */
  readonly isolates?: boolean;
  /** Whether the policy applies to a pod in this direction (for a NetworkPolicy: it isolates it). */
  appliesTo(pod: PodModel): boolean;
  /** The pod classes it applies to. */
  subjectClasses(index: ClassIndex): BitSet;
}

/**
 * What classes of endpoints must tell apart for a layer's policies: endpoints equal on every
 * declared feature (and in the same namespace) get one class, so a layer that reads a label key,
 * a port name or an address range no layer declared would see wrong classes.
 * @internal
 */
export interface ClassFeatures {
  /** Pod label keys its selectors read (namespace labels need nothing: classes keep namespaces apart). */
  readonly podLabelKeys: readonly string[];
  /** Port names its rules resolve on the destination. */
  readonly portNames: readonly string[];
  /** Address blocks its peers match. */
  readonly addressBlocks: readonly IpBlockModel[];
}

/**
 * The pods a peer of a rule selects, as selectors: what reports that speak in the policies' terms
 * (`pods app=web of namespace shop`) build their hypothetical endpoints from.
 * @internal
 */
export interface PeerSelector {
  /** The pod labels it requires; undefined: any pod. */
  readonly pods?: Selector;
  /** The namespace labels it requires; undefined: see `namespace`. */
  readonly namespaces?: Selector;
  /** The one namespace it selects in (a NetworkPolicy's own); undefined with `namespaces` undefined: every namespace. */
  readonly namespace?: string;
}

/** A source of policies for one tier: the extension point of the walk. @internal */
export interface PolicyLayer {
  readonly tier: TierName;
  /** The selectors of its rules' pod peers. */
  readonly peerSelectors: readonly PeerSelector[];
  /** Every CIDR its rules mention: the boundaries of external nodes. */
  readonly cidrs: readonly ParsedCidr[];
  readonly features: ClassFeatures;
  /** DNS names and patterns its peers name: each becomes a named external node. */
  readonly names?: readonly string[];
  /** Whether some peer names the API server, which then becomes a named external node. */
  readonly namesApiServer?: boolean;
  /** Its policies with this direction, in the layer's order. */
  policies(direction: Direction): readonly TierPolicy[];
}
