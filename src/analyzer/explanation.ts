import { DirectionVerdict, ProbeVerdict, RuleVerdict } from './evaluator';
import { isExternal } from './external-nodes';
import { TierPolicy, TierRule } from './policy-tier';

/**
 * A rule of a policy and what it did: the tier, the object, its index (and name, for kinds that
 * name rules) in the object's list for the direction, and its action.
 *
 * @example
 * const rules = Reachability.fromChart(chart).explain('shop/web', 'shop/api', Port.tcp(8080)).ingress.allowingRules;
 * rules.map((r) => `${r.object} ${r.direction}[${r.ruleIndex}]`); // ['NetworkPolicy shop/api-netpol Ingress[0]']
 */
export interface RuleReference {
  /** The policy, as `namespace/name` (or `name` for cluster-scoped kinds). */
  readonly policy: string;
  /** `Ingress` or `Egress`. */
  readonly direction: string;
  /** Index of the rule in the policy's list for the direction (`ingress` or `egress`), from 0. */
  readonly ruleIndex: number;
  /** The tier of the policy: `Admin`, `NetworkPolicy` or `Baseline`. */
  readonly tier: string;
  /** The object, `Kind namespace/name` or `Kind name`, e.g. `NetworkPolicy shop/api-netpol`. */
  readonly object: string;
  /** What the rule does with what it matches: `Allow`, `Deny` or `Pass`. */
  readonly action: string;
  /**
   * The rule's name.
   * @default - the kind's rules have no names (NetworkPolicy)
   */
  readonly ruleName?: string;
}

/**
 * The rule that came nearest to allowing a denied connection, and what it lacks.
 *
 * @example
 * const miss = Reachability.fromChart(chart).explain('shop/web', 'shop/db', Port.POSTGRES).ingress.nearestMiss;
 * miss?.policy; // 'shop/db-netpol'
 * miss?.reasons;
 */
export interface RuleMiss extends RuleReference {
  /** What does not match, e.g. the port, the namespace labels or the pod labels. */
  readonly reasons: string[];
}

/**
 * One side of a connection: the source's egress or the destination's ingress, decided by walking
 * the tiers (Admin, NetworkPolicy, Baseline, then the default, which allows).
 *
 * @example
 * const egress = Reachability.fromChart(chart).explain('shop/web', 'shop/api', Port.tcp(8080)).egress;
 * egress.tier; egress.decidedBy; egress.isolatingPolicies; egress.allowed; egress.summary;
 */
export interface SideExplanation {
  /** `Egress` (the source's side) or `Ingress` (the destination's side). */
  readonly direction: string;
  /** The endpoint whose policies decide this side: a pod (`namespace/name`) or an external node (`0.0.0.0/0 except 10.0.0.0/8`). */
  readonly endpoint: string;
  /** Whether the endpoint is an external node: outside the cluster no policy applies, so its side always allows. */
  readonly external: boolean;
  /** Whether a NetworkPolicy selects the endpoint with this direction in its policyTypes, or a Cilium policy puts it in default deny. */
  readonly isolated: boolean;
  /**
   * The policies that isolate the endpoint for this direction: NetworkPolicies as `namespace/name`,
   * Cilium policies as `Kind namespace/name` (`Kind name` when cluster-scoped).
   */
  readonly isolatingPolicies: string[];
  /** Whether this side lets the connection through. */
  readonly allowed: boolean;
  /** The tier that decided: `Admin`, `NetworkPolicy`, `Baseline`, or `Default` when no tier did and the default allowed. */
  readonly tier: string;
  /**
   * The rules that decided: the first matching rule in the Admin and Baseline tiers, every rule
   * that allows in the NetworkPolicy tier; empty when isolation denies (no rule allows) or the
   * default allows.
   */
  readonly decidedBy: RuleReference[];
  /** Every rule that allows it (empty when denied or allowed by default). */
  readonly allowingRules: RuleReference[];
  /** Pass rules of the Admin tier that sent it on to the next tiers, in walk order. */
  readonly passedOver: RuleReference[];
  /**
   * The rule that came nearest to allowing it.
   * @default - none: not denied by isolation, or no isolating policy has a rule for this direction
   */
  readonly nearestMiss?: RuleMiss;
  /** One sentence saying which tier, object and rule decided, and why. */
  readonly summary: string;
}

/**
 * Whether a connection is allowed, and why.
 *
 * @example
 * const why = Reachability.fromChart(chart).explain('shop/web', 'shop/db', Port.POSTGRES);
 * why.allowed; // false
 * why.ingress.nearestMiss?.reasons; // e.g. ['pod labels do not match podSelector app=api']
 * console.log(why.text);
 */
export interface Explanation {
  /** The source: a pod (`namespace/name`) or an external node. */
  readonly from: string;
  /** The destination: a pod (`namespace/name`) or an external node. */
  readonly to: string;
  /**
   * The IP address the source was given as.
   * @default - the source was named, not given as an address
   */
  readonly fromAddress?: string;
  /**
   * The IP address the destination was given as.
   * @default - the destination was named, not given as an address
   */
  readonly toAddress?: string;
  /** Whether the source is an external node (addresses outside the cluster). */
  readonly fromExternal: boolean;
  /** Whether the destination is an external node (addresses outside the cluster). */
  readonly toExternal: boolean;
  /** The destination port probed. */
  readonly port: number;
  /** The protocol probed. */
  readonly protocol: string;
  /** The verdict: the source's egress and the destination's ingress both allow it. */
  readonly allowed: boolean;
  /** True when source and destination are the same pod, which may always reach itself. */
  readonly selfTraffic: boolean;
  /** The source's egress side. */
  readonly egress: SideExplanation;
  /** The destination's ingress side. */
  readonly ingress: SideExplanation;
  /** The explanation as readable lines of text. */
  readonly text: string;
}

/** The public reference to a rule. @internal */
export function ruleReference(rule: TierRule): RuleReference {
  const p = rule.provenance;
  const reference = { policy: p.policy, direction: p.direction, ruleIndex: p.ruleIndex, tier: p.tier, object: p.object, action: p.action };
  return p.ruleName === undefined ? reference : { ...reference, ruleName: p.ruleName };
}

/** `NetworkPolicy shop/web egress[0]`, with the rule's name when it has one. @internal */
export function ruleName(rule: RuleReference): string {
  return `${rule.object} ${rule.direction.toLowerCase()}[${rule.ruleIndex}]${rule.ruleName !== undefined ? ` '${rule.ruleName}'` : ''}`;
}

function miss(verdict: RuleVerdict, direction: string): RuleMiss {
  return {
    ...ruleReference(verdict.rule),
    reasons: [
      ...(verdict.peerMatched ? [] : verdict.peerMisses.length
        ? [`no peer matches ${direction === 'Ingress' ? 'the source' : 'the destination'}: ${verdict.peerMisses.join(' | ')}`]
        : []),
      ...(verdict.portMiss ? [`wrong port: ${verdict.portMiss}`] : []),
    ],
  };
}

function side(verdict: DirectionVerdict): SideExplanation {
  const direction = verdict.direction.toLowerCase();
  const isolatingPolicies = verdict.isolatingPolicies.map(isolatingPolicyName);
  const allowingRules = verdict.allowingRules.map(ruleReference);
  const passedOver = verdict.passedOver.map(ruleReference);
  const nearestMiss = verdict.nearestMiss ? miss(verdict.nearestMiss, verdict.direction) : undefined;
  const decision = verdict.decisions[0];
  const decidedBy = verdict.decisions.filter((d) => d.rule).map((d) => ruleReference(d.rule!));
  const external = isExternal(verdict.subject);
  const what = `${direction} of ${verdict.subject.id}`;
  const passed = passedOver.length ? `passed on by ${passedOver.map((r) => `${ruleName(r)} (Pass)`).join(', ')}; ` : '';
  let summary: string;
  if (external) {
    summary = `${what}: outside the cluster, where no policy is enforced, so everything is allowed`;
  } else if (decision.kind === 'default') {
    summary = verdict.program.byTier.every((list) => list.length === 0)
      ? `${what}: not isolated (no NetworkPolicy selects it with ${verdict.direction} in policyTypes), so everything is allowed`
      : `${what}: ${passed}no rule of the Admin or Baseline tier matches and no NetworkPolicy isolates it, so the default allows it`;
  } else if (decision.kind === 'isolated') {
    const head = `${what}: ${passed}NetworkPolicy tier: isolated by ${isolatingPolicies.join(', ')}`;
    summary = !nearestMiss
      ? `${head}, which have no ${direction} rules: everything is denied`
      : `${head}; no rule allows it. Nearest miss: ${ruleName(nearestMiss)}: ${nearestMiss.reasons.join('; ')}`;
  } else if (decision.tier === 'NetworkPolicy') {
    const isolated = isolatingPolicies.length ? `isolated by ${isolatingPolicies.join(', ')}; ` : '';
    summary = `${what}: ${passed}NetworkPolicy tier: ${isolated}${verdict.allowed ? 'allowed' : 'denied'} by ${decidedBy.map(ruleName).join(', ')}`;
  } else {
    summary = `${what}: ${passed}${decision.tier} tier: ${verdict.allowed ? 'allowed' : 'denied'} by ${decidedBy.map((r) => `${ruleName(r)} (${r.action})`).join(', ')}`;
  }
  return {
    direction: verdict.direction,
    endpoint: verdict.subject.id,
    external,
    isolated: isolatingPolicies.length > 0,
    isolatingPolicies,
    allowed: verdict.allowed,
    tier: decision.tier ?? 'Default',
    decidedBy,
    allowingRules,
    passedOver,
    nearestMiss,
    summary,
  };
}

/**
 * How isolation reports name a policy: a NetworkPolicy as `namespace/name`, as always; other kinds
 * of its tier (Cilium policies) as `Kind namespace/name`.
 * @internal
 */
export function isolatingPolicyName(policy: TierPolicy): string {
  return policy.object.startsWith('NetworkPolicy ') ? policy.id : policy.object;
}

/** How the endpoints were given, when as addresses, and what a DNS name given is to the policies. @internal */
export interface GivenAddresses {
  readonly from?: string;
  readonly to?: string;
  readonly notes?: readonly string[];
}

/** Turns a probe verdict into the public explanation. @internal */
export function explainVerdict(verdict: ProbeVerdict, given: GivenAddresses = {}): Explanation {
  const egress = side(verdict.egress);
  const ingress = side(verdict.ingress);
  const name = (id: string, external: boolean, address?: string): string => (address === undefined ? id : `${address} (${external ? 'external node' : 'pod'} ${id})`);
  const fromExternal = isExternal(verdict.from);
  const toExternal = isExternal(verdict.to);
  const head = `${verdict.allowed ? 'ALLOWED' : 'DENIED'}: ${name(verdict.from.id, fromExternal, given.from)} -> ${name(verdict.to.id, toExternal, given.to)} on ${verdict.probe.port}/${verdict.probe.protocol}`;
  const lines = verdict.selfTraffic
    ? [head, '  a pod may always reach itself (NetworkPolicy never applies to a pod\'s traffic to itself)']
    : [head, `  ${egress.allowed ? 'ok  ' : 'deny'} ${egress.summary}`, `  ${ingress.allowed ? 'ok  ' : 'deny'} ${ingress.summary}`,
      ...(given.notes ?? []).map((n) => `  note ${n}`)];
  return {
    from: verdict.from.id,
    to: verdict.to.id,
    ...(given.from !== undefined ? { fromAddress: given.from } : {}),
    ...(given.to !== undefined ? { toAddress: given.to } : {}),
    fromExternal,
    toExternal,
    port: verdict.probe.port,
    protocol: verdict.probe.protocol,
    allowed: verdict.allowed,
    selfTraffic: verdict.selfTraffic,
    egress,
    ingress,
    text: lines.join('\n'),
  };
}
