import * as fs from 'fs';
import { Reachability } from '../analyzer';
import { FlowGraph, buildFlowGraph, renderDot, renderMarkdownReport, renderMermaid, renderSarif } from '../reports';
import { buildAnalysisReport, streamAnalysisReport } from './analysis-report';
import { ParsedArgs, UsageError, outputOption } from './cli-args';
import { failOnOption, findingOptions, suppressionsOption } from './finding-cli-options';
import { describeUnmodelled, noticeUnmodelled } from './input-notices';
import { readManifests } from './manifest-input';
import { packageVersion } from './package-version';
import { Progress } from './progress';
import { formatProof } from './proof-format';
import { writeReportText } from './report-format';
import { sarifLocations } from './sarif-locations';
import { ChunkedWriter, writeJsonObject } from './streamed-output';
import { InvariantsVerdict, allVerdicts, checkInvariantsFile } from '../analyzer/invariant-check';
import { readInvariantsFile } from '../analyzer/invariant-file';
import { applySuppressions } from '../findings/apply-suppressions';
import { FINDING_RULES, analyzeFindings } from '../findings/finding-rules';
import { atLeast, sortFindings } from '../findings/severity-order';
import { buildFlowNodes } from '../reports/flow-graph';
import { INVARIANT_RULE, invariantFindings, renderInvariantsComment, renderInvariantsMarkdown, renderInvariantsText } from '../reports/invariant-report';

/**
 * `cdk8s-netpol analyze`: every pod's isolation, the allowed flows and the guardrails' findings,
 * as text, JSON, Markdown, a Mermaid flowchart, a DOT graph or SARIF, and with `--invariants FILE`
 * the verdict on each invariant of the file (`--output proof`: what the file declares and each
 * verdict, then the flows); exit code 1 when a finding at or above `--fail-on` remains after
 * suppressions or an invariant is violated.
 */

/** Where a command writes. @internal */
export interface CommandIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Reads standard input, for the path `-`. @default - the process's standard input */
  readonly stdin?: () => string;
  /** Whether stderr is a terminal (progress is then shown by default). @default false */
  readonly errIsTty?: boolean;
}

/** The analyze command's options. @internal */
export const ANALYZE_VALUE_OPTIONS = ['output', 'report', 'invariants', 'max-findings'];

/** The analyze command's boolean flags. @internal */
export const ANALYZE_FLAGS = ['help', 'open-flows', 'strict', 'pods', 'progress'];

/** Reads `--max-findings N`: how many findings to write at most. @internal */
export function maxFindingsOption(args: ParsedArgs): number | undefined {
  const text = args.options.get('max-findings');
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--max-findings '${text}' must be a whole number, e.g. --max-findings 100`);
  return Number(text);
}

/**
 * Runs `analyze` on parsed arguments.
 * @returns the exit code
 * @internal
 */
export function runAnalyze(args: ParsedArgs, io: CommandIo): number {
  const output = outputOption(args, ['text', 'json', 'markdown', 'mermaid', 'dot', 'sarif', 'proof']);
  if (output === 'proof' && !args.options.has('invariants')) throw new UsageError('--output proof needs --invariants FILE: the proof is of what the file declares');
  const options = findingOptions(args);
  const failOn = failOnOption(args);
  const suppressions = suppressionsOption(args);
  const maxFindings = maxFindingsOption(args);
  if (args.positional.length === 0) throw new UsageError('give at least one manifest file or directory');
  const progress = Progress.of('analyze', args, io);
  progress.phase('reading manifests');
  // Read once; the findings also need the objects (whether a policy wrote policyTypes, NP011).
  const objects = readManifests('analyze', args.positional, args, io);
  progress.phase(`building the model of ${objects.length.toLocaleString('en-US')} objects`);
  const reach = Reachability._fromLoaded(objects);
  noticeUnmodelled('analyze', args, io, reach.unmodelled);
  const engine = reach._engine;
  progress.phase('findings');
  const findings = sortFindings(analyzeFindings(reach._model, options, objects, undefined, engine));
  const { active, suppressed, unused } = applySuppressions(findings, suppressions);
  const shown = maxFindings === undefined ? active : active.slice(0, maxFindings);
  const omitted = active.length - shown.length;
  const invariantsFile = args.options.get('invariants');
  const file = invariantsFile === undefined ? undefined : readInvariantsFile(invariantsFile);
  if (file) progress.phase('invariants');
  const verdict: InvariantsVerdict | undefined = file && checkInvariantsFile(objects, file);
  const invariants = verdict ? allVerdicts(verdict) : undefined;
  const draw = { openFlows: args.flags.has('open-flows') };
  const rowOptions = { podLevel: args.flags.has('pods') };
  let graph: FlowGraph | undefined;
  const flowGraph = (): FlowGraph => {
    progress.phase('flows');
    return (graph ??= buildFlowGraph(reach, rowOptions));
  };
  const streamed = () => {
    const nodes = buildFlowNodes(reach, rowOptions);
    progress.phase('flows', nodes.rows.length * 3, 'rows');
    return streamAnalysisReport(reach, nodes, (done) => progress.tick(done));
  };
  const markdown = (): string => renderMarkdownReport({
    graph: flowGraph(), findings: shown, suppressed, suppressions, draw, omittedFindings: omitted,
  })
    + (invariants ? `\n${renderInvariantsMarkdown(invariants)}` : '');
  if (output === 'proof') {
    io.out(formatProof(verdict!, file!, buildAnalysisReport(reach, flowGraph()), reach));
  } else if (output === 'json') {
    const report = streamed();
    writeJsonObject(io.out, [
      ['pods', report.pods], ['policies', report.policies], ['externals', report.externals], ['flows', report.flows],
      ['findings', shown],
      ['findingsOmitted', maxFindings === undefined ? undefined : omitted],
      ['suppressed', suppressed.map((s) => ({ ...s.finding, reason: s.suppression.reason }))],
      ['unmodelled', reach.unmodelled],
      ['invariants', invariants],
    ]);
  } else if (output === 'markdown') {
    io.out(markdown());
  } else if (output === 'mermaid') {
    io.out(renderMermaid(flowGraph(), draw) + (invariants ? renderInvariantsComment(invariants, '%% ') : ''));
  } else if (output === 'dot') {
    io.out(renderDot(flowGraph(), draw) + (invariants ? renderInvariantsComment(invariants, '// ') : ''));
  } else if (output === 'sarif') {
    const omittedNotice = omitted > 0 ? [`${omitted} of ${active.length} findings omitted by --max-findings ${maxFindings}`] : [];
    io.out(renderSarif({
      ...sarifLocations(objects, args.positional),
      toolVersion: packageVersion(),
      rules: invariants ? [...FINDING_RULES, INVARIANT_RULE] : FINDING_RULES,
      findings: invariants ? [...shown, ...invariantFindings(invariants)] : shown,
      suppressed,
      notices: [...reach.unmodelled.map((u) => `The verdicts ignore ${describeUnmodelled(u)}`), ...omittedNotice],
    }));
  } else {
    const w = new ChunkedWriter(io.out);
    writeReportText(w, streamed(), shown, omitted);
    if (suppressed.length) {
      w.line(`Suppressed: ${suppressed.length}`);
      for (const s of suppressed) w.line(`  ${s.finding.id} ${s.finding.subject}: ${s.suppression.reason}`);
    }
    if (invariants) w.write(`\n${renderInvariantsText(invariants)}`);
    w.flush();
  }
  progress.done();
  for (const s of unused) io.err(`cdk8s-netpol analyze: suppression ${s.id} '${s.subject}' matches no finding; remove it?\n`);
  const report = args.options.get('report');
  if (report !== undefined) fs.writeFileSync(report, markdown());
  const violated = invariants?.some((r) => !r.held) ?? false;
  return violated || (failOn !== undefined && active.some((f) => atLeast(f.severity, failOn))) ? 1 : 0;
}
