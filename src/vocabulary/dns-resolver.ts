import { invalid, show } from './errors';
import { checkArg, Expected, Is, required } from './input-checks';
import { parseIp } from './k8s-rules';
import { LabelSelector } from './label-selector';
import { A_PEER, Peer } from './peer';
import { A_PORT, Port } from './port';

/**
 * One destination of DNS traffic: peers and ports.
 * @internal
 */
export interface DnsRule {
  readonly peer: Peer;
  readonly ports: Port[];
}

/**
 * Where pods send DNS queries, so that egress isolation keeps name resolution working. The default
 * everywhere is `DnsResolver.kubeDns()`; `DnsResolver.none()` opts out.
 *
 * NetworkPolicy sees traffic after the DNS Service's address is translated to a pod, so rules name the
 * DNS pods and their container ports, not the Service.
 *
 * @example
 * DnsResolver.kubeDns();
 * DnsResolver.nodeLocal();
 * DnsResolver.openShift();
 * DnsResolver.custom([Peer.podsIn('dns', LabelSelector.matchLabels({ app: 'unbound' }))], [Port.DNS_UDP, Port.DNS_TCP]);
 *
 * @see https://kubernetes.io/docs/tasks/administer-cluster/dns-custom-nameservers/
 */
export class DnsResolver {
  /** CoreDNS/kube-dns: pods `k8s-app: kube-dns` in `kube-system`, 53/UDP and 53/TCP. */
  public static kubeDns(): DnsResolver {
    // The default of every construct: one shared (immutable) instance, so its rules resolve once.
    DnsResolver.kubeDnsInstance ??= new DnsResolver('kube-dns', [{ peer: KUBE_DNS_PODS, ports: [Port.DNS_UDP, Port.DNS_TCP] }]);
    return DnsResolver.kubeDnsInstance;
  }

  /**
   * NodeLocal DNSCache: its link-local listen address on every node, plus kube-dns behind it for
   * pods that reach it directly, 53/UDP and 53/TCP.
   * @param address the node-local listen address
   * @default address '169.254.20.10'
   * @see https://kubernetes.io/docs/tasks/administer-cluster/nodelocaldns/
   */
  public static nodeLocal(address?: string): DnsResolver {
    const where = `DnsResolver.nodeLocal(${address === undefined ? '' : show(address)})`;
    checkArg(where, 'address', address, Is.string("'169.254.20.10'"));
    if (address !== undefined && !parseIp(address)) {
      throw invalid(where, `address ${show(address)} is not an IP address`, "Give the node-local listen address, e.g. '169.254.20.10'");
    }
    const ports = [Port.DNS_UDP, Port.DNS_TCP];
    const listen = address ?? '169.254.20.10';
    const peer = listen.includes(':') ? Peer.ipv6(`${listen}/128`) : Peer.ipv4(`${listen}/32`);
    return new DnsResolver(`node-local ${listen}`, [{ peer, ports }, { peer: KUBE_DNS_PODS, ports }]);
  }

  /**
   * OpenShift's DNS operator: pods `dns.operator.openshift.io/daemonset-dns: default` in
   * `openshift-dns`, which listen on 5353/UDP and 5353/TCP behind the Service's port 53.
   */
  public static openShift(): DnsResolver {
    return new DnsResolver('openshift-dns', [{
      peer: Peer.podsIn('openshift-dns', LabelSelector.matchLabels({ 'dns.operator.openshift.io/daemonset-dns': 'default' })),
      ports: [Port.udp(5353), Port.tcp(5353)],
    }]);
  }

  /**
   * Any other resolver: DNS traffic may go to each of `peers` on each of `ports`.
   * @param peers where the DNS servers are, at least one
   * @param ports the ports they listen on, at least one
   */
  public static custom(peers: Peer[], ports: Port[]): DnsResolver {
    checkArg('DnsResolver.custom()', 'peers', peers, required(Is.listOf(A_PEER)));
    checkArg('DnsResolver.custom()', 'ports', ports, required(Is.listOf(A_PORT)));
    if (peers.length === 0 || ports.length === 0) {
      throw invalid('DnsResolver.custom()', 'needs at least one peer and one port', 'Name them, or use DnsResolver.none() for no DNS at all');
    }
    return new DnsResolver('custom', peers.map((peer) => ({ peer, ports })));
  }

  /** No DNS egress: for pods that resolve nothing, or whose DNS is allowed elsewhere. */
  public static none(): DnsResolver {
    return new DnsResolver('none', []);
  }

  private static kubeDnsInstance?: DnsResolver;

  /** A short name: `kube-dns`, `node-local 169.254.20.10`, `openshift-dns`, `custom` or `none`. */
  public readonly name: string;

  private constructor(name: string, private readonly rules: DnsRule[]) {
    this.name = name;
  }

  /** Whether this is `DnsResolver.none()`. */
  public get isNone(): boolean {
    return this.rules.length === 0;
  }

  /**
   * The egress rules that reach this resolver.
   * @internal
   */
  public _rules(): DnsRule[] {
    return this.rules;
  }
}

/**
 * A DNS resolver, as entries that take one expect it.
 * @internal
 */
export const A_DNS_RESOLVER: Expected = Is.instanceOf(DnsResolver, 'DnsResolver.kubeDns()');

const KUBE_DNS_PODS = Peer.podsIn('kube-system', LabelSelector.matchLabels({ 'k8s-app': 'kube-dns' }));
