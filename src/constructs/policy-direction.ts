import { Expected, Is } from '../vocabulary/input-checks';

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

/**
 * A direction, as entries that take one expect it.
 * @internal
 */
export const A_DIRECTION: Expected = Is.enumOf('PolicyDirection', PolicyDirection);
