/**
 * The tier of a cluster guardrail: before the namespaces' NetworkPolicies, or after them.
 *
 * @example
 * new ClusterGuardrail(chart, 'guardrail', { tier: ClusterTier.BASELINE, egress: [ClusterRule.deny([Peer.allNamespaces()])] });
 */
export enum ClusterTier {
  /**
   * Checked before any NetworkPolicy: its Allow and Deny decisions cannot be overridden by a
   * namespace; Pass leaves the traffic to the NetworkPolicies.
   */
  ADMIN = 'Admin',
  /**
   * Checked only for traffic no NetworkPolicy decides (pods no NetworkPolicy isolates for that
   * direction): the defaults a namespace can override with its own NetworkPolicies.
   */
  BASELINE = 'Baseline',
}
