import { BitSet } from './bitset';
import { Direction } from './cluster-model';
import { EndpointModel, isExternal } from './external-nodes';
import { PolicyLayer, TIERS, TIER_SEMANTICS, TierName, TierPolicy, TierRule } from './policy-tier';
import { PortSet } from './port-range-set';
import { rulePortSet } from './rule-ports';

/**
 * The verdict of one side of a connection (the source's egress or the destination's ingress) as a
 * walk over the tiers: Admin, NetworkPolicy, Baseline, then the default, which allows. Each tier
 * decides a part of the ports still undecided (see `TIER_SEMANTICS`) and hands the rest on; every
 * decision keeps the tier and the rules or policies behind it.
 *
 * Three views of one walk: `walkSide` over port sets for one peer (explanations, allowed ports),
 * and `walkClasses` over bit sets of peer classes for one probe (whole truth tables). Both read the
 * same `SideProgram` and the same tier semantics, and must agree.
 */

/** The policies of each tier that apply to one endpoint in one direction. @internal */
export interface SideProgram {
  readonly direction: Direction;
  /** Indexed like `TIERS`: the policies of that tier applying, in evaluation order. */
  readonly byTier: readonly (readonly TierPolicy[])[];
}

/** The program of an endpoint no policy applies to (every external node). @internal */
export function emptyProgram(direction: Direction): SideProgram {
  return { direction, byTier: TIERS.map(() => []) };
}

/**
 * Orders a tier's applying policies: first-match tiers by priority (ties keep layer and input
 * order), the NetworkPolicy tier as given.
 * @internal
 */
export function orderTier(tier: TierName, policies: TierPolicy[]): TierPolicy[] {
  if (TIER_SEMANTICS[tier] !== 'first-match') return policies;
  return policies.map((p, i) => [p, i] as const).sort((a, b) => a[0].priority - b[0].priority || a[1] - b[1]).map(([p]) => p);
}

/** The policies applying to one endpoint in a direction: none for an external node. @internal */
export function sideProgram(layers: readonly PolicyLayer[], direction: Direction, subject: EndpointModel): SideProgram {
  if (isExternal(subject)) return emptyProgram(direction);
  return {
    direction,
    byTier: TIERS.map((tier) => orderTier(tier, layers.filter((l) => l.tier === tier)
      .flatMap((l) => l.policies(direction).filter((p) => p.appliesTo(subject))))),
  };
}

/** Whether one of a rule's peers (or, without peers, any endpoint) matches the endpoint. @internal */
export function ruleMatchesPeer(rule: TierRule, peer: EndpointModel): boolean {
  return rule.peers.length === 0 || rule.peers.some((p) => p.matches(peer));
}

/** Whether a policy of the isolation tier puts the endpoints it applies to in default deny. @internal */
export function isolates(policy: TierPolicy): boolean {
  return policy.isolates !== false;
}

/** Whether any tier has a policy for the endpoint. @internal */
export function hasPolicies(program: SideProgram): boolean {
  return program.byTier.some((list) => list.length > 0);
}

/** A part of the ports decided by one tier (or by the default). @internal */
export interface WalkDecision {
  /** The tier that decided; undefined for the default, which allows what no tier decided. */
  readonly tier?: TierName;
  /** `rule`: rules matched; `isolated`: the NetworkPolicy tier isolates and no rule allows; `default`: no tier decided. */
  readonly kind: 'rule' | 'isolated' | 'default';
  readonly allowed: boolean;
  readonly ports: PortSet;
  /** The deciding rule (`rule`). */
  readonly rule?: TierRule;
  /** The policies that isolate (`isolated`). */
  readonly policies: readonly TierPolicy[];
}

/** Ports a Pass rule sent on to the next tier. @internal */
export interface PassedPorts {
  readonly ports: PortSet;
  readonly rule: TierRule;
}

/** The walk of one side for one peer. @internal */
export interface SideWalk {
  /** Every port allowed. */
  readonly allowed: PortSet;
  /**
   * What decided which ports, in walk order (when recorded). Parts are disjoint, except that
   * several Allow rules of the NetworkPolicy tier may allow the same ports: each is listed.
   */
  readonly decisions: readonly WalkDecision[];
  readonly passed: readonly PassedPorts[];
  /** The ports no tier decided, which the default allows: every port when no policy restricts this side. */
  readonly defaulted: PortSet;
}

/**
 * Walks one side over the `query` ports.
 * @param program the policies applying to the subject
 * @param matchesPeer whether a rule's peers match the peer (no peers: every peer)
 * @param destination the endpoint named ports resolve on (the connection's destination)
 * @param record keep the decisions (explanations), or only compute what is allowed (tables)
 * @internal
 */
export function walkSide(program: SideProgram, matchesPeer: (rule: TierRule) => boolean, destination: EndpointModel,
  query: PortSet, record: boolean): SideWalk {
  const decisions: WalkDecision[] = [];
  const passed: PassedPorts[] = [];
  let undecided = query;
  let allowed = PortSet.NONE;
  for (let t = 0; t < TIERS.length && !undecided.isEmpty(); t++) {
    const tier = TIERS[t];
    const policies = program.byTier[t];
    if (policies.length === 0) continue;
    if (TIER_SEMANTICS[tier] === 'isolation') {
      let denied = PortSet.NONE;
      const matched: { rule: TierRule; ports: PortSet; policy: TierPolicy }[] = [];
      for (const policy of policies) {
        for (const rule of policy.rules) {
          if (rule.action === 'Pass' || !matchesPeer(rule)) continue;
          const ports = rulePortSet(rule.ports, destination).intersect(undecided);
          if (ports.isEmpty()) continue;
          if (rule.action === 'Deny') denied = denied.union(ports);
          matched.push({ rule, ports, policy });
        }
      }
      const isolating = policies.filter(isolates);
      let allowedHere = PortSet.NONE;
      for (const { rule, ports, policy } of matched) {
        // Without isolation what no Deny rule matches is left to the next tiers, Allow rules or not.
        if (rule.action === 'Allow' && isolating.length === 0) continue;
        const part = rule.action === 'Deny' ? ports : ports.subtract(denied);
        if (part.isEmpty()) continue;
        if (rule.action === 'Allow') allowedHere = allowedHere.union(part);
        if (record) decisions.push({ tier, kind: 'rule', allowed: rule.action === 'Allow', ports: part, rule, policies: [policy] });
      }
      if (isolating.length === 0) {
        undecided = undecided.subtract(denied);
        continue;
      }
      const rest = undecided.subtract(allowedHere).subtract(denied);
      if (record && !rest.isEmpty()) decisions.push({ tier, kind: 'isolated', allowed: false, ports: rest, policies: isolating });
      allowed = allowed.union(allowedHere);
      undecided = PortSet.NONE;
    } else {
      let passedHere = PortSet.NONE;
      for (const policy of policies) {
        for (const rule of policy.rules) {
          if (undecided.isEmpty()) break;
          if (!matchesPeer(rule)) continue;
          const ports = rulePortSet(rule.ports, destination).intersect(undecided);
          if (ports.isEmpty()) continue;
          undecided = undecided.subtract(ports);
          if (rule.action === 'Pass') {
            passedHere = passedHere.union(ports);
            if (record) passed.push({ ports, rule });
            continue;
          }
          if (rule.action === 'Allow') allowed = allowed.union(ports);
          if (record) decisions.push({ tier, kind: 'rule', allowed: rule.action === 'Allow', ports, rule, policies: [policy] });
        }
      }
      undecided = undecided.union(passedHere);
    }
  }
  if (!undecided.isEmpty()) {
    allowed = allowed.union(undecided);
    if (record) decisions.push({ kind: 'default', allowed: true, ports: undecided, policies: [] });
  }
  return { allowed, decisions, passed, defaulted: undecided };
}

/**
 * Walks one side for every peer class at once, on one probe port.
 * @param program the policies applying to the subject class
 * @param all every class (returned as is when no policy applies: callers may test identity)
 * @param ruleClasses the peer classes a rule's peers match
 * @param portClasses the peer classes for which a rule's ports admit the probe (`all`, an empty
 *   set, or per destination class when named ports resolve on the peer)
 * @returns the peer classes this side allows
 * @internal
 */
export function walkClasses(program: SideProgram, all: BitSet, ruleClasses: (rule: TierRule) => BitSet,
  portClasses: (rule: TierRule) => BitSet): BitSet {
  if (!hasPolicies(program)) return all;
  const n = all.size;
  const allowed = new BitSet(n);
  let undecided = all.clone();
  for (let t = 0; t < TIERS.length; t++) {
    const policies = program.byTier[t];
    if (policies.length === 0) continue;
    const matches = (rule: TierRule): BitSet | undefined => {
      const ports = portClasses(rule);
      if (ports.isEmpty()) return undefined;
      const peers = ruleClasses(rule);
      return ports === all ? peers : peers.clone().and(ports);
    };
    if (TIER_SEMANTICS[TIERS[t]] === 'isolation') {
      const allow = new BitSet(n);
      let deny: BitSet | undefined;
      for (const policy of policies) {
        for (const rule of policy.rules) {
          if (rule.action === 'Pass') continue;
          const m = matches(rule);
          if (!m) continue;
          if (rule.action === 'Deny') (deny ??= new BitSet(n)).or(m);
          else allow.or(m);
        }
      }
      if (!policies.some(isolates)) {
        if (deny) undecided.andNot(deny);
        continue;
      }
      if (deny) allow.andNot(deny);
      return allowed.or(allow.and(undecided));
    }
    const passed = new BitSet(n);
    for (const policy of policies) {
      for (const rule of policy.rules) {
        const m = matches(rule);
        if (!m) continue;
        const hit = m.clone().and(undecided);
        if (rule.action === 'Allow') allowed.or(hit);
        else if (rule.action === 'Pass') passed.or(hit);
        undecided.andNot(hit);
      }
    }
    undecided = undecided.or(passed);
  }
  return allowed.or(undecided);
}
