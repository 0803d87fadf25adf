import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, eachRule, isEmptySelector, policyObject, policyWhere, rulePath } from './finding-context';
import { PeerModel } from '../analyzer/cluster-model';
import { formatSelector } from '../analyzer/label-matcher';

/**
 * Peers wider than they look: an empty `namespaceSelector` (the whole cluster), an empty
 * `podSelector` alone (the whole namespace), a rule without peers (every address, in and outside
 * the cluster), and the YAML AND/OR trap: a `-` too many turns "pods X in namespaces Y" into
 * "every pod in Y, or pods X here".
 */

function wholeCluster(context: FindingContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(context.model)) {
    rule.peers.forEach((peer, peerIndex) => {
      if (!isEmptySelector(peer.namespaceSelector)) return;
      const narrowed = peer.podSelector && !isEmptySelector(peer.podSelector);
      const what = narrowed ? `pods labelled ${formatSelector(peer.podSelector!)} in every namespace of the cluster` : 'every pod in every namespace of the cluster';
      out.push({
        subject: policy.id,
        objects: [policyObject(policy)],
        message: `${policyWhere(policy)}: ${rulePath(direction, index, peerIndex)} has an empty namespaceSelector {}, which ${direction === 'Ingress' ? 'admits' : 'reaches'} ${what}`,
      });
    });
  }
  return out;
}

function wholeNamespace(context: FindingContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(context.model)) {
    rule.peers.forEach((peer, peerIndex) => {
      if (peer.namespaceSelector || !isEmptySelector(peer.podSelector)) return;
      out.push({
        subject: policy.id,
        objects: [policyObject(policy)],
        message: `${policyWhere(policy)}: ${rulePath(direction, index, peerIndex)} is podSelector {} alone, which ${direction === 'Ingress' ? 'admits' : 'reaches'} every pod in namespace '${policy.namespace}'`,
      });
    });
  }
  return out;
}

const onlyNamespace = (p: PeerModel): boolean => !!p.namespaceSelector && !p.podSelector;
const onlyPods = (p: PeerModel): boolean => !!p.podSelector && !p.namespaceSelector;

function andOrTrap(context: FindingContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(context.model)) {
    const ns = rule.peers.findIndex(onlyNamespace);
    const pods = rule.peers.findIndex(onlyPods);
    if (ns < 0 || pods < 0) continue;
    const nsSel = formatSelector(rule.peers[ns].namespaceSelector!);
    const podSel = formatSelector(rule.peers[pods].podSelector!);
    out.push({
      subject: policy.id,
      objects: [policyObject(policy)],
      message: `${policyWhere(policy)}: ${rulePath(direction, index)} lists namespaceSelector ${nsSel} (${rulePath(direction, index, ns)}) and podSelector ${podSel} (${rulePath(direction, index, pods)}) as separate peers, which are ORed: every pod in the matching namespaces, or pods ${podSel} in '${policy.namespace}'`,
      fix: `If you meant pods ${podSel} in namespaces ${nsSel}, write both selectors in one peer (remove the '-' before podSelector); if you meant either, put them in two rules so the intent is explicit.`,
    });
  }
  return out;
}

function noPeers(context: FindingContext): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(context.model)) {
    if (rule.peers.length > 0) continue;
    const ports = rule.ports.length === 0 ? 'on every port' : 'on its ports';
    out.push({
      subject: policy.id,
      objects: [policyObject(policy)],
      message: `${policyWhere(policy)}: ${rulePath(direction, index)} has no ${direction === 'Ingress' ? 'from' : 'to'}, so it ${direction === 'Ingress' ? 'admits every source' : 'reaches every destination'}, in and outside the cluster, ${ports}`,
    });
  }
  return out;
}

/** @internal */
export const PEER_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP012',
    rule: 'peer-opens-whole-cluster',
    severity: FindingSeverity.WARNING,
    summary: 'A peer with an empty namespaceSelector {}: it matches pods in every namespace of the cluster.',
    fix: 'Name the namespaces (namespaceSelector on kubernetes.io/metadata.name, or Peer.namespace()) instead of {}.',
    check: wholeCluster,
  },
  {
    id: 'NP013',
    rule: 'peer-opens-whole-namespace',
    severity: FindingSeverity.INFO,
    summary: "A peer that is an empty podSelector {} alone: it matches every pod in the policy's namespace.",
    fix: 'Select the pods that need the flow by their labels, unless every pod of the namespace does.',
    check: wholeNamespace,
  },
  {
    id: 'NP014',
    rule: 'namespace-and-pod-selectors-split',
    severity: FindingSeverity.WARNING,
    summary: 'A rule listing a namespaceSelector and a podSelector as two peers: they are ORed, not ANDed (the YAML "-" trap).',
    fix: 'Write both selectors in one peer for "pods X in namespaces Y", or split them into two rules for "either".',
    check: andOrTrap,
  },
  {
    id: 'NP015',
    rule: 'rule-allows-any-peer',
    severity: FindingSeverity.INFO,
    summary: 'A rule without from/to: it allows every address, in and outside the cluster.',
    fix: 'List the peers that need the flow, unless it is meant to be open (a public endpoint).',
    check: noPeers,
  },
];
