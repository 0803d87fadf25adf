import { Construct } from 'constructs';
import { ClusterGuardrail } from './cluster-guardrail';
import { ClusterRule } from '../vocabulary/cluster-rule';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { NAMESPACE_NAME_LABEL } from '../vocabulary/k8s-rules';
import { A_LABEL_SELECTOR, LabelSelector } from '../vocabulary/label-selector';
import { Peer } from '../vocabulary/peer';
import { A_PORT, Port } from '../vocabulary/port';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

const PROPS: PropsSpec<AlwaysAllowMonitoringProps> = {
  scrapers: required(A_WORKLOAD),
  ports: required(Is.listOf(A_PORT)),
  namespaces: A_LABEL_SELECTOR,
};

/**
 * Properties of an {@link AlwaysAllowMonitoring}.
 *
 * @example
 * { scrapers: Workload.fromLabels({ 'app.kubernetes.io/name': 'prometheus' }, { namespace: 'monitoring' }), ports: [Port.named('metrics')] }
 */
export interface AlwaysAllowMonitoringProps {
  /** The pods that scrape (Prometheus, an OpenTelemetry collector), with their namespace. */
  readonly scrapers: Workload;

  /** The ports they scrape on the targets (a named port such as `Port.named('metrics')` follows each pod). */
  readonly ports: Port[];

  /**
   * The namespaces whose pods are scraped.
   * @default - every namespace
   */
  readonly namespaces?: LabelSelector;
}

/**
 * Monitoring scrapes always work: an Admin-tier guardrail that lets the scrapers into every pod (of
 * `namespaces`) on the scrape ports, whatever NetworkPolicies say, and one that lets the scrapers
 * out to them, so that neither side's NetworkPolicies drop a scrape. Only those ports: everything
 * else stays with the namespaces' policies.
 *
 * @example
 * new AlwaysAllowMonitoring(platform, 'scrapes', {
 *   scrapers: Workload.fromLabels({ 'app.kubernetes.io/name': 'prometheus' }, { namespace: 'monitoring' }),
 *   ports: [Port.named('metrics')],
 * });
 */
export class AlwaysAllowMonitoring extends Construct {
  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the scrapers, ports and scraped namespaces
   */
  constructor(scope: Construct, id: string, props: AlwaysAllowMonitoringProps) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    if (props.ports.length === 0) throw invalid(this.node.path, "'ports' is empty, so no scrape would be allowed", 'List the scrape ports, e.g. Port.named(\'metrics\')');
    const scrapers = props.scrapers._resolve(this);
    new ClusterGuardrail(this, 'Targets', {
      ...(props.namespaces ? { namespaces: props.namespaces } : {}),
      ingress: [ClusterRule.allow([Peer.workload(props.scrapers)], { ports: props.ports, name: 'scrapes' })],
    });
    new ClusterGuardrail(this, 'Scrapers', {
      namespaces: LabelSelector.matchLabels({ [NAMESPACE_NAME_LABEL]: scrapers.namespace }),
      ...(scrapers.selector.isEmpty ? {} : { pods: scrapers.selector }),
      egress: [ClusterRule.allow([props.namespaces ? Peer.namespaces(props.namespaces) : Peer.allNamespaces()], { ports: props.ports, name: 'scrapes' })],
    });
  }
}
