import { ClusterPolicyIntent, ClusterRuleIntent } from './cluster-policy-intent';
import { portSortKey } from './policy-intent';
import { ClusterRuleAction } from '../vocabulary/cluster-rule';
import { invalid } from '../vocabulary/errors';
import { NAMESPACE_NAME_LABEL } from '../vocabulary/k8s-rules';
import { compare } from '../vocabulary/label-selector';
import { Port } from '../vocabulary/port';

/**
 * What one version of the cluster-tier API takes: its limits (the CRD's `maxItems`) and how it
 * writes actions and ports.
 * @internal
 */
export interface ClusterApiShape {
  /** Rules per direction in one object. */
  readonly maxRules: number;
  /** Peers in one rule. */
  readonly maxPeers: number;
  /** Entries of `protocols` (v1alpha2) or `ports` (v1alpha1) in one rule. */
  readonly maxPorts: number;
  /** CIDRs in one `networks` peer. */
  readonly maxNetworks: number;
  /** The field that lists a rule's ports. */
  readonly portsField: 'protocols' | 'ports';
  /** The action as this version writes it. */
  action(action: ClusterRuleAction): string;
  /** One port entry; throws, naming `where`, for a port this version cannot write. */
  port(port: Port, where: string): any;
}

/** ClusterNetworkPolicy `policy.networking.k8s.io/v1alpha2` (network-policy-api v0.2.0). @internal */
export const V1ALPHA2: ClusterApiShape = {
  maxRules: 25,
  maxPeers: 25,
  maxPorts: 25,
  maxNetworks: 25,
  portsField: 'protocols',
  action: (action) => (action === ClusterRuleAction.ALLOW ? 'Accept' : action),
  port: (port) => {
    if (port.name !== undefined) return { destinationNamedPort: port.name };
    // `tcp: {}` is refused by the schema (minProperties 1): every port is the range 1-65535.
    const [start, end] = port.number === undefined ? [1, 65535] : [port.number, port.endPort];
    return { [port.protocol!.toLowerCase()]: { destinationPort: end === undefined ? { number: start } : { range: { start, end } } } };
  },
};

/** AdminNetworkPolicy and BaselineAdminNetworkPolicy `policy.networking.k8s.io/v1alpha1` (v0.1.7, standard channel). @internal */
export const V1ALPHA1: ClusterApiShape = {
  maxRules: 100,
  maxPeers: 100,
  maxPorts: 100,
  maxNetworks: 25,
  portsField: 'ports',
  action: (action) => action,
  port: (port, where) => {
    if (port.name !== undefined) {
      throw invalid(where, `the named port '${port.name}' cannot be written in AdminNetworkPolicy v1alpha1 (namedPort is only in its experimental channel)`,
        'Use port numbers, or render ClusterNetworkPolicy v1alpha2 (ClusterPolicyBackend.CLUSTER_NETWORK_POLICY)');
    }
    const [start, end] = port.number === undefined ? [1, 65535] : [port.number, port.endPort];
    return end === undefined ? { portNumber: { port: start, protocol: port.protocol } } : { portRange: { start, end, protocol: port.protocol } };
  },
};

/** The rules of one object of a split intent, per direction, as written. @internal */
export interface ClusterPolicyPart {
  readonly ingress: any[];
  readonly egress: any[];
}

/**
 * An intent's rules as `shape` writes them, split to fit its limits without changing what they
 * decide: too many CIDRs become several `networks` peers, too many peers or ports several rules with
 * the same action (consecutive rules with one action match exactly what the one rule would, first
 * match or not), and too many rules several objects at consecutive priorities (rules keep their
 * order across them, so first match is unchanged). Deterministic: the same intent, the same objects.
 * @param where names the construct in errors
 * @internal
 */
export function splitClusterPolicy(intent: ClusterPolicyIntent, shape: ClusterApiShape, where: string): ClusterPolicyPart[] {
  const ingress = intent.ingress.flatMap((rule, r) => renderRule(rule, 'from', shape, `${where}: ingress[${r}]`));
  const egress = intent.egress.flatMap((rule, r) => renderRule(rule, 'to', shape, `${where}: egress[${r}]`));
  const parts = Math.max(1, Math.ceil(ingress.length / shape.maxRules), Math.ceil(egress.length / shape.maxRules));
  return Array.from({ length: parts }, (_, k) => ({
    ingress: ingress.slice(k * shape.maxRules, (k + 1) * shape.maxRules),
    egress: egress.slice(k * shape.maxRules, (k + 1) * shape.maxRules),
  }));
}

function renderRule(rule: ClusterRuleIntent, side: 'from' | 'to', shape: ClusterApiShape, where: string): any[] {
  // A rule's address blocks go into one `networks` peer (split when too long): any of them matches.
  const networks = rule.peers.flatMap((peer) => peer.networks ?? []);
  const peers = [
    ...rule.peers.filter((peer) => !peer.networks),
    ...chunks([...new Set(networks)], shape.maxNetworks).map((chunk) => ({ networks: chunk })),
  ];
  const ports = rule.ports === 'all' ? [] : [...rule.ports].sort((a, b) => compare(portSortKey(a), portSortKey(b)));
  if (ports.some((p) => p.name !== undefined) && peers.some((p) => p.networks)) {
    throw invalid(where, `named port '${ports.find((p) => p.name !== undefined)!.name}' with address blocks: a named port is a container port of a pod, and the API refuses it in a rule with networks`,
      'Give the addresses their own rule with port numbers');
  }
  const entries = ports.map((p) => shape.port(p, where));
  const peerChunks = chunks(peers, shape.maxPeers);
  const portChunks = entries.length === 0 ? [undefined] : chunks(entries, shape.maxPorts);
  return peerChunks.flatMap((chunk) => portChunks.map((portChunk) => ({
    ...(rule.name !== undefined ? { name: rule.name } : {}),
    action: shape.action(rule.action),
    [side]: chunk,
    ...(portChunk ? { [shape.portsField]: portChunk } : {}),
  })));
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The namespaces a subject selects by name alone (`kubernetes.io/metadata.name In [...]`), or
 * undefined for any other subject.
 */
function subjectNamespaceNames(subject: any): string[] | undefined {
  const namespaces = subject.namespaces;
  if (!namespaces || Object.keys(namespaces.matchLabels ?? {}).length > 0) return undefined;
  const expressions = namespaces.matchExpressions ?? [];
  if (expressions.length !== 1 || expressions[0].key !== NAMESPACE_NAME_LABEL || expressions[0].operator !== 'In') return undefined;
  return expressions[0].values;
}

/**
 * The spec of the one BaselineAdminNetworkPolicy (a singleton named `default`) for the Baseline
 * intents of an app, in their order: intents with one subject become one list of rules in that
 * order; intents with the same rules for namespaces by name become one subject with all their
 * namespaces. Anything else cannot be one object, and the error says so.
 * @internal
 */
export function mergeBaseline(intents: readonly ClusterPolicyIntent[], render: (intent: ClusterPolicyIntent) => ClusterPolicyPart): any {
  const rendered = intents.map((intent) => ({ intent, part: render(intent) }));
  const subjects = new Set(intents.map((i) => JSON.stringify(i.subject)));
  let subject = intents[0].subject;
  if (subjects.size > 1) {
    const names = intents.map((i) => subjectNamespaceNames(i.subject));
    const rules = new Set(rendered.map((r) => JSON.stringify(r.part)));
    if (names.some((n) => n === undefined) || rules.size > 1) {
      throw invalid(intents.map((i) => i.requester.node.path).join(', '),
        'these Baseline guardrails apply to different pods with different rules, and AdminNetworkPolicy v1alpha1 has one BaselineAdminNetworkPolicy per cluster (named default) with one subject',
        'Give them the same subject, or the same rules for namespaces by name (one BaselineDefaultDeny listing every namespace), or render ClusterNetworkPolicy v1alpha2, which has any number of Baseline policies');
    }
    const all = [...new Set(names.flatMap((n) => n!))].sort();
    subject = { namespaces: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: all }] } };
    rendered.splice(1);
  }
  const ingress = rendered.flatMap((r) => r.part.ingress);
  const egress = rendered.flatMap((r) => r.part.egress);
  return { subject, ...(ingress.length > 0 ? { ingress } : {}), ...(egress.length > 0 ? { egress } : {}) };
}
