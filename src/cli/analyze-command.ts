import * as fs from 'fs';
import { Reachability } from '../analyzer';
import { FlowGraph, buildFlowGraph, renderDot, renderMarkdownReport, renderMermaid, renderSarif } from '../reports';
import { buildAnalysisReport } from './analysis-report';
import { ParsedArgs, UsageError, outputOption } from './cli-args';
import { failOnOption, findingOptions, suppressionsOption } from './finding-cli-options';
import { describeUnmodelled, noticeUnmodelled } from './input-notices';
import { readManifests } from './manifest-input';
import { packageVersion } from './package-version';
import { formatProof } from './proof-format';
import { formatReportText } from './report-format';
import { sarifLocations } from './sarif-locations';
import { InvariantsVerdict, allVerdicts, checkInvariantsFile } from '../analyzer/invariant-check';
import { readInvariantsFile } from '../analyzer/invariant-file';
import { applySuppressions } from '../findings/apply-suppressions';
import { FINDING_RULES, analyzeFindings } from '../findings/finding-rules';
import { atLeast, sortFindings } from '../findings/severity-order';
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
}

/** The analyze command's options. @internal */
export const ANALYZE_VALUE_OPTIONS = ['output', 'report', 'invariants'];

/** The analyze command's boolean flags. @internal */
export const ANALYZE_FLAGS = ['help', 'open-flows', 'strict', 'pods'];

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
  if (args.positional.length === 0) throw new UsageError('give at least one manifest file or directory');
  // Read once; the findings also need the objects (whether a policy wrote policyTypes, NP011).
  const objects = readManifests('analyze', args.positional, args, io);
  const reach = Reachability._fromLoaded(objects);
  noticeUnmodelled('analyze', args, io, reach.unmodelled);
  const { active, suppressed, unused } = applySuppressions(sortFindings(analyzeFindings(reach._model, options, objects)), suppressions);
  const invariantsFile = args.options.get('invariants');
  const file = invariantsFile === undefined ? undefined : readInvariantsFile(invariantsFile);
  const verdict: InvariantsVerdict | undefined = file && checkInvariantsFile(objects, file);
  const invariants = verdict ? allVerdicts(verdict) : undefined;
  const draw = { openFlows: args.flags.has('open-flows') };
  let graph: FlowGraph | undefined;
  const flowGraph = (): FlowGraph => (graph ??= buildFlowGraph(reach, { podLevel: args.flags.has('pods') }));
  const markdown = (): string => renderMarkdownReport({ graph: flowGraph(), findings: active, suppressed, suppressions, draw })
    + (invariants ? `\n${renderInvariantsMarkdown(invariants)}` : '');
  if (output === 'proof') {
    io.out(formatProof(verdict!, file!, buildAnalysisReport(reach, flowGraph()), reach));
  } else if (output === 'json') {
    const accepted = suppressed.map((s) => ({ ...s.finding, reason: s.suppression.reason }));
    const report = { ...buildAnalysisReport(reach, flowGraph()), findings: active, suppressed: accepted };
    io.out(`${JSON.stringify({ ...report, unmodelled: reach.unmodelled, ...(invariants ? { invariants } : {}) }, undefined, 2)}\n`);
  } else if (output === 'markdown') {
    io.out(markdown());
  } else if (output === 'mermaid') {
    io.out(renderMermaid(flowGraph(), draw) + (invariants ? renderInvariantsComment(invariants, '%% ') : ''));
  } else if (output === 'dot') {
    io.out(renderDot(flowGraph(), draw) + (invariants ? renderInvariantsComment(invariants, '// ') : ''));
  } else if (output === 'sarif') {
    io.out(renderSarif({
      ...sarifLocations(objects, args.positional),
      toolVersion: packageVersion(),
      rules: invariants ? [...FINDING_RULES, INVARIANT_RULE] : FINDING_RULES,
      findings: invariants ? [...active, ...invariantFindings(invariants)] : active,
      suppressed,
      notices: reach.unmodelled.map((u) => `The verdicts ignore ${describeUnmodelled(u)}`),
    }));
  } else {
    let text = formatReportText(buildAnalysisReport(reach, flowGraph()), active);
    if (suppressed.length) text += `Suppressed: ${suppressed.length}\n${suppressed.map((s) => `  ${s.finding.id} ${s.finding.subject}: ${s.suppression.reason}\n`).join('')}`;
    if (invariants) text += `\n${renderInvariantsText(invariants)}`;
    io.out(text);
  }
  for (const s of unused) io.err(`cdk8s-netpol analyze: suppression ${s.id} '${s.subject}' matches no finding; remove it?\n`);
  const report = args.options.get('report');
  if (report !== undefined) fs.writeFileSync(report, markdown());
  const violated = invariants?.some((r) => !r.held) ?? false;
  return violated || (failOn !== undefined && active.some((f) => atLeast(f.severity, failOn))) ? 1 : 0;
}
