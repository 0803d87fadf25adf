import { IntentPeer, PolicyIntent, portSetKey, portSortKey } from './policy-intent';
import {
  CiliumNetworkPolicySpec, CiliumNetworkPolicySpecEgress, CiliumNetworkPolicySpecEgressToPorts,
  CiliumNetworkPolicySpecEgressToPortsPortsProtocol, CiliumNetworkPolicySpecIngress,
} from '../imports/cilium-v2-cilium.io';
import { compare } from '../vocabulary/label-selector';
import { CiliumPeerEntry } from '../vocabulary/peer';
import { Port } from '../vocabulary/port';

/**
 * Renders a workload's merged intent as a CiliumNetworkPolicy spec:
 * - `endpointSelector` is the workload's selector (Cilium confines it to the policy's namespace);
 * - each direction the intent isolates is in default deny, written out as `enableDefaultDeny`,
 *   with `[{}]` when it has no rules (Cilium does not isolate for an empty list);
 * - peers with the same ports share a rule per kind of peer (`toEndpoints`, `toCIDRSet`,
 *   `toEntities`, `toFQDNs`), because Cilium refuses rules that mix kinds;
 * - when the workload reaches DNS names, its DNS rules carry `rules.dns` (`matchPattern: '*'`), so
 *   that Cilium's DNS proxy sees the lookups `toFQDNs` needs.
 * @internal
 */
export function renderCiliumSpec(intent: PolicyIntent): CiliumNetworkPolicySpec {
  const dnsVisibility = intent.egress.some((p) => p.peer.renderCilium(intent.namespace).field === 'FQDNs');
  const ingress = rules(intent, intent.ingress, 'from', false) as CiliumNetworkPolicySpecIngress[];
  // Cilium sends a pod's lookups through its DNS proxy only when a policy of the pod itself has the
  // DNS rule: the namespace-wide policy's rule does not count.
  const egressPeers = dnsVisibility ? mergeDns(intent.egress, intent.namespaceDns) : intent.egress;
  const egress = rules(intent, egressPeers, 'to', dnsVisibility) as CiliumNetworkPolicySpecEgress[];
  return {
    endpointSelector: intent.selector.toJson(),
    ...(intent.ingressIsolated ? { ingress: ingress.length > 0 ? ingress : [{}] } : {}),
    ...(intent.egressIsolated ? { egress: egress.length > 0 ? egress : [{}] } : {}),
    enableDefaultDeny: { ingress: intent.ingressIsolated, egress: intent.egressIsolated },
  };
}

/** `egress` plus the DNS rules the namespace-wide policy grants, each DNS peer once with all its ports. */
function mergeDns(egress: readonly IntentPeer[], namespaceDns: readonly IntentPeer[]): IntentPeer[] {
  const byKey = new Map(egress.map((p) => [p.peer.key, p]));
  for (const dns of namespaceDns) {
    const own = byKey.get(dns.peer.key);
    const ports = own === undefined ? dns.ports : own.ports === 'all' || dns.ports === 'all' ? 'all' : [...own.ports, ...dns.ports.filter((p) => !(own.ports as Port[]).some((o) => p.isCoveredBy(o)))];
    byKey.set(dns.peer.key, { ...(own ?? dns), ports, dns: true });
  }
  return [...byKey.values()];
}

/** Cilium takes at most this many ports in one `toPorts` entry. */
const MAX_PORTS_PER_ENTRY = 40;

/** The rules of one direction: one per set of ports, kind of peer and DNS visibility. */
function rules(intent: PolicyIntent, peers: readonly IntentPeer[], side: 'from' | 'to', dnsVisibility: boolean): Record<string, unknown>[] {
  const groups = new Map<string, { peers: CiliumPeerEntry[]; keys: string[]; ports: IntentPeer['ports']; dns: boolean }>();
  for (const peer of peers) {
    const entry = peer.peer.renderCilium(intent.namespace);
    const dns = dnsVisibility && peer.dns;
    const key = `${portSetKey(peer.ports)}|${entry.field}|${dns}`;
    const group = groups.get(key) ?? { peers: [], keys: [], ports: peer.ports, dns };
    group.peers.push(entry);
    group.keys.push(peer.peer.key);
    groups.set(key, group);
  }
  return [...groups.entries()].sort(([a], [b]) => compare(a, b)).map(([, group]) => {
    const order = group.keys.map((k, i) => [k, i] as const).sort((a, b) => compare(a[0], b[0])).map(([, i]) => group.peers[i].entry);
    const field = `${side}${group.peers[0].field}`;
    const toPorts = group.ports === 'all' ? undefined : renderPorts(group.ports, group.dns);
    return { [TYPED_FIELD[field]]: order, ...(toPorts ? { toPorts } : {}) };
  });
}

/** The typed classes' property names for the rule fields (they rename `CIDR` and `FQDN`). */
const TYPED_FIELD: Record<string, string> = {
  fromEndpoints: 'fromEndpoints',
  fromCIDRSet: 'fromCidrSet',
  fromEntities: 'fromEntities',
  toEndpoints: 'toEndpoints',
  toCIDRSet: 'toCidrSet',
  toEntities: 'toEntities',
  toFQDNs: 'toFqdNs',
};

function renderPorts(ports: Port[], dns: boolean): CiliumNetworkPolicySpecEgressToPorts[] {
  const sorted = [...ports].sort((a, b) => compare(portSortKey(a), portSortKey(b))).map((port) => ({
    // Cilium writes every port of a protocol as port 0.
    port: port.number !== undefined ? String(port.number) : port.name ?? '0',
    protocol: port.protocol as unknown as CiliumNetworkPolicySpecEgressToPortsPortsProtocol,
    ...(port.endPort !== undefined ? { endPort: port.endPort } : {}),
  }));
  const entries: CiliumNetworkPolicySpecEgressToPorts[] = [];
  for (let i = 0; i < sorted.length; i += MAX_PORTS_PER_ENTRY) {
    entries.push({
      ports: sorted.slice(i, i + MAX_PORTS_PER_ENTRY),
      ...(dns ? { rules: { dns: [{ matchPattern: '*' }] } } : {}),
    });
  }
  return entries;
}
