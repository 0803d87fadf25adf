import type { PortRuleModel, SourceRef, UnmodelledModel } from './cluster-model';
import { MATCH_ALL, Selector, readSelector } from './label-matcher';
import { MODELLED_CLUSTER_POLICIES } from './policy-kinds';
import type { RuleAction, TierName } from './policy-tier';
import { ParsedCidr, parseCidr } from '../vocabulary/k8s-rules';

/**
 * The cluster-scoped policies of SIG Network's network-policy-api, read into one model:
 * ClusterNetworkPolicy (`policy.networking.k8s.io/v1alpha2`, tier Admin or Baseline) and the older
 * AdminNetworkPolicy (Admin tier) and BaselineAdminNetworkPolicy (Baseline tier) of `v1alpha1`.
 * They share their shape: a subject (pods by namespace, or by namespace and pod labels), a
 * priority, and ingress/egress rules in written order, each with an action, peers and ports.
 * `Accept` (v1alpha2) and `Allow` (v1alpha1) are the same action and read as `Allow`.
 *
 * What the analyzer cannot resolve is kept and reported (`unmodelled`), never dropped: egress
 * peers `nodes` (node IPs are not in the input) and `domainNames` (DNS answers are not either)
 * match nothing in the verdicts.
 *
 * @see https://network-policy-api.sigs.k8s.io/
 */

/**
 * A peer of a cluster policy rule. Exactly one of: `namespaceSelector` alone (every pod of the
 * matching namespaces), both selectors (pods), `networks` (addresses), or `unresolved` (matches
 * nothing in the verdicts, and is reported).
 * @internal
 */
export interface ClusterPeerModel {
  readonly namespaceSelector?: Selector;
  readonly podSelector?: Selector;
  readonly networks?: readonly ParsedCidr[];
  /** The peer field the analyzer cannot resolve (`nodes`, `domainNames`). */
  readonly unresolved?: string;
}

/** A rule of a cluster policy. Empty `ports`: every port of every protocol. @internal */
export interface ClusterRuleModel {
  readonly name?: string;
  readonly action: RuleAction;
  /** The action as written: `Accept`, `Allow`, `Deny` or `Pass`. */
  readonly writtenAction: string;
  /** The peers, any of which matches; empty only for a fail-closed Deny, which matches every peer. */
  readonly peers: readonly ClusterPeerModel[];
  readonly ports: readonly PortRuleModel[];
  /** Why the rule is read other than written (fail closed on a peer with no known field). */
  readonly note?: string;
}

/** A ClusterNetworkPolicy, AdminNetworkPolicy or BaselineAdminNetworkPolicy. @internal */
export interface ClusterPolicyModel {
  readonly kind: string;
  readonly apiVersion: string;
  /** The object's name (cluster-scoped). */
  readonly name: string;
  readonly tier: TierName;
  /** 0–1000, lower first; a BaselineAdminNetworkPolicy (a singleton) has 0. */
  readonly priority: number;
  /** The namespaces of the pods it applies to. */
  readonly subjectNamespaces: Selector;
  /** The pods it applies to within those namespaces; undefined: every pod. */
  readonly subjectPods?: Selector;
  readonly ingress: readonly ClusterRuleModel[];
  readonly egress: readonly ClusterRuleModel[];
  readonly source?: SourceRef;
}

const PROTOCOL_NAMES = ['TCP', 'UDP', 'SCTP'];

/**
 * Reads a modelled cluster policy (see `isModelledClusterPolicy`). Calls `reject` for what the API
 * server would reject (missing subject or priority, unknown action or tier, an invalid CIDR or
 * port); appends what it cannot resolve to `unmodelled`.
 * @param reject throws an error naming the object's source
 * @internal
 */
export function readClusterPolicy(obj: any, source: SourceRef, unmodelled: UnmodelledModel[],
  reject: (problem: string) => never): ClusterPolicyModel {
  const kind: string = obj.kind;
  const apiVersion: string = obj.apiVersion;
  const name = obj.metadata?.name;
  const fail = (problem: string): never => reject(`${kind} '${typeof name === 'string' ? name : '?'}' is invalid (the API server would reject it): ${problem}`);
  if (typeof name !== 'string' || name === '') fail('metadata.name is required');
  const spec = obj.spec ?? fail('spec is required');
  const v1alpha2 = kind === 'ClusterNetworkPolicy';
  const tier: TierName = MODELLED_CLUSTER_POLICIES[kind].tier ?? spec.tier;
  if (tier !== 'Admin' && tier !== 'Baseline') fail(`spec.tier: Unsupported value: ${JSON.stringify(spec.tier)}: supported values: "Admin", "Baseline"`);
  if (kind === 'BaselineAdminNetworkPolicy' && name !== 'default') {
    fail(`metadata.name: only one BaselineAdminNetworkPolicy, named "default", can exist in a cluster (got '${name}')`);
  }
  let priority = 0;
  if (kind !== 'BaselineAdminNetworkPolicy') {
    priority = spec.priority;
    if (!Number.isInteger(priority) || priority < 0 || priority > 1000) fail(`spec.priority: Invalid value: ${JSON.stringify(spec.priority)}: must be an integer from 0 to 1000`);
  }
  const subject = spec.subject ?? fail('spec.subject is required');
  const subjectKeys = Object.keys(subject);
  if (subjectKeys.length !== 1 || !['namespaces', 'pods'].includes(subjectKeys[0])) fail('spec.subject: exactly one of namespaces or pods must be set');
  const subjectNamespaces = subject.namespaces !== undefined
    ? readSelector(subject.namespaces)!
    : readSelector(subject.pods.namespaceSelector) ?? MATCH_ALL;
  const subjectPods = subject.pods !== undefined ? readSelector(subject.pods.podSelector) ?? MATCH_ALL : undefined;
  const actions = tier === 'Baseline' && !v1alpha2 ? ['Allow', 'Deny'] : v1alpha2 ? ['Accept', 'Deny', 'Pass'] : ['Allow', 'Deny', 'Pass'];

  const readRules = (direction: 'ingress' | 'egress'): ClusterRuleModel[] => (spec[direction] ?? []).map((raw: any, r: number) => {
    const path = `spec.${direction}[${r}]`;
    const writtenAction = raw?.action;
    if (!actions.includes(writtenAction)) fail(`${path}.action: Unsupported value: ${JSON.stringify(writtenAction)}: supported values: ${actions.map((a) => `"${a}"`).join(', ')}`);
    const action: RuleAction = writtenAction === 'Accept' ? 'Allow' : writtenAction;
    const peerField = direction === 'ingress' ? 'from' : 'to';
    const rawPeers = raw[peerField];
    if (!Array.isArray(rawPeers) || rawPeers.length === 0) fail(`${path}.${peerField}: Required value: at least one peer`);
    const ports = v1alpha2 ? readProtocols(raw.protocols, `${path}.protocols`, fail) : readPorts(raw.ports, `${path}.ports`, fail);
    const peers: ClusterPeerModel[] = [];
    let failClosed = false;
    rawPeers.forEach((p: any, i: number) => {
      const peerPath = `${path}.${peerField}[${i}]`;
      const peer = readPeer(p, peerPath, direction, fail);
      if (peer === undefined) { failClosed = true; return; }
      if (peer.unresolved) {
        unmodelled.push({
          kind,
          apiVersion,
          name,
          field: `${peerPath}.${peer.unresolved}`,
          reason: peer.unresolved === 'nodes'
            ? 'a nodes peer selects node IPs, which the manifests do not hold: the verdicts treat it as matching nothing'
            : 'a domainNames peer matches addresses by DNS name, which the analyzer cannot resolve: the verdicts treat it as matching nothing',
          source,
        });
      }
      peers.push(peer);
    });
    const base = { ...(typeof raw.name === 'string' ? { name: raw.name } : {}), writtenAction };
    if (failClosed) {
      // The API's field comment: a peer with no known field means a newer CRD than the
      // implementation knows; it fails closed: an Allow/Accept rule matches no traffic, a Deny
      // or Pass rule becomes "Deny all".
      const note = `a peer in ${peerField} sets no field the API defines, so the rule fails closed`;
      if (action === 'Allow') return { ...base, action, peers: [{}], ports, note: `${note}: it matches no traffic` };
      return { ...base, action: 'Deny', peers: [], ports: [], note: `${note}: it denies all traffic` };
    }
    return { ...base, action, peers, ports };
  });

  return { kind, apiVersion, name, tier, priority, subjectNamespaces, subjectPods, ingress: readRules('ingress'), egress: readRules('egress'), source };
}

/** A peer, or undefined when it sets no field the API defines (fail closed). */
function readPeer(raw: any, path: string, direction: 'ingress' | 'egress', fail: (p: string) => never): ClusterPeerModel | undefined {
  if (raw === null || typeof raw !== 'object') fail(`${path}: must be an object`);
  const known = direction === 'ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];
  const set = known.filter((k) => raw[k] !== undefined && raw[k] !== null);
  if (set.length === 0) return undefined;
  if (set.length > 1) fail(`${path}: exactly one of ${known.join(', ')} must be set (got ${set.join(', ')})`);
  const field = set[0];
  if (field === 'namespaces') return { namespaceSelector: readSelector(raw.namespaces)! };
  if (field === 'pods') return { namespaceSelector: readSelector(raw.pods.namespaceSelector) ?? MATCH_ALL, podSelector: readSelector(raw.pods.podSelector) ?? MATCH_ALL };
  if (field === 'networks') {
    if (!Array.isArray(raw.networks) || raw.networks.length === 0) fail(`${path}.networks: at least one CIDR`);
    return {
      networks: raw.networks.map((text: any, i: number) => {
        const cidr = parseCidr(String(text));
        if (typeof cidr === 'string') fail(`${path}.networks[${i}]: '${text}' ${cidr}`);
        return cidr as ParsedCidr;
      }),
    };
  }
  return { unresolved: field };
}

function checkPort(value: any, path: string, fail: (p: string) => never): number {
  if (!Number.isInteger(value) || value < 1 || value > 65535) fail(`${path}: Invalid value: ${JSON.stringify(value)}: must be a port from 1 to 65535`);
  return value;
}

function checkProtocol(value: any, path: string, fail: (p: string) => never): string {
  const protocol = value ?? 'TCP';
  if (!PROTOCOL_NAMES.includes(protocol)) fail(`${path}: Unsupported value: ${JSON.stringify(value)}: supported values: "TCP", "UDP", "SCTP"`);
  return protocol;
}

/** A named port matches the container port of that name, whatever its protocol. */
function namedPort(name: any, path: string, fail: (p: string) => never): PortRuleModel[] {
  if (typeof name !== 'string' || name === '') fail(`${path}: must be a container port name`);
  return PROTOCOL_NAMES.map((protocol) => ({ protocol, port: name }));
}

/** v1alpha1 `ports`: `portNumber`, `portRange` or `namedPort`. */
function readPorts(raw: any, path: string, fail: (p: string) => never): PortRuleModel[] {
  if (raw === undefined || raw === null) return [];
  return (raw as any[]).flatMap((entry, i): PortRuleModel[] => {
    const at = `${path}[${i}]`;
    if (entry?.portNumber) {
      return [{ protocol: checkProtocol(entry.portNumber.protocol, `${at}.portNumber.protocol`, fail), port: checkPort(entry.portNumber.port, `${at}.portNumber.port`, fail) }];
    }
    if (entry?.portRange) {
      const start = checkPort(entry.portRange.start, `${at}.portRange.start`, fail);
      const end = checkPort(entry.portRange.end, `${at}.portRange.end`, fail);
      if (end < start) fail(`${at}.portRange: end ${end} must not be less than start ${start}`);
      return [{ protocol: checkProtocol(entry.portRange.protocol, `${at}.portRange.protocol`, fail), port: start, endPort: end }];
    }
    if (entry?.namedPort !== undefined) return namedPort(entry.namedPort, `${at}.namedPort`, fail);
    return fail(`${at}: exactly one of portNumber, portRange or namedPort must be set`);
  });
}

/** v1alpha2 `protocols`: `tcp`/`udp`/`sctp` with a `destinationPort`, or `destinationNamedPort`. */
function readProtocols(raw: any, path: string, fail: (p: string) => never): PortRuleModel[] {
  if (raw === undefined || raw === null) return [];
  return (raw as any[]).flatMap((entry, i): PortRuleModel[] => {
    const at = `${path}[${i}]`;
    if (entry?.destinationNamedPort !== undefined) return namedPort(entry.destinationNamedPort, `${at}.destinationNamedPort`, fail);
    const key = ['tcp', 'udp', 'sctp'].find((k) => entry?.[k] !== undefined);
    if (!key) return fail(`${at}: exactly one of tcp, udp, sctp or destinationNamedPort must be set`);
    const protocol = key.toUpperCase();
    const destination = entry[key].destinationPort;
    if (destination === undefined || destination === null) return [{ protocol }];
    if (destination.number !== undefined) return [{ protocol, port: checkPort(destination.number, `${at}.${key}.destinationPort.number`, fail) }];
    if (destination.range !== undefined) {
      const start = checkPort(destination.range.start, `${at}.${key}.destinationPort.range.start`, fail);
      const end = checkPort(destination.range.end, `${at}.${key}.destinationPort.range.end`, fail);
      if (!(start < end)) fail(`${at}.${key}.destinationPort.range: Start port must be less than End port (${start}-${end})`);
      return [{ protocol, port: start, endPort: end }];
    }
    return fail(`${at}.${key}.destinationPort: exactly one of number or range must be set`);
  });
}
