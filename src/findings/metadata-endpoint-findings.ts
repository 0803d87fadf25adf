import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition } from './finding-context';
import { judgeDirection } from '../analyzer/evaluator';
import { ruleName, ruleReference } from '../analyzer/explanation';
import { ExternalModel, externalHoldsIp } from '../analyzer/external-nodes';
import { externalNodes, policyLayers } from '../analyzer/policy-layers';
import { TIER_SEMANTICS, TierRule } from '../analyzer/policy-tier';
import { rulePortSet } from '../analyzer/rule-ports';
import { SideProgram, ruleMatchesPeer } from '../analyzer/verdict-walk';
import { cidrContainsIp, parseCidr, parseIp } from '../vocabulary/k8s-rules';

/**
 * Egress to a wide range (`0.0.0.0/0`, a Cilium `world` entity, a rule without peers) that does not
 * except the cloud instance metadata endpoint `169.254.169.254`: on AWS, GCP and Azure any pod
 * allowed there reads the node's instance credentials on port 80. A rule for link-local
 * addresses only (`169.254.169.254/32`, `169.254.0.0/16`) names it on purpose and is not
 * reported; nor is a rule whose pods are all denied it anyway (an Admin-tier Deny, an earlier rule
 * of the same cluster policy).
 */

const METADATA_IP = '169.254.169.254';
const METADATA_PORT = { port: 80, protocol: 'TCP' };
const LINK_LOCAL = parseCidr('169.254.0.0/16') as Exclude<ReturnType<typeof parseCidr>, string>;

/** Whether a rule matches the metadata endpoint on its port, whatever its action. */
function decidesMetadata(rule: TierRule, metadata: ExternalModel): boolean {
  return ruleMatchesPeer(rule, metadata) && rulePortSet(rule.ports, metadata).has(METADATA_PORT.port, METADATA_PORT.protocol);
}

/** Whether a rule allows the metadata endpoint on its port. */
function reachesMetadata(rule: TierRule, metadata: ExternalModel): boolean {
  return rule.action === 'Allow' && decidesMetadata(rule, metadata);
}

/** Whether a rule's peers also match addresses outside the link-local range: the metadata endpoint is part of a wider range. */
function wide(rule: TierRule, outside: readonly ExternalModel[]): boolean {
  return outside.some((node) => ruleMatchesPeer(rule, node));
}

function metadataReachable(context: FindingContext): FindingDraft[] {
  const { model } = context;
  const ip = parseIp(METADATA_IP)!;
  const nodes = externalNodes(model).filter((n) => !n.named && n.family === 4);
  const metadata = nodes.find((n) => externalHoldsIp(n, ip.family, ip.value));
  if (!metadata) return [];
  const outside = nodes.filter((n) => !cidrContainsIp(LINK_LOCAL, n.family, n.sample));
  const engine = context.engine();
  // Whether the pods of a class may reach the endpoint depends on the policies applying to them.
  const allowedMemo = new Map<SideProgram, boolean>();
  const allowedFor = (classIndex: number): boolean => {
    const program = engine.program(classIndex, 'Egress');
    let allowed = allowedMemo.get(program);
    if (allowed === undefined) {
      const pod = context.podsOfClass(classIndex)[0];
      allowed = judgeDirection(model, 'Egress', pod, metadata, metadata, METADATA_PORT, program).allowed;
      allowedMemo.set(program, allowed);
    }
    return allowed;
  };
  const out: FindingDraft[] = [];
  for (const layer of policyLayers(model)) {
    for (const policy of layer.policies('Egress')) {
      const classes = policy.subjectClasses(engine).clone().and(engine.podClasses);
      // The policy's pods are all denied the endpoint: nothing to report for any of its rules.
      let someAllowed = false;
      classes.forEach((c) => { someAllowed ||= allowedFor(c); });
      if (!classes.isEmpty() && !someAllowed) continue;
      policy.rules.forEach((rule, r) => {
        if (!reachesMetadata(rule, metadata) || !wide(rule, outside)) return;
        // In a first-match tier an earlier rule of the policy that decides the endpoint comes first.
        if (TIER_SEMANTICS[policy.tier] === 'first-match' && policy.rules.slice(0, r).some((e) => decidesMetadata(e, metadata))) return;
        const reference = ruleReference(rule);
        // Listed only for a finding: a class of pods holds at least one.
        const pods = context.podsOfClasses(classes);
        out.push({
          subject: reference.policy,
          objects: [reference.object],
          message: `${ruleName(reference)} allows egress to a range that holds ${METADATA_IP} (the cloud instance metadata endpoint, ${metadata.id} here) on ${METADATA_PORT.port}/${METADATA_PORT.protocol} without excepting it, so ${pods.length > 0 ? pods.map((p) => p.id).join(', ') : 'the pods it selects'} can read the node's instance credentials`,
        });
      });
    }
  }
  return out;
}

/** @internal */
export const METADATA_ENDPOINT_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP026',
    rule: 'egress-reaches-metadata-endpoint',
    severity: FindingSeverity.WARNING,
    summary: 'An egress rule to a wide range (0.0.0.0/0, a Cilium world entity, no peers) that does not except the cloud metadata endpoint 169.254.169.254, for pods no other rule denies it: they can read the node\'s instance credentials.',
    fix: 'Except 169.254.169.254/32 from the range (ipBlock.except; toCIDRSet except on Cilium; Peer.anyPublicIpv4() leaves out link-local addresses), or deny it cluster-wide with an Admin-tier rule.',
    check: metadataReachable,
  },
];
