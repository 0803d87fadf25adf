import { Is, PropsSpec } from '../vocabulary/input-checks';

/**
 * Where the cluster's DNS resolver runs, so that the guardrails can tell whether egress-isolated
 * pods can still resolve names. The default is CoreDNS/kube-dns: pods labelled
 * `k8s-app: kube-dns` in `kube-system`, listening on port 53 (named `dns` on UDP and `dns-tcp` on
 * TCP, as CoreDNS declares them).
 *
 * @example
 * // NodeLocal DNSCache: pods reach the node-local address (or kube-dns behind it)
 * const dns: ClusterDns = { ips: ['169.254.20.10'] };
 * // OpenShift
 * const openShift: ClusterDns = { namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, port: 5353 };
 */
export interface ClusterDns {
  /**
   * The namespace of the DNS pods.
   * @default 'kube-system'
   */
  readonly namespace?: string;

  /**
   * The labels of the DNS pods.
   * @default { 'k8s-app': 'kube-dns' }
   */
  readonly podLabels?: { [key: string]: string };

  /**
   * Addresses that also answer DNS queries, such as NodeLocal DNSCache's `169.254.20.10`; an
   * `ipBlock` rule containing one of them reaches DNS.
   * @default - none
   */
  readonly ips?: string[];

  /**
   * The port the DNS pods listen on (UDP and TCP).
   * @default 53
   */
  readonly port?: number;
}

/**
 * What the guardrails need to know about the cluster, and which rules to run.
 *
 * @example
 * NetworkPolicyFindings.ofChart(chart, { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'], skipRules: ['NP019'] });
 */
export interface FindingOptions {
  /**
   * The cluster's pod CIDRs, e.g. `['10.244.0.0/16']`. When given, `ipBlock` peers that cover pod
   * addresses are reported (NP016).
   * @default - not checked
   */
  readonly podCidrs?: string[];

  /**
   * The cluster's Service CIDRs, e.g. `['10.96.0.0/12']`. When given, `ipBlock` peers that cover
   * Service addresses are reported (NP016).
   * @default - not checked
   */
  readonly serviceCidrs?: string[];

  /**
   * Where the cluster's DNS resolver runs.
   * @default - kube-dns: pods `k8s-app: kube-dns` in `kube-system`, port 53
   */
  readonly clusterDns?: ClusterDns;

  /**
   * The rules to run, by id (`NP001`) or name (`egress-blocks-dns-udp`).
   * @default - every rule
   */
  readonly rules?: string[];

  /**
   * Rules not to run, by id or name.
   * @default - none
   */
  readonly skipRules?: string[];
}

const STRINGS = Is.listOf(Is.string("'NP003'"));
const CIDRS = Is.listOf(Is.string("'10.244.0.0/16'"));
const CLUSTER_DNS: PropsSpec<ClusterDns> = {
  namespace: Is.namespaceName(),
  podLabels: Is.labels("{ 'k8s-app': 'kube-dns' }"),
  ips: Is.listOf(Is.string("'169.254.20.10'")),
  port: Is.number('53'),
};

/**
 * What each finding option must be, for the entries that take them.
 * @internal
 */
export const FINDING_OPTIONS: PropsSpec<FindingOptions> = {
  podCidrs: CIDRS,
  serviceCidrs: CIDRS,
  clusterDns: Is.struct(CLUSTER_DNS),
  rules: STRINGS,
  skipRules: STRINGS,
};
