import { Construct } from 'constructs';
import { ClusterGuardrail } from './cluster-guardrail';
import { ClusterRule } from '../vocabulary/cluster-rule';
import { invalid, show } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { checkLabelKey, checkLabelValue } from '../vocabulary/k8s-rules';
import { LabelExpression, LabelSelector } from '../vocabulary/label-selector';
import { Peer } from '../vocabulary/peer';

const PROPS: PropsSpec<TenantIsolationProps> = {
  labelKey: required(Is.string("'tenant'")),
  tenants: required(Is.listOf(Is.string("'acme'"))),
};

/**
 * Properties of a {@link TenantIsolation}.
 *
 * @example
 * { labelKey: 'tenant', tenants: ['acme', 'globex'] }
 */
export interface TenantIsolationProps {
  /** The namespace label whose value names a namespace's tenant. */
  readonly labelKey: string;

  /** The tenants (values of the label), at least one. */
  readonly tenants: string[];
}

/**
 * Tenants never reach each other: for each tenant, an Admin-tier guardrail on its namespaces (those
 * whose `labelKey` label has the tenant's value) that denies traffic from and to the namespaces of
 * every other tenant (the label present with another value), which no NetworkPolicy can open.
 * Namespaces without the label (the platform's) are not affected.
 *
 * @example
 * new TenantIsolation(platform, 'tenants', { labelKey: 'tenant', tenants: ['acme', 'globex'] });
 */
export class TenantIsolation extends Construct {
  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the label and the tenants
   */
  constructor(scope: Construct, id: string, props: TenantIsolationProps) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const tenants = [...new Set(props.tenants)].sort();
    if (tenants.length === 0) throw invalid(this.node.path, 'tenants is empty, so nobody would be isolated', 'List the tenants, e.g. { tenants: [\'acme\', \'globex\'] }');
    const keyProblem = checkLabelKey(props.labelKey);
    if (keyProblem) throw invalid(this.node.path, `labelKey ${show(props.labelKey)} ${keyProblem}`, "Use the namespaces' label key, e.g. 'tenant'");
    for (const tenant of tenants) {
      const problem = tenant === '' ? 'is empty, which names no tenant' : checkLabelValue(tenant);
      if (problem) throw invalid(this.node.path, `tenant ${show(tenant)} ${problem}`, "Use the tenant's label value as the namespaces have it, e.g. 'acme'");
    }
    for (const tenant of tenants) {
      const others = Peer.namespaces(LabelSelector.of({
        expressions: [LabelExpression.exists(props.labelKey), LabelExpression.notIn(props.labelKey, [tenant])],
      }));
      new ClusterGuardrail(this, tenant, {
        namespaces: LabelSelector.matchLabels({ [props.labelKey]: tenant }),
        ingress: [ClusterRule.deny([others], { name: 'other-tenants' })],
        egress: [ClusterRule.deny([others], { name: 'other-tenants' })],
      });
    }
  }
}
