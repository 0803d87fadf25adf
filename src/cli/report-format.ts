import { FlowReport, StreamedAnalysisReport } from './analysis-report';
import { ChunkedWriter } from './streamed-output';
import { Finding } from '../findings/finding';

/** A direction's isolation, and the cluster tiers' policies that decide before or after it. */
function isolation(isolated: boolean, policies: readonly string[], clusterPolicies: readonly string[], direction: string): string {
  const tiers = clusterPolicies.length ? `; cluster tiers: ${clusterPolicies.join(', ')}` : '';
  if (isolated) return `isolated by ${policies.join(', ')}${tiers}`;
  return tiers ? `not isolated by a NetworkPolicy${tiers}` : `NOT isolated (all ${direction} allowed)`;
}

/**
 * Writes the analysis report and the findings as readable text, line by line as the flows are
 * produced; each list of flows ends with its count.
 * @param omitted findings left out by `--max-findings`
 * @internal
 */
export function writeReportText(w: ChunkedWriter, report: StreamedAnalysisReport, findings: readonly Finding[], omitted = 0): void {
  const podCount = report.pods.reduce((n, p) => n + p.pods.length, 0);
  const rows = podCount === report.pods.length ? `Pods: ${podCount}` : `Workloads: ${report.pods.length} (${podCount} pods)`;
  w.line(`${rows}, NetworkPolicies: ${report.policies.length}`);
  w.line('');
  w.line('Isolation:');
  for (const p of report.pods) {
    w.line(`  ${p.pod}${p.pods.length > 1 ? ` (${p.pods.length} pods)` : ''}`);
    w.line(`    ingress: ${isolation(p.ingressIsolated, p.ingressPolicies, p.ingressClusterPolicies, 'ingress')}`);
    w.line(`    egress:  ${isolation(p.egressIsolated, p.egressPolicies, p.egressClusterPolicies, 'egress')}`);
  }
  const flow = (f: FlowReport): string => `  ${f.from} -> ${f.to}: ${f.unrestricted ? 'every port (unrestricted)' : f.summary}`;
  const count = (n: number): string => `  (${n} flow${n === 1 ? '' : 's'})`;
  w.line('');
  w.line(`Allowed flows between different ${podCount === report.pods.length ? 'pods' : 'workloads'}:`);
  let podFlows = 0;
  let externalFlows = -1;
  for (const f of report.flows) {
    // Flows between pods come first; the first one with an external node starts the next list.
    if (f.external && externalFlows < 0) {
      w.line(count(podFlows));
      w.line('');
      w.line(`Allowed flows with addresses outside the cluster (external nodes: ${report.externals.join('; ')}):`);
      externalFlows = 0;
    }
    w.line(flow(f));
    if (externalFlows < 0) podFlows++; else externalFlows++;
  }
  if (externalFlows < 0) {
    w.line(count(podFlows));
    w.line('');
    w.line(`Allowed flows with addresses outside the cluster (external nodes: ${report.externals.join('; ')}):`);
    externalFlows = 0;
  }
  w.line(count(externalFlows));
  w.line('');
  const total = findings.length + omitted;
  w.line(`Findings: ${total}${omitted > 0 ? ` (the first ${findings.length} shown; ${omitted} omitted by --max-findings)` : ''}`);
  for (const f of findings) w.line(`  [${f.severity}] ${f.id}: ${f.message}. Fix: ${f.fix}`);
}
