import { PortRange, Reachability } from '../analyzer';
import { allowedPortRanges, formatPortRanges, isolatingPolicies } from '../analyzer/allowed-ports';

/**
 * The report `cdk8s-netpol analyze` prints: every pod's isolation, the allowed flows between
 * different pods, and findings. Findings come from pluggable producers so guardrails can be added
 * without touching the report.
 */

/** Something worth a reader's attention. @internal */
export interface Finding {
  /** `error` fails the command (exit code 1); `warning` and `info` do not. */
  readonly severity: 'error' | 'warning' | 'info';
  /** A stable identifier, e.g. `egress-without-dns`. */
  readonly code: string;
  readonly message: string;
  /** The pods concerned, as `namespace/name`. */
  readonly pods?: string[];
  /** The policies concerned, as `namespace/name`. */
  readonly policies?: string[];
}

/** Computes findings over the analyzed cluster. @internal */
export type FindingProducer = (reachability: Reachability) => Finding[];

/**
 * The producers `analyze` runs. Empty for now: the guardrails add theirs here.
 * @internal
 */
export const FINDING_PRODUCERS: FindingProducer[] = [];

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
  readonly findings: Finding[];
}

/** Builds the report. @internal */
export function buildAnalysisReport(reachability: Reachability, producers: readonly FindingProducer[] = FINDING_PRODUCERS): AnalysisReport {
  const model = reachability._model;
  const pods = reachability.pods.map((p) => reachability.isolation(p));
  const flows: FlowReport[] = [];
  const egressPolicies = model.pods.map((p) => isolatingPolicies(model, 'Egress', p));
  const ingressPolicies = model.pods.map((p) => isolatingPolicies(model, 'Ingress', p));
  for (const [i, from] of model.pods.entries()) {
    for (const [j, to] of model.pods.entries()) {
      if (from === to) continue;
      const ports = allowedPortRanges(model, from, to, egressPolicies[i], ingressPolicies[j]);
      if (ports.length === 0) continue;
      const unrestricted = ports.length === 3 && ports.every((r) => r.startPort === 1 && r.endPort === 65535);
      flows.push({ from: from.id, to: to.id, ports, summary: formatPortRanges(ports), unrestricted });
    }
  }
  const findings = producers.flatMap((produce) => produce(reachability));
  return { pods, policies: reachability.policies, flows, findings };
}
