import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, podObject } from './finding-context';
import { PodModel } from '../analyzer/cluster-model';
import { judgeDirection } from '../analyzer/evaluator';
import { SideProgram } from '../analyzer/verdict-walk';

/**
 * Egress isolation that blocks name resolution: an egress-isolated pod whose egress rules do not
 * reach the cluster's DNS resolver on its port over UDP (every lookup fails) or over TCP (large
 * answers and some resolvers' retries fail). The resolver is a stand-in pod with the configured
 * namespace, labels, IPs and port, judged by the analyzer like any destination.
 */

function isDnsPod(context: FindingContext, pod: PodModel): boolean {
  const dns = context.dnsPod;
  return pod.namespace === dns.namespace && Object.entries(dns.labels).every(([k, v]) => pod.labels[k] === v);
}

function describeDns(context: FindingContext): string {
  const dns = context.dnsPod;
  const labels = Object.entries(dns.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  return `the cluster DNS (pods ${labels} in '${dns.namespace}'${dns.ips.length ? ` or ${dns.ips.map((i) => i.text).join(', ')}` : ''})`;
}

function dnsBlocked(context: FindingContext, protocol: string): FindingDraft[] {
  const { model, dnsPod, dnsPort } = context;
  const engine = context.engine();
  // The verdict depends on the pod only through the policies applying to it: judged once per set.
  const blockedBy = new Map<SideProgram, string[] | undefined>();
  const out: FindingDraft[] = [];
  model.pods.forEach((pod, i) => {
    if (isDnsPod(context, pod)) return;
    const program = engine.program(engine.classOfPod[i], 'Egress');
    if (!blockedBy.has(program)) {
      const verdict = judgeDirection(model, 'Egress', pod, dnsPod, dnsPod, { port: dnsPort, protocol }, program);
      blockedBy.set(program, verdict.isolatingPolicies.length === 0 || verdict.allowed ? undefined : verdict.isolatingPolicies.map((p) => p.id));
    }
    const policies = blockedBy.get(program);
    if (!policies) return;
    out.push({
      subject: pod.id,
      objects: [podObject(pod), ...policies.map((p) => `NetworkPolicy ${p}`)],
      message: `${podObject(pod)} is isolated for egress by ${policies.join(', ')} and no egress rule reaches ${describeDns(context)} on ${dnsPort}/${protocol}${protocol === 'UDP' ? ', so it cannot resolve any name' : ', so DNS answers too large for UDP fail'}`,
    });
  });
  return out;
}

const FIX = 'Allow egress to the cluster DNS on port 53 over UDP and TCP (AllowDnsEgress, or DefaultDeny, which keeps DNS); with another resolver, set clusterDns.';

/** @internal */
export const DNS_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP008',
    rule: 'egress-blocks-dns-udp',
    severity: FindingSeverity.ERROR,
    summary: 'An egress-isolated pod whose egress rules do not reach the cluster DNS on 53/UDP: name resolution fails.',
    fix: FIX,
    check: (c) => dnsBlocked(c, 'UDP'),
  },
  {
    id: 'NP009',
    rule: 'egress-blocks-dns-tcp',
    severity: FindingSeverity.WARNING,
    summary: 'An egress-isolated pod whose egress rules do not reach the cluster DNS on 53/TCP: large answers fail.',
    fix: FIX,
    check: (c) => dnsBlocked(c, 'TCP'),
  },
];
