import { RowOptions, WorkloadRow, workloadRows } from './workload-rows';
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

/** The nodes of a graph and the rows they stand for, before any edge. @internal */
export interface FlowNodes {
  readonly nodes: FlowNode[];
  /** The row of each node, index for index. */
  readonly rows: WorkloadRow[];
  readonly externals: string[];
  readonly namespaces: string[];
}

/**
 * The nodes: one per workload (pods stamped from one template together), or per pod with
 * `podLevel`, with their isolation.
 * @internal
 */
export function buildFlowNodes(reachability: Reachability, options: RowOptions = {}): FlowNodes {
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
  return { nodes, rows, externals: reachability.externals, namespaces: [...new Set(nodes.map((n) => n.namespace))] };
}

/**
 * The edges with the analyzer's allowed ports, as they are found, so a caller can write them out
 * without holding them all: for each node in order the nodes it reaches (in order), then each
 * node's flows to external nodes, then external nodes' flows to each node. Only the class pairs
 * some Allow rule may connect are walked (`PortRangeTable.reachable`).
 * @param onRow called as rows are gone through (three times each: flows between pods, to external
 *   nodes, from them): rows done, and how many in all
 * @internal
 */
export function* flowEdges(reachability: Reachability, graph: FlowNodes, onRow?: (done: number, total: number) => void): Generator<FlowEdge> {
  const { nodes, rows, externals } = graph;
  const table = reachability._portTable;
  const classOf = reachability._engine.classOfEndpoint;
  const rowsOfClass = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const c = classOf[row.pod];
    const list = rowsOfClass.get(c);
    if (list) list.push(i); else rowsOfClass.set(c, [i]);
  });
  const edge = (from: string, to: string, ports: readonly PortRange[], open: boolean, external: boolean): FlowEdge =>
    ({ from, to, ports: [...ports], label: portLabel(ports), open, external });
  const total = rows.length * 3;
  for (let i = 0; i < rows.length; i++) {
    onRow?.(i, total);
    const reachable = table.reachable(classOf[rows[i].pod]);
    const targets: number[] = [];
    for (const d of reachable.keys()) for (const j of rowsOfClass.get(d) ?? []) if (j !== i) targets.push(j);
    targets.sort((a, b) => a - b);
    const from = nodes[i];
    for (const j of targets) {
      const to = nodes[j];
      const reached = reachable.get(classOf[rows[j].pod])!;
      yield edge(from.id, to.id, reached.ports, reached.open, false);
    }
  }
  // External nodes follow the pods in the engine's endpoints; nothing isolates them.
  const firstExternal = reachability.pods.length;
  for (let i = 0; i < rows.length; i++) {
    onRow?.(rows.length + i, total);
    const reachable = table.reachable(classOf[rows[i].pod]);
    for (let k = 0; k < externals.length; k++) {
      const reached = reachable.get(classOf[firstExternal + k]);
      if (reached) yield edge(nodes[i].id, externals[k], reached.ports, reached.open, true);
    }
  }
  for (let i = 0; i < rows.length; i++) {
    onRow?.(2 * rows.length + i, total);
    for (let k = 0; k < externals.length; k++) {
      const ports = table.allowedAt(firstExternal + k, rows[i].pod);
      if (ports.length > 0) yield edge(externals[k], nodes[i].id, ports, table.openAt(firstExternal + k, rows[i].pod), true);
    }
  }
}

/**
 * Builds the whole graph in memory, for pictures and reports of clusters that fit on a page.
 * @internal
 */
export function buildFlowGraph(reachability: Reachability, options: RowOptions = {}): FlowGraph {
  const graph = buildFlowNodes(reachability, options);
  return { nodes: graph.nodes, externals: graph.externals, edges: [...flowEdges(reachability, graph)], namespaces: graph.namespaces };
}
