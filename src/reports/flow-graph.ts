import { RowOptions, workloadRows } from './workload-rows';
import { PortRange, Reachability, formatPortRanges } from '../analyzer';
import { Direction } from '../analyzer/cluster-model';
import { TIERS } from '../analyzer/policy-tier';

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
  /** The policies of the Admin and Baseline tiers that apply to its ingress, in walk order (`AdminNetworkPolicy deny-all`). */
  readonly ingressClusterPolicies: string[];
  /** The policies of the Admin and Baseline tiers that apply to its egress, in walk order. */
  readonly egressClusterPolicies: string[];
}

/** Whether no policy of any tier applies to a node, in either direction. @internal */
export function isUnpoliced(node: FlowNode): boolean {
  return !node.ingressIsolated && !node.egressIsolated && node.ingressClusterPolicies.length === 0 && node.egressClusterPolicies.length === 0;
}

/** Connections one pod may open to another. @internal */
export interface FlowEdge {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange[];
  /** `TCP 8080`, `TCP 80, 443; UDP 53`, or `all ports`. */
  readonly label: string;
  /** Whether no policy of any tier decides any of its ports, on either side: everything is allowed by default. */
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
   * Also draw flows no policy restricts (no policy of any tier decides any of their ports), which
   * are every port between such pods.
   * @default false
   */
  readonly openFlows?: boolean;
}

/** What a picture says about itself, as comment lines (without the comment marker). @internal */
export const PICTURE_LEGEND: readonly string[] = [
  'Allowed flows between pods, and between pods and addresses outside the cluster (one edge per',
  'pair, with its ports). A pod always reaches itself.',
  'Dashed pods: no policy of any tier applies to them. Flows no policy of any tier restricts (every port allowed by default on both sides) are not drawn.',
];

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
  const engine = reachability._engine;
  const clusterPolicies = (pod: number, direction: Direction): string[] => {
    const program = engine.program(engine.classOfPod[pod], direction);
    return TIERS.flatMap((tier, t) => (tier === 'NetworkPolicy' ? [] : program.byTier[t].map((p) => p.object)));
  };
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
      ingressClusterPolicies: clusterPolicies(row.pod, 'Ingress'),
      egressClusterPolicies: clusterPolicies(row.pod, 'Egress'),
    };
  });
  const table = reachability._portTable;
  const edges: FlowEdge[] = [];
  const edge = (from: string, to: string, fromIndex: number, toIndex: number, external: boolean): void => {
    const ports = table.allowedAt(fromIndex, toIndex);
    if (ports.length > 0) edges.push({ from, to, ports: [...ports], label: portLabel(ports), open: table.openAt(fromIndex, toIndex), external });
  };
  nodes.forEach((from, i) => {
    nodes.forEach((to, j) => {
      if (i !== j) edge(from.id, to.id, rows[i].pod, rows[j].pod, false);
    });
  });
  // External nodes follow the pods in the engine's endpoints; nothing isolates them.
  const externals = reachability.externals;
  const firstExternal = reachability.pods.length;
  nodes.forEach((node, i) => {
    externals.forEach((external, k) => edge(node.id, external, rows[i].pod, firstExternal + k, true));
  });
  nodes.forEach((node, i) => {
    externals.forEach((external, k) => edge(external, node.id, firstExternal + k, rows[i].pod, true));
  });
  const namespaces = [...new Set(nodes.map((n) => n.namespace))];
  return { nodes, externals, edges, namespaces };
}
