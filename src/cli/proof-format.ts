import { AnalysisReport } from './analysis-report';
import { Reachability } from '../analyzer';
import { InvariantResult, InvariantsVerdict, describeEndpoint, describeFlow, describeViolatedInvariant, selectedPods } from '../analyzer/invariant-check';
import { PortSet } from '../analyzer/port-range-set';
import { EndpointSpec, InvariantsFileSpec } from '../vocabulary/invariant';

/**
 * `analyze --invariants FILE --output proof`: what the file declares (flows, invariants), the
 * verdict on each (declared flows allowed, invariants held, undeclared flows between the app's
 * pods, DNS kept), then the allowed flows that some policy of some tier restricts; the pods no
 * policy of any tier applies to are named once instead of listing every flow among them. A
 * declared flow's side that selects some pods by label is named by the pods (workload rows) of the
 * manifests it selects.
 */

/** Sides that select more pods than this are described by their selector. */
const MAX_NAMED_PODS = 3;

/** The kube-dns pods DNS is checked against (the cluster DNS every construct defaults to). */
const DNS_LABEL = 'k8s-app';
const DNS_VALUE = 'kube-dns';

/** Renders the proof. @internal */
export function formatProof(verdict: InvariantsVerdict, file: InvariantsFileSpec, report: AnalysisReport, reach: Reachability): string {
  const namespaces = file.namespaces ?? [];
  const lines: string[] = [];
  const by = (r: InvariantResult): string => (r.declaredBy ? `  [${r.declaredBy}]` : '');
  const describe = (spec: EndpointSpec): string => {
    const selector = spec.podSelector;
    const labelled = selector && (Object.keys(selector.matchLabels ?? {}).length > 0 || selector.matchExpressions?.length > 0);
    const pods = labelled ? selectedPods(reach, spec) : [];
    return pods.length > 0 && pods.length <= MAX_NAMED_PODS ? pods.join(', ') : describeEndpoint(spec);
  };
  lines.push('Declares:');
  lines.push(`  flows: ${verdict.flows.length}`, ...(file.flows ?? []).map((flow, i) => `    ${describeFlow(flow, describe)}${by(verdict.flows[i])}`));
  lines.push(`  invariants: ${verdict.invariants.length}`, ...verdict.invariants.map((r) => `    ${r.allowed} allowed: ${r.name}${by(r)}`));
  lines.push('', 'Result:');
  const held = (list: InvariantResult[]): number => list.filter((r) => r.held).length;
  lines.push(`  declared flows allowed: ${held(verdict.flows)} of ${verdict.flows.length}`);
  lines.push(`  invariants held: ${held(verdict.invariants)} of ${verdict.invariants.length}`);
  if (verdict.undeclared) {
    const count = verdict.undeclared.violationCount;
    lines.push(`  undeclared flows between the app's pods (${namespaces.join(', ')}): ${count === 0 ? 'none' : count}`);
  }
  lines.push(`  ${dnsKept(reach, namespaces)}`);
  const failed = [...verdict.flows, ...verdict.invariants, ...(verdict.undeclared ? [verdict.undeclared] : [])].filter((r) => !r.held);
  for (const r of failed) lines.push(`  VIOLATED  ${describeViolatedInvariant(r).split('\n').join('\n    ')}`);
  const assumed = [...new Set([...verdict.flows, ...verdict.invariants].flatMap((r) => r.assumedPods))];
  if (assumed.length > 0) lines.push(`  assumed pods (selectors no pod of the manifests matches): ${assumed.join(', ')}`);

  const open = new Set(report.pods.filter((p) => !p.ingressIsolated && !p.egressIsolated
    && p.ingressClusterPolicies.length === 0 && p.egressClusterPolicies.length === 0).map((p) => p.pod));
  const listed = report.flows.filter((f) => !f.open);
  lines.push('', `Allowed flows that a policy restricts: ${listed.length}`);
  for (const f of listed) lines.push(`  ${f.from} -> ${f.to}: ${f.unrestricted ? 'every port' : f.summary}`);
  const unlisted = report.flows.length - listed.length;
  if (open.size > 0) {
    lines.push('', 'Not isolated (no policy of any tier selects them, so every flow among them and with addresses outside the cluster is allowed):');
    lines.push(...[...open].map((p) => `  ${p}`));
  }
  if (unlisted > 0) lines.push('', `Allowed flows that no policy restricts (every port left to the default on both sides): ${unlisted}, not listed`);
  lines.push('', proofHeadline(verdict));
  return `${lines.join('\n')}\n`;
}

/** The count of every check the proof made: invariants, declared flows, and the undeclared flows. */
function proofHeadline(verdict: InvariantsVerdict): string {
  const checks = [...verdict.invariants, ...verdict.flows, ...(verdict.undeclared ? [verdict.undeclared] : [])];
  const violated = checks.filter((r) => !r.held).length;
  const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  const parts = [plural(verdict.invariants.length, 'invariant'), plural(verdict.flows.length, 'declared flow'), ...(verdict.undeclared ? ['undeclared flows'] : [])];
  return `Proof: ${checks.length - violated} of ${checks.length} checks hold, ${violated} violated (${parts.join(', ')})`;
}

/** Whether every egress-isolated pod of the app's namespaces reaches the cluster DNS on 53/UDP and 53/TCP. */
function dnsKept(reach: Reachability, namespaces: readonly string[]): string {
  const model = reach._model;
  const dns = model.pods.filter((p) => p.namespace === 'kube-system' && p.labels[DNS_LABEL] === DNS_VALUE);
  if (dns.length === 0) return `DNS kept: not checked, no ${DNS_LABEL}=${DNS_VALUE} pod in kube-system among the manifests`;
  const pods = model.pods.map((p, i) => ({ p, i })).filter(({ p, i }) => namespaces.includes(p.namespace) && reach._isolationAt(i).egressIsolated);
  const needed = PortSet.of('UDP', 53).union(PortSet.of('TCP', 53));
  const lost = pods.filter(({ p }) => dns.some((d) => !needed.subtract(PortSet.fromRanges(reach.allowedPorts(p.id, d.id))).isEmpty()));
  const target = `${dns.map((d) => d.id).join(', ')} on 53/UDP and 53/TCP`;
  return lost.length === 0
    ? `DNS kept: ${pods.length} of ${pods.length} egress-isolated pods of the app reach ${target}`
    : `DNS kept: ${pods.length - lost.length} of ${pods.length} egress-isolated pods of the app reach ${target}; not: ${lost.map(({ p }) => p.id).join(', ')}`;
}
