import { Construct } from 'constructs';
import { ClusterGuardrail } from './cluster-guardrail';
import { ClusterRule } from '../vocabulary/cluster-rule';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { checkProps, PropsSpec } from '../vocabulary/input-checks';
import { NAMESPACE_NAME_LABEL } from '../vocabulary/k8s-rules';
import { A_LABEL_SELECTOR, LabelSelector } from '../vocabulary/label-selector';
import { Peer } from '../vocabulary/peer';

const PROPS: PropsSpec<AlwaysAllowDnsProps> = { dns: A_DNS_RESOLVER, namespaces: A_LABEL_SELECTOR };

/**
 * Properties of an {@link AlwaysAllowDns}.
 *
 * @example
 * { dns: DnsResolver.nodeLocal() }
 */
export interface AlwaysAllowDnsProps {
  /**
   * The resolver the pods reach.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;

  /**
   * The namespaces whose pods always reach it.
   * @default - every namespace
   */
  readonly namespaces?: LabelSelector;
}

/**
 * DNS always works: an Admin-tier guardrail that allows the pods of every namespace (or of
 * `namespaces`) to reach the resolver on its ports, whatever NetworkPolicies say, and a second one
 * that lets the resolver's pods accept those queries, so that no NetworkPolicy of theirs drops them.
 *
 * @example
 * new AlwaysAllowDns(platform, 'dns');
 */
export class AlwaysAllowDns extends Construct {
  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the resolver and the namespaces
   */
  constructor(scope: Construct, id: string, props: AlwaysAllowDnsProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    const dns = props.dns ?? DnsResolver.kubeDns();
    if (dns.isNone) throw invalid(this.node.path, 'dns is DnsResolver.none(), so there is nothing to allow', 'Name the resolver, or leave dns out for kube-dns');
    const clients = props.namespaces ? Peer.namespaces(props.namespaces) : Peer.allNamespaces();
    new ClusterGuardrail(this, 'Egress', {
      ...(props.namespaces ? { namespaces: props.namespaces } : {}),
      egress: dns._rules().map((rule) => ClusterRule.allow([rule.peer], { ports: rule.ports, name: 'dns' })),
    });
    // The resolver's side, for the resolvers that are pods.
    dns._rules().forEach((rule, i) => {
      const pods = rule.peer._resolve('', this).workload;
      if (!pods) return;
      new ClusterGuardrail(this, `Resolver${i === 0 ? '' : i + 1}`, {
        namespaces: LabelSelector.matchLabels({ [NAMESPACE_NAME_LABEL]: pods.namespace }),
        pods: pods.selector,
        ingress: [ClusterRule.allow([clients], { ports: rule.ports, name: 'dns' })],
      });
    });
  }
}
