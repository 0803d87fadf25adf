import type { PortRuleModel } from './cluster-model';
import type { EndpointModel } from './external-nodes';
import { Intervals, PROTOCOLS, PortSet } from './port-range-set';

/**
 * The ports a rule's port entries open on a destination. A named port resolves on the destination
 * pod's container ports of that name and protocol; an address outside the cluster has none.
 */

/** A probe's port and protocol. @internal */
export interface ProbePort {
  readonly port: number;
  readonly protocol: string;
}

/** The ports one port entry opens on `destination`. */
function entryRanges(entry: PortRuleModel, destination: EndpointModel): [number, number][] {
  if (entry.port === undefined) return [[1, 65535]];
  if (typeof entry.port === 'number') return [[entry.port, entry.endPort ?? entry.port]];
  return destination.ports.filter((p) => p.name === entry.port && p.protocol === entry.protocol).map((p) => [p.containerPort, p.containerPort]);
}

/** The ports a rule's entries open on `destination`: every port when it has none. @internal */
export function rulePortSet(entries: readonly PortRuleModel[], destination: EndpointModel): PortSet {
  if (entries.length === 0) return PortSet.ALL;
  const byProtocol: [number, number][][] = PROTOCOLS.map(() => []);
  for (const entry of entries) {
    const at = PROTOCOLS.indexOf(entry.protocol);
    if (at >= 0) byProtocol[at].push(...entryRanges(entry, destination));
  }
  return PortSet.fromIntervals(byProtocol as Intervals[]);
}

/** Whether a port entry admits the probe on the destination. @internal */
export function portEntryMatches(entry: PortRuleModel, destination: EndpointModel, probe: ProbePort): boolean {
  if (entry.protocol !== probe.protocol) return false;
  if (entry.port === undefined) return true;
  if (typeof entry.port === 'number') {
    return entry.endPort === undefined ? probe.port === entry.port : probe.port >= entry.port && probe.port <= entry.endPort;
  }
  return destination.ports.some((p) => p.name === entry.port && p.protocol === probe.protocol && p.containerPort === probe.port);
}

/** Whether a port entry's admission depends on the destination (a named port). @internal */
export function dependsOnDestination(entry: PortRuleModel): boolean {
  return typeof entry.port === 'string';
}

/** Readable form of a port entry, with named ports resolved on the destination. @internal */
export function formatPortEntry(entry: PortRuleModel, destination: EndpointModel): string {
  if (entry.port === undefined) return `every ${entry.protocol} port`;
  if (typeof entry.port === 'number') return `${entry.port}${entry.endPort !== undefined ? `-${entry.endPort}` : ''}/${entry.protocol}`;
  const resolved = destination.ports.filter((p) => p.name === entry.port && p.protocol === entry.protocol).map((p) => p.containerPort);
  return `'${entry.port}'/${entry.protocol} (${resolved.length ? `${resolved.join(', ')} on ${destination.id}` : `not a ${entry.protocol} container port of ${destination.id}`})`;
}
