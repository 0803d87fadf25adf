import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, eachRule, isEmptySelector, policyObject, policyWhere, rulePath } from './finding-context';
import { NAMESPACE_NAME_LABEL, PeerModel, PolicyModel } from '../analyzer/cluster-model';
import { formatSelector } from '../analyzer/label-matcher';
import { peerClasses, peerMatches, policySelectedClasses } from '../analyzer/network-policy-layer';

/**
 * Selectors that match nothing: a policy that targets no pod (kube-score
 * `networkpolicy-targets-pod`) and rule peers that match no pod. A `podSelector: {}` policy is
 * exempt: it is a namespace-wide default that protects pods added later.
 */

function policiesTargetingNothing(context: FindingContext): FindingDraft[] {
  const { model } = context;
  const engine = context.engine();
  return model.policies
    .filter((policy) => !isEmptySelector(policy.podSelector) && policySelectedClasses(engine, policy).isEmpty())
    .map((policy) => {
      const where = `${policyWhere(policy)}: spec.podSelector (${formatSelector(policy.podSelector)})`;
      if (model.pods.some((pod) => pod.namespace === policy.namespace)) {
        return {
          subject: policy.id,
          objects: [policyObject(policy)],
          message: `${where} matches no pod in namespace '${policy.namespace}' (${describeNamespacePods(context, policy.namespace)}), so the policy does nothing`,
        };
      }
      // Pods deployed by others may well live there: then the policy isolates them.
      return {
        subject: policy.id,
        objects: [policyObject(policy)],
        message: `${where} matches no pod of the manifests: it may isolate pods of namespace '${policy.namespace}', which the manifests do not hold`,
        fix: `If the policy is meant for pods deployed elsewhere, make sure the owner of '${policy.namespace}' wants it (its other clients are cut off); add their manifests or declare them (guardrails' pods) so the analysis sees them. Otherwise delete it.`,
      };
    });
}

function describeNamespacePods(context: FindingContext, namespace: string): string {
  const pods = context.model.pods.filter((p) => p.namespace === namespace);
  const shown = pods.slice(0, 5).map((p) => `${p.name} {${Object.entries(p.labels).map(([k, v]) => `${k}=${v}`).join(', ')}}`);
  return `its pods: ${shown.join('; ')}${pods.length > 5 ? `; … (${pods.length} in all)` : ''}`;
}

/** The namespaces a peer can select, when its namespace side names them; undefined when it selects by other labels. */
function pinnedNamespaces(policy: PolicyModel, peer: PeerModel): string[] | undefined {
  const selector = peer.namespaceSelector;
  if (!selector) return [policy.namespace];
  let names: string[] | undefined;
  const byLabel = selector.matchLabels[NAMESPACE_NAME_LABEL];
  if (byLabel !== undefined) names = [byLabel];
  for (const req of selector.matchExpressions) {
    if (req.key === NAMESPACE_NAME_LABEL && req.operator === 'In') names = names ? names.filter((n) => req.values.includes(n)) : [...req.values];
  }
  return names;
}

interface EmptyPeer {
  readonly policy: PolicyModel;
  readonly path: string;
  readonly peer: PeerModel;
  readonly pinned?: string[];
  readonly closed: boolean;
}

function peersMatchingNothing(context: FindingContext): EmptyPeer[] {
  const { model } = context;
  const engine = context.engine();
  const out: EmptyPeer[] = [];
  for (const { policy, direction, index, rule } of eachRule(model)) {
    rule.peers.forEach((peer, peerIndex) => {
      if (peer.ipBlock || (!peer.podSelector && !peer.namespaceSelector)) return;
      if (peerMatches(model, policy, peer, context.dnsPod)) return;
      // A selector peer matches pod classes only, and a class holds at least one pod.
      if (!peerClasses(engine, policy, peer).isEmpty()) return;
      const pinned = pinnedNamespaces(policy, peer);
      const closed = pinned !== undefined && pinned.every((ns) => context.knownNamespaces.has(ns));
      out.push({ policy, path: rulePath(direction, index, peerIndex), peer, pinned, closed });
    });
  }
  return out;
}

function describePeer(peer: PeerModel): string {
  const parts: string[] = [];
  if (peer.namespaceSelector) parts.push(`namespaceSelector ${formatSelector(peer.namespaceSelector)}`);
  if (peer.podSelector) parts.push(`podSelector ${formatSelector(peer.podSelector)}`);
  return parts.join(' AND ');
}

/** @internal */
export const SELECTOR_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP005',
    rule: 'policy-selects-no-pod',
    severity: FindingSeverity.WARNING,
    summary: 'A NetworkPolicy whose podSelector matches no pod of the manifests: it does nothing, or, in a namespace whose pods the manifests do not hold, it may isolate pods deployed elsewhere.',
    fix: "Fix the podSelector's labels to match the workload's pod template labels, or delete the policy.",
    check: policiesTargetingNothing,
  },
  {
    id: 'NP006',
    rule: 'peer-matches-no-pod',
    severity: FindingSeverity.WARNING,
    summary: 'A rule peer that matches no pod, in namespaces the manifests hold: most often a label typo.',
    fix: "Fix the peer's selector labels to match the pods' labels (a namespaceSelector matches Namespace labels, not pod labels).",
    check: (c) => peersMatchingNothing(c).filter((e) => e.closed).map((e) => ({
      subject: e.policy.id,
      objects: [policyObject(e.policy)],
      message: `${policyWhere(e.policy)}: ${e.path} (${describePeer(e.peer)}) matches no pod in namespace${e.pinned!.length === 1 ? '' : 's'} ${e.pinned!.map((n) => `'${n}'`).join(', ')}, so the rule allows nothing through it`,
    })),
  },
  {
    id: 'NP007',
    rule: 'peer-outside-manifests',
    severity: FindingSeverity.INFO,
    summary: 'A rule peer that matches no pod of the manifests but may match pods in namespaces they do not hold.',
    fix: 'Nothing if those pods live elsewhere; otherwise include their manifests (or declare them with Reachability.addPod) so the analysis sees them.',
    check: (c) => peersMatchingNothing(c).filter((e) => !e.closed).map((e) => ({
      subject: e.policy.id,
      objects: [policyObject(e.policy)],
      message: `${policyWhere(e.policy)}: ${e.path} (${describePeer(e.peer)}) matches no pod of the manifests; it may match pods ${e.pinned ? `in namespace${e.pinned.length === 1 ? '' : 's'} ${e.pinned.map((n) => `'${n}'`).join(', ')}, which the manifests do not hold` : 'in namespaces the manifests do not hold'}`,
    })),
  },
];
