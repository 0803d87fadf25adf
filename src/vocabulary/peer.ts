import { IConstruct } from 'constructs';
import { cidrDifference } from './cidr-difference';
import { invalid, show } from './errors';
import { checkArg, checkProps, Expected, Is, PropsSpec, required } from './input-checks';
import { checkDns1123Subdomain, checkExcept, checkPortNumber, IpFamily, NAMESPACE_NAME_LABEL, parseCidr, ParsedCidr } from './k8s-rules';
import { A_LABEL_SELECTOR, LabelSelector } from './label-selector';
import { Port, Protocol } from './port';
import { A_SERVICE, readService, serviceTargetPorts } from './service';
import { A_WORKLOAD, nameFromSelector, ResolvedWorkload, Workload } from './workload';


/**
 * How a peer appears in a CiliumNetworkPolicy rule: the L3 field (`Endpoints`, `CIDRSet`,
 * `Entities` or `FQDNs`, after `from`/`to`) and its entry.
 * @internal
 */
export interface CiliumPeerEntry {
  readonly field: 'Endpoints' | 'CIDRSet' | 'Entities' | 'FQDNs';
  readonly entry: any;
}

/**
 * How a peer appears in a cluster-tier rule (ClusterNetworkPolicy, AdminNetworkPolicy): exactly one
 * of `namespaces` (every pod of the matching namespaces), `pods` (pods by namespace and pod labels)
 * or `networks` (CIDRs, with any `except` already cut out).
 * @internal
 */
export interface ClusterPeerEntry {
  readonly namespaces?: any;
  readonly pods?: { readonly namespaceSelector: any; readonly podSelector: any };
  readonly networks?: readonly string[];
}

/**
 * A peer with its namespace resolved: what the registry stores, and what each backend renders.
 * @internal
 */
export interface ResolvedPeer {
  /** Identity for de-duplication: equal keys render equal entries in every namespace. */
  readonly key: string;
  /** Set when the peer is a workload inside the cluster, so the other side of a flow can be written. */
  readonly workload?: ResolvedWorkload;
  /** Why NetworkPolicy v1 cannot express the peer, and what can: rendering it there fails with this. */
  readonly networkPolicyRefusal?: { readonly problem: string; readonly fix: string };
  /** What a NetworkPolicy v1 rendering of the peer leaves to the CNI, printed when it is rendered. */
  readonly networkPolicyWarning?: string;
  /** Set when the peer can only be a destination (a DNS name). */
  readonly destinationOnly?: boolean;
  /** The `NetworkPolicyPeer` entries for a policy living in `policyNamespace` (none when refused). */
  render(policyNamespace: string): any[];
  /** The entry of a CiliumNetworkPolicy rule for a policy living in `policyNamespace`. */
  renderCilium(policyNamespace: string): CiliumPeerEntry;
  /**
   * The entry of a cluster-tier rule; throws, naming `where`, for a peer the cluster tier cannot
   * select (a DNS name, the API server without its addresses, pods relative to no namespace).
   */
  renderCluster(where: string): ClusterPeerEntry;
  /**
   * The ports a connection to the peer arrives on, for the ports a grant names (a Service's ports
   * become its target ports). Throws, naming `where`, for a port the peer does not serve.
   */
  destinationPorts?(ports: Port[], where: string): Port[];
}

/**
 * Options of a DNS-name peer.
 *
 * @example
 * Peer.fqdn('api.stripe.com', { fallbackCidrs: ['203.0.113.0/24'] });
 */
export interface FqdnOptions {
  /**
   * Address blocks NetworkPolicy v1 allows instead of the name (it cannot select names). Other
   * backends ignore them.
   * @default - none: the NetworkPolicy v1 backend refuses the name
   */
  readonly fallbackCidrs?: string[];
}

/**
 * Where the Kubernetes API server is, for backends that select it by address.
 *
 * @example
 * Peer.kubeApiServer({ endpoints: ['10.0.0.1'], port: 6443 });
 */
export interface KubeApiServerOptions {
  /**
   * The API server's endpoint IPs (or CIDRs), as `kubectl get endpointslices -n default -l
   * kubernetes.io/service-name=kubernetes` lists them. NetworkPolicy v1 needs them.
   * @default - none: only the Cilium backend can express the peer
   */
  readonly endpoints?: string[];

  /**
   * The port the endpoints listen on (6443 on kubeadm clusters, 443 on most managed ones).
   * @default 443
   */
  readonly port?: number;
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
    checkArg('Peer.pods()', 'selector', selector, required(A_LABEL_SELECTOR));
    return new Peer(() => `pods ${selector}`, (ns) => podsPeer(ns, selector));
  }

  /**
   * Pods matching `selector` in the namespace named `namespace`.
   * @param namespace the namespace's name
   * @param selector the pods' labels
   */
  public static podsIn(namespace: string, selector: LabelSelector): Peer {
    const where = `Peer.podsIn(${show(namespace)})`;
    checkArg(where, 'namespace name', namespace, A_NAMESPACE);
    checkArg(where, 'selector', selector, required(A_LABEL_SELECTOR));
    return new Peer(() => `pods ${selector} in ${namespace}`, () => podsPeer(namespace, selector));
  }

  /**
   * The pods of a workload (a selector in a namespace, or a cdk8s-plus workload of any line). Rules between two
   * workloads are written on both sides unless the construct is told otherwise.
   * @param workload the pods, e.g. `Workload.of(deployment)`
   */
  public static workload(workload: Workload): Peer {
    checkArg('Peer.workload()', 'workload', workload, required(A_WORKLOAD));
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
    checkArg(`Peer.namespace(${show(name)})`, 'namespace name', name, A_NAMESPACE);
    return new Peer(() => `namespace ${name}`, () => podsPeer(name, LabelSelector._everything()));
  }

  /**
   * Every pod of every namespace matching `selector`.
   * @param selector the namespaces' labels
   */
  public static namespaces(selector: LabelSelector): Peer {
    checkArg('Peer.namespaces()', 'selector', selector, required(A_LABEL_SELECTOR));
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
    checkArg('Peer.podsInNamespaces()', 'pods', pods, required(A_LABEL_SELECTOR));
    checkArg('Peer.podsInNamespaces()', 'namespaces', namespaces, required(A_LABEL_SELECTOR));
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
   * The pods behind a Service, reached on its ports: rules name the Service's ports (`Port.HTTP`
   * for a Service port 80) and are written with the target ports on its pods, which is what
   * policies see. Like `Peer.workload`, the other side of the flow is written too.
   * @param service a cdk8s-plus Service (any version), a KubeService or an ApiObject of kind Service
   */
  public static service(service: IConstruct): Peer {
    checkArg('Peer.service()', 'service', service, required(A_SERVICE));
    const where = `Peer.service(${service.node.path})`;
    return new Peer(() => `service ${service.node.path}`, (_ns, scope) => {
      const spec = readService(service, where);
      const resolved = Workload.fromService(service)._resolve(scope);
      const pods = podsPeer(resolved.namespace, resolved.selector, resolved);
      return { ...pods, destinationPorts: (ports, grant) => serviceTargetPorts(spec, ports, grant) };
    });
  }

  /**
   * A DNS name outside the cluster, exact (`api.stripe.com`) or every name one label below a
   * domain (`*.amazonaws.com`). Only a destination. CiliumNetworkPolicy expresses it (`toFQDNs`, with
   * the DNS rule Cilium needs to see the lookups); NetworkPolicy v1 cannot select names, so rendering
   * it there fails unless `fallbackCidrs` name the addresses to allow instead.
   * @param name the name, or `*.` and a domain
   * @param options fallback address blocks for NetworkPolicy v1
   * @default options - no fallback: NetworkPolicy v1 refuses the name
   */
  public static fqdn(name: string, options: FqdnOptions = {}): Peer {
    const where = `Peer.fqdn(${show(name)})`;
    checkArg(where, 'name', name, required(Is.string("'api.stripe.com'")));
    checkProps(where, options, FQDN_OPTIONS, 'options');
    const normalized = name.trim().toLowerCase().replace(/\.$/, '');
    const wildcard = normalized.startsWith('*.');
    const domain = wildcard ? normalized.slice(2) : normalized;
    if (domain.includes('*')) {
      throw invalid(where, '\'*\' may only start a name, as \'*.\' before a domain', "Write an exact name ('api.stripe.com') or a wildcard for one label below a domain ('*.stripe.com')");
    }
    const problem = checkDns1123Subdomain(domain);
    if (problem) throw invalid(where, `${wildcard ? 'the domain after \'*.\'' : 'the name'} ${show(domain)} ${problem}`, "Write a DNS name such as 'api.stripe.com' or '*.stripe.com'");
    const fallbackPeers = (options.fallbackCidrs ?? []).map((text) => {
      const parsed = parseCidr(text);
      if (typeof parsed === 'string') throw invalid(where, `fallback CIDR ${show(text)} ${parsed}`, CIDR_FIX);
      return blockPeer(`${where} fallback`, parsed.family, text, []).resolved;
    });
    const entry = wildcard ? { matchPattern: normalized } : { matchName: normalized };
    const resolved: ResolvedPeer = {
      key: `fqdn|${normalized}|${fallbackPeers.map((p) => p.key).join(',')}`,
      destinationOnly: true,
      render: (ns) => fallbackPeers.flatMap((p) => p.render(ns)),
      ...(fallbackPeers.length === 0 ? {
        networkPolicyRefusal: {
          problem: `${where}: NetworkPolicy v1 cannot select a DNS name`,
          fix: `Render with the Cilium backend (PolicyBackend.use(app, [PolicyBackend.CILIUM])), which writes toFQDNs, or give the addresses to allow instead: Peer.fqdn(${show(name)}, { fallbackCidrs: ['203.0.113.0/24'] })`,
        },
      } : {}),
      renderCilium: () => ({ field: 'FQDNs', entry }),
      renderCluster: (at) => {
        if (fallbackPeers.length === 0) {
          throw invalid(at, `${where}: the cluster tier's standard API cannot select a DNS name (domainNames is an experimental field implementations need not support)`,
            `Give the addresses to allow instead: Peer.fqdn(${show(name)}, { fallbackCidrs: ['203.0.113.0/24'] }), or allow the name per workload with the Cilium backend`);
        }
        return { networks: fallbackPeers.flatMap((p) => p.renderCluster(at).networks!) };
      },
    };
    return new Peer(() => `fqdn ${normalized}`, () => resolved);
  }

  /**
   * The Kubernetes API server, for operators and controllers that call it and for admission
   * webhooks it calls. CiliumNetworkPolicy selects it by identity (`kube-apiserver` entity).
   * NetworkPolicy v1 has no such selector: it needs the API server's endpoint addresses (`kubectl get
   * endpointslices -n default -l kubernetes.io/service-name=kubernetes`) and allows them as ipBlocks,
   * which CNIs treat differently (a warning says so). As a destination, `Port.HTTPS` (the
   * `kubernetes` Service's port) is written as the endpoints' `port`.
   * @param options the endpoints and their port
   * @default options - no endpoints (only Cilium can express it), port 443
   */
  public static kubeApiServer(options: KubeApiServerOptions = {}): Peer {
    const where = 'Peer.kubeApiServer()';
    checkProps(where, options, KUBE_API_SERVER_OPTIONS, 'options');
    const port = options.port ?? 443;
    const problem = checkPortNumber(port);
    if (problem) throw invalid(where, `port ${port} ${problem}`, 'Give the port the endpoints listen on, e.g. 6443 or 443');
    const endpoints = (options.endpoints ?? []).map((text) => {
      const cidr = text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`;
      const parsed = parseCidr(cidr);
      if (typeof parsed === 'string') throw invalid(where, `endpoint ${show(text)} ${parsed}`, "Give the API server's endpoint IPs, e.g. '10.0.0.1'");
      return blockPeer(`${where} endpoint`, parsed.family, cidr, []).resolved;
    });
    const target = Port.tcp(port);
    const resolved: ResolvedPeer = {
      key: `kube-apiserver|${endpoints.map((p) => p.key).join(',')}|${port}`,
      render: (ns) => endpoints.flatMap((p) => p.render(ns)),
      ...(endpoints.length === 0 ? {
        networkPolicyRefusal: {
          problem: `${where}: NetworkPolicy v1 cannot select the API server without its addresses`,
          fix: "Give them (Peer.kubeApiServer({ endpoints: ['10.0.0.1'], port: 6443 }), from kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes), or render with the Cilium backend (PolicyBackend.use(app, [PolicyBackend.CILIUM])), which selects it as the kube-apiserver entity",
        },
      } : {
        networkPolicyWarning: `NetworkPolicy v1 allows the API server as ipBlocks of its endpoints (${(options.endpoints ?? []).join(', ')}) on ${port}/TCP; CNIs differ here (Cilium gives the API server its own identity, which ipBlocks do not match; managed control planes may change addresses), so check it on your CNI or use the Cilium backend`,
      }),
      renderCilium: () => ({ field: 'Entities', entry: 'kube-apiserver' }),
      renderCluster: (at) => {
        if (endpoints.length === 0) {
          throw invalid(at, `${where}: the cluster tier selects the API server only by its addresses`,
            "Give them: Peer.kubeApiServer({ endpoints: ['10.0.0.1'], port: 6443 }) (from kubectl get endpointslices -n default -l kubernetes.io/service-name=kubernetes)");
        }
        return { networks: endpoints.flatMap((p) => p.renderCluster(at).networks!) };
      },
      destinationPorts: (ports, grant) => ports.map((p) => {
        const served = p.protocol === Protocol.TCP && (p.number === 443 || p.number === port) && p.endPort === undefined;
        if (p.protocol === undefined || served) return target;
        throw invalid(grant, `the API server serves ${port}/TCP (as the 'kubernetes' Service's 443), not ${p}`, `Use Port.HTTPS${port !== 443 ? ` or Port.tcp(${port})` : ''}`);
      }),
    };
    return new Peer(() => 'kube-apiserver', () => resolved);
  }

  /**
   * A resolved workload as a peer: the other side of a flow written on both sides.
   * @internal
   */
  public static _ofWorkload(workload: ResolvedWorkload): ResolvedPeer {
    return podsPeer(workload.namespace, workload.selector, workload);
  }

  private static ipBlock(where: string, family: IpFamily, cidrText: string, exceptText: string[], wideChoice?: string): Peer {
    checkArg(where, 'cidr', cidrText, required(Is.string(family === 4 ? "'203.0.113.0/24'" : "'2001:db8::/32'")));
    checkArg(where, 'except', exceptText, A_CIDR_LIST);
    const { text, resolved } = blockPeer(where, family, cidrText, exceptText, wideChoice);
    return new Peer(() => text, () => resolved);
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

const A_NAMESPACE = required(Is.namespaceName());
const A_CIDR_LIST = Is.listOf(Is.string("'203.0.113.0/24'"));
const CIDR_FIX = "Write it as 'address/prefix', e.g. '203.0.113.0/24' or '2001:db8::/32'";

const FQDN_OPTIONS: PropsSpec<FqdnOptions> = { fallbackCidrs: A_CIDR_LIST };
const KUBE_API_SERVER_OPTIONS: PropsSpec<KubeApiServerOptions> = { endpoints: Is.listOf(Is.string("'10.0.0.1'")), port: Is.number('6443') };

/**
 * A peer, as entries that take one expect it.
 * @internal
 */
export const A_PEER: Expected = Is.instanceOf(Peer, "Peer.pods(LabelSelector.matchLabels({ app: 'web' }))");

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
      if (policyNamespace === namespace) return [{ podSelector: pods }];
      return [selector.isEmpty ? { namespaceSelector: nameSelector(namespace) } : { namespaceSelector: nameSelector(namespace), podSelector: pods }];
    },
    // A CiliumNetworkPolicy's endpoint selectors stay in its namespace unless they name one.
    renderCilium: (policyNamespace) => ({
      field: 'Endpoints',
      entry: policyNamespace === namespace ? pods : { ...pods, matchLabels: { [CILIUM_NAMESPACE_LABEL]: namespace, ...(pods.matchLabels ?? {}) } },
    }),
    renderCluster: (where) => {
      if (namespace === '') {
        throw invalid(where, `pods ${selector} are relative to the namespace of the workload a rule is about, and a cluster guardrail is about many namespaces`,
          "Name the namespace: Peer.podsIn('my-namespace', selector), or Peer.podsInNamespaces(selector, namespaces)");
      }
      return selector.isEmpty ? { namespaces: nameSelector(namespace) } : { pods: { namespaceSelector: nameSelector(namespace), podSelector: pods } };
    },
  };
}

function namespacesPeer(namespaces: LabelSelector, pods: LabelSelector): ResolvedPeer {
  const entry = { namespaceSelector: namespaces.toJson(), ...(pods.isEmpty ? {} : { podSelector: pods.toJson() }) };
  return {
    key: `namespaces|${JSON.stringify(entry)}`,
    render: () => [entry],
    renderCilium: () => ({ field: 'Endpoints', entry: ciliumNamespacesSelector(namespaces, pods) }),
    renderCluster: () => (pods.isEmpty
      ? { namespaces: namespaces.toJson() }
      : { pods: { namespaceSelector: namespaces.toJson(), podSelector: pods.toJson() } }),
  };
}

/** Cilium's label for a pod's namespace name. */
const CILIUM_NAMESPACE_LABEL = 'k8s:io.kubernetes.pod.namespace';
/** The prefix of Cilium's labels for a pod's namespace labels. */
const CILIUM_NAMESPACE_LABELS = 'k8s:io.cilium.k8s.namespace.labels.';

/**
 * One Cilium endpoint selector for pods matching `pods` in namespaces matching `namespaces`: the
 * namespace's labels as Cilium sees them on the pod; every namespace is "has a namespace".
 */
function ciliumNamespacesSelector(namespaces: LabelSelector, pods: LabelSelector): any {
  const ns = namespaces.toJson();
  const own = pods.toJson();
  const nsLabels = Object.fromEntries(Object.entries(ns.matchLabels ?? {}).map(([k, v]) => [`${CILIUM_NAMESPACE_LABELS}${k}`, v]));
  const nsExpressions = (ns.matchExpressions ?? []).map((e: any) => ({ ...e, key: `${CILIUM_NAMESPACE_LABELS}${e.key}` }));
  const everyNamespace = namespaces.isEmpty ? [{ key: CILIUM_NAMESPACE_LABEL, operator: 'Exists' }] : [];
  const matchLabels = { ...nsLabels, ...(own.matchLabels ?? {}) };
  const matchExpressions = [...everyNamespace, ...nsExpressions, ...(own.matchExpressions ?? [])];
  return {
    ...(Object.keys(matchLabels).length > 0 ? { matchLabels } : {}),
    ...(matchExpressions.length > 0 ? { matchExpressions } : {}),
  };
}

/** An address block as a resolved peer, checked as the API server would, and its readable form. */
function blockPeer(where: string, family: IpFamily, cidrText: string, exceptText: string[], wideChoice?: string):
{ text: string; resolved: ResolvedPeer } {
  const cidr = parseStrictCidr(where, family, cidrText);
  if (wideChoice && cidr.prefix === 0) {
    throw invalid(where, `${cidrText} is every IPv${family} address, pods and nodes included`, `Say so with ${wideChoice} if that is what you mean`);
  }
  const except = new Map<string, ParsedCidr>();
  for (const text of exceptText) {
    const hole = parseStrictCidr(`${where} except ${show(text)}`, family, text);
    const problem = checkExcept(cidr, hole);
    if (problem) throw invalid(where, `except entry ${show(text)} ${problem}`, `Give except blocks strictly inside ${cidr.canonical}, as Kubernetes requires`);
    except.set(hole.canonical, hole);
  }
  const holes = [...except.keys()].sort();
  const block = { cidr: cidr.canonical, ...(holes.length > 0 ? { except: holes } : {}) };
  const entry = { ipBlock: block };
  const resolved: ResolvedPeer = {
    key: `ip|${JSON.stringify(entry)}`,
    render: () => [entry],
    renderCilium: () => ({ field: 'CIDRSet', entry: block }),
    // The cluster tier has no `except`: the holes are cut out of the block.
    renderCluster: () => ({ networks: cidrDifference(cidr, [...except.values()]).map((c) => c.canonical) }),
  };
  return { text: `${cidr.canonical}${holes.length > 0 ? ` except ${holes.join(', ')}` : ''}`, resolved };
}

function parseStrictCidr(where: string, family: IpFamily, text: string): ParsedCidr {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw invalid(where, `CIDR ${show(text)} ${parsed}`, CIDR_FIX);
  if (parsed.family !== family) {
    throw invalid(where, `CIDR ${show(text)} is IPv${parsed.family}`, `Use Peer.ipv${parsed.family}(${show(text)})`);
  }
  if (parsed.hostBitsSet) {
    throw invalid(where, `CIDR ${show(text)} has host bits set beyond /${parsed.prefix}`, `Write ${show(parsed.canonical)} for the network, or /${family === 4 ? 32 : 128} for one address`);
  }
  return parsed;
}
