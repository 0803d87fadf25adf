import { App, Chart } from 'cdk8s';
import { PortRange, PortRangeTable, allowedPortRanges } from './allowed-ports';
import { fqdnPatternMatches } from './cilium-policy-layer';
import { ClusterModel, LoadedObject, PodModel, describeSource } from './cluster-model';
import { judgeProbe } from './evaluator';
import { Explanation, explainVerdict, isolatingPolicyName } from './explanation';
import { EndpointModel, ExternalModel, externalHoldsIp, externalOverlaps, isDnsName, isExternal, namedNode, normalizeDnsName, wholeSpace } from './external-nodes';
import { checkObjects, loadManifestFiles } from './manifest-loader';
import { MatrixEngine } from './matrix-engine';
import { externalNodes } from './policy-layers';
import { TIERS } from './policy-tier';
import { MatrixLocation, ReachabilityMatrix } from './reachability-matrix';
import { ProbePort } from './rule-ports';
import { isolates } from './verdict-walk';
import { parseCidr, parseIp } from '../vocabulary/k8s-rules';
import { Port } from '../vocabulary/port';

/** An endpoint a reference names, and the address it was given as. */
interface ResolvedEndpoint {
  readonly endpoint: EndpointModel;
  readonly address?: string;
}

/**
 * A container port of a declared pod.
 *
 * @example
 * { containerPort: 8080, name: 'http', protocol: 'TCP' }
 */
export interface DeclaredContainerPort {
  /** The port number the container listens on. */
  readonly containerPort: number;
  /**
   * The port's name, which named ports in policies resolve against.
   * @default - unnamed
   */
  readonly name?: string;
  /**
   * The protocol: `TCP`, `UDP` or `SCTP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

/**
 * A pod the analyzer should know about that is not in the manifests.
 *
 * @example
 * Reachability.fromChart(chart).addPod({ namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' } });
 */
export interface PodDeclaration {
  /** The pod's name (or its workload's). */
  readonly name: string;
  /**
   * The pod's namespace.
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * The pod's labels.
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
  /**
   * The pod's container ports, for named ports.
   * @default - none
   */
  readonly ports?: DeclaredContainerPort[];
  /**
   * The pod's IPs, for ipBlock peers. Pods without IPs never match an ipBlock.
   * @default - none
   */
  readonly ips?: string[];
}

/**
 * Which policies isolate a pod, per direction.
 *
 * @example
 * const isolation = Reachability.fromChart(chart).isolation('shop/web');
 * isolation.egressIsolated; // true
 * isolation.egressPolicies; // ['shop/all-pods-netpol', 'shop/web-netpol']
 */
export interface PodIsolation {
  /** The pod, as `namespace/name`. */
  readonly pod: string;
  /** Whether some policy selects it with Ingress in policyTypes (or a Cilium policy puts it in default deny). */
  readonly ingressIsolated: boolean;
  /** Whether some policy selects it with Egress in policyTypes. */
  readonly egressIsolated: boolean;
  /** The policies isolating its ingress: NetworkPolicies as `namespace/name`, Cilium policies as `Kind namespace/name`. */
  readonly ingressPolicies: string[];
  /** The policies isolating its egress, as `namespace/name`. */
  readonly egressPolicies: string[];
}

/**
 * Input the analyzer does not model, so every verdict ignores it: an object of a policy kind it
 * does not evaluate (Calico policies, MultiNetworkPolicy, cluster policies of API versions other
 * than ClusterNetworkPolicy v1alpha2 and AdminNetworkPolicy / BaselineAdminNetworkPolicy
 * v1alpha1, …), or a field of a modelled object that it cannot evaluate (`hostNetwork: true` on a
 * pod, a `nodes` or `domainNames` peer of a cluster policy; L7 rules, `toServices` or node
 * entities of a Cilium policy). Such input can allow or deny flows the verdicts do not
 * show.
 *
 * @example
 * for (const u of Reachability.fromFiles(['manifests/']).unmodelled) {
 *   console.warn(`not modelled: ${u.kind} ${u.name} (${u.source}): ${u.reason}`);
 * }
 */
export interface UnmodelledInput {
  /** The object's kind, e.g. `GlobalNetworkPolicy`. */
  readonly kind: string;
  /** The object's apiVersion, e.g. `policy.networking.k8s.io/v1alpha1` (empty when it has none). */
  readonly apiVersion: string;
  /** The object, as `namespace/name`, or `name` when it is cluster-scoped. */
  readonly name: string;
  /**
   * The path of the field the analyzer cannot evaluate.
   * @default - the whole object is not modelled
   */
  readonly field?: string;
  /**
   * Where the object was read: `policies.yaml, document 2`, or `items[3]` for the objects given
   * to `fromManifests()`.
   * @default - unknown
   */
  readonly source?: string;
  /** Why the verdicts can be wrong while it is ignored. */
  readonly reason: string;
}

/**
 * What network policies allow, with exact Kubernetes semantics, computed from plain Kubernetes
 * objects: Namespaces, Pods, workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
 * CronJob, one endpoint each, named after the workload), NetworkPolicies (v1), Cilium's
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy, and the cluster tiers:
 * ClusterNetworkPolicies (`policy.networking.k8s.io/v1alpha2`), AdminNetworkPolicies and the
 * BaselineAdminNetworkPolicy (`v1alpha1`). Cilium enforces its policies together with
 * NetworkPolicies, in the NetworkPolicy tier: a pod is isolated once a policy of either kind
 * applies (Cilium: unless `enableDefaultDeny` says otherwise), a connection is allowed when a rule
 * of either allows it, and Cilium deny rules win over every allow.
 *
 * Endpoints are pods and external nodes. Pods are named `namespace/name`; a plain `name` works
 * when only one namespace has it. External nodes are the addresses outside the cluster, split by
 * every CIDR the policies mention into ranges every policy treats alike, named `C` or
 * `C except E1, E2` (e.g. `0.0.0.0/0 except 10.0.0.0/8`): the IPv4 space always, the IPv6 space
 * when a policy mentions an IPv6 CIDR. Named external nodes are the DNS names and patterns Cilium
 * `toFQDNs` peers mention (`api.stripe.com`, `*.amazonaws.com`) and the API server
 * (`kube-apiserver`) when a Cilium policy names that entity. Nothing outside the cluster enforces
 * policies, so an external node's side always allows; only address and name peers, entities and
 * rules without peers match it.
 * Wherever an endpoint is asked for, an IP address works too: a pod's IP names that pod, any
 * other address the external node holding it.
 *
 * A pod may always reach itself; otherwise a connection needs the source's egress and the
 * destination's ingress to allow it. Each side is decided by walking the policy tiers in order:
 * the Admin tier (ClusterNetworkPolicies of tier Admin and AdminNetworkPolicies, by ascending
 * priority, rules in written order, the first matching rule allows, denies or passes), the
 * NetworkPolicy tier (isolation: once a NetworkPolicy or Cilium policy selects the pod, only what their rules allow;
 * Cilium deny rules win),
 * the Baseline tier (like the Admin tier), then the default, which allows. `explain` says which
 * tier, policy and rule decided and which Pass rules it went through. Policy kinds it does not
 * model (a Calico NetworkPolicy, …), Cilium fields it does not model (L7 rules, …) and peers it
 * cannot resolve (`nodes`, `domainNames`) are not
 * dropped silently: `unmodelled` lists them.
 *
 * @example
 * const reach = Reachability.fromChart(chart);
 * reach.isAllowed('shop/web', 'shop/api', Port.tcp(8080)); // true or false
 * console.log(reach.explain('shop/web', 'shop/db', Port.POSTGRES).text);
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class Reachability {
  /**
   * From Kubernetes objects (parsed YAML or JSON). NetworkPolicies are validated as the API
   * server would; policy kinds the analyzer does not model are listed in `unmodelled`, and other
   * kinds (Services, ConfigMaps, …) are ignored.
   * @param objects the objects; `List` objects are not flattened here
   */
  public static fromManifests(objects: any[]): Reachability {
    const loaded: LoadedObject[] = objects.map((object, index) => ({ object, item: index }));
    checkObjects(loaded);
    return new Reachability(ClusterModel.fromObjects(loaded));
  }

  /**
   * From YAML and JSON files and directories (recursively; multi-document YAML and `List`
   * objects are read).
   * @param paths files or directories
   */
  public static fromFiles(paths: string[]): Reachability {
    return Reachability._fromLoaded(loadManifestFiles(paths));
  }

  /** From objects already loaded and checked (`loadManifestFiles`), keeping where each came from. @internal */
  public static _fromLoaded(objects: readonly LoadedObject[]): Reachability {
    return new Reachability(ClusterModel.fromObjects(objects));
  }

  /**
   * From what a cdk8s chart synthesizes (`chart.toJson()`): its workloads, pods, namespaces and
   * policies. Declare pods that live elsewhere with `addPod()`.
   * @param chart the chart
   */
  public static fromChart(chart: Chart): Reachability {
    return Reachability.fromManifests(chart.toJson());
  }

  /**
   * From what every chart of a cdk8s app synthesizes.
   * @param app the app
   */
  public static fromApp(app: App): Reachability {
    return Reachability.fromManifests(app.charts.flatMap((chart) => chart.toJson()));
  }

  private readonly model: ClusterModel;
  private engine?: MatrixEngine;
  private portTable?: PortRangeTable;

  private constructor(model: ClusterModel) {
    this.model = model;
  }

  /** Every pod, as `namespace/name`, in input order. */
  public get pods(): string[] {
    return this.model.pods.map((p) => p.id);
  }

  /**
   * The external nodes: the address space outside the cluster split by every CIDR the policies
   * mention, e.g. `['0.0.0.0/0 except 10.0.0.0/8', '10.0.0.0/8']`. IPv4 first, then IPv6 when
   * some policy mentions an IPv6 CIDR.
   */
  public get externals(): string[] {
    return externalNodes(this.model).map((e) => e.id);
  }

  /**
   * The external nodes that share an address with a CIDR. Every address of a node is treated
   * alike, so "may `from` reach some address of 0.0.0.0/0" is "may it reach one of these", and
   * "every address" is "all of them".
   * @param cidr an IPv4 or IPv6 CIDR, e.g. `0.0.0.0/0` or `169.254.169.254/32`
   */
  public externalsOverlapping(cidr: string): string[] {
    const parsed = parseCidr(cidr);
    if (typeof parsed === 'string') throw new Error(`Reachability: CIDR '${cidr}' ${parsed}`);
    const nodes = externalNodes(this.model).filter((e) => externalOverlaps(e, parsed));
    // A family no policy mentions is one node: its whole space.
    if (nodes.length === 0) return [wholeSpace(parsed.family).id];
    return nodes.map((e) => e.id);
  }

  /**
   * The endpoint a reference names: a pod as `namespace/name`, or an external node.
   * @param ref a pod (`namespace/name`, or `name` when unique), an external node (`0.0.0.0/0 except 10.0.0.0/8`), an IP address or a DNS name
   */
  public resolve(ref: string): string {
    return this.endpointFor(ref).endpoint.id;
  }

  /** Every NetworkPolicy, as `namespace/name`, in input order. */
  public get policies(): string[] {
    return this.model.policies.map((p) => p.id);
  }

  /**
   * Input the verdicts ignore: objects of policy kinds the analyzer does not model, and fields of
   * modelled objects it cannot evaluate, in input order. Empty when every verdict accounts for all
   * of the input.
   */
  public get unmodelled(): UnmodelledInput[] {
    return this.model.unmodelled.map((u) => {
      const source = describeSource(u.source).replace(/: $/, '');
      return {
        kind: u.kind,
        apiVersion: u.apiVersion,
        name: u.name,
        ...(u.field !== undefined ? { field: u.field } : {}),
        ...(source !== '' ? { source } : {}),
        reason: u.reason,
      };
    });
  }

  /**
   * Declares a pod that the manifests do not hold (a workload deployed by another tool, a client
   * outside the chart).
   * @returns this, for chaining
   */
  public addPod(pod: PodDeclaration): Reachability {
    this.model.addPod({
      namespace: pod.namespace ?? 'default',
      name: pod.name,
      labels: pod.labels,
      ports: (pod.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
      ips: pod.ips,
    });
    this.engine = undefined;
    this.portTable = undefined;
    return this;
  }

  /**
   * Whether `from` may connect to `to` on a port.
   * @param from the source: a pod (`namespace/name`, or `name` when unique), an external node, an IP address or a DNS name
   * @param to the destination: a pod (`namespace/name`, or `name` when unique), an external node, an IP address or a DNS name
   * @param port one port: `Port.tcp(8080)`, or a named port resolved on the destination pod
   */
  public isAllowed(from: string, to: string, port: Port): boolean {
    return this.explain(from, to, port).allowed;
  }

  /**
   * Whether `from` may connect to `to` on a port, and why: for each side, which tier, policy and
   * rule decided, which policies isolate it, or which rule came nearest and what it lacks.
   * @param from the source: a pod (`namespace/name`, or `name` when unique), an external node, an IP address or a DNS name
   * @param to the destination: a pod (`namespace/name`, or `name` when unique), an external node, an IP address or a DNS name
   * @param port one port: `Port.tcp(8080)`, or a named port resolved on the destination pod
   */
  public explain(from: string, to: string, port: Port): Explanation {
    const source = this.endpointFor(from);
    const destination = this.endpointFor(to);
    return this.explainResolved(source, destination, this.probeFor(port, destination.endpoint));
  }

  /** @internal */
  public _explain(from: string, to: string, probe: ProbePort): Explanation {
    return this.explainResolved(this.endpointFor(from), this.endpointFor(to), probe);
  }

  /**
   * Every port on which `from` may connect to `to`, as ranges per protocol.
   * @param from the source: a pod (`namespace/name`, or `name` when unique), an external node, an IP address or a DNS name
   * @param to the destination: a pod (`namespace/name`, or `name` when unique), an external node, an IP address or a DNS name
   */
  public allowedPorts(from: string, to: string): PortRange[] {
    return allowedPortRanges(this.model, this.endpointFor(from).endpoint, this.endpointFor(to).endpoint);
  }

  /**
   * Which policies isolate a pod, per direction.
   * @param pod the pod: `namespace/name`, or `name` when unique
   */
  public isolation(pod: string): PodIsolation {
    return this._isolationAt(this.model.pods.indexOf(this.podFor(pod)));
  }

  /** `isolation()` of the pod at an index of `pods`, from the class it belongs to. @internal */
  public _isolationAt(index: number): PodIsolation {
    const engine = this._engine;
    const c = engine.classOfPod[index];
    const ids = (direction: 'Ingress' | 'Egress'): string[] => engine.program(c, direction).byTier[TIERS.indexOf('NetworkPolicy')]
      .filter(isolates).map(isolatingPolicyName);
    const ingressPolicies = ids('Ingress');
    const egressPolicies = ids('Egress');
    const pod = this.model.pods[index].id;
    return { pod, ingressIsolated: ingressPolicies.length > 0, egressIsolated: egressPolicies.length > 0, ingressPolicies, egressPolicies };
  }

  /**
   * The truth table of one numeric port for every ordered pair of pods. Computed once over
   * classes of pods no policy can tell apart, so it scales to thousands of pods.
   * @param port one numeric port, e.g. `Port.tcp(8080)`
   */
  public matrix(port: Port): ReachabilityMatrix {
    const probe = this.probeFor(port);
    return this._matrix(probe);
  }

  /** @internal */
  public _matrix(probe: ProbePort): ReachabilityMatrix {
    const engine = this._engine;
    const table = engine.compute(probe);
    const endpointIndex = new Map(engine.endpoints.map((e, i) => [e, i]));
    const locate = (ref: string): MatrixLocation => {
      const { endpoint } = this.endpointFor(ref);
      const index = endpointIndex.get(endpoint);
      if (index === undefined) {
        throw new Error(isExternal(endpoint) && endpoint.named === 'fqdn'
          ? `Reachability: ${ref} is a DNS name no policy mentions, so the matrix has no node for it; ask isAllowed() or explain() instead`
          : `Reachability: ${ref} is an IPv6 address and no policy mentions an IPv6 CIDR, so the matrix has no IPv6 node; ask isAllowed() or explain() instead`);
      }
      return { classIndex: engine.classOfEndpoint[index], podIndex: isExternal(endpoint) ? undefined : index };
    };
    return ReachabilityMatrix._create(this.pods, engine.classOfPod, table, probe.port, probe.protocol, locate);
  }

  /** The classes of pods no policy can tell apart, built on first use. @internal */
  public get _engine(): MatrixEngine {
    this.engine ??= new MatrixEngine(this.model);
    return this.engine;
  }

  /** Allowed ports for every ordered pair of pods (by index in `pods`), computed per pair of classes. @internal */
  public get _portTable(): PortRangeTable {
    this.portTable ??= new PortRangeTable(this._engine);
    return this.portTable;
  }

  /** @internal */
  public get _model(): ClusterModel {
    return this.model;
  }

  private explainResolved(from: ResolvedEndpoint, to: ResolvedEndpoint, probe: ProbePort): Explanation {
    const notes = [from.endpoint, to.endpoint].map((e) => this.describeDnsName(e)).filter((n): n is string => n !== undefined);
    return explainVerdict(judgeProbe(this.model, from.endpoint, to.endpoint, probe), { from: from.address, to: to.address, notes });
  }

  /** A pod, an external node or an IP address (a pod's IP names the pod). */
  private endpointFor(ref: string): ResolvedEndpoint {
    const ip = parseIp(ref);
    if (ip) {
      const pods = this.model.pods.filter((p) => p.ips.some((i) => i.family === ip.family && i.value === ip.value));
      if (pods.length > 1) {
        throw new Error(`Reachability: IP ${ref} is the address of several pods (${pods.map((p) => p.id).join(', ')}; host-network pods share their node's IP). Name the pod as namespace/name`);
      }
      if (pods.length === 1) return { endpoint: pods[0], address: ref };
      const node = externalNodes(this.model).find((e) => externalHoldsIp(e, ip.family, ip.value)) ?? wholeSpace(ip.family);
      return { endpoint: node, address: ref };
    }
    const external = externalNodes(this.model).find((e) => e.id === ref);
    if (external) return { endpoint: external };
    if (/^[0-9a-fA-F:.]+\/\d+/.test(ref)) {
      throw new Error(`Reachability: '${ref}' is not an external node. External nodes: ${this.describeExternals()}. Give an IP address, or one of these names`);
    }
    const name = normalizeDnsName(ref);
    if (!ref.includes('/') && isDnsName(name) && !this.model.pods.some((p) => p.name === ref)) {
      // A DNS name as Cilium judges it: by every toFQDNs name and pattern, whether a policy mentions it or not.
      return { endpoint: externalNodes(this.model).find((e) => e.id === name) ?? namedNode(name, 'fqdn') };
    }
    return { endpoint: this.podFor(ref) };
  }

  /** What a DNS name an endpoint was given as is to the policies: which names and patterns match it. */
  private describeDnsName(endpoint: EndpointModel): string | undefined {
    if (!isExternal(endpoint) || endpoint.named !== 'fqdn' || endpoint.id.includes('*')) return undefined;
    const matching = externalNodes(this.model).filter((e) => e.named === 'fqdn'
      && (e.id === endpoint.id || (e.id.includes('*') && fqdnPatternMatches(e.id, endpoint.id)))).map((e) => e.id);
    return matching.length > 0
      ? `${endpoint.id}: a DNS name; toFQDNs ${matching.join(', ')} match${matching.length === 1 ? 'es' : ''} it`
      : `${endpoint.id}: a DNS name no toFQDNs name or pattern matches, so only rules that match every public address (CIDR 0.0.0.0/0, entity world) or have no peer match it`;
  }

  private describeExternals(): string {
    return externalNodes(this.model).map((e: ExternalModel) => e.id).join('; ');
  }

  private podFor(ref: string): PodModel {
    if (ref.includes('/')) {
      const pod = this.model.pod(ref);
      if (pod) return pod;
      throw new Error(`Reachability: no pod '${ref}'. Known pods: ${this.describePods()}. Declare pods that are not in the manifests with addPod()`);
    }
    const matches = this.model.pods.filter((p) => p.name === ref);
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      throw new Error(`Reachability: pod name '${ref}' is ambiguous: ${matches.map((p) => p.id).join(', ')}. Write it as namespace/name`);
    }
    throw new Error(`Reachability: no pod named '${ref}'. Known pods: ${this.describePods()}. Declare pods that are not in the manifests with addPod()`);
  }

  private describePods(): string {
    const ids = this.model.pods.map((p) => p.id);
    if (ids.length === 0) return '(none)';
    return ids.length > 20 ? `${ids.slice(0, 20).join(', ')}, … (${ids.length} in all)` : ids.join(', ');
  }

  private probeFor(port: Port, destination?: EndpointModel): ProbePort {
    const where = `Reachability: cannot probe ${String(port)}`;
    if (!port.protocol) throw new Error(`${where}: a probe is one port of one protocol, e.g. Port.tcp(8080)`);
    if (port.endPort !== undefined) throw new Error(`${where}: a probe is one port, not a range; probe each end, e.g. Port.${port.protocol.toLowerCase()}(${port.number})`);
    if (port.number !== undefined) return { port: port.number, protocol: port.protocol };
    if (port.name !== undefined) {
      if (!destination) throw new Error(`${where}: a named port resolves per destination pod; use a numeric port here`);
      if (isExternal(destination)) throw new Error(`${where}: a named port resolves on the destination pod's container ports, and ${destination.id} is outside the cluster; use a numeric port`);
      const match = destination.ports.find((p) => p.name === port.name && p.protocol === port.protocol);
      if (!match) {
        throw new Error(`${where}: ${destination.id} has no ${port.protocol} container port named '${port.name}'. Its ports: ${destination.ports.map((p) => `${p.name ?? '(unnamed)'}=${p.containerPort}/${p.protocol}`).join(', ') || 'none'}`);
      }
      return { port: match.containerPort, protocol: port.protocol };
    }
    throw new Error(`${where}: a probe needs a port number, e.g. Port.${port.protocol.toLowerCase()}(8080)`);
  }
}
