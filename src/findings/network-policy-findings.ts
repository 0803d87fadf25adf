import { App, Chart } from 'cdk8s';
import { Finding, FindingRuleInfo } from './finding';
import { FINDING_OPTIONS, FindingOptions } from './finding-options';
import { FINDING_RULES, analyzeFindings } from './finding-rules';
import { sortFindings } from './severity-order';
import { ClusterModel, LoadedObject } from '../analyzer/cluster-model';
import { checkObjects } from '../analyzer/manifest-loader';
import { checkProps } from '../vocabulary/input-checks';

/**
 * The guardrails' findings for a set of Kubernetes objects: pods no policy isolates, namespaces
 * without a default deny, selectors that match nothing, egress that blocks DNS, ignored rules,
 * peers wider than they look, ipBlocks over the cluster's ranges, ports some CNIs ignore, flows
 * allowed at one side only, policy objects the analyzer does not model (NP021), and cluster-tier
 * policies whose order surprises: equal priorities, rules that never decide, Pass rules no
 * NetworkPolicy picks up (NP022-NP024), admission webhooks the API server cannot reach (NP025),
 * egress that keeps the cloud metadata endpoint (NP026) and Cilium DNS names without the DNS rule
 * they need (NP027). See `NetworkPolicyFindings.rules()` for the full list.
 *
 * @example
 * const findings = NetworkPolicyFindings.ofChart(chart, { podCidrs: ['10.244.0.0/16'] });
 * for (const f of findings) console.log(`${f.id} ${f.severity} ${f.message}`);
 */
export class NetworkPolicyFindings {
  /**
   * Every finding rule: id, name, severity, what it checks and the fix.
   */
  public static rules(): FindingRuleInfo[] {
    return FINDING_RULES.map(({ id, rule, severity, summary, fix }) => ({ id, rule, severity, summary, fix }));
  }

  /**
   * Findings for Kubernetes objects (parsed YAML or JSON).
   * @param objects Namespaces, Pods, workloads and policies (NetworkPolicy, the cluster tiers,
   *   Cilium), plus Services and Validating/MutatingWebhookConfigurations for NP025; policy kinds
   *   the analyzer does not model are reported (NP021), other kinds are ignored
   * @param options cluster facts and the rules to run
   */
  public static ofManifests(objects: any[], options?: FindingOptions): Finding[] {
    checkProps('NetworkPolicyFindings', options, FINDING_OPTIONS, 'options');
    const loaded: LoadedObject[] = objects.map((object, item) => ({ object, item }));
    checkObjects(loaded);
    return sortFindings(analyzeFindings(ClusterModel.fromObjects(loaded), options, objects));
  }

  /**
   * Findings for what a chart synthesizes.
   * @param chart the chart
   * @param options cluster facts and the rules to run
   */
  public static ofChart(chart: Chart, options?: FindingOptions): Finding[] {
    return NetworkPolicyFindings.ofManifests(chart.toJson(), options);
  }

  /**
   * Findings for what every chart of an app synthesizes.
   * @param app the app
   * @param options cluster facts and the rules to run
   */
  public static ofApp(app: App, options?: FindingOptions): Finding[] {
    return NetworkPolicyFindings.ofManifests(app.charts.flatMap((c) => c.toJson()), options);
  }

  private constructor() {}
}
