/**
 * The direction of traffic a policy rule is about, as seen from the selected pods.
 *
 * @example
 * new DefaultDeny(chart, 'deny-ingress', { directions: [PolicyDirection.INGRESS] });
 */
export enum PolicyDirection {
  /** Traffic to the selected pods. */
  INGRESS = 'Ingress',
  /** Traffic from the selected pods. */
  EGRESS = 'Egress',
}
