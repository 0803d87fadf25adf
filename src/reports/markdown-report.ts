import { DrawOptions, FlowGraph } from './flow-graph';
import { renderMermaid } from './mermaid-diagram';
import { SuppressedFinding } from '../findings/apply-suppressions';
import { Finding } from '../findings/finding';
import { FindingSuppression } from '../findings/finding-suppression';

/**
 * The Markdown report a pull request shows: every pod's isolation, the allowed-flow matrix, a
 * Mermaid diagram, the findings and the suppressions with their reasons.
 */

/** What the Markdown report shows. @internal */
export interface MarkdownReportInput {
  readonly graph: FlowGraph;
  readonly findings: readonly Finding[];
  readonly suppressed?: readonly SuppressedFinding[];
  readonly suppressions?: readonly FindingSuppression[];
  /** @default 'NetworkPolicy report' */
  readonly title?: string;
  /** Include the Mermaid diagram. @default true */
  readonly diagram?: boolean;
  /** How to draw the diagram. */
  readonly draw?: DrawOptions;
  /**
   * Findings left out of `findings` (the CLI's `--max-findings`), said after the table.
   * @default 0
   */
  readonly omittedFindings?: number;
}

/** Beyond this many pods the matrix becomes a list of flows. */
const MATRIX_LIMIT = 30;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function isolation(isolated: boolean, policies: string[], clusterPolicies: string[]): string {
  const tiers = clusterPolicies.length ? `cluster tiers: ${clusterPolicies.join(', ')}` : '';
  if (isolated) return `isolated (${policies.join(', ')})${tiers ? `; ${tiers}` : ''}`;
  return tiers ? `not isolated; ${tiers}` : '**open**';
}

/** Renders the report. @internal */
export function renderMarkdownReport(input: MarkdownReportInput): string {
  const { graph } = input;
  const lines: string[] = [`# ${input.title ?? 'NetworkPolicy report'}`, ''];
  const counts = ['error', 'warning', 'info'].map((s) => `${input.findings.filter((f) => f.severity === s).length} ${s}${s === 'info' ? '' : 's'}`);
  const podEdges = graph.edges.filter((e) => !e.external);
  const externalEdges = graph.edges.filter((e) => e.external);
  lines.push(`${graph.nodes.length} pods, ${podEdges.length} allowed flows between different pods, ${externalEdges.length} with addresses outside the cluster, findings: ${counts.join(', ')}${input.suppressed?.length ? ` (${input.suppressed.length} suppressed)` : ''}.`, '');

  lines.push('## Isolation', '', '| Pod | Kind | Ingress | Egress |', '| --- | --- | --- | --- |');
  for (const n of graph.nodes) lines.push(`| ${cell(n.id)} | ${n.kind} | ${cell(isolation(n.ingressIsolated, n.ingressPolicies, n.ingressClusterPolicies))} | ${cell(isolation(n.egressIsolated, n.egressPolicies, n.egressClusterPolicies))} |`);

  lines.push('', '## Allowed flows', '');
  if (podEdges.length === 0) {
    lines.push('No flows between different pods.');
  } else if (graph.nodes.length <= MATRIX_LIMIT) {
    lines.push('Rows: from; columns: to. A pod always reaches itself.', '');
    lines.push(`| from \\ to | ${graph.nodes.map((n) => cell(n.id)).join(' | ')} |`, `| --- |${graph.nodes.map(() => ' --- |').join('')}`);
    for (const from of graph.nodes) {
      const cells = graph.nodes.map((to) => (from === to ? '·' : cell(podEdges.find((e) => e.from === from.id && e.to === to.id)?.label ?? '—')));
      lines.push(`| **${cell(from.id)}** | ${cells.join(' | ')} |`);
    }
  } else {
    lines.push('| From | To | Ports |', '| --- | --- | --- |');
    for (const e of podEdges) lines.push(`| ${cell(e.from)} | ${cell(e.to)} | ${cell(e.label)} |`);
  }
  lines.push('', '## Flows with addresses outside the cluster', '');
  if (externalEdges.length === 0) {
    lines.push('None.');
  } else {
    lines.push(`External nodes: ${graph.externals.map((e) => `\`${e}\``).join(', ')}.`, '');
    lines.push('| From | To | Ports |', '| --- | --- | --- |');
    for (const e of externalEdges) lines.push(`| ${cell(e.from)} | ${cell(e.to)} | ${cell(e.label)} |`);
  }
  if (input.diagram ?? true) lines.push('', '```mermaid', renderMermaid(graph, input.draw).trimEnd(), '```');

  lines.push('', '## Findings', '');
  if (input.findings.length === 0) {
    lines.push('None.');
  } else {
    lines.push('| Severity | Id | Subject | Finding | Fix |', '| --- | --- | --- | --- | --- |');
    for (const f of input.findings) lines.push(`| ${f.severity} | ${f.id} | ${cell(f.subject)} | ${cell(f.message)} | ${cell(f.fix)} |`);
  }
  if (input.omittedFindings) lines.push('', `${input.omittedFindings} more findings omitted by --max-findings.`);

  const suppressions = input.suppressions ?? [];
  if (suppressions.length > 0) {
    lines.push('', '## Suppressions', '', '| Id | Subject | Reason | Findings suppressed |', '| --- | --- | --- | --- |');
    for (const s of suppressions) {
      const matched = (input.suppressed ?? []).filter((x) => x.suppression === s).length;
      lines.push(`| ${s.id} | ${cell(s.subject)} | ${cell(s.reason)} | ${matched}${matched === 0 ? ' (matches nothing; remove it?)' : ''} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
