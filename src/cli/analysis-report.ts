import { PortRange, Reachability } from '../analyzer';
import { formatPortRanges } from '../analyzer/allowed-ports';
import { FlowEdge, FlowGraph, FlowNode, FlowNodes, buildFlowGraph, flowEdges, isUnrestricted } from '../reports/flow-graph';

/**
 * The facts `cdk8s-netpol analyze` reports besides findings: every pod's isolation, the external
 * nodes, and the allowed flows between different pods and between pods and external nodes.
 */

/** One workload's (or pod's) isolation. @internal */
export interface PodReport {
  /** The workload, or the pod. */
  readonly pod: string;
  /** The pods it stands for. */
  readonly pods: string[];
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly ingressPolicies: string[];
  readonly egressPolicies: string[];
  /** The Admin and Baseline tier policies that apply to its ingress (`AdminNetworkPolicy deny-all`). */
  readonly ingressClusterPolicies: string[];
  /** The Admin and Baseline tier policies that apply to its egress. */
  readonly egressClusterPolicies: string[];
}

/** Connections one endpoint may open to another, and on which ports. @internal */
export interface FlowReport {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange[];
  /** e.g. `TCP 8080; UDP 53`, or `TCP all; UDP all; SCTP all` when unrestricted. */
  readonly summary: string;
  /** Whether every port of every protocol is allowed. */
  readonly unrestricted: boolean;
  /** Whether one end is an external node (addresses outside the cluster). */
  readonly external: boolean;
  /** Whether no policy of any tier decides any of its ports, on either side (every port allowed by default). */
  readonly open: boolean;
}

/** The whole report. @internal */
export interface AnalysisReport {
  readonly pods: PodReport[];
  readonly policies: string[];
  /** The external nodes: the addresses outside the cluster, split by every CIDR the policies mention. */
  readonly externals: string[];
  /** Flows between different pods, then between pods and external nodes. */
  readonly flows: FlowReport[];
}

/** The report with its flows produced one at a time, for output written as it goes. @internal */
export interface StreamedAnalysisReport {
  readonly pods: PodReport[];
  readonly policies: string[];
  readonly externals: string[];
  /** Flows between different pods, then between pods and external nodes. */
  readonly flows: Iterable<FlowReport>;
}

function podReports(nodes: readonly FlowNode[]): PodReport[] {
  return nodes.map((n) => ({
    pod: n.id,
    pods: n.pods,
    ingressIsolated: n.ingressIsolated,
    egressIsolated: n.egressIsolated,
    ingressPolicies: n.ingressPolicies,
    egressPolicies: n.egressPolicies,
    ingressClusterPolicies: n.ingressClusterPolicies,
    egressClusterPolicies: n.egressClusterPolicies,
  }));
}

function flowReport(e: FlowEdge): FlowReport {
  return {
    from: e.from,
    to: e.to,
    ports: e.ports,
    summary: formatPortRanges(e.ports),
    unrestricted: isUnrestricted(e.ports),
    external: e.external,
    open: e.open,
  };
}

/** Builds the report, from the flow graph when one is built already. @internal */
export function buildAnalysisReport(reachability: Reachability, graph: FlowGraph = buildFlowGraph(reachability)): AnalysisReport {
  return { pods: podReports(graph.nodes), policies: reachability.policies, externals: graph.externals, flows: graph.edges.map(flowReport) };
}

/**
 * The report with its flows computed as they are read, from the graph's nodes.
 * @param onRow called as the flows of each row are produced: rows done, and the rows to go through
 * @internal
 */
export function streamAnalysisReport(reachability: Reachability, graph: FlowNodes,
  onRow?: (done: number, total: number) => void): StreamedAnalysisReport {
  return {
    pods: podReports(graph.nodes),
    policies: reachability.policies,
    externals: graph.externals,
    flows: { [Symbol.iterator]: () => mapIterator(flowEdges(reachability, graph, onRow), flowReport) },
  };
}

function* mapIterator<A, B>(items: Iterable<A>, fn: (a: A) => B): Generator<B> {
  for (const item of items) yield fn(item);
}
