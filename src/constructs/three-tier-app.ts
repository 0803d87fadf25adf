import { Construct } from 'constructs';
import { AllowFrom } from './allow-from';
import { AllowTo } from './allow-to';
import { DefaultDeny } from './default-deny';
import { NetworkPolicyInvariants } from './network-policy-invariants';
import { scopeTarget } from './scope-target';
import { A_DNS_RESOLVER, DnsResolver } from '../vocabulary/dns-resolver';
import { invalid, show } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';
import { FlowExemption, Invariant } from '../vocabulary/invariant';
import { A_PEER, Peer } from '../vocabulary/peer';
import { A_PORT, Port } from '../vocabulary/port';
import { A_WORKLOAD, Workload } from '../vocabulary/workload';

/**
 * One tier of a {@link ThreeTierApp}.
 *
 * @example
 * { tier: Tier.BACKEND, from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] }
 */
export enum Tier {
  /** The tier the ingress controller reaches. */
  FRONTEND = 'frontend',
  /** The tier only the frontend reaches. */
  BACKEND = 'backend',
  /** The tier only the backend reaches. */
  DATABASE = 'database',
}

/**
 * More traffic into one tier of a {@link ThreeTierApp}, e.g. monitoring scraping a metrics port.
 *
 * @example
 * { tier: Tier.BACKEND, from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] }
 */
export interface TierIngress {
  /** The tier that receives the traffic. */
  readonly tier: Tier;

  /** Who may connect. */
  readonly from: Peer[];

  /** The ports they may connect to, on the tier's pods. */
  readonly ports: Port[];

  /**
   * Also allow the matching egress on each source that is a workload in the cluster, which isolates
   * that source for egress (with DNS kept). Set to `false` for sources whose egress other policies
   * own, such as a monitoring agent that also scrapes other namespaces; a whole-namespace peer
   * (`Peer.namespace()`) never gets an egress rule either way, nor does a source in a namespace the
   * app does not own (that rule is a flow request, see `OwnedNamespaces`).
   * @default true
   */
  readonly allowSourceEgress?: boolean;
}

/**
 * Traffic from the backend tier of a {@link ThreeTierApp} to destinations outside the cluster.
 *
 * @example
 * { to: [Peer.anyPublicIpv4()], ports: [Port.HTTPS] }
 */
export interface ExternalEgress {
  /**
   * Where the backend may connect: IP blocks such as `Peer.ipv4('203.0.113.0/24')`, or
   * `Peer.anyPublicIpv4()` for every address outside the private ranges pods and nodes use.
   */
  readonly to: Peer[];

  /**
   * The ports it may connect to.
   * @default [Port.HTTPS]
   */
  readonly ports?: Port[];
}

/**
 * Properties of a {@link ThreeTierApp}.
 *
 * @example
 * {
 *   frontend: Workload.fromLabels({ tier: 'frontend' }),
 *   backend: Workload.fromLabels({ tier: 'backend' }),
 *   database: Workload.fromLabels({ tier: 'database' }),
 *   backendPorts: [Port.tcp(3000)],
 * }
 */
export interface ThreeTierAppProps {
  /**
   * The pods that serve users: a label selector (`Workload.fromLabels`) or a cdk8s-plus workload
   * (`Workload.of(deployment)`).
   */
  readonly frontend: Workload;

  /** The pods behind the frontend. */
  readonly backend: Workload;

  /** The pods that store the data. */
  readonly database: Workload;

  /**
   * The namespace of the tiers that do not name their own. Tiers in different namespaces are
   * reached across namespaces by the namespace name label.
   * @default - each tier's own namespace, else the chart's
   */
  readonly namespace?: string;

  /**
   * The namespace of the ingress controller, every pod of which may reach the frontend.
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;

  /**
   * Who may reach the frontend instead of the ingress controller's namespace, e.g. the controller's
   * pods only (`Peer.podsIn(...)`) or a load balancer's addresses (`Peer.ipv4(...)`). Pod peers in a
   * namespace the app owns get the matching egress rule, which isolates them for egress; in another
   * namespace that rule is a flow request (see `OwnedNamespaces`).
   * @default [Peer.namespace(ingressControllerNamespace)]
   */
  readonly ingressPeers?: Peer[];

  /**
   * The ports of the frontend the ingress controller reaches.
   * @default [Port.HTTP, Port.HTTPS]
   */
  readonly frontendPorts?: Port[];

  /**
   * The ports of the backend the frontend reaches.
   * @default [Port.tcp(8080)]
   */
  readonly backendPorts?: Port[];

  /**
   * The ports of the database the backend reaches.
   * @default [Port.POSTGRES]
   */
  readonly databasePorts?: Port[];

  /**
   * More traffic into the tiers, e.g. a monitoring namespace scraping a metrics port.
   * @default - none
   */
  readonly extraIngress?: TierIngress[];

  /**
   * Traffic from the backend to outside the cluster, e.g. a payment provider.
   * @default - the backend reaches only the database and DNS
   */
  readonly backendExternalEgress?: ExternalEgress;

  /**
   * The DNS resolver every tier keeps reaching; `DnsResolver.none()` for none.
   * @default DnsResolver.kubeDns()
   */
  readonly dns?: DnsResolver;
}

/**
 * A frontend, a backend and a database that are secure by default: every tier is isolated both ways,
 * and only these flows get through, each written on both sides (ingress at the destination, egress at
 * the source):
 *
 * - the ingress controller's namespace (`ingress-nginx` unless told otherwise) to the frontend on 80
 *   and 443;
 * - the frontend to the backend on 8080;
 * - the backend to the database on 5432;
 * - every tier to the DNS resolver.
 *
 * The database reaches nothing else, and the frontend cannot reach the database: the app declares these
 * as invariants (the frontend never reaches the database, the database reaches nothing but DNS,
 * nothing but the ingress reaches the frontend), so synth fails when another policy of the app opens
 * one of these flows, naming the rule that does (see {@link NetworkPolicyInvariants}). The tiers may share a
 * namespace or each have their own (a tier that is every pod of a namespace must have it to itself).
 * Other pods of those namespaces are left alone: isolate them too with a {@link ZeroTrustNamespace},
 * without `allowWithinNamespace` where tiers share a namespace: policies add up, so traffic allowed
 * within the namespace would let the frontend reach the database.
 *
 * @example
 * new ThreeTierApp(chart, 'shop', {
 *   frontend: Workload.of(web),
 *   backend: Workload.of(api),
 *   database: Workload.of(postgres),
 *   extraIngress: [{ tier: Tier.BACKEND, from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] }],
 *   backendExternalEgress: { to: [Peer.anyPublicIpv4()] },
 * });
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class ThreeTierApp extends Construct {
  /** The frontend's pods, with the app's namespace applied. */
  public readonly frontend: Workload;
  /** The backend's pods, with the app's namespace applied. */
  public readonly backend: Workload;
  /** The database's pods, with the app's namespace applied. */
  public readonly database: Workload;

  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props the tiers and their options
   */
  constructor(scope: Construct, id: string, props: ThreeTierAppProps) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    if (props.ingressControllerNamespace !== undefined && props.ingressPeers !== undefined) {
      throw invalid(this.node.path, `ingressControllerNamespace ${show(props.ingressControllerNamespace)} and ingressPeers are both set`,
        'Give one of them: ingressPeers replaces the ingress controller namespace');
    }
    this.frontend = scopeTarget(this, props.namespace, props.frontend);
    this.backend = scopeTarget(this, props.namespace, props.backend);
    this.database = scopeTarget(this, props.namespace, props.database);
    this.checkDistinct();

    const dns = props.dns ?? DnsResolver.kubeDns();
    const tiers: [Tier, Workload][] = [[Tier.FRONTEND, this.frontend], [Tier.BACKEND, this.backend], [Tier.DATABASE, this.database]];
    for (const [tier, workload] of tiers) {
      new DefaultDeny(this, `${title(tier)}Deny`, { workload, dns });
    }
    const ingressPeers = props.ingressPeers ?? [Peer.namespace(props.ingressControllerNamespace ?? 'ingress-nginx')];
    const frontendPorts = props.frontendPorts ?? [Port.HTTP, Port.HTTPS];
    new AllowFrom(this, 'IngressToFrontend', { to: this.frontend, from: ingressPeers, ports: frontendPorts, dns });
    new AllowFrom(this, 'FrontendToBackend', { to: this.backend, from: [Peer.workload(this.frontend)], ports: props.backendPorts ?? [Port.tcp(8080)], dns });
    new AllowFrom(this, 'BackendToDatabase', { to: this.database, from: [Peer.workload(this.backend)], ports: props.databasePorts ?? [Port.POSTGRES], dns });

    (props.extraIngress ?? []).forEach((extra, index) => {
      new AllowFrom(this, `Extra${index}To${title(extra.tier)}`, {
        to: tiers.find(([tier]) => tier === extra.tier)![1],
        from: extra.from,
        ports: extra.ports,
        allowSourceEgress: extra.allowSourceEgress,
        dns: extra.allowSourceEgress === false ? undefined : dns,
      });
    });
    if (props.backendExternalEgress) {
      new AllowTo(this, 'BackendExternalEgress', {
        from: this.backend,
        to: props.backendExternalEgress.to,
        ports: props.backendExternalEgress.ports ?? [Port.HTTPS],
        dns,
      });
    }

    const [frontend, database] = [Peer.workload(this.frontend), Peer.workload(this.database)];
    const toFrontend: FlowExemption[] = [
      { from: ingressPeers, ports: frontendPorts },
      ...(props.extraIngress ?? []).filter((e) => e.tier === Tier.FRONTEND).map((e) => ({ from: e.from, ports: e.ports })),
    ];
    const fromDatabase: FlowExemption[] = dns._rules().map((rule) => ({ to: [rule.peer], ports: rule.ports }));
    new NetworkPolicyInvariants(this, 'Invariants', {
      invariants: [
        Invariant.neverAllowed({ name: 'the frontend never reaches the database', from: [frontend], to: [database] }),
        Invariant.neverAllowed({ name: `the database reaches nothing but ${dns.isNone ? 'itself' : 'DNS'}`, from: [database], except: fromDatabase }),
        Invariant.neverAllowed({ name: 'nothing but the ingress reaches the frontend', to: [frontend], except: toFrontend }),
      ],
    });
  }

  /**
   * Two tiers on the same pods would merge their rules and let the frontend reach the database; so
   * would a tier that is every pod of a namespace another tier is in, since its policy selects that
   * tier's pods too.
   */
  private checkDistinct(): void {
    const tiers = ([['frontend', this.frontend], ['backend', this.backend], ['database', this.database]] as const)
      .map(([tier, workload]) => ({ tier, resolved: workload._resolve(this) }));
    tiers.forEach(({ tier, resolved }, index) => {
      for (const other of tiers.slice(0, index)) {
        if (other.resolved.namespace !== resolved.namespace) continue;
        if (other.resolved.selector._key === resolved.selector._key) {
          throw invalid(this.node.path, `${other.tier} and ${tier} are the same pods (${resolved.namespace}/${resolved.selector})`,
            'Give each tier its own labels or workload, so that each gets only its own flows');
        }
        if (other.resolved.selector.isEmpty || resolved.selector.isEmpty) {
          const [whole, part] = other.resolved.selector.isEmpty ? [other.tier, tier] : [tier, other.tier];
          throw invalid(this.node.path, `${whole} is every pod of namespace ${show(resolved.namespace)}, which includes the ${part} pods, so ${part} would get ${whole}'s flows too`,
            `Give ${whole} its own labels, or move it to a namespace of its own`);
        }
      }
    });
  }
}

const PEERS = Is.listOf(A_PEER);
const PORTS = Is.listOf(A_PORT);
const TIER_INGRESS: PropsSpec<TierIngress> = {
  tier: required(Is.enumOf('Tier', Tier)),
  from: required(PEERS),
  ports: required(PORTS),
  allowSourceEgress: Is.boolean(),
};
const PROPS: PropsSpec<ThreeTierAppProps> = {
  frontend: required(A_WORKLOAD),
  backend: required(A_WORKLOAD),
  database: required(A_WORKLOAD),
  namespace: Is.namespaceName(),
  ingressControllerNamespace: Is.namespaceName(),
  ingressPeers: PEERS,
  frontendPorts: PORTS,
  backendPorts: PORTS,
  databasePorts: PORTS,
  extraIngress: Is.listOf(Is.struct(TIER_INGRESS)),
  backendExternalEgress: Is.struct<ExternalEgress>({ to: required(PEERS), ports: PORTS }),
  dns: A_DNS_RESOLVER,
};

function title(tier: Tier): string {
  return tier.charAt(0).toUpperCase() + tier.slice(1);
}
