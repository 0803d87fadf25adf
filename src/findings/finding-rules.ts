import { ASYMMETRY_RULES } from './asymmetry-findings';
import { CLUSTER_TIER_RULES } from './cluster-tier-findings';
import { COVERAGE_RULES } from './coverage-findings';
import { DEFAULT_DENY_RULES } from './default-deny-findings';
import { DNS_RULES } from './dns-findings';
import { Finding } from './finding';
import { FindingRuleDefinition, buildFindingContext, toFindings } from './finding-context';
import { FindingOptions } from './finding-options';
import { FQDN_RULES } from './fqdn-findings';
import { IP_BLOCK_RULES } from './ip-block-findings';
import { METADATA_ENDPOINT_RULES } from './metadata-endpoint-findings';
import { PEER_RULES } from './peer-findings';
import { POLICY_TYPE_RULES } from './policy-type-findings';
import { PORT_RULES } from './port-findings';
import { SELECTOR_RULES } from './selector-findings';
import { UNMODELLED_RULES } from './unmodelled-findings';
import { WEBHOOK_RULES } from './webhook-findings';
import { ClusterModel } from '../analyzer/cluster-model';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { invalid, show } from '../vocabulary/errors';

/** Every finding rule, in id order. @internal */
export const FINDING_RULES: readonly FindingRuleDefinition[] = [
  ...COVERAGE_RULES,
  ...DEFAULT_DENY_RULES,
  ...SELECTOR_RULES,
  ...DNS_RULES,
  ...POLICY_TYPE_RULES,
  ...PEER_RULES,
  ...IP_BLOCK_RULES,
  ...PORT_RULES,
  ...ASYMMETRY_RULES,
  ...UNMODELLED_RULES,
  ...CLUSTER_TIER_RULES,
  ...WEBHOOK_RULES,
  ...METADATA_ENDPOINT_RULES,
  ...FQDN_RULES,
];

/** The rule with this id or name, if any. @internal */
export function findRule(key: string): FindingRuleDefinition | undefined {
  const k = key.trim();
  return FINDING_RULES.find((r) => r.id.toUpperCase() === k.toUpperCase() || r.rule === k);
}

function resolveRules(where: string, keys: readonly string[]): FindingRuleDefinition[] {
  return keys.map((key) => {
    const rule = findRule(key);
    if (!rule) throw invalid(where, `no finding rule ${show(key)}`, `Use a rule's id or name: ${FINDING_RULES.map((r) => `${r.id} (${r.rule})`).join(', ')}`);
    return rule;
  });
}

/** The rules the options select. Throws an Error naming an unknown rule. @internal */
export function selectRules(options: FindingOptions): FindingRuleDefinition[] {
  const chosen = options.rules ? resolveRules('FindingOptions.rules', options.rules) : [...FINDING_RULES];
  const skipped = resolveRules('FindingOptions.skipRules', options.skipRules ?? []);
  return FINDING_RULES.filter((r) => chosen.includes(r) && !skipped.includes(r));
}

/**
 * Runs the selected rules over the analyzer's model.
 * @param model the analyzer's model of the cluster
 * @param options cluster facts and the rules to run
 * @param objects the Kubernetes objects the model was read from (plain, or as loaded with their
 *   source); without them, rules that need what the manifest wrote (NP011) find nothing
 * @param coverage the namespaces the coverage rules (NP001-NP004) report on; every namespace when
 *   undefined
 * @param engine the classes of `model` when the caller has them already (`Reachability._engine`)
 * @internal
 */
export function analyzeFindings(
  model: ClusterModel, options: FindingOptions = {}, objects?: readonly any[], coverage?: ReadonlySet<string>, engine?: MatrixEngine,
): Finding[] {
  const rules = selectRules(options);
  const context = buildFindingContext(model, options, objects, coverage, engine);
  return rules.flatMap((rule) => toFindings(rule, rule.check(context)));
}
