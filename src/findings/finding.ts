/**
 * How much a finding matters. `ERROR`: traffic the author meant to allow is blocked, or a policy
 * does not do what it says; `WARNING`: a gap or a surprise worth fixing; `INFO`: worth knowing.
 *
 * @example
 * new NetworkPolicyGuardrails(chart, 'guardrails', { failOn: FindingSeverity.WARNING });
 */
export enum FindingSeverity {
  /** The policies do not do what they say, or break traffic the author meant to allow. */
  ERROR = 'error',
  /** A gap in isolation, or a construct that often surprises. */
  WARNING = 'warning',
  /** Worth knowing; often intended. */
  INFO = 'info',
}

/**
 * One problem the guardrails found in a set of NetworkPolicies, with the objects involved and the
 * fix.
 *
 * @example
 * for (const finding of NetworkPolicyFindings.ofChart(chart)) {
 *   console.log(`${finding.severity} ${finding.id} ${finding.subject}: ${finding.message}. Fix: ${finding.fix}`);
 * }
 */
export interface Finding {
  /** The rule's stable identifier, e.g. `NP008`. */
  readonly id: string;

  /** The rule's short name, e.g. `egress-blocks-dns-udp`. */
  readonly rule: string;

  /** How much it matters. */
  readonly severity: FindingSeverity;

  /**
   * What the finding is about, the key suppressions match: a pod (`namespace/name`), a
   * NetworkPolicy (`namespace/name`), a namespace (`name`) or a pair of pods (`ns/a->ns/b`).
   */
  readonly subject: string;

  /**
   * Every object involved, with its kind: `Deployment shop/web`, `NetworkPolicy shop/db`,
   * `Namespace shop`.
   */
  readonly objects: string[];

  /** What is wrong, naming the objects and where in them. */
  readonly message: string;

  /** How to fix it. */
  readonly fix: string;
}

/**
 * What one finding rule checks.
 *
 * @example
 * NetworkPolicyFindings.rules().map((rule) => `${rule.id} ${rule.rule}: ${rule.summary}`);
 */
export interface FindingRuleInfo {
  /** The stable identifier, e.g. `NP008`. */
  readonly id: string;

  /** The short name, e.g. `egress-blocks-dns-udp`. */
  readonly rule: string;

  /** The severity of its findings. */
  readonly severity: FindingSeverity;

  /** What it checks, in one sentence. */
  readonly summary: string;

  /** How to fix what it finds, in one sentence. */
  readonly fix: string;
}
