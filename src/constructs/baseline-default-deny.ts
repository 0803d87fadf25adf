import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterGuardrail } from './cluster-guardrail';
import { nameFromPath } from './cluster-policy-names';
import { ClusterTier } from './cluster-tier';
import { A_DIRECTION, PolicyDirection } from './policy-direction';
import { ClusterRule } from '../vocabulary/cluster-rule';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec } from '../vocabulary/input-checks';
import { NAMESPACE_NAME_LABEL } from '../vocabulary/k8s-rules';
import { LabelExpression, LabelSelector } from '../vocabulary/label-selector';
import { Peer } from '../vocabulary/peer';

const PROPS: PropsSpec<BaselineDefaultDenyProps> = {
  namespaces: Is.listOf(Is.namespaceName()),
  directions: Is.listOf(A_DIRECTION),
  dns: A_DNS_RESOLVER,
  priority: Is.number('100'),
};

/**
 * Properties of a {@link BaselineDefaultDeny}.
 *
 * @example
 * { namespaces: ['shop', 'payments'], dns: DnsResolver.kubeDns() }
 */
export interface BaselineDefaultDenyProps {
  /**
   * The namespaces that start denied.
   * @default - the chart's namespace
   */
  readonly namespaces?: string[];

  /**
   * The directions to deny.
   * @default [PolicyDirection.INGRESS, PolicyDirection.EGRESS]
   */
  readonly directions?: PolicyDirection[];

  /**
   * The DNS resolver the pods keep reaching while egress is denied; `DnsResolver.none()` denies DNS
   * too.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;

  /**
   * The priority in the Baseline tier.
   * @default - allocated (see `ClusterGuardrail`)
   */
  readonly priority?: number;
}

/**
 * Every namespace listed starts denied, and each namespace opens what it needs with its own
 * NetworkPolicies: a Baseline-tier guardrail that denies traffic no NetworkPolicy decides. A pod
 * that a NetworkPolicy isolates for a direction is governed by the NetworkPolicies alone in that
 * direction; the others get this default deny instead of the default allow. Denying egress keeps DNS
 * unless `dns` says otherwise (an Allow rule before the Deny).
 *
 * What it cannot deny: ingress from outside the cluster (the API's ingress rules select pods and
 * namespaces only), which a namespace's `DefaultDeny` covers. Egress is denied to every pod and to
 * every IPv4 and IPv6 address.
 *
 * With `ClusterPolicyBackend.ADMIN_NETWORK_POLICY`, every `BaselineDefaultDeny` of the app with the
 * same directions and DNS becomes one subject of the BaselineAdminNetworkPolicy `default`.
 *
 * @example
 * new BaselineDefaultDeny(platform, 'baseline', { namespaces: ['shop', 'payments'] });
 *
 * @see https://network-policy-api.sigs.k8s.io/api-overview/
 */
export class BaselineDefaultDeny extends Construct {
  /** The guardrail it is made of. */
  public readonly guardrail: ClusterGuardrail;

  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the namespaces, directions and DNS
   */
  constructor(scope: Construct, id: string, props: BaselineDefaultDenyProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const directions = new Set(props.directions ?? [PolicyDirection.INGRESS, PolicyDirection.EGRESS]);
    if (directions.size === 0) throw invalid(this.node.path, 'directions is empty, so nothing would be denied', 'Leave it out to deny both directions');
    if (props.dns && !directions.has(PolicyDirection.EGRESS)) {
      throw invalid(this.node.path, `dns is set to ${props.dns.name} but egress is not denied, so it would have no effect`, 'Remove dns, or add PolicyDirection.EGRESS to directions');
    }
    const dns = props.dns ?? DnsResolver.kubeDns();
    this.guardrail = new ClusterGuardrail(this, 'Guardrail', {
      tier: ClusterTier.BASELINE,
      name: nameFromPath(this.node.path),
      namespaces: LabelSelector.of({ expressions: [LabelExpression.in(NAMESPACE_NAME_LABEL, this.namespaces(props.namespaces))] }),
      ingress: directions.has(PolicyDirection.INGRESS) ? [ClusterRule.deny([Peer.allNamespaces()], { name: 'default-deny' })] : [],
      egress: directions.has(PolicyDirection.EGRESS) ? [
        ...dns._rules().map((rule) => ClusterRule.allow([rule.peer], { ports: rule.ports, name: 'dns' })),
        ClusterRule.deny([Peer.allNamespaces(), Peer.anyIpv4(), Peer.anyIpv6()], { name: 'default-deny' }),
      ] : [],
      ...(props.priority !== undefined ? { priority: props.priority } : {}),
    });
  }

  /** The namespaces given, checked, or the chart's. */
  private namespaces(namespaces: string[] | undefined): string[] {
    if (namespaces === undefined) {
      const own = Chart.of(this).namespace;
      if (own === undefined) throw invalid(this.node.path, 'no namespaces given, and the chart has no namespace', "Name them: { namespaces: ['shop'] }");
      return [own];
    }
    if (namespaces.length === 0) throw invalid(this.node.path, 'namespaces is empty, so nothing would be denied', "Name at least one, or leave it out for the chart's");
    return namespaces;
  }
}
