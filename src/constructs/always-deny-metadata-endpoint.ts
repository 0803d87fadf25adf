import { Construct } from 'constructs';
import { ClusterGuardrail } from './cluster-guardrail';
import { nameFromPath } from './cluster-policy-names';
import { ClusterRule } from '../vocabulary/cluster-rule';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec } from '../vocabulary/input-checks';
import { A_LABEL_SELECTOR, LabelSelector } from '../vocabulary/label-selector';
import { A_PEER, Peer } from '../vocabulary/peer';

const PROPS: PropsSpec<AlwaysDenyMetadataEndpointProps> = { namespaces: A_LABEL_SELECTOR, endpoints: Is.listOf(A_PEER) };

/**
 * Properties of an {@link AlwaysDenyMetadataEndpoint}.
 *
 * @example
 * { namespaces: LabelSelector.of({ expressions: [LabelExpression.notIn('kubernetes.io/metadata.name', ['kube-system'])] }) }
 */
export interface AlwaysDenyMetadataEndpointProps {
  /**
   * The namespaces whose pods may never reach it (leave out the node agents that need it).
   * @default - every namespace
   */
  readonly namespaces?: LabelSelector;

  /**
   * The metadata endpoint's addresses.
   * @default - 169.254.169.254/32 (AWS, GCP, Azure, OpenStack) and fd00:ec2::254/128 (AWS over IPv6)
   */
  readonly endpoints?: Peer[];
}

/**
 * Pods never reach the cloud metadata endpoint, where node credentials live: an Admin-tier
 * guardrail that denies egress to it on every port, which no NetworkPolicy can open.
 *
 * @example
 * new AlwaysDenyMetadataEndpoint(platform, 'metadata');
 */
export class AlwaysDenyMetadataEndpoint extends Construct {
  /**
   * @param scope the parent construct
   * @param id the construct id
   * @param props the namespaces and the endpoint's addresses
   */
  constructor(scope: Construct, id: string, props: AlwaysDenyMetadataEndpointProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    if (props.endpoints?.length === 0) throw invalid(this.node.path, 'endpoints is empty, so nothing would be denied', 'Leave it out to deny the cloud metadata addresses');
    new ClusterGuardrail(this, 'Guardrail', {
      name: nameFromPath(this.node.path),
      ...(props.namespaces ? { namespaces: props.namespaces } : {}),
      egress: [ClusterRule.deny(props.endpoints ?? [Peer.ipv4('169.254.169.254/32'), Peer.ipv6('fd00:ec2::254/128')], { name: 'metadata-endpoint' })],
    });
  }
}
