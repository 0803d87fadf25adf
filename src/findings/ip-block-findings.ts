import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, eachRule, policyObject, policyWhere, rulePath } from './finding-context';
import { IpBlockModel } from '../analyzer/cluster-model';
import { ParsedCidr, cidrContains } from '../vocabulary/k8s-rules';

/**
 * `ipBlock` peers that also cover the cluster's pod or Service ranges (`0.0.0.0/0` style), when the
 * user gives those ranges. Pod IPs change with every restart, and most CNIs see Service traffic
 * only after it is translated to a pod, so such blocks open more than the author meant or match in
 * ways that depend on the CNI. A range excluded by one `except` entry is fine.
 */

function overlap(block: IpBlockModel, range: ParsedCidr): boolean {
  if (cidrContains(range, block.cidr)) return true;
  return cidrContains(block.cidr, range) && !block.except.some((e) => cidrContains(e, range));
}

function coveringBlocks(context: FindingContext): FindingDraft[] {
  const ranges = [
    ...context.podCidrs.map((cidr) => ({ cidr, kind: 'pod' })),
    ...context.serviceCidrs.map((cidr) => ({ cidr, kind: 'Service' })),
  ];
  if (ranges.length === 0) return [];
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(context.model)) {
    rule.peers.forEach((peer, peerIndex) => {
      if (!peer.ipBlock) return;
      const hits = ranges.filter((r) => overlap(peer.ipBlock!, r.cidr));
      if (hits.length === 0) return;
      const block = `${peer.ipBlock.cidr.canonical}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.map((e) => e.canonical).join(', ')}` : ''}`;
      out.push({
        subject: policy.id,
        objects: [policyObject(policy)],
        message: `${policyWhere(policy)}: ${rulePath(direction, index, peerIndex)} ipBlock ${block} covers the cluster's ${hits.map((h) => `${h.kind} range ${h.cidr.canonical}`).join(' and ')}`,
        fix: `Exclude ${hits.map((h) => h.cidr.canonical).join(' and ')} with ipBlock.except (or use Peer.anyPublicIpv4()), and allow in-cluster flows with pod or namespace selectors.`,
      });
    });
  }
  return out;
}

/** @internal */
export const IP_BLOCK_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP016',
    rule: 'ip-block-covers-cluster',
    severity: FindingSeverity.WARNING,
    summary: "An ipBlock peer that covers the cluster's pod or Service CIDRs (given as options), such as 0.0.0.0/0 without except.",
    fix: 'Exclude the cluster ranges with ipBlock.except and select in-cluster peers with pod or namespace selectors.',
    check: coveringBlocks,
  },
];
