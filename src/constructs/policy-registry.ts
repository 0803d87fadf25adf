import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { FlowRequest, reportFlowRequests } from './flow-requests';
import { PolicyBackend } from './policy-backend';
import { PolicyDirection } from './policy-direction';
import { IntentPeer, PolicyIntent, PortSet, portSortKey } from './policy-intent';
import { DnsResolver } from '../vocabulary/dns-resolver';
import { invalid } from '../vocabulary/errors';
import { FlowSpec, endpointFromEntry, peerEndpoints } from '../vocabulary/invariant';
import { compare, LabelSelector } from '../vocabulary/label-selector';
import { Peer, ResolvedPeer } from '../vocabulary/peer';
import { Port } from '../vocabulary/port';
import { ResolvedWorkload, Workload } from '../vocabulary/workload';

/** A resolver's rules, resolved for one workload. */
type DnsRules = { peer: ResolvedPeer; ports: Port[] }[];

/** A peer of a rule, its ports, and the constructs that asked for it. */
interface PeerRule {
  readonly peer: ResolvedPeer;
  readonly ports: PortSet;
  readonly requesters: readonly IConstruct[];
}

interface DirectionRules {
  isolated: boolean;
  readonly peers: Map<string, PeerRule>;
}

/** Everything declared about one workload: the source of one NetworkPolicy. */
interface Target {
  readonly workload: ResolvedWorkload;
  readonly name: string;
  /** The construct that first asked for this policy: a policy written later goes into its chart's app. */
  readonly requester: IConstruct;
  /**
   * Whether the policy is in the app's manifests. One that only the other side of a flow into a
   * namespace the app does not own asked for is not: it is a flow request until the namespace is owned.
   */
  written: boolean;
  readonly ingress: DirectionRules;
  readonly egress: DirectionRules;
  /** The rules of each resolver asked for by constructs that egress-isolate this workload, by what they reach. */
  readonly dns: Map<string, DnsRules>;
  /** This workload as a peer, for the other side of its flows; made on first use. */
  asPeer?: ResolvedPeer;
}

/**
 * Options of one grant.
 * @internal
 */
export interface GrantOptions {
  /** Also write the other side when the peer is a workload inside the cluster. */
  readonly bothSides: boolean;
  /** Write the other side even into a namespace the app does not own (else it is a flow request). */
  readonly writeUnownedNamespaces: boolean;
  /** The resolver each egress-isolated workload keeps reaching; `none()` opts out. */
  readonly dns: DnsResolver;
}

/**
 * The mechanism every construct of this library writes through: rules collected per workload and
 * direction for the whole app, merged and de-duplicated into one intent per workload (the single
 * source), which each backend the app chose renders lazily as one object per workload
 * (`PolicyBackend`: NetworkPolicy v1 by default, CiliumNetworkPolicy). A repeated grant changes nothing, and the output is the smallest set of policies and rules
 * that allows exactly what was declared.
 *
 * - Policy names are the workload's name plus `-netpol` (`all-pods-netpol` for a whole namespace),
 *   made valid DNS-1123, unique per namespace and stable between runs.
 * - Egress isolation keeps DNS: a workload made egress-isolated gets the resolver's rules, unless every
 *   pod of its namespace already reaches DNS through the namespace-wide policy.
 * - The app owns a namespace when one of its charts has it as namespace, a construct targets it (the
 *   workload a grant or deny is about lives there) or `OwnedNamespaces` declares it. The other side of
 *   a flow is written only into owned namespaces (or when the grant opts in): elsewhere it would
 *   isolate pods the app does not own and cut off their other clients. It becomes a flow request
 *   instead, printed once per synth and written to `flow-requests/<namespace>.yaml` in the outdir.
 *   Ownership is settled at synth, so the order in which charts and constructs are made does not
 *   matter.
 * @internal
 */
export class PolicyRegistry {
  /** The registry of the app `scope` belongs to. */
  public static of(scope: IConstruct): PolicyRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      const created = new PolicyRegistry();
      // The root validates first (pre-order) at every synth, before any chart renders its objects.
      root.node.addValidation({ validate: () => created.settle(root) });
      REGISTRIES.set(root, created);
      registry = created;
    }
    return registry;
  }

  private readonly targets = new Map<string, Target>();
  private readonly names = new Set<string>();
  /** The first peer resolved for each key: rules share it, so memory grows with distinct peers, not grants. */
  private readonly peers = new Map<string, ResolvedPeer>();

  /** Resolved resolver rules, per resolver and resolution context (see `dnsRulesFor`). */
  private readonly resolvedDns = new Map<DnsResolver, Map<string, { key: string; rules: DnsRules }>>();

  /** The constructs that asked for each rendered rule, by `namespace/name|Direction|index`. */
  private readonly origins = new Map<string, readonly IConstruct[]>();

  /** The top-level chart of the app that is each namespace, if any (see `namespaceChart`). */
  private readonly namespaceCharts = new Map<string, Chart | undefined>();
  /** How many children the root had when `namespaceCharts` was filled: a new chart clears it. */
  private chartsSeen = -1;

  /** Namespaces that constructs target or that are declared owned (charts' namespaces are looked up). */
  private readonly claimed = new Set<string>();
  /** Policies not written yet, by namespace: flow requests unless their namespace becomes owned. */
  private readonly unwritten = new Map<string, Set<Target>>();
  /** The flows whose other side was not written when granted, in the order they were granted. */
  private readonly requests: { target: Target; request: FlowRequest }[] = [];

  /** The backends every policy renders to, fixed once the first policy is made. */
  private backends: readonly PolicyBackend[] = [PolicyBackend.NETWORK_POLICY];

  private constructor() {}

  /** Chooses the backends; only before the first policy exists, since each backend makes an object per policy. */
  public useBackends(requester: IConstruct, backends: PolicyBackend[]): void {
    const where = `PolicyBackend.use(${requester.node.path || 'app'})`;
    if (backends.length === 0) {
      throw invalid(where, 'no backend given, so no policy would be rendered', 'Name PolicyBackend.NETWORK_POLICY, PolicyBackend.CILIUM or both');
    }
    if (this.targets.size > 0) {
      throw invalid(where, `${this.targets.size} policies already exist, made for ${this.backends.map((b) => b.name).join(' and ')}`,
        'Call PolicyBackend.use(app, ...) right after creating the App, before any construct of this library');
    }
    this.backends = [...new Set(backends)];
  }

  /** Isolates `workload` for `direction`: only what is allowed gets through. */
  public isolate(requester: IConstruct, workload: Workload, direction: PolicyDirection, dns: DnsResolver): void {
    const target = this.ownTarget(requester, workload._resolve(requester));
    this.rules(target, direction).isolated = true;
    if (direction === PolicyDirection.EGRESS) this.keepDns(requester, target, dns, false);
  }

  /** Allows `workload` to exchange traffic with each of `peers` on `ports` in `direction`. */
  public allow(requester: IConstruct, workload: Workload, direction: PolicyDirection, peers: Peer[], ports: Port[], options: GrantOptions): void {
    const side = direction === PolicyDirection.INGRESS ? 'from' : 'to';
    if (peers.length === 0) {
      throw invalid(requester.node.path, `'${side}' is empty, so nothing would be allowed while the pods would still be isolated`,
        'Name at least one peer; to deny everything use DefaultDeny');
    }
    if (ports.length === 0) {
      throw invalid(requester.node.path, "'ports' is empty", 'List the ports, or use Port.allPorts() to allow every port of every protocol');
    }
    const resolved = workload._resolve(requester);
    // Every peer is resolved (and refused) before anything is recorded: a refused grant writes nothing.
    const grants = peers.map((peer) => {
      const other = peer._resolve(resolved.namespace, requester);
      if (direction === PolicyDirection.INGRESS && other.destinationOnly) {
        throw invalid(requester.node.path, `${peer} can only be a destination: no connection comes from a DNS name`, 'Allow egress to it with AllowTo');
      }
      // A Service's ports arrive on its pods' target ports: rules name those, on both sides.
      const arriving = direction === PolicyDirection.EGRESS && other.destinationPorts ? other.destinationPorts(ports, requester.node.path) : ports;
      return { other, arriving };
    });
    const target = this.ownTarget(requester, resolved);
    const opposite = direction === PolicyDirection.INGRESS ? PolicyDirection.EGRESS : PolicyDirection.INGRESS;
    for (const { other, arriving } of grants) {
      this.grant(requester, target, direction, other, arriving, options.dns);
      if (options.bothSides && other.workload) {
        target.asPeer ??= Peer._ofWorkload(resolved);
        const otherSide = this.target(requester, other.workload);
        if (!otherSide.written && (options.writeUnownedNamespaces || this.owns(requester, other.workload.namespace))) this.write(otherSide);
        if (!otherSide.written) {
          const [from, to] = direction === PolicyDirection.INGRESS ? [other.workload, resolved] : [resolved, other.workload];
          const request = { requester, workload: otherSide.workload, direction: opposite, from, to, ports: arriving };
          this.requests.push({ target: otherSide, request });
        }
        this.grant(requester, otherSide, opposite, target.asPeer, arriving, options.dns);
      }
    }
  }

  /**
   * Declares that the app owns `namespace`: from now on, and for grants made before, the other side of
   * flows into it is written.
   */
  public own(namespace: string): void {
    if (this.claimed.has(namespace)) return;
    this.claimed.add(namespace);
    for (const target of [...this.unwritten.get(namespace) ?? []]) this.write(target);
  }

  /** The namespaces the app of `scope` owns: its charts' namespaces, those its constructs target and those declared. */
  public ownedNamespaces(scope: IConstruct): Set<string> {
    const owned = new Set(this.claimed);
    for (const chart of scope.node.root.node.findAll().filter(Chart.isChart)) {
      if (chart.namespace !== undefined) owned.add(chart.namespace);
    }
    return owned;
  }

  /** Lets `workload` reach the DNS resolver (which, like any egress rule, isolates it for egress). */
  public allowDns(requester: IConstruct, workload: Workload, dns: DnsResolver): void {
    this.keepDns(requester, this.ownTarget(requester, workload._resolve(requester)), dns, true);
  }

  /**
   * Every flow the app's constructs declared (both sides of a flow count once), in the invariants
   * file format, with the constructs that declared it.
   */
  public declaredFlows(): DeclaredFlow[] {
    const flows = new Map<string, DeclaredFlow>();
    for (const target of this.targets.values()) {
      const namespace = target.workload.namespace;
      const self = endpointFromEntry({ podSelector: target.workload.selector.toJson() }, namespace);
      for (const [direction, rules] of [['Ingress', target.ingress], ['Egress', target.egress]] as const) {
        for (const { peer, ports, requesters } of rules.peers.values()) {
          for (const other of peerEndpoints(peer, namespace)) {
            const flow: FlowSpec = {
              from: [direction === 'Ingress' ? other : self],
              to: [direction === 'Ingress' ? self : other],
              ...(ports === 'all' ? {} : { ports: [...ports].sort((a, b) => compare(portSortKey(a), portSortKey(b))).map((p) => p.toJson()) }),
            };
            const key = JSON.stringify(flow);
            const by = requesters.map((r) => r.node.path);
            const known = flows.get(key);
            flows.set(key, { flow, declaredBy: [...new Set([...(known?.declaredBy ?? []), ...by])] });
          }
        }
      }
    }
    return [...flows.values()];
  }

  /**
   * The constructs that asked for a rule of a policy this registry rendered (the rule's peers may come
   * from several), or undefined when it rendered no such rule.
   * @param policy the policy, as `namespace/name`
   * @param direction `Ingress` or `Egress`
   * @param ruleIndex the rule's index in the policy's list for the direction
   */
  public ruleOrigins(policy: string, direction: string, ruleIndex: number): readonly IConstruct[] | undefined {
    return this.origins.get(`${policy}|${direction}|${ruleIndex}`);
  }

  private grant(requester: IConstruct, target: Target, direction: PolicyDirection, peer: ResolvedPeer, ports: Port[], dns: DnsResolver): void {
    const rules = this.rules(target, direction);
    rules.isolated = true;
    const existing = rules.peers.get(peer.key);
    const requesters = !existing ? [requester] : existing.requesters.includes(requester) ? existing.requesters : [...existing.requesters, requester];
    rules.peers.set(peer.key, { peer: existing?.peer ?? this.shared(peer), ports: mergePorts(existing?.ports ?? [], ports), requesters });
    if (direction === PolicyDirection.EGRESS) this.keepDns(requester, target, dns, false);
  }

  /** `peer`, or the equal one seen first (equal keys render equal entries in every namespace). */
  private shared(peer: ResolvedPeer): ResolvedPeer {
    const known = this.peers.get(peer.key);
    if (known) return known;
    this.peers.set(peer.key, peer);
    return peer;
  }

  /**
   * Records that `target` must reach `dns`. The rules are written at once when asked explicitly or for a
   * whole namespace; for one workload they are added at render time, minus what its namespace-wide
   * policy already allows.
   */
  private keepDns(requester: IConstruct, target: Target, dns: DnsResolver, explicit: boolean): void {
    if (dns.isNone) return;
    const { key, rules } = this.dnsRulesFor(requester, dns, target.workload.namespace);
    if (!target.dns.has(key)) target.dns.set(key, rules);
    if (explicit || target.workload.selector.isEmpty) {
      for (const rule of rules) this.grant(requester, target, PolicyDirection.EGRESS, rule.peer, rule.ports, DnsResolver.none());
    }
  }

  /**
   * A resolver's rules resolved for workloads of `namespace`, keyed by what they reach (two custom
   * resolvers share a name), computed once per resolver, namespace and requesting chart's namespace
   * (the only inputs a peer resolves against): every egress grant asks for them.
   */
  private dnsRulesFor(requester: IConstruct, dns: DnsResolver, namespace: string): { key: string; rules: DnsRules } {
    let byContext = this.resolvedDns.get(dns);
    if (!byContext) {
      byContext = new Map();
      this.resolvedDns.set(dns, byContext);
    }
    const context = `${namespace}|${Chart.of(requester).namespace ?? ''}`;
    let resolved = byContext.get(context);
    if (!resolved) {
      const rules = dns._rules().map((rule) => ({ peer: rule.peer._resolve(namespace, requester), ports: rule.ports }));
      const key = rules.map(({ peer, ports }) => `${peer.key}|${ports.map(portSortKey).sort().join(',')}`).join(';');
      resolved = { key, rules };
      byContext.set(context, resolved);
    }
    return resolved;
  }

  private rules(target: Target, direction: PolicyDirection): DirectionRules {
    return direction === PolicyDirection.INGRESS ? target.ingress : target.egress;
  }

  /** The policy of a workload a construct targets: its namespace is the app's, so it is written. */
  private ownTarget(requester: IConstruct, workload: ResolvedWorkload): Target {
    this.own(workload.namespace);
    return this.target(requester, workload);
  }

  /** The policy of `workload`, made on first use; written at once when its namespace is owned. */
  private target(requester: IConstruct, workload: ResolvedWorkload): Target {
    const key = `${workload.namespace}|${workload.selector._key}`;
    let target = this.targets.get(key);
    if (!target) {
      target = {
        workload,
        name: this.uniqueName(workload, key),
        requester,
        written: false,
        ingress: { isolated: false, peers: new Map() },
        egress: { isolated: false, peers: new Map() },
        dns: new Map(),
      };
      this.targets.set(key, target);
      if (this.claimed.has(workload.namespace)) {
        this.write(target);
      } else {
        const pending = this.unwritten.get(workload.namespace) ?? new Set();
        pending.add(target);
        this.unwritten.set(workload.namespace, pending);
      }
    }
    return target;
  }

  /** Adds the policy of `target` to the app's manifests, rendered lazily. */
  private write(target: Target): void {
    if (target.written) return;
    target.written = true;
    const namespace = target.workload.namespace;
    const pending = this.unwritten.get(namespace);
    pending?.delete(target);
    if (pending?.size === 0) this.unwritten.delete(namespace);
    const chart = this.hostChart(target.requester, namespace);
    const host = (chart.node.tryFindChild(HOST_ID) as Construct | undefined) ?? new Construct(chart, HOST_ID);
    // '.' appears in neither a namespace nor a policy name, so ids of different policies never clash.
    const record = (direction: string, index: number, requesters: readonly IConstruct[]): void => {
      this.origins.set(`${namespace}/${target.name}|${direction}|${index}`, requesters);
    };
    for (const backend of this.backends) {
      backend._create(host, `${namespace}.${target.name}`, { name: target.name, namespace }, () => this.intent(target), record);
    }
  }

  /** Whether the app owns `namespace` now: a construct targets it, it is declared, or a top-level chart is it. */
  private owns(requester: IConstruct, namespace: string): boolean {
    return this.claimed.has(namespace) || this.namespaceChart(requester, namespace) !== undefined;
  }

  /**
   * Run at every synth, before the charts render: writes the policies whose namespace a chart made
   * later (or nested) owns; the rest are flow requests, printed once per synth and written to the
   * outdir for the owners of their namespaces.
   */
  private settle(root: IConstruct): string[] {
    if (this.requests.length === 0) return [];
    for (const namespace of this.ownedNamespaces(root)) this.own(namespace);
    const open = this.requests.filter((r) => !r.target.written).map((r) => r.request);
    const manifests = new Map<string, any[]>();
    for (const [namespace, targets] of this.unwritten) manifests.set(namespace, [...targets].flatMap((t) => this.toManifests(t)));
    reportFlowRequests(root, open, manifests);
    return [];
  }

  /** The objects of `target`, one per backend, as they would be written. */
  private toManifests(target: Target): any[] {
    const metadata = { name: target.name, namespace: target.workload.namespace };
    return this.backends.map((backend) => backend._manifest(metadata, this.intent(target)));
  }


  /**
   * The chart a new policy is written into: the requester's when it is the policy's namespace, else a
   * top-level chart of the app that is (so that with a file per chart each namespace's policies land in
   * its own file), else the requester's.
   */
  private hostChart(requester: IConstruct, namespace: string): Chart {
    const own = Chart.of(requester);
    if (own.namespace === namespace) return own;
    return this.namespaceChart(requester, namespace) ?? own;
  }

  /** The top-level chart of the app that is `namespace`, if any. */
  private namespaceChart(requester: IConstruct, namespace: string): Chart | undefined {
    const root = requester.node.root;
    // Looked up once per namespace while no chart is added, so that apps with many charts stay fast.
    if (root.node.children.length !== this.chartsSeen) {
      this.namespaceCharts.clear();
      this.chartsSeen = root.node.children.length;
    }
    if (!this.namespaceCharts.has(namespace)) {
      this.namespaceCharts.set(namespace, root.node.children.filter(Chart.isChart).find((chart) => chart.namespace === namespace));
    }
    return this.namespaceCharts.get(namespace);
  }

  private uniqueName(workload: ResolvedWorkload, key: string): string {
    const base = workload.selector.isEmpty ? 'all-pods' : workload.name;
    let name = policyName(base, key, false);
    if (this.names.has(`${workload.namespace}/${name}`)) name = policyName(base, key, true);
    this.names.add(`${workload.namespace}/${name}`);
    return name;
  }

  /** The merged intent of a workload, as every backend renders it. */
  private intent(target: Target): PolicyIntent {
    const namespace = target.workload.namespace;
    const dnsKeys = new Set<string>();
    for (const rules of target.dns.values()) for (const { peer } of rules) dnsKeys.add(peer.key);
    const egressPeers = new Map(target.egress.peers);
    const namespaceDns: IntentPeer[] = [];
    if (target.egress.isolated && !target.workload.selector.isEmpty) {
      // The namespace-wide policy selects these pods too (policies add up): what it allows is not repeated.
      const namespaceWide = this.targets.get(`${namespace}|${EVERY_POD}`)?.egress.peers;
      for (const rules of target.dns.values()) {
        for (const { peer, ports } of rules) {
          const allowed = namespaceWide?.get(peer.key)?.ports ?? [];
          const missing = allowed === 'all' ? [] : ports.filter((port) => !allowed.some((p) => port.isCoveredBy(p)));
          const known = egressPeers.get(peer.key);
          if (missing.length < ports.length) namespaceDns.push({ peer, ports, requesters: [], dns: true });
          if (missing.length === 0) continue;
          egressPeers.set(peer.key, { peer, ports: mergePorts(known?.ports ?? [], missing), requesters: known?.requesters ?? [] });
        }
      }
    }
    const list = (peers: Map<string, PeerRule>): IntentPeer[] => [...peers.values()].map((p) => ({ ...p, dns: dnsKeys.has(p.peer.key) }));
    return {
      namespace,
      name: target.name,
      selector: target.workload.selector,
      ingressIsolated: target.ingress.isolated,
      egressIsolated: target.egress.isolated,
      ingress: list(target.ingress.peers),
      egress: list(egressPeers),
      namespaceDns,
    };
  }
}

/** A flow some constructs declared, and their paths. @internal */
export interface DeclaredFlow {
  readonly flow: FlowSpec;
  readonly declaredBy: string[];
}

const REGISTRIES = new WeakMap<IConstruct, PolicyRegistry>();
const HOST_ID = 'NetworkPolicies';
/** The selector key of a namespace-wide policy. */
const EVERY_POD = LabelSelector._everything()._key;

/** Adds `more` to `existing`, dropping ports another one covers. */
function mergePorts(existing: PortSet, more: Port[]): PortSet {
  if (existing === 'all' || more.some((p) => p.protocol === undefined)) return 'all';
  let merged = [...existing];
  for (const port of more) {
    if (merged.some((p) => port.isCoveredBy(p))) continue;
    merged = merged.filter((p) => !p.isCoveredBy(port));
    merged.push(port);
  }
  return merged;
}

/** A DNS-1123 name of at most 63 characters; a hash of `key` is appended when asked or when truncated. */
function policyName(base: string, key: string, withHash: boolean): string {
  const suffix = '-netpol';
  const hash = () => createHash('sha256').update(key).digest('hex').slice(0, 8);
  let stem = base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  const room = 63 - suffix.length - (withHash ? 9 : 0);
  const truncated = stem.length > room;
  if (truncated || stem.length === 0) {
    stem = `${stem.slice(0, 63 - suffix.length - 9).replace(/-+$/, '')}-${hash()}`.replace(/^-/, '');
  } else if (withHash) {
    stem = `${stem}-${hash()}`;
  }
  return `${stem}${suffix}`;
}
