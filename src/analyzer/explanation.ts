import { DirectionVerdict, ProbeVerdict, RuleVerdict } from './evaluator';

/**
 * A rule of a NetworkPolicy: the policy, the direction and the index in its `ingress` or `egress`
 * list.
 *
 * @example
 * const rules = Reachability.fromChart(chart).explain('shop/web', 'shop/api', Port.tcp(8080)).ingress.allowingRules;
 * rules.map((r) => `${r.policy} ${r.direction}[${r.ruleIndex}]`); // ['shop/api-netpol ingress[0]']
 */
export interface RuleReference {
  /** The policy, as `namespace/name`. */
  readonly policy: string;
  /** `Ingress` or `Egress`. */
  readonly direction: string;
  /** Index of the rule in the policy's `ingress` or `egress` list (from 0). */
  readonly ruleIndex: number;
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
 * One side of a connection: the source's egress or the destination's ingress.
 *
 * @example
 * const egress = Reachability.fromChart(chart).explain('shop/web', 'shop/api', Port.tcp(8080)).egress;
 * egress.isolated; egress.isolatingPolicies; egress.allowed; egress.summary;
 */
export interface SideExplanation {
  /** `Egress` (the source's side) or `Ingress` (the destination's side). */
  readonly direction: string;
  /** The pod whose policies decide this side, as `namespace/name`. */
  readonly pod: string;
  /** Whether some policy selects the pod for this direction. */
  readonly isolated: boolean;
  /** The policies that isolate the pod for this direction, as `namespace/name`. */
  readonly isolatingPolicies: string[];
  /** Whether this side lets the connection through. */
  readonly allowed: boolean;
  /** Every rule that allows it (empty when not isolated or denied). */
  readonly allowingRules: RuleReference[];
  /**
   * The rule that came nearest to allowing it.
   * @default - none: allowed, or no isolating policy has a rule for this direction
   */
  readonly nearestMiss?: RuleMiss;
  /** One sentence saying why this side allows or denies. */
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
  /** The source pod, as `namespace/name`. */
  readonly from: string;
  /** The destination pod, as `namespace/name`. */
  readonly to: string;
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

function reference(rule: RuleVerdict): RuleReference {
  return { policy: rule.policy.id, direction: rule.direction, ruleIndex: rule.ruleIndex };
}

function ruleName(rule: RuleReference): string {
  return `${rule.policy} ${rule.direction.toLowerCase()}[${rule.ruleIndex}]`;
}

function side(verdict: DirectionVerdict): SideExplanation {
  const isolated = verdict.isolatingPolicies.length > 0;
  const isolatingPolicies = verdict.isolatingPolicies.map((p) => p.id);
  const allowingRules = verdict.allowingRules.map(reference);
  const nearestMiss: RuleMiss | undefined = verdict.nearestMiss ? {
    ...reference(verdict.nearestMiss),
    reasons: [
      ...(verdict.nearestMiss.peerMatched ? [] : verdict.nearestMiss.peerMisses.length
        ? [`no peer matches ${verdict.direction === 'Ingress' ? 'the source' : 'the destination'}: ${verdict.nearestMiss.peerMisses.join(' | ')}`]
        : []),
      ...(verdict.nearestMiss.portMiss ? [`wrong port: ${verdict.nearestMiss.portMiss}`] : []),
    ],
  } : undefined;
  const what = `${verdict.direction.toLowerCase()} of ${verdict.pod.id}`;
  let summary: string;
  if (!isolated) {
    summary = `${what}: not isolated (no NetworkPolicy selects it with ${verdict.direction} in policyTypes), so everything is allowed`;
  } else if (verdict.allowed) {
    summary = `${what}: isolated by ${isolatingPolicies.join(', ')}; allowed by ${allowingRules.map(ruleName).join(', ')}`;
  } else if (!nearestMiss) {
    summary = `${what}: isolated by ${isolatingPolicies.join(', ')}, which have no ${verdict.direction.toLowerCase()} rules: everything is denied`;
  } else {
    summary = `${what}: isolated by ${isolatingPolicies.join(', ')}; no rule allows it. Nearest miss: ${ruleName(nearestMiss)}: ${nearestMiss.reasons.join('; ')}`;
  }
  return {
    direction: verdict.direction,
    pod: verdict.pod.id,
    isolated,
    isolatingPolicies,
    allowed: verdict.allowed,
    allowingRules,
    nearestMiss,
    summary,
  };
}

/** Turns a probe verdict into the public explanation. @internal */
export function explainVerdict(verdict: ProbeVerdict): Explanation {
  const egress = side(verdict.egress);
  const ingress = side(verdict.ingress);
  const head = `${verdict.allowed ? 'ALLOWED' : 'DENIED'}: ${verdict.from.id} -> ${verdict.to.id} on ${verdict.probe.port}/${verdict.probe.protocol}`;
  const lines = verdict.selfTraffic
    ? [head, '  a pod may always reach itself (NetworkPolicy never applies to a pod\'s traffic to itself)']
    : [head, `  ${egress.allowed ? 'ok  ' : 'deny'} ${egress.summary}`, `  ${ingress.allowed ? 'ok  ' : 'deny'} ${ingress.summary}`];
  return {
    from: verdict.from.id,
    to: verdict.to.id,
    port: verdict.probe.port,
    protocol: verdict.probe.protocol,
    allowed: verdict.allowed,
    selfTraffic: verdict.selfTraffic,
    egress,
    ingress,
    text: lines.join('\n'),
  };
}
