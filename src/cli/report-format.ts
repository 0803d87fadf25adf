import { AnalysisReport, FlowReport } from './analysis-report';
import { Finding } from '../findings/finding';

/** A direction's isolation, and the cluster tiers' policies that decide before or after it. */
function isolation(isolated: boolean, policies: readonly string[], clusterPolicies: readonly string[], direction: string): string {
  const tiers = clusterPolicies.length ? `; cluster tiers: ${clusterPolicies.join(', ')}` : '';
  if (isolated) return `isolated by ${policies.join(', ')}${tiers}`;
  return tiers ? `not isolated by a NetworkPolicy${tiers}` : `NOT isolated (all ${direction} allowed)`;
}

/** Renders the analysis report and the findings as readable text. @internal */
export function formatReportText(report: AnalysisReport, findings: Finding[]): string {
  const lines: string[] = [];
  const podCount = report.pods.reduce((n, p) => n + p.pods.length, 0);
  const rows = podCount === report.pods.length ? `Pods: ${podCount}` : `Workloads: ${report.pods.length} (${podCount} pods)`;
  lines.push(`${rows}, NetworkPolicies: ${report.policies.length}`, '', 'Isolation:');
  for (const p of report.pods) {
    lines.push(`  ${p.pod}${p.pods.length > 1 ? ` (${p.pods.length} pods)` : ''}`);
    lines.push(`    ingress: ${isolation(p.ingressIsolated, p.ingressPolicies, p.ingressClusterPolicies, 'ingress')}`);
    lines.push(`    egress:  ${isolation(p.egressIsolated, p.egressPolicies, p.egressClusterPolicies, 'egress')}`);
  }
  const flow = (f: FlowReport): string => `  ${f.from} -> ${f.to}: ${f.unrestricted ? 'every port (unrestricted)' : f.summary}`;
  const podFlows = report.flows.filter((f) => !f.external);
  const externalFlows = report.flows.filter((f) => f.external);
  lines.push('', `Allowed flows between different ${podCount === report.pods.length ? 'pods' : 'workloads'}: ${podFlows.length}`, ...podFlows.map(flow));
  lines.push('', `Allowed flows with addresses outside the cluster: ${externalFlows.length} (external nodes: ${report.externals.join('; ')})`, ...externalFlows.map(flow));
  lines.push('', `Findings: ${findings.length}`);
  for (const f of findings) lines.push(`  [${f.severity}] ${f.id}: ${f.message}. Fix: ${f.fix}`);
  return `${lines.join('\n')}\n`;
}
