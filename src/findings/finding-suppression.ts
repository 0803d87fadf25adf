/**
 * A finding the team accepts, with the reason on record. Suppressed findings do not fail synth or
 * the CLI, and reports list them with their reason.
 *
 * @example
 * { id: 'NP003', subject: 'legacy', reason: 'Namespace retired in Q3; its pods have no network access anyway' }
 */
export interface FindingSuppression {
  /** The rule's id (`NP003`) or name. */
  readonly id: string;

  /**
   * The finding's subject: a pod or NetworkPolicy (`namespace/name`), a namespace (`name`), a pair
   * of pods (`ns/a->ns/b`), or `*` for every subject of the rule.
   */
  readonly subject: string;

  /** Why it is accepted; shown in reports. */
  readonly reason: string;
}
