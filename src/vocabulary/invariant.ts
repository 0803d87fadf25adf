import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid, show } from './errors';
import { checkProps, Expected, Is, PropsSpec, required } from './input-checks';
import { NAMESPACE_NAME_LABEL } from './k8s-rules';
import { A_PEER, Peer, ResolvedPeer } from './peer';
import { A_PORT, Port } from './port';

/**
 * One side of a flow in the invariants file format: pods (`namespace` and/or selectors, as in a
 * NetworkPolicy peer whose policy lives in `namespace`), addresses (`ipBlock`), or a peer known by
 * name (`fqdn`, `kubeApiServer`: what CiliumNetworkPolicy selects by DNS name or identity).
 * @internal
 */
export interface EndpointSpec {
  /** The namespace a `podSelector` without `namespaceSelector` selects in; alone, every pod of it. */
  readonly namespace?: string;
  readonly podSelector?: any;
  readonly namespaceSelector?: any;
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
  /** A DNS name, or a pattern `*.domain`, as Cilium's `toFQDNs` names it. */
  readonly fqdn?: string;
  /** The Kubernetes API server (Cilium's `kube-apiserver` entity). */
  readonly kubeApiServer?: boolean;
}

/** Flows from `from` to `to` on `ports`: absent sides are anything, absent ports every port. @internal */
export interface FlowSpec {
  readonly from?: EndpointSpec[];
  readonly to?: EndpointSpec[];
  /** `NetworkPolicyPort` entries (`protocol`, `port` number or name, `endPort`). */
  readonly ports?: any[];
}

/** An invariant in the invariants file format. @internal */
export interface InvariantSpec extends FlowSpec {
  readonly name: string;
  /** `never`: no flow it covers may be allowed; `always`: every flow it covers must be allowed. */
  readonly allowed: 'never' | 'always';
  /** Flows a `never` invariant does not cover. */
  readonly except?: FlowSpec[];
  /** The construct that declared it, when a construct did. */
  readonly declaredBy?: string;
}

/** A flow the app's constructs declare, in the invariants file format. @internal */
export interface DeclaredFlowSpec extends FlowSpec {
  /** The constructs that declared it. */
  readonly declaredBy?: string[];
}

/** The content of an invariants file. @internal */
export interface InvariantsFileSpec {
  readonly invariants: InvariantSpec[];
  /** Flows that must be allowed, declared by the app's constructs. */
  readonly flows?: DeclaredFlowSpec[];
  /** The namespaces of the app: between their pods, no flow but `flows` may be allowed. */
  readonly namespaces?: string[];
}

/**
 * A flow a {@link Invariant.neverAllowed} invariant leaves out: the flows from `from` to `to` on
 * `ports`.
 *
 * @example
 * { to: [Peer.podsIn('kube-system', LabelSelector.matchLabels({ 'k8s-app': 'kube-dns' }))], ports: [Port.DNS_UDP, Port.DNS_TCP] }
 */
export interface FlowExemption {
  /**
   * The sources it leaves out.
   * @default - any source
   */
  readonly from?: Peer[];
  /**
   * The destinations it leaves out.
   * @default - any destination
   */
  readonly to?: Peer[];
  /**
   * The ports it leaves out.
   * @default - every port of every protocol
   */
  readonly ports?: Port[];
}

/**
 * Properties of {@link Invariant.neverAllowed}.
 *
 * @example
 * { name: 'the frontend never reaches the database', from: [Peer.workload(frontend)], to: [Peer.workload(database)] }
 */
export interface NeverAllowedProps {
  /** What the invariant says, in the words of the team: it names the invariant in every message. */
  readonly name: string;
  /**
   * The sources.
   * @default - anything: every pod of every namespace and every address outside the cluster
   */
  readonly from?: Peer[];
  /**
   * The destinations.
   * @default - anything: every pod of every namespace and every address outside the cluster
   */
  readonly to?: Peer[];
  /**
   * The ports.
   * @default - every port of every protocol
   */
  readonly ports?: Port[];
  /**
   * Flows left out, e.g. DNS for "the database reaches nothing but DNS".
   * @default - none
   */
  readonly except?: FlowExemption[];

  /**
   * Also leave out every flow the app's constructs declare (`AllowFrom`, `AllowTo`, the constructs
   * built on them, and the DNS they keep), as they are when the app is synthesized: the invariant
   * then says "nothing but what the app declares", whichever construct declares it.
   * @default false
   */
  readonly exceptDeclaredFlows?: boolean;
}

/**
 * Properties of {@link Invariant.alwaysAllowed}.
 *
 * @example
 * { name: 'ingress-nginx reaches the storefront on 443', from: [Peer.namespace('ingress-nginx')], to: [Peer.workload(storefront)], ports: [Port.HTTPS] }
 */
export interface AlwaysAllowedProps {
  /** What the invariant says, in the words of the team: it names the invariant in every message. */
  readonly name: string;
  /** The sources: each must reach every destination. */
  readonly from: Peer[];
  /** The destinations. */
  readonly to: Peer[];
  /** The ports each source must reach each destination on; `Port.allPorts()` for all of them. */
  readonly ports: Port[];
}

/** Whether an invariant forbids or requires the flows it covers. */
export enum InvariantKind {
  /** No flow it covers may be allowed. */
  NEVER_ALLOWED = 'never',
  /** Every flow it covers must be allowed (a reachability requirement). */
  ALWAYS_ALLOWED = 'always',
}

/**
 * A statement about what the policies of the whole app allow, checked by the analyzer: flows that
 * must never be allowed, or flows that must stay allowed (reachability requirements). Record it
 * with `NetworkPolicyInvariants`; every synth then fails while it is violated, naming the offending
 * pair and port and the policy rule that opens it (or the isolation that blocks it).
 *
 * Peers are the same as in rules: `Peer.pods()` selects in the namespace of the chart declaring the
 * invariant; ipBlock peers hold every address outside the cluster they cover. An invariant covers
 * every pair of different pods (or a pod and an address) its sides match; a pod reaching itself is
 * never covered.
 *
 * @example
 * Invariant.neverAllowed({ name: 'the frontend never reaches the database', from: [Peer.workload(web)], to: [Peer.workload(db)] });
 * Invariant.alwaysAllowed({ name: 'ingress-nginx reaches web on 443', from: [Peer.namespace('ingress-nginx')], to: [Peer.workload(web)], ports: [Port.HTTPS] });
 */
export class Invariant {
  /**
   * Flows that must never be allowed: from any of `from` to any of `to` on any of `ports`, except
   * the exempted flows.
   * @param props the flows and the invariant's name
   */
  public static neverAllowed(props: NeverAllowedProps): Invariant {
    checkProps(`Invariant.neverAllowed(${show(props?.name)})`, props, NEVER_ALLOWED);
    const where = `Invariant.neverAllowed(${show(props.name)})`;
    checkName(where, props.name);
    for (const [side, peers] of [['from', props.from], ['to', props.to]] as const) {
      if (peers !== undefined && peers.length === 0) throw invalid(where, `'${side}' is empty, so the invariant covers nothing`, `Leave '${side}' out for anything`);
    }
    checkPorts(where, props.ports);
    (props.except ?? []).forEach((e, i) => checkPorts(`${where} except[${i}]`, e.ports));
    const except = props.except ?? [];
    return new Invariant(props.name, InvariantKind.NEVER_ALLOWED, props.from, props.to, props.ports, except, props.exceptDeclaredFlows ?? false);
  }

  /**
   * Flows that must stay allowed: from every one of `from` to every one of `to` on every one of
   * `ports`.
   * @param props the flows and the invariant's name
   */
  public static alwaysAllowed(props: AlwaysAllowedProps): Invariant {
    checkProps(`Invariant.alwaysAllowed(${show(props?.name)})`, props, ALWAYS_ALLOWED);
    const where = `Invariant.alwaysAllowed(${show(props.name)})`;
    checkName(where, props.name);
    for (const [side, peers] of [['from', props.from], ['to', props.to], ['ports', props.ports]] as const) {
      if (peers.length === 0) throw invalid(where, `'${side}' is empty, so the invariant requires nothing`, `Name at least one ${side === 'ports' ? 'port' : 'peer'}`);
    }
    checkPorts(where, props.ports);
    return new Invariant(props.name, InvariantKind.ALWAYS_ALLOWED, props.from, props.to, props.ports, [], false);
  }

  private constructor(
    /** What the invariant says; it names the invariant in every message. */
    public readonly name: string,
    /** Whether it forbids or requires the flows it covers. */
    public readonly kind: InvariantKind,
    private readonly from: Peer[] | undefined,
    private readonly to: Peer[] | undefined,
    private readonly ports: Port[] | undefined,
    private readonly except: FlowExemption[],
    /** Whether the flows the app declares are left out too (added when the app is checked). @internal */
    public readonly _exceptDeclaredFlows: boolean,
  ) {}

  /** A readable form, e.g. `never allowed: workload web -> workload db on all ports`. */
  public toString(): string {
    const side = (peers?: Peer[]): string => (peers ? peers.map(String).join(', ') : 'anything');
    const ports = this.ports ? this.ports.map(String).join(', ') : 'all ports';
    const declared = this._exceptDeclaredFlows ? ', except the flows the app declares' : '';
    return `${this.kind === InvariantKind.NEVER_ALLOWED ? 'never' : 'always'} allowed: ${side(this.from)} -> ${side(this.to)} on ${ports}${declared}`;
  }

  /**
   * The invariant in the invariants file format, its peers resolved for the construct `scope`.
   * @internal
   */
  public _toSpec(scope: IConstruct): InvariantSpec {
    const flow = (from?: Peer[], to?: Peer[], ports?: Port[]): FlowSpec => ({
      ...(from ? { from: from.flatMap((p) => endpointSpecs(p, scope)) } : {}),
      ...(to ? { to: to.flatMap((p) => endpointSpecs(p, scope)) } : {}),
      ...(ports && !ports.some((p) => p.protocol === undefined) ? { ports: ports.map((p) => p.toJson()) } : {}),
    });
    return {
      name: this.name,
      allowed: this.kind,
      ...flow(this.from, this.to, this.ports),
      ...(this.except.length > 0 ? { except: this.except.map((e) => flow(e.from, e.to, e.ports)) } : {}),
      declaredBy: scope.node.path,
    };
  }
}

/**
 * A peer as one side of a flow in the invariants file format, resolved for the construct `scope`:
 * `Peer.pods()` selects in its chart's namespace.
 * @internal
 */
export function endpointSpecs(peer: Peer, scope: IConstruct): EndpointSpec[] {
  const namespace = Chart.of(scope).namespace;
  const specs = peerEndpoints(peer._resolve(namespace ?? '', scope), namespace ?? '');
  if (specs.some((spec) => spec.namespace === '')) {
    throw invalid(scope.node.path, `${peer} selects pods in the chart's namespace, and the chart '${Chart.of(scope).node.path}' has none`,
      'Name the namespace with Peer.podsIn() or Peer.workload(), or give the chart a namespace');
  }
  return specs;
}

/**
 * The endpoints of a resolved peer for a policy in `namespace`: its NetworkPolicy peer entries, and
 * the name Cilium selects it by (a DNS name, the API server) when it has one.
 * @internal
 */
export function peerEndpoints(peer: ResolvedPeer, namespace: string): EndpointSpec[] {
  const named = peer.renderCilium(namespace);
  return [
    ...peer.render(namespace).map((entry) => endpointFromEntry(entry, namespace)),
    ...(named.field === 'FQDNs' ? [{ fqdn: named.entry.matchName ?? named.entry.matchPattern }] : []),
    ...(named.field === 'Entities' && named.entry === 'kube-apiserver' ? [{ kubeApiServer: true }] : []),
  ];
}

/**
 * A `NetworkPolicyPeer` entry of a policy in `namespace` as one side of a flow, in one form per set
 * of pods: a namespace selected by name alone is written as `namespace`.
 * @internal
 */
export function endpointFromEntry(entry: any, namespace: string): EndpointSpec {
  if (entry.ipBlock) return entry;
  const byName = entry.namespaceSelector?.matchLabels;
  const keys = Object.keys(byName ?? {});
  const onlyName = keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL && !entry.namespaceSelector?.matchExpressions?.length;
  if (entry.namespaceSelector && !onlyName) return entry;
  return { namespace: byName ? byName[NAMESPACE_NAME_LABEL] : namespace, podSelector: entry.podSelector ?? {} };
}

const PEERS = Is.listOf(A_PEER);
const PORTS = Is.listOf(A_PORT);
const NAME = required(Is.string("'the frontend never reaches the database'"));
const EXEMPTION: PropsSpec<FlowExemption> = { from: PEERS, to: PEERS, ports: PORTS };
const NEVER_ALLOWED: PropsSpec<NeverAllowedProps> = {
  name: NAME, from: PEERS, to: PEERS, ports: PORTS, except: Is.listOf(Is.struct(EXEMPTION)), exceptDeclaredFlows: Is.boolean(),
};
const ALWAYS_ALLOWED: PropsSpec<AlwaysAllowedProps> = { name: NAME, from: required(PEERS), to: required(PEERS), ports: required(PORTS) };

/**
 * An invariant, as entries that take one expect it.
 * @internal
 */
export const AN_INVARIANT: Expected = Is.instanceOf(Invariant, "Invariant.neverAllowed({ name: 'web never reaches db', from: [Peer.workload(web)], to: [Peer.workload(db)] })");

function checkName(where: string, name: string): void {
  if (name.trim() === '') throw invalid(where, 'the name is empty', 'Say what the invariant guarantees, e.g. "the frontend never reaches the database"');
}

function checkPorts(where: string, ports: Port[] | undefined): void {
  if (ports !== undefined && ports.length === 0) throw invalid(where, "'ports' is empty", 'Leave it out (or use Port.allPorts()) for every port');
}
