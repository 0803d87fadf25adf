import { AnalysisReport } from './analysis-report';

/** Renders the analysis report as readable text. @internal */
export function formatReportText(report: AnalysisReport): string {
  const lines: string[] = [];
  lines.push(`Pods: ${report.pods.length}, NetworkPolicies: ${report.policies.length}`, '', 'Isolation:');
  for (const p of report.pods) {
    lines.push(`  ${p.pod}`);
    lines.push(`    ingress: ${p.ingressIsolated ? `isolated by ${p.ingressPolicies.join(', ')}` : 'NOT isolated (all ingress allowed)'}`);
    lines.push(`    egress:  ${p.egressIsolated ? `isolated by ${p.egressPolicies.join(', ')}` : 'NOT isolated (all egress allowed)'}`);
  }
  lines.push('', `Allowed flows between different pods: ${report.flows.length}`);
  for (const f of report.flows) lines.push(`  ${f.from} -> ${f.to}: ${f.unrestricted ? 'every port (unrestricted)' : f.summary}`);
  lines.push('', `Findings: ${report.findings.length}`);
  for (const f of report.findings) lines.push(`  [${f.severity}] ${f.code}: ${f.message}`);
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Renders the analysis report as Markdown. @internal */
export function formatReportMarkdown(report: AnalysisReport): string {
  const lines: string[] = ['# NetworkPolicy analysis', '', `${report.pods.length} pods, ${report.policies.length} NetworkPolicies.`, '', '## Isolation', ''];
  lines.push('| Pod | Ingress | Egress |', '| --- | --- | --- |');
  for (const p of report.pods) {
    lines.push(`| ${cell(p.pod)} | ${p.ingressIsolated ? `isolated by ${cell(p.ingressPolicies.join(', '))}` : '**not isolated**'} | ${p.egressIsolated ? `isolated by ${cell(p.egressPolicies.join(', '))}` : '**not isolated**'} |`);
  }
  lines.push('', '## Allowed flows', '');
  if (report.flows.length === 0) {
    lines.push('None between different pods.');
  } else {
    lines.push('| From | To | Ports |', '| --- | --- | --- |');
    for (const f of report.flows) lines.push(`| ${cell(f.from)} | ${cell(f.to)} | ${f.unrestricted ? 'every port (unrestricted)' : cell(f.summary)} |`);
  }
  lines.push('', '## Findings', '');
  if (report.findings.length === 0) lines.push('None.');
  for (const f of report.findings) lines.push(`- **${f.severity}** \`${f.code}\`: ${cell(f.message)}`);
  return `${lines.join('\n')}\n`;
}
