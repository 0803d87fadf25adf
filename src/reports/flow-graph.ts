import { RowOptions, workloadRows } from './workload-rows';
import { PortRange, Reachability, formatPortRanges } from '../analyzer';

/**
 * The allowed flows, aggregated for pictures and reports: one edge per ordered pair of different
 * pods, and per pod and external node (addresses outside the cluster, in both directions), with
 * every port the analyzer allows between them. Self-edges are left out (a pod always reaches
 * itself).
 */

/** A workload (or a pod) in the graph. @internal */
export interface FlowNode {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** `Deployment`, `Pod`, … */
  readonly kind: string;
  /** The pods it stands for, as `namespace/name` (one for a pod or a workload object). */
  readonly pods: string[];
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly ingressPolicies: string[];
  readonly egressPolicies: string[];
}

/** Connections one pod may open to another. @internal */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange[];
  /** `TCP 8080`, `TCP 80, 443; UDP 53`, or `all ports`. */
  readonly label: string;
  /** Whether no policy restricts it: the source is not isolated for egress nor the destination for ingress. */
  readonly open: boolean;
  /** Whether one end is an external node (addresses outside the cluster). */
  readonly external: boolean;
}

/** Pods grouped by namespace, the external nodes, and the flows between them. @internal */
export interface FlowGraph {
  /** The pods. */
  readonly nodes: FlowNode[];
  /** The external nodes, e.g. `0.0.0.0/0 except 10.0.0.0/8`: never isolated. */
  readonly externals: string[];
  /** Flows between pods, then flows between pods and external nodes. */
  readonly edges: FlowEdge[];
  /** Namespaces in order of first appearance. */
  readonly namespaces: string[];
}

/** Whether ranges allow every port of every protocol. @internal */
export function isUnrestricted(ports: readonly PortRange[]): boolean {
  return ['TCP', 'UDP', 'SCTP'].every((p) => ports.some((r) => r.protocol === p && r.startPort === 1 && r.endPort === 65535));
}

/** The label of an edge. @internal */
export function portLabel(ports: readonly PortRange[]): string {
  return isUnrestricted(ports) ? 'all ports' : formatPortRanges(ports);
}

/** How to draw a graph. @internal */
export interface DrawOptions {
  /**
   * Also draw flows no policy restricts (between pods isolated neither way), which are every
   * pair of such pods on every port.
   * @default false
   */
  readonly openFlows?: boolean;
}

/** The edges a picture draws. @internal */
export function drawnEdges(graph: FlowGraph, options: DrawOptions = {}): FlowEdge[] {
  return options.openFlows ? graph.edges : graph.edges.filter((e) => !e.open);
}

/** The external nodes some drawn edge reaches, in the graph's order. @internal */
export function drawnExternals(graph: FlowGraph, edges: readonly FlowEdge[]): string[] {
  const used = new Set(edges.filter((e) => e.external).flatMap((e) => [e.from, e.to]));
  return graph.externals.filter((e) => used.has(e));
}

/**
 * Builds the graph with the analyzer's allowed ports for every ordered pair: one node per
 * workload (pods stamped from one template together), or per pod with `podLevel`.
 * @internal
 */
export function buildFlowGraph(reachability: Reachability, options: RowOptions = {}): FlowGraph {
  const rows = workloadRows(reachability, options);
  const nodes: FlowNode[] = rows.map((row) => {
    const isolation = reachability._isolationAt(row.pod);
    return {
      id: row.id,
      namespace: row.namespace,
      name: row.name,
      kind: row.kind,
      pods: row.pods,
      ingressIsolated: isolation.ingressIsolated,
      egressIsolated: isolation.egressIsolated,
      ingressPolicies: isolation.ingressPolicies,
      egressPolicies: isolation.egressPolicies,
    };
  });
  const table = reachability._portTable;
  const edges: FlowEdge[] = [];
  const edge = (from: string, to: string, ports: readonly PortRange[], open: boolean, external: boolean): void => {
    if (ports.length > 0) edges.push({ from, to, ports: [...ports], label: portLabel(ports), open, external });
  };
  nodes.forEach((from, i) => {
    nodes.forEach((to, j) => {
      if (i !== j) edge(from.id, to.id, table.allowedAt(rows[i].pod, rows[j].pod), !from.egressIsolated && !to.ingressIsolated, false);
    });
  });
  // External nodes follow the pods in the engine's endpoints; nothing isolates them.
  const externals = reachability.externals;
  const firstExternal = reachability.pods.length;
  nodes.forEach((node, i) => {
    externals.forEach((external, k) => edge(node.id, external, table.allowedAt(rows[i].pod, firstExternal + k), !node.egressIsolated, true));
  });
  nodes.forEach((node, i) => {
    externals.forEach((external, k) => edge(external, node.id, table.allowedAt(firstExternal + k, rows[i].pod), !node.ingressIsolated, true));
  });
  const namespaces = [...new Set(nodes.map((n) => n.namespace))];
  return { nodes, externals, edges, namespaces };
}
