import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { PodDeclaration, Reachability } from '../analyzer';
import { SuppressionResult, applySuppressions, checkSuppression } from '../findings/apply-suppressions';
import { Finding, FindingSeverity } from '../findings/finding';
import { FindingOptions } from '../findings/finding-options';
import { analyzeFindings, selectRules } from '../findings/finding-rules';
import { FindingSuppression } from '../findings/finding-suppression';
import { atLeast, sortFindings } from '../findings/severity-order';
import { buildFlowGraph, renderMarkdownReport } from '../reports';

/**
 * Properties of {@link NetworkPolicyGuardrails}.
 *
 * @example
 * { failOn: FindingSeverity.ERROR, podCidrs: ['10.244.0.0/16'], reportFile: 'netpol-report.md' }
 */
export interface NetworkPolicyGuardrailsProps extends FindingOptions {
  /**
   * Findings at or above this severity fail `cdk8s synth`.
   * @default FindingSeverity.ERROR
   */
  readonly failOn?: FindingSeverity;

  /**
   * Findings at or above this severity (and below `failOn`) are printed to stderr at synth.
   * @default FindingSeverity.WARNING
   */
  readonly warnOn?: FindingSeverity;

  /**
   * Write the Markdown report (isolation, allowed-flow matrix, diagram, findings, suppressions)
   * to this file, relative to the app's output directory, at every synth, so that a pull request
   * shows the change in what is allowed.
   * @default - no report file
   */
  readonly reportFile?: string;

  /**
   * Findings to accept, each with its reason.
   * @default - none; add more with `suppress()`
   */
  readonly suppressions?: FindingSuppression[];

  /**
   * Pods the manifests do not hold that the analysis should know (an ingress controller, a
   * monitoring agent, clients deployed by other tools).
   * @default - none
   */
  readonly pods?: PodDeclaration[];
}

/**
 * Runs the NetworkPolicy guardrails over every chart of the app when it synthesizes: the findings
 * NP001-NP021 (pods no policy isolates, namespaces without a default deny, selectors that match
 * nothing, egress that blocks DNS, ignored rules, peers wider than they look, ipBlocks over the
 * cluster's ranges, ports some CNIs ignore, flows allowed at one side only, policy objects the
 * analyzer does not model, such as a CiliumNetworkPolicy in a chart). Findings at or above `failOn`
 * fail synth with the objects involved and the fix; those at or above `warnOn` are printed. A finding the team accepts is suppressed with a recorded reason, which the report lists.
 *
 * @example
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 * new ThreeTierApp(chart, 'app', {
 *   frontend: Workload.fromLabels({ tier: 'frontend' }),
 *   backend: Workload.fromLabels({ tier: 'backend' }),
 *   database: Workload.fromLabels({ tier: 'database' }),
 * });
 * const guardrails = new NetworkPolicyGuardrails(chart, 'guardrails', {
 *   failOn: FindingSeverity.WARNING,
 *   podCidrs: ['10.244.0.0/16'],
 *   reportFile: 'netpol-report.md',
 * });
 * guardrails.suppress('NP003', 'shop', 'ThreeTierApp isolates every workload; nothing else runs here');
 * app.synth(); // fails on warnings and errors; writes dist/netpol-report.md
 */
export class NetworkPolicyGuardrails extends Construct {
  private readonly props: NetworkPolicyGuardrailsProps;
  private readonly accepted: FindingSuppression[] = [];
  /** Set while the charts synthesize for the analysis: `chart.toJson()` validates the app again. */
  private analyzing = false;

  /**
   * @param scope the parent construct, usually a Chart (the guardrails analyze every chart of its app)
   * @param id the construct id
   * @param props thresholds, cluster facts, rules and the report file
   */
  public constructor(scope: Construct, id: string, props: NetworkPolicyGuardrailsProps = {}) {
    super(scope, id);
    this.props = props;
    // Fail early on unknown rules and bad CIDRs, at the line that configured them.
    selectRules(props);
    analyzeFindings(Reachability.fromManifests([])._model, props);
    for (const s of props.suppressions ?? []) this.suppress(s.id, s.subject, s.reason);
    this.node.addValidation({ validate: () => this.validateApp() });
  }

  /**
   * Accepts a finding: it no longer fails synth, and the report lists it with the reason.
   * @param id the rule's id (`NP003`) or name
   * @param subject the finding's subject: a pod or policy (`namespace/name`), a namespace
   *   (`name`), a pair of pods (`ns/a->ns/b`), or `*` for every subject of the rule
   * @param reason why it is accepted
   * @returns this, for chaining
   */
  public suppress(id: string, subject: string, reason: string): NetworkPolicyGuardrails {
    const suppression = { id, subject, reason };
    checkSuppression(`NetworkPolicyGuardrails '${this.node.path}'`, suppression);
    this.accepted.push(suppression);
    return this;
  }

  /** The suppressions, in the order they were added. */
  public get suppressions(): FindingSuppression[] {
    return [...this.accepted];
  }

  /** The findings that remain after suppressions, most severe first. Synthesizes the charts. */
  public findings(): Finding[] {
    return this.analyze().result.active;
  }

  /** The Markdown report. Synthesizes the charts. */
  public report(): string {
    const { reach, result } = this.analyze();
    return this.render(reach, result);
  }

  private render(reach: Reachability, result: SuppressionResult): string {
    const { active, suppressed } = result;
    return renderMarkdownReport({ graph: buildFlowGraph(reach), findings: active, suppressed, suppressions: this.accepted });
  }

  private analyze(): { reach: Reachability; result: SuppressionResult } {
    let objects: any[];
    this.analyzing = true;
    try {
      objects = this.charts().flatMap((c) => c.toJson());
    } finally {
      this.analyzing = false;
    }
    const reach = Reachability.fromManifests(objects);
    for (const pod of this.props.pods ?? []) reach.addPod(pod);
    const findings = sortFindings(analyzeFindings(reach._model, this.props, objects));
    return { reach, result: applySuppressions(findings, this.accepted) };
  }

  private charts(): Chart[] {
    const root = this.node.root;
    if (root instanceof App) return root.charts;
    return root.node.findAll().filter((c): c is Chart => c instanceof Chart);
  }

  private validateApp(): string[] {
    if (this.analyzing) return [];
    let analysis: { reach: Reachability; result: SuppressionResult };
    try {
      analysis = this.analyze();
    } catch (e: any) {
      return [`NetworkPolicyGuardrails cannot analyze the manifests: ${e?.message ?? e}`];
    }
    const { reach, result } = analysis;
    const failOn = this.props.failOn ?? FindingSeverity.ERROR;
    const warnOn = this.props.warnOn ?? FindingSeverity.WARNING;
    const failing = result.active.filter((f) => atLeast(f.severity, failOn));
    for (const f of result.active) {
      if (!atLeast(f.severity, failOn) && atLeast(f.severity, warnOn)) {
        process.stderr.write(`[${f.severity}] ${f.id} ${f.subject}: ${f.message}. Fix: ${f.fix}\n`);
      }
    }
    for (const s of result.unused) process.stderr.write(`[warning] NetworkPolicyGuardrails: suppression ${s.id} '${s.subject}' matches no finding; remove it?\n`);
    if (this.props.reportFile !== undefined) {
      const root = this.node.root;
      const outdir = root instanceof App ? root.outdir : 'dist';
      const file = path.join(outdir, this.props.reportFile);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, this.render(reach, result));
    }
    return failing.map((f) => `${f.id} ${f.rule} (${f.severity}): ${f.message}. Fix: ${f.fix} To accept it: suppress('${f.id}', '${f.subject}', 'why')`);
  }
}
