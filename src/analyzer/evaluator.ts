import { ClusterModel, Direction } from './cluster-model';
import { EndpointModel, isExternal } from './external-nodes';
import { policyLayers } from './policy-layers';
import { TIERS, TierPolicy, TierRule } from './policy-tier';
import { PortSet } from './port-range-set';
import { ProbePort, formatPortEntry, portEntryMatches } from './rule-ports';
import { SideProgram, SideWalk, WalkDecision, isolates, ruleMatchesPeer, sideProgram, walkSide } from './verdict-walk';

/**
 * Decides one probe (source, destination, port, protocol) by walking each side's tiers, keeping
 * every intermediate verdict so the explanation can say why. Endpoints are pods and external
 * nodes. For whole truth tables see `matrix-engine.ts`, which must agree with this.
 */

/** How one rule fared against a probe it did not decide. @internal */
export interface RuleVerdict {
  readonly rule: TierRule;
  readonly peerMatched: boolean;
  readonly portMatched: boolean;
  /** Why no peer matched (one phrase per peer), empty when a peer matched. */
  readonly peerMisses: readonly string[];
  /** Why no port matched, undefined when a port matched. */
  readonly portMiss?: string;
  /** Lower is nearer to matching. */
  readonly distance: number;
}

/** The verdict for one side of a connection (source egress or destination ingress). @internal */
export interface DirectionVerdict {
  readonly direction: Direction;
  /** The endpoint whose policies decide this side. */
  readonly subject: EndpointModel;
  /** The policies of each tier that apply to the subject. */
  readonly program: SideProgram;
  /** The NetworkPolicy-tier policies isolating the subject (NetworkPolicies, Cilium policies in default deny). */
  readonly isolatingPolicies: readonly TierPolicy[];
  readonly allowed: boolean;
  /** What decided the probed port: one decision, or every Allow rule of the NetworkPolicy tier that allows it. */
  readonly decisions: readonly WalkDecision[];
  /** The rules that allow the probe (empty when no rule decided it or it is denied). */
  readonly allowingRules: readonly TierRule[];
  /** Pass rules the walk went through before deciding. */
  readonly passedOver: readonly TierRule[];
  /** The rule of the NetworkPolicy tier that came nearest to allowing, when isolation denies. */
  readonly nearestMiss?: RuleVerdict;
  readonly walk: SideWalk;
}

/** The verdict for a probe. @internal */
export interface ProbeVerdict {
  readonly from: EndpointModel;
  readonly to: EndpointModel;
  readonly probe: ProbePort;
  readonly allowed: boolean;
  /** True when source and destination are the same pod (always allowed). */
  readonly selfTraffic: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

function judgeRule(rule: TierRule, peer: EndpointModel, destination: EndpointModel, probe: ProbePort): RuleVerdict {
  let peerMatched = rule.peers.length === 0;
  let peerDistance = peerMatched ? 0 : 3;
  const peerMisses: string[] = [];
  for (const matcher of rule.peers) {
    if (matcher.matches(peer)) { peerMatched = true; peerDistance = 0; break; }
    const miss = matcher.miss(peer);
    peerDistance = Math.min(peerDistance, miss.distance);
    peerMisses.push(miss.reason);
  }
  const portMatched = rule.ports.length === 0 || rule.ports.some((p) => portEntryMatches(p, destination, probe));
  const portMiss = portMatched ? undefined
    : `${probe.port}/${probe.protocol} is not among the rule's ports: ${rule.ports.map((p) => formatPortEntry(p, destination)).join(', ')}`;
  return { rule, peerMatched, portMatched, peerMisses: peerMatched ? [] : peerMisses, portMiss, distance: peerDistance * 2 + (portMatched ? 0 : 1) };
}

/**
 * One side of a connection: the egress of `subject` towards `peer` or the ingress of `subject`
 * from `peer`; `destination` is the endpoint named ports resolve on.
 * @param program the policies applying to `subject` in `direction`, when the caller has them
 *   (`MatrixEngine.program` of its class); else found by testing every policy
 * @internal
 */
export function judgeDirection(model: ClusterModel, direction: Direction, subject: EndpointModel, peer: EndpointModel, destination: EndpointModel,
  probe: ProbePort, program: SideProgram = sideProgram(policyLayers(model), direction, subject)): DirectionVerdict {
  const walk = walkSide(program, (rule) => ruleMatchesPeer(rule, peer), destination, PortSet.of(probe.protocol, probe.port), true);
  const decisions = walk.decisions.filter((d) => d.ports.has(probe.port, probe.protocol));
  const allowed = walk.allowed.has(probe.port, probe.protocol);
  const isolatingPolicies = program.byTier[TIERS.indexOf('NetworkPolicy')].filter(isolates);
  let nearestMiss: RuleVerdict | undefined;
  if (decisions[0]?.kind === 'isolated') {
    for (const policy of decisions[0].policies) {
      for (const rule of policy.rules) {
        const verdict = judgeRule(rule, peer, destination, probe);
        if (!nearestMiss || verdict.distance < nearestMiss.distance) nearestMiss = verdict;
      }
    }
  }
  return {
    direction,
    subject,
    program,
    isolatingPolicies,
    allowed,
    decisions,
    allowingRules: decisions.filter((d) => d.allowed && d.rule).map((d) => d.rule!),
    passedOver: walk.passed.filter((p) => p.ports.has(probe.port, probe.protocol)).map((p) => p.rule),
    nearestMiss,
    walk,
  };
}

/** Decides a probe from `from` to `to`. @internal */
export function judgeProbe(model: ClusterModel, from: EndpointModel, to: EndpointModel, probe: ProbePort): ProbeVerdict {
  const egress = judgeDirection(model, 'Egress', from, to, to, probe);
  const ingress = judgeDirection(model, 'Ingress', to, from, to, probe);
  const selfTraffic = from === to && !isExternal(from);
  return { from, to, probe, selfTraffic, egress, ingress, allowed: selfTraffic || (egress.allowed && ingress.allowed) };
}
