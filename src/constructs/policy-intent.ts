import { IConstruct } from 'constructs';
import { LabelSelector } from '../vocabulary/label-selector';
import { ResolvedPeer } from '../vocabulary/peer';
import { Port } from '../vocabulary/port';

/** What a rule allows a peer: listed ports, or every port of every protocol. @internal */
export type PortSet = Port[] | 'all';

/** One peer of a workload's merged rules for a direction, and what it may use. @internal */
export interface IntentPeer {
  readonly peer: ResolvedPeer;
  readonly ports: PortSet;
  /** The constructs that asked for it (none for rules the library adds, such as DNS). */
  readonly requesters: readonly IConstruct[];
  /** Whether it is the DNS resolver the workload keeps reaching. */
  readonly dns: boolean;
}

/**
 * Everything the app declared about one workload, merged and de-duplicated: the single source each
 * backend (NetworkPolicy v1, CiliumNetworkPolicy) renders its own object from. A backend never sees
 * the constructs, only this.
 * @internal
 */
export interface PolicyIntent {
  readonly namespace: string;
  readonly name: string;
  /** The workload's pods (empty: every pod of the namespace). */
  readonly selector: LabelSelector;
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly ingress: readonly IntentPeer[];
  readonly egress: readonly IntentPeer[];
  /**
   * The DNS rules left out of `egress` because the namespace-wide policy grants them already (a
   * backend that needs them on the workload itself, as Cilium does to see its lookups, adds them).
   */
  readonly namespaceDns: readonly IntentPeer[];
}

/** A sort key of a port: protocol, then numbers before names. @internal */
export function portSortKey(port: Port): string {
  return `${port.protocol}|${port.name !== undefined ? 1 : 0}|${String(port.number ?? 0).padStart(5, '0')}|${port.endPort ?? ''}|${port.name ?? ''}`;
}

/** A key equal for equal port sets. @internal */
export function portSetKey(ports: PortSet): string {
  return ports === 'all' ? 'all' : ports.map(portSortKey).sort().join(',');
}
