/**
 * A deliberately simple NetworkPolicy evaluator (endpoints: pods and single addresses outside the
 * cluster), written from the semantics in DESIGN.md and
 * sharing no code with src/analyzer, for the property tests to compare against. Slow and obvious
 * on purpose: every probe re-reads every policy.
 */

export interface RefPod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly ports: { name?: string; containerPort: number; protocol: string }[];
  readonly ips: string[];
}

/** An address outside the cluster: no labels, no namespace, no container ports, no policies. */
export interface RefAddress {
  readonly address: string;
}

export type RefEndpoint = RefPod | RefAddress;

const isAddress = (e: RefEndpoint): e is RefAddress => (e as RefAddress).address !== undefined;

export interface RefCluster {
  /** Declared namespaces and their labels (the name label is added here, not by the caller). */
  readonly namespaces: Record<string, Record<string, string>>;
  readonly pods: RefPod[];
  /** NetworkPolicy objects as written (no defaulting applied). */
  readonly policies: any[];
}

function selects(selector: any, labels: Record<string, string>): boolean {
  for (const key of Object.keys(selector.matchLabels ?? {})) {
    if (!(key in labels) || labels[key] !== selector.matchLabels[key]) return false;
  }
  for (const e of selector.matchExpressions ?? []) {
    const present = e.key in labels;
    if (e.operator === 'In' && !(present && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && present && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !present) return false;
    if (e.operator === 'DoesNotExist' && present) return false;
  }
  return true;
}

function bits(ip: string): string {
  if (!ip.includes(':')) return ip.split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array(8 - headGroups.length - tailGroups.length).fill('0');
  return [...headGroups, ...zeros, ...tailGroups].map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, prefix] = cidr.split('/');
  if (ip.includes(':') !== net.includes(':')) return false;
  const n = Number(prefix);
  return bits(ip).slice(0, n) === bits(net).slice(0, n);
}

function namespaceLabels(cluster: RefCluster, name: string): Record<string, string> {
  return { ...(cluster.namespaces[name] ?? {}), 'kubernetes.io/metadata.name': name };
}

function policyTypes(policy: any): string[] {
  if (policy.spec.policyTypes && policy.spec.policyTypes.length > 0) return policy.spec.policyTypes;
  return policy.spec.egress && policy.spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function peerMatches(cluster: RefCluster, policy: any, peer: any, endpoint: RefEndpoint): boolean {
  const ips = isAddress(endpoint) ? [endpoint.address] : endpoint.ips;
  if (peer.ipBlock) {
    return ips.some((ip) => inCidr(ip, peer.ipBlock.cidr) && !(peer.ipBlock.except ?? []).some((e: string) => inCidr(ip, e)));
  }
  // Selectors pick pods; an address outside the cluster is none.
  if (isAddress(endpoint)) return false;
  const pod = endpoint;
  const policyNamespace = policy.metadata.namespace ?? 'default';
  const namespaceOk = peer.namespaceSelector
    ? selects(peer.namespaceSelector, namespaceLabels(cluster, pod.namespace))
    : pod.namespace === policyNamespace;
  const podOk = peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
  return namespaceOk && podOk;
}

function portMatches(entry: any, destination: RefEndpoint, port: number, protocol: string): boolean {
  if ((entry.protocol ?? 'TCP') !== protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'string') {
    // Named ports are container ports; an address outside the cluster has none.
    return !isAddress(destination) && destination.ports.some((p) => p.name === entry.port && p.protocol === protocol && p.containerPort === port);
  }
  if (entry.endPort !== undefined) return entry.port <= port && port <= entry.endPort;
  return entry.port === port;
}

function sideAllows(cluster: RefCluster, direction: 'Ingress' | 'Egress', subject: RefEndpoint, other: RefEndpoint, destination: RefEndpoint, port: number, protocol: string): boolean {
  // Nothing outside the cluster enforces policies.
  if (isAddress(subject)) return true;
  const isolating = cluster.policies.filter((p) => (p.metadata.namespace ?? 'default') === subject.namespace
    && selects(p.spec.podSelector ?? {}, subject.labels)
    && policyTypes(p).includes(direction));
  if (isolating.length === 0) return true;
  return isolating.some((p) => ((direction === 'Ingress' ? p.spec.ingress : p.spec.egress) ?? []).some((rule: any) => {
    const peers = direction === 'Ingress' ? rule.from : rule.to;
    const peersOk = !peers || peers.length === 0 || peers.some((peer: any) => peerMatches(cluster, p, peer, other));
    const portsOk = !rule.ports || rule.ports.length === 0 || rule.ports.some((e: any) => portMatches(e, destination, port, protocol));
    return peersOk && portsOk;
  }));
}

/** Whether `from` may connect to `to` on port/protocol. */
export function referenceAllows(cluster: RefCluster, from: RefEndpoint, to: RefEndpoint, port: number, protocol: string): boolean {
  if (from === to && !isAddress(from)) return true;
  return sideAllows(cluster, 'Egress', from, to, to, port, protocol) && sideAllows(cluster, 'Ingress', to, from, to, port, protocol);
}
