import { PortRange, Reachability } from '../analyzer';
import { formatPortRanges } from '../analyzer/allowed-ports';
import { isUnrestricted } from '../reports/flow-graph';

/**
 * The facts `cdk8s-netpol analyze` reports besides findings: every pod's isolation and the allowed
 * flows between different pods.
 */

/** One pod's isolation. @internal */
export interface PodReport {
  readonly pod: string;
  readonly ingressIsolated: boolean;
  readonly egressIsolated: boolean;
  readonly ingressPolicies: string[];
  readonly egressPolicies: string[];
}

/** Connections one pod may open to another, and on which ports. @internal */
export interface FlowReport {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange[];
  /** e.g. `TCP 8080; UDP 53`, or `TCP all; UDP all; SCTP all` when unrestricted. */
  readonly summary: string;
  /** Whether every port of every protocol is allowed. */
  readonly unrestricted: boolean;
}

/** The whole report. @internal */
export interface AnalysisReport {
  readonly pods: PodReport[];
  readonly policies: string[];
  readonly flows: FlowReport[];
}

/** Builds the report. @internal */
export function buildAnalysisReport(reachability: Reachability): AnalysisReport {
  const model = reachability._model;
  const table = reachability._portTable;
  const pods = model.pods.map((_, i) => reachability._isolationAt(i));
  const flows: FlowReport[] = [];
  for (const [i, from] of model.pods.entries()) {
    for (const [j, to] of model.pods.entries()) {
      if (i === j) continue;
      const ports = table.allowedAt(i, j);
      if (ports.length === 0) continue;
      flows.push({ from: from.id, to: to.id, ports: [...ports], summary: formatPortRanges(ports), unrestricted: isUnrestricted(ports) });
    }
  }
  return { pods, policies: reachability.policies, flows };
}
