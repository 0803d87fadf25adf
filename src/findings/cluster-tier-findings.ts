import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, objectWhere } from './finding-context';
import { BitSet } from '../analyzer/bitset';
import { Direction } from '../analyzer/cluster-model';
import { ClusterPolicyLayer, ClusterTierPolicy } from '../analyzer/cluster-policy-layer';
import { ClusterPolicyModel } from '../analyzer/cluster-policy-model';
import { selectorKey } from '../analyzer/label-matcher';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { policyLayers } from '../analyzer/policy-layers';
import { TIERS, TierRule } from '../analyzer/policy-tier';
import { PortSet } from '../analyzer/port-range-set';
import { rulePortSet } from '../analyzer/rule-ports';
import { isolates } from '../analyzer/verdict-walk';

/**
 * The cluster tiers (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) read as
 * the walk reads them: policies of a tier by ascending priority, rules in written order, the first
 * match decides. Three ways that order surprises: two policies with one priority that could match
 * one connection (the API leaves the order to the implementation), a rule that never decides
 * anything because earlier rules decide all it matches, and a Pass rule whose traffic no
 * NetworkPolicy picks up. Each works over the endpoint classes of the input (pods and external
 * nodes no policy tells apart), so what they say holds for the pods the manifests hold.
 */

const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

/** Every cluster policy of the model in one direction, with its tier. */
function clusterPolicies(context: FindingContext, direction: Direction): ClusterTierPolicy[] {
  return policyLayers(context.model).filter((l): l is ClusterPolicyLayer => l instanceof ClusterPolicyLayer)
    .flatMap((l) => [...l.policies(direction)]);
}

/** `ClusterNetworkPolicy 'tenants' (policies.yaml, document 2)`. */
function where(policy: ClusterPolicyModel): string {
  return objectWhere(policy.kind, policy.name, policy.source);
}

/** `spec.ingress[1] 'same-tenant' (Pass)`. */
function rulePath(rule: TierRule): string {
  const p = rule.provenance;
  return `spec.${p.direction.toLowerCase()}[${p.ruleIndex}]${p.ruleName !== undefined ? ` '${p.ruleName}'` : ''} (${p.action})`;
}

/** The endpoint named ports resolve on, for a subject class and a peer class. */
function destination(engine: MatrixEngine, direction: Direction, subject: number, peer: number) {
  return engine.representative(direction === 'Ingress' ? subject : peer);
}

/** The ports of `rule` for the subject and peer classes; empty when its peers miss the peer. */
function matchedPorts(engine: MatrixEngine, rule: TierRule, direction: Direction, subject: number, peer: number): PortSet {
  if (!engine.ruleClasses(rule).has(peer)) return PortSet.NONE;
  return rulePortSet(rule.ports, destination(engine, direction, subject, peer));
}

/** The pod classes a policy applies to. */
function subjects(engine: MatrixEngine, policy: ClusterTierPolicy): BitSet {
  return policy.subjectClasses(engine).clone().and(engine.podClasses);
}

/** The pods of some classes, as `namespace/name`, at most `limit` of them then a count. */
function podsOf(context: FindingContext, engine: MatrixEngine, classes: BitSet, limit = 5): string {
  const ids = context.model.pods.filter((_, i) => classes.has(engine.classOfPod[i])).map((p) => p.id);
  return ids.length <= limit ? ids.join(', ') : `${ids.slice(0, limit).join(', ')} and ${ids.length - limit} more`;
}

function samePriority(context: FindingContext): FindingDraft[] {
  const engine = context.engine();
  const policies = context.model.clusterPolicies;
  const out: FindingDraft[] = [];
  for (let a = 0; a < policies.length; a++) {
    for (let b = a + 1; b < policies.length; b++) {
      const [p, q] = [policies[a], policies[b]];
      if (p.tier !== q.tier || p.priority !== q.priority) continue;
      const overlap = DIRECTIONS.map((direction) => couldBothMatch(context, engine, direction, p, q)).find((o) => o !== undefined);
      if (overlap === undefined) continue;
      out.push({
        subject: p.name,
        objects: [`${p.kind} ${p.name}`, `${q.kind} ${q.name}`],
        message: `${where(p)} and ${where(q)} are both in the ${p.tier} tier with priority ${p.priority} and could both match ${overlap}: which one decides is up to the implementation (the API leaves it undefined), so the verdicts here, which take them in input order, may not be the cluster's`,
        fix: `Give ${p.kind} '${p.name}' and ${q.kind} '${q.name}' different priorities, the one that must win the lower value.`,
      });
    }
  }
  return out;
}

/**
 * What connection two policies of one priority could both match in a direction, as words; undefined
 * when none. Over the input's pods; without pods that both apply to, two policies with the same
 * subject selectors and rules in the direction could.
 */
function couldBothMatch(context: FindingContext, engine: MatrixEngine, direction: Direction,
  p: ClusterPolicyModel, q: ClusterPolicyModel): string | undefined {
  const tierPolicies = clusterPolicies(context, direction);
  const tp = tierPolicies.find((t) => t.policy === p);
  const tq = tierPolicies.find((t) => t.policy === q);
  if (!tp || !tq) return undefined;
  const both = subjects(engine, tp).and(subjects(engine, tq));
  const word = direction.toLowerCase();
  if (both.isEmpty()) {
    const sameSubject = selectorKey(p.subjectNamespaces) === selectorKey(q.subjectNamespaces)
      && (p.subjectPods === undefined) === (q.subjectPods === undefined)
      && (p.subjectPods === undefined || selectorKey(p.subjectPods) === selectorKey(q.subjectPods!));
    return sameSubject ? `the ${word} of the same subjects` : undefined;
  }
  let found: string | undefined;
  both.forEach((s) => {
    if (found !== undefined) return;
    for (let peer = 0; peer < engine.classCount && found === undefined; peer++) {
      const ports = (t: ClusterTierPolicy): PortSet => t.rules
        .reduce((set, rule) => set.union(matchedPorts(engine, rule, direction, s, peer)), PortSet.NONE);
      if (ports(tp).intersect(ports(tq)).isEmpty()) continue;
      const subject = engine.representative(s).id;
      const other = engine.representative(peer).id;
      found = direction === 'Ingress' ? `${word} to ${subject} from ${other}` : `${word} from ${subject} to ${other}`;
    }
  });
  return found;
}

function shadowed(context: FindingContext): FindingDraft[] {
  const engine = context.engine();
  const out: FindingDraft[] = [];
  for (const direction of DIRECTIONS) {
    const tierPolicies = clusterPolicies(context, direction);
    for (const policy of tierPolicies) {
      const subjectClasses = subjects(engine, policy);
      policy.rules.forEach((rule, r) => {
        const earlierOwn = policy.rules.slice(0, r);
        const before = new Set<TierRule>();
        let matchedSomething = false;
        let reached = false;
        subjectClasses.forEach((s) => {
          if (reached) return;
          // The policies of the tier the walk visits before this one for the subject: a lower
          // priority value (equal ones are NP022's).
          const program = engine.program(s, direction).byTier[TIERS.indexOf(policy.tier)];
          const earlier = [...program.filter((p) => p.priority < policy.priority).flatMap((p) => p.rules), ...earlierOwn];
          for (let peer = 0; peer < engine.classCount && !reached; peer++) {
            let left = matchedPorts(engine, rule, direction, s, peer);
            if (left.isEmpty()) continue;
            matchedSomething = true;
            for (const e of earlier) {
              const taken = matchedPorts(engine, e, direction, s, peer).intersect(left);
              if (taken.isEmpty()) continue;
              before.add(e);
              left = left.subtract(taken);
              if (left.isEmpty()) break;
            }
            if (!left.isEmpty()) reached = true;
          }
        });
        if (!matchedSomething || reached) return;
        const by = [...before].map((e) => (e.provenance.object === policy.object
          ? rulePath(e)
          : `${e.provenance.object} ${rulePath(e)}, priority ${tierPolicies.find((t) => t.rules.includes(e))!.priority}`));
        out.push({
          subject: policy.policy.name,
          objects: [policy.object, ...new Set([...before].map((e) => e.provenance.object).filter((o) => o !== policy.object))],
          message: `${where(policy.policy)}: ${rulePath(rule)} never decides anything: every connection it matches for the pods it applies to (${podsOf(context, engine, subjectClasses)}) is decided before it by ${by.join('; ')}`,
          fix: 'Delete the rule, or move it before the rules that take its traffic (a lower priority value for the policy, or an earlier place in its list) if it is meant to win.',
        });
      });
    }
  }
  return out;
}

function passToNothing(context: FindingContext): FindingDraft[] {
  const engine = context.engine();
  const out: FindingDraft[] = [];
  const networkPolicyTier = TIERS.indexOf('NetworkPolicy');
  for (const direction of DIRECTIONS) {
    const word = direction.toLowerCase();
    for (const policy of clusterPolicies(context, direction)) {
      policy.rules.forEach((rule) => {
        if (rule.action !== 'Pass') return;
        const passed = new BitSet(engine.classCount);
        subjects(engine, policy).forEach((s) => {
          for (let peer = 0; peer < engine.classCount; peer++) {
            if (!matchedPorts(engine, rule, direction, s, peer).isEmpty()) { passed.add(s); return; }
          }
        });
        if (passed.isEmpty()) return;
        if (policy.tier === 'Baseline') {
          out.push({
            subject: policy.policy.name,
            objects: [policy.object],
            message: `${where(policy.policy)}: ${rulePath(rule)} is in the Baseline tier, after every NetworkPolicy: what it passes goes to the default, which allows it`,
            fix: 'Write Accept (Allow in v1alpha1) if the traffic is meant to be allowed, or Deny; Pass in the Baseline tier only reads as "allow".',
          });
          return;
        }
        let picked = false;
        passed.forEach((s) => { picked ||= engine.program(s, direction).byTier[networkPolicyTier].some(isolates); });
        if (picked) return;
        const baseline = new Set<string>();
        passed.forEach((s) => engine.program(s, direction).byTier[TIERS.indexOf('Baseline')].forEach((p) => baseline.add(p.object)));
        const then = baseline.size > 0
          ? `the Baseline tier (${[...baseline].join(', ')}) decides it, and what it does not decide is allowed`
          : 'it is allowed';
        out.push({
          subject: policy.policy.name,
          objects: [policy.object, ...baseline],
          message: `${where(policy.policy)}: ${rulePath(rule)} passes ${word} of ${podsOf(context, engine, passed)} to the NetworkPolicy tier, but no NetworkPolicy isolates those pods for ${word}: ${then}`,
          fix: `Add the NetworkPolicies the Pass delegates to (a default deny for ${word} in the namespaces, then what each allows), or write Accept or Deny if the tier should decide.`,
        });
      });
    }
  }
  return out;
}

/** @internal */
export const CLUSTER_TIER_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP022',
    rule: 'cluster-policies-same-priority',
    severity: FindingSeverity.WARNING,
    summary: 'Two cluster policies (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy) in one tier with the same priority that could match the same connection: the API leaves which one decides to the implementation.',
    fix: 'Give the policies different priorities, the one that must win the lower value.',
    check: samePriority,
  },
  {
    id: 'NP023',
    rule: 'cluster-rule-shadowed',
    severity: FindingSeverity.WARNING,
    summary: 'A cluster policy rule that never decides anything: every connection it matches (for the pods of the input) is decided before it by an earlier rule of the policy or by a policy with a lower priority value.',
    fix: 'Delete the rule, or move it before the rules that take its traffic if it is meant to win.',
    check: shadowed,
  },
  {
    id: 'NP024',
    rule: 'pass-reaches-no-network-policy',
    severity: FindingSeverity.WARNING,
    summary: 'A Pass rule whose traffic no NetworkPolicy picks up: no NetworkPolicy isolates the pods it passes for that direction (or the rule is in the Baseline tier), so the Baseline tier or the default (allow) decides.',
    fix: 'Add the NetworkPolicies the Pass delegates to, or write Accept or Deny if the cluster tier should decide.',
    check: passToNothing,
  },
];
