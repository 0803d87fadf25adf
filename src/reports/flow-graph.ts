import { PortRange, Reachability, formatPortRanges } from '../analyzer';

/**
 * The allowed flows between different pods, aggregated for pictures and reports: one edge per
 * ordered pair of pods with every port the analyzer allows between them. Self-edges are left out
 * (a pod always reaches itself), and so are addresses outside the cluster (ipBlocks, rules without
 * peers): the graph shows pods of the manifests only.
 */

/** A pod in the graph. @internal */
export interface FlowNode {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** `Deployment`, `Pod`, … */
  readonly kind: string;
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
}

/** Pods grouped by namespace, and the flows between them. @internal */
export interface FlowGraph {
  readonly nodes: FlowNode[];
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

/** Builds the graph with the analyzer's allowed ports for every ordered pair. @internal */
export function buildFlowGraph(reachability: Reachability): FlowGraph {
  const model = reachability._model;
  const nodes: FlowNode[] = model.pods.map((pod, i) => {
    const isolation = reachability._isolationAt(i);
    return {
      id: pod.id,
      namespace: pod.namespace,
      name: pod.name,
      kind: pod.kind === 'Declared' ? 'Pod' : pod.kind,
      ingressIsolated: isolation.ingressIsolated,
      egressIsolated: isolation.egressIsolated,
      ingressPolicies: isolation.ingressPolicies,
      egressPolicies: isolation.egressPolicies,
    };
  });
  const table = reachability._portTable;
  const edges: FlowEdge[] = [];
  nodes.forEach((from, i) => {
    nodes.forEach((to, j) => {
      if (i === j) return;
      const ports = table.allowedAt(i, j);
      if (ports.length === 0) return;
      edges.push({ from: from.id, to: to.id, ports: [...ports], label: portLabel(ports), open: !from.egressIsolated && !to.ingressIsolated });
    });
  });
  const namespaces = [...new Set(nodes.map((n) => n.namespace))];
  return { nodes, edges, namespaces };
}
