/**
 * The direction of traffic a policy rule is about, as seen from the selected pods.
 */
export enum PolicyDirection {
  /** Traffic to the selected pods. */
  INGRESS = 'Ingress',
  /** Traffic from the selected pods. */
  EGRESS = 'Egress',
}
