import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { DeclaredContainerPort, PodDeclaration, Reachability } from '../analyzer';
import { NetworkPolicyInvariants } from '../constructs/network-policy-invariants';
import { firstThisSynth, warnOncePerSynth } from '../constructs/once-per-synth';
import { PolicyRegistry } from '../constructs/policy-registry';
import { SUPPRESSION, SuppressionResult, applySuppressions, checkSuppression } from '../findings/apply-suppressions';
import { Finding, FindingSeverity } from '../findings/finding';
import { FINDING_OPTIONS, FindingOptions } from '../findings/finding-options';
import { analyzeFindings, selectRules } from '../findings/finding-rules';
import { FindingSuppression } from '../findings/finding-suppression';
import { atLeast, sortFindings } from '../findings/severity-order';
import { buildFlowGraph, renderMarkdownReport } from '../reports';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { A_PROTOCOL } from '../vocabulary/port';

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

  /**
   * Run the coverage findings (NP001-NP004: pods without isolation, namespaces without a default
   * deny) for every namespace the analysis sees, not only for those the app owns (its charts'
   * namespaces, those its constructs target, those `OwnedNamespaces` declares). Namespaces known only
   * as context (declared `pods`, Namespace objects, pods of other teams in the manifests) are then
   * covered too.
   * @default false
   */
  readonly coverUnownedNamespaces?: boolean;
}

const SEVERITY = Is.enumOf('FindingSeverity', FindingSeverity);
const CONTAINER_PORT: PropsSpec<DeclaredContainerPort> = { containerPort: required(Is.number('8080')), name: Is.string("'http'"), protocol: A_PROTOCOL };
const POD: PropsSpec<PodDeclaration> = {
  name: required(Is.string("'prometheus'")),
  namespace: Is.namespaceName(),
  labels: Is.labels("{ app: 'prometheus' }"),
  ports: Is.listOf(Is.struct(CONTAINER_PORT)),
  ips: Is.listOf(Is.string("'10.244.1.7'")),
};
const PROPS: PropsSpec<NetworkPolicyGuardrailsProps> = {
  ...FINDING_OPTIONS,
  failOn: SEVERITY,
  warnOn: SEVERITY,
  reportFile: Is.string("'netpol-report.md'"),
  suppressions: Is.listOf(Is.struct(SUPPRESSION)),
  pods: Is.listOf(Is.struct(POD)),
  coverUnownedNamespaces: Is.boolean(),
};

/**
 * Runs the NetworkPolicy guardrails over every chart of the app when it synthesizes: the findings
 * NP001-NP027 (pods no policy isolates, namespaces without a default deny, selectors that match
 * nothing, egress that blocks DNS, ignored rules, peers wider than they look, ipBlocks over the
 * cluster's ranges, ports some CNIs ignore, flows allowed at one side only, policy objects the
 * analyzer does not model, such as a Calico GlobalNetworkPolicy in a chart, cluster-tier rules
 * whose order surprises, admission webhooks the API server cannot reach, egress that keeps the
 * cloud metadata endpoint, and Cilium DNS names without the DNS rule they need). Findings at or above `failOn`
 * fail synth with the objects involved and the fix; those at or above `warnOn` are printed, each once
 * per synth. A finding the team accepts is suppressed with a recorded reason, which the report lists.
 * The coverage findings (NP001-NP004) are about the namespaces the app owns, unless
 * `coverUnownedNamespaces` is set.
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
   * The last analysis and what it was made of: cdk8s validates the app once per synth and again for
   * every chart it writes, and the manifests are the same each time.
   */
  private last?: { key: string; analysis: { reach: Reachability; result: SuppressionResult } };

  /**
   * @param scope the parent construct, usually a Chart (the guardrails analyze every chart of its app)
   * @param id the construct id
   * @param props thresholds, cluster facts, rules and the report file
   */
  public constructor(scope: Construct, id: string, props: NetworkPolicyGuardrailsProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
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

  /** The pods declared to the guardrails, which the app's invariants are checked with too. @internal */
  public get _pods(): PodDeclaration[] {
    return [...(this.props.pods ?? [])];
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

  /**
   * @param withinValidation called from this construct's validation: the invariants are not checked
   *   again in the charts' synthesis, since the validation under way checks them
   */
  private analyze(withinValidation = false): { reach: Reachability; result: SuppressionResult } {
    let objects: any[];
    this.analyzing = true;
    try {
      const synthesize = () => this.charts().flatMap((c) => c.toJson());
      objects = withinValidation ? NetworkPolicyInvariants._synthesizeWithin(this, synthesize) : synthesize();
    } finally {
      this.analyzing = false;
    }
    const coverage = this.props.coverUnownedNamespaces ? undefined : PolicyRegistry.of(this).ownedNamespaces(this);
    const key = JSON.stringify([objects, coverage && [...coverage].sort(), this.accepted.length]);
    if (this.last?.key !== key) {
      const reach = Reachability.fromManifests(objects);
      for (const pod of this.props.pods ?? []) reach.addPod(pod);
      const findings = sortFindings(analyzeFindings(reach._model, this.props, objects, coverage, reach._engine));
      this.last = { key, analysis: { reach, result: applySuppressions(findings, this.accepted) } };
    }
    return this.last.analysis;
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
      analysis = this.analyze(true);
    } catch (e: any) {
      return [`NetworkPolicyGuardrails cannot analyze the manifests: ${e?.message ?? e}`];
    }
    const { reach, result } = analysis;
    const failOn = this.props.failOn ?? FindingSeverity.ERROR;
    const warnOn = this.props.warnOn ?? FindingSeverity.WARNING;
    const failing = result.active.filter((f) => atLeast(f.severity, failOn));
    for (const f of result.active) {
      if (!atLeast(f.severity, failOn) && atLeast(f.severity, warnOn)) {
        warnOncePerSynth(this, `[${f.severity}] ${f.id} ${f.subject}: ${f.message}. Fix: ${f.fix}`);
      }
    }
    for (const s of result.unused) warnOncePerSynth(this, `[warning] NetworkPolicyGuardrails: suppression ${s.id} '${s.subject}' matches no finding; remove it?`);
    if (this.props.reportFile !== undefined) {
      const root = this.node.root;
      const outdir = root instanceof App ? root.outdir : 'dist';
      const file = path.join(outdir, this.props.reportFile);
      const text = this.render(reach, result);
      if (firstThisSynth(this, `report|${file}|${text}`)) {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, text);
      }
    }
    return failing.map((f) => `${f.id} ${f.rule} (${f.severity}): ${f.message}. Fix: ${f.fix} To accept it: suppress('${f.id}', '${f.subject}', 'why')`);
  }
}
