import { IConstruct } from 'constructs';
import { invalid, show } from './errors';
import { checkDns1123Label, checkExcept, IpFamily, NAMESPACE_NAME_LABEL, parseCidr, ParsedCidr } from './k8s-rules';
import { LabelSelector } from './label-selector';
import { nameFromSelector, ResolvedWorkload, Workload } from './workload';


/**
 * A peer with its namespace resolved: what the registry stores and renders.
 * @internal
 */
export interface ResolvedPeer {
  /** Identity for de-duplication: equal keys render equal entries in every namespace. */
  readonly key: string;
  /** Set when the peer is a workload inside the cluster, so the other side of a flow can be written. */
  readonly workload?: ResolvedWorkload;
  /** The `NetworkPolicyPeer` entry for a policy living in `policyNamespace`. */
  render(policyNamespace: string): any;
}

/**
 * The other side of a flow: pods, namespaces, or IP blocks. Make one with a static factory; each
 * renders one `NetworkPolicyPeer` entry (so pod and namespace selectors given together are ANDed,
 * never split into two entries that OR).
 *
 * Namespaces are selected by name through the `kubernetes.io/metadata.name` label the API server sets
 * on every namespace.
 *
 * @example
 * Peer.pods(LabelSelector.matchLabels({ app: 'web' }));
 * Peer.podsIn('monitoring', LabelSelector.matchLabels({ app: 'prometheus' }));
 * Peer.workload(Workload.of(deployment));
 * Peer.namespace('ingress-nginx');
 * Peer.ipv4('203.0.113.0/24');
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#behavior-of-to-and-from-selectors
 */
export class Peer {
  /**
   * Pods matching `selector` in the namespace of the workload the rule is about.
   * @param selector the pods' labels
   */
  public static pods(selector: LabelSelector): Peer {
    return new Peer(() => `pods ${selector}`, (ns) => podsPeer(ns, selector));
  }

  /**
   * Pods matching `selector` in the namespace named `namespace`.
   * @param namespace the namespace's name
   * @param selector the pods' labels
   */
  public static podsIn(namespace: string, selector: LabelSelector): Peer {
    checkNamespace(`Peer.podsIn(${show(namespace)})`, namespace);
    return new Peer(() => `pods ${selector} in ${namespace}`, () => podsPeer(namespace, selector));
  }

  /**
   * The pods of a workload (a selector in a namespace, or a cdk8s-plus-28 workload). Rules between two
   * workloads are written on both sides unless the construct is told otherwise.
   * @param workload the pods, e.g. `Workload.of(deployment)`
   */
  public static workload(workload: Workload): Peer {
    return new Peer(() => `workload ${workload.name}`, (_ns, scope) => {
      const resolved = workload._resolve(scope);
      return podsPeer(resolved.namespace, resolved.selector, resolved);
    });
  }

  /**
   * Every pod of the namespace named `name`.
   * @param name the namespace's name
   */
  public static namespace(name: string): Peer {
    checkNamespace(`Peer.namespace(${show(name)})`, name);
    return new Peer(() => `namespace ${name}`, () => podsPeer(name, LabelSelector._everything()));
  }

  /**
   * Every pod of every namespace matching `selector`.
   * @param selector the namespaces' labels
   */
  public static namespaces(selector: LabelSelector): Peer {
    return new Peer(() => `namespaces ${selector}`, () => namespacesPeer(selector, LabelSelector._everything()));
  }

  /** Every pod of every namespace (not traffic from outside the cluster): an explicit, wide choice. */
  public static allNamespaces(): Peer {
    return new Peer(() => 'all namespaces', () => namespacesPeer(LabelSelector._everything(), LabelSelector._everything()));
  }

  /**
   * Pods matching `pods` in namespaces matching `namespaces`: both must hold (one peer entry).
   * @param pods the pods' labels
   * @param namespaces the namespaces' labels
   */
  public static podsInNamespaces(pods: LabelSelector, namespaces: LabelSelector): Peer {
    return new Peer(() => `pods ${pods} in namespaces ${namespaces}`, () => namespacesPeer(namespaces, pods));
  }

  /**
   * An IPv4 block, optionally with holes. Use it for addresses outside the cluster: pod IPs are not
   * stable. `0.0.0.0/0` must be written as `Peer.anyIpv4()`.
   * @param cidr e.g. '203.0.113.0/24'
   * @param except blocks inside `cidr` to leave out
   * @default except - none
   */
  public static ipv4(cidr: string, except?: string[]): Peer {
    return Peer.ipBlock(`Peer.ipv4(${show(cidr)})`, 4, cidr, except ?? [], 'Peer.anyIpv4()');
  }

  /**
   * An IPv6 block, optionally with holes. `::/0` must be written as `Peer.anyIpv6()`.
   * @param cidr e.g. '2001:db8::/32'
   * @param except blocks inside `cidr` to leave out
   * @default except - none
   */
  public static ipv6(cidr: string, except?: string[]): Peer {
    return Peer.ipBlock(`Peer.ipv6(${show(cidr)})`, 6, cidr, except ?? [], 'Peer.anyIpv6()');
  }

  /**
   * Every IPv4 address (`0.0.0.0/0`), which includes pod and node IPs: an explicit, wide choice.
   * @param except blocks to leave out
   * @default except - none
   */
  public static anyIpv4(except?: string[]): Peer {
    return Peer.ipBlock('Peer.anyIpv4()', 4, '0.0.0.0/0', except ?? []);
  }

  /**
   * Every IPv6 address (`::/0`): an explicit, wide choice.
   * @param except blocks to leave out
   * @default except - none
   */
  public static anyIpv6(except?: string[]): Peer {
    return Peer.ipBlock('Peer.anyIpv6()', 6, '::/0', except ?? []);
  }

  /**
   * Every public IPv4 address: `0.0.0.0/0` except the private (RFC 1918), carrier-grade NAT,
   * loopback and link-local ranges, where pods, nodes and cloud metadata services live.
   */
  public static anyPublicIpv4(): Peer {
    return Peer.anyIpv4([...NON_PUBLIC_IPV4]);
  }

  /**
   * A resolved workload as a peer: the other side of a flow written on both sides.
   * @internal
   */
  public static _ofWorkload(workload: ResolvedWorkload): ResolvedPeer {
    return podsPeer(workload.namespace, workload.selector, workload);
  }

  private static ipBlock(where: string, family: IpFamily, cidrText: string, exceptText: string[], wideChoice?: string): Peer {
    const cidr = parseStrictCidr(where, family, cidrText);
    if (wideChoice && cidr.prefix === 0) {
      throw invalid(where, `${cidrText} is every IPv${family} address, pods and nodes included`, `If that is what you mean, say so with ${wideChoice}`);
    }
    const except = new Map<string, ParsedCidr>();
    for (const text of exceptText) {
      const hole = parseStrictCidr(`${where} except ${show(text)}`, family, text);
      const problem = checkExcept(cidr, hole);
      if (problem) throw invalid(where, `except entry ${show(text)} ${problem}`, 'Kubernetes rejects except entries that are not strictly inside the cidr');
      except.set(hole.canonical, hole);
    }
    const holes = [...except.keys()].sort();
    const entry = { ipBlock: { cidr: cidr.canonical, ...(holes.length > 0 ? { except: holes } : {}) } };
    const resolved: ResolvedPeer = { key: `ip|${JSON.stringify(entry)}`, render: () => entry };
    return new Peer(() => `${cidr.canonical}${holes.length > 0 ? ` except ${holes.join(', ')}` : ''}`, () => resolved);
  }

  private constructor(
    private readonly describe: () => string,
    private readonly resolver: (contextNamespace: string, scope: IConstruct) => ResolvedPeer,
  ) {}

  /** A readable form, e.g. `pods app=web in shop`. */
  public toString(): string {
    return this.describe();
  }

  /**
   * The peer seen from a rule about a workload in `contextNamespace`, used by the construct `scope`.
   * @internal
   */
  public _resolve(contextNamespace: string, scope: IConstruct): ResolvedPeer {
    return this.resolver(contextNamespace, scope);
  }
}

/** RFC 1918, RFC 6598, loopback and link-local IPv4 ranges. */
const NON_PUBLIC_IPV4 = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'];

function checkNamespace(where: string, name: string): void {
  const problem = checkDns1123Label(name);
  if (problem) throw invalid(where, `namespace name ${show(name)} ${problem}`);
}

function nameSelector(namespace: string): any {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } };
}

function podsPeer(namespace: string, selector: LabelSelector, workload?: ResolvedWorkload): ResolvedPeer {
  const pods = selector.toJson();
  return {
    key: `pods|${namespace}|${selector._key}`,
    // A namespace named as a peer is not a workload: writing its side would isolate every pod in it
    // by surprise. Peer.workload(Workload.allPods(ns)) says so explicitly, and gets its side written.
    workload: workload ?? (selector.isEmpty ? undefined : { namespace, selector, name: nameFromSelector(selector) }),
    render: (policyNamespace) => {
      if (policyNamespace === namespace) return { podSelector: pods };
      return selector.isEmpty ? { namespaceSelector: nameSelector(namespace) } : { namespaceSelector: nameSelector(namespace), podSelector: pods };
    },
  };
}

function namespacesPeer(namespaces: LabelSelector, pods: LabelSelector): ResolvedPeer {
  const entry = { namespaceSelector: namespaces.toJson(), ...(pods.isEmpty ? {} : { podSelector: pods.toJson() }) };
  return {
    key: `namespaces|${JSON.stringify(entry)}`,
    render: () => entry,
  };
}

function parseStrictCidr(where: string, family: IpFamily, text: string): ParsedCidr {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw invalid(where, `CIDR ${show(text)} ${parsed}`);
  if (parsed.family !== family) {
    throw invalid(where, `CIDR ${show(text)} is IPv${parsed.family}`, `Use Peer.ipv${parsed.family}(${show(text)})`);
  }
  if (parsed.hostBitsSet) {
    throw invalid(where, `CIDR ${show(text)} has host bits set beyond /${parsed.prefix}`, `Write ${show(parsed.canonical)} for the network, or /${family === 4 ? 32 : 128} for one address`);
  }
  return parsed;
}
