import { BitSet } from './bitset';
import { ClusterModel, Direction } from './cluster-model';
import { EndpointModel, isExternal } from './external-nodes';
import { MatrixEngine } from './matrix-engine';
import { policyLayers } from './policy-layers';
import { TIERS } from './policy-tier';
import { PROTOCOLS, PortSet } from './port-range-set';
import { SideProgram, hasPolicies, isolates, ruleMatchesPeer, sideProgram, walkSide } from './verdict-walk';

/**
 * A range of ports of one protocol that a connection may use.
 *
 * @example
 * Reachability.fromChart(chart).allowedPorts('shop/web', 'shop/api'); // [{ protocol: 'TCP', startPort: 8080, endPort: 8080 }]
 */
export interface PortRange {
  /** `TCP`, `UDP` or `SCTP`. */
  readonly protocol: string;
  /** The first port of the range. */
  readonly startPort: number;
  /** The last port of the range (equal to `startPort` for one port). */
  readonly endPort: number;
}

/**
 * Every port (per protocol) on which `from` may connect to `to`: what the source's egress walk
 * allows intersected with what the destination's ingress walk allows; everything for a pod to
 * itself.
 * @internal
 */
export function allowedPortRanges(model: ClusterModel, from: EndpointModel, to: EndpointModel): PortRange[] {
  if (from === to && !isExternal(from)) return PortSet.ALL.toRanges();
  const layers = policyLayers(model);
  const egress = walkSide(sideProgram(layers, 'Egress', from), (rule) => ruleMatchesPeer(rule, to), to, PortSet.ALL, false).allowed;
  const ingress = walkSide(sideProgram(layers, 'Ingress', to), (rule) => ruleMatchesPeer(rule, from), to, PortSet.ALL, false).allowed;
  return egress.intersect(ingress).toRanges();
}

/** The ports one side allows between two classes of endpoints, and what both sides allow. @internal */
export interface ClassPairPorts {
  /** What the source's egress allows towards the destination (everything when not isolated). */
  readonly egress: readonly PortRange[];
  /** What the destination's ingress admits from the source (everything when not isolated). */
  readonly ingress: readonly PortRange[];
  /** Both: what the connection may use. */
  readonly allowed: readonly PortRange[];
  /** Whether no policy of any tier decides any port of it on either side: every port is allowed by default. */
  readonly open: boolean;
}

/** A class a source class may reach: the ports, and whether no policy decides any of them. @internal */
export interface ReachedClass {
  readonly ports: readonly PortRange[];
  readonly open: boolean;
}

/** Class pairs kept for `allowedAt`; beyond this the memo starts over, so whole tables stay in bounded memory. */
const MEMO_LIMIT = 100_000;

/**
 * Allowed ports for every ordered pair of endpoints, computed per pair of the matrix engine's
 * classes (endpoints no policy can tell apart have the same ports towards the same class), so
 * whole reports cost classes² walks at most. Whole reports ask `reachable`, which walks only the
 * class pairs some Allow rule may connect (`peerCandidates`), so a cluster where every workload
 * talks to a few others costs about classes × those few. Agrees with `allowedPortRanges`.
 * @internal
 */
export class PortRangeTable {
  private memo = new Map<number, ClassPairPorts>();
  private readonly candidateMemo = new Map<SideProgram, BitSet>();
  private readonly everything: readonly PortRange[] = PortSet.ALL.toRanges();
  private lastReachable?: { readonly source: number; readonly destinations: ReadonlyMap<number, ReachedClass> };
  private admitting?: readonly BitSet[];

  public constructor(private readonly engine: MatrixEngine) {}

  /**
   * What endpoint `fromIndex` may use to reach endpoint `toIndex` (indexes in `engine.endpoints`:
   * the model's pods, then its external nodes); everything for a pod to itself.
   */
  public allowedAt(fromIndex: number, toIndex: number): readonly PortRange[] {
    if (fromIndex === toIndex && !isExternal(this.engine.endpoints[fromIndex])) return this.everything;
    const s = this.engine.classOfEndpoint[fromIndex];
    const d = this.engine.classOfEndpoint[toIndex];
    if (!this.mayConnect(s, d)) return [];
    return this.classPair(s, d).allowed;
  }

  /** Both sides' ports between two different endpoints of these classes (the classes may be equal). */
  public classPair(sourceClass: number, destinationClass: number): ClassPairPorts {
    const key = sourceClass * this.engine.classCount + destinationClass;
    let entry = this.memo.get(key);
    if (!entry) {
      const destination = this.engine.representative(destinationClass);
      const egress = this.side('Egress', sourceClass, destinationClass, destination);
      const ingress = this.side('Ingress', destinationClass, sourceClass, destination);
      entry = {
        egress: egress.allowed.toRanges(),
        ingress: ingress.allowed.toRanges(),
        allowed: egress.allowed.intersect(ingress.allowed).toRanges(),
        open: egress.defaulted.isAll() && ingress.defaulted.isAll(),
      };
      if (this.memo.size >= MEMO_LIMIT) this.memo = new Map();
      this.memo.set(key, entry);
    }
    return entry;
  }

  /**
   * Whether no policy of any tier decides any port between two different endpoints (indexes in
   * `engine.endpoints`): what pictures leave out unless asked.
   */
  public openAt(fromIndex: number, toIndex: number): boolean {
    return this.classPair(this.engine.classOfEndpoint[fromIndex], this.engine.classOfEndpoint[toIndex]).open;
  }

  /**
   * Every class an endpoint of class `sourceClass` may connect to on some port (a different
   * endpoint of its own class included), with the ports. The last answer is kept, as pods of one
   * workload usually come one after another.
   */
  public reachable(sourceClass: number): ReadonlyMap<number, ReachedClass> {
    if (this.lastReachable?.source === sourceClass) return this.lastReachable.destinations;
    const destinations = new Map<number, ReachedClass>();
    const source = this.engine.program(sourceClass, 'Egress');
    // A source no egress policy isolates has every class as candidate: the test of each
    // destination's ingress is then the inner loop of the whole report, so it is an array look-up.
    const admitting = this.ingressCandidates();
    this.peerCandidates(source).forEach((d) => {
      if (!admitting[d].has(sourceClass)) return;
      const destination = this.engine.representative(d);
      const egress = this.side('Egress', sourceClass, d, destination);
      if (egress.allowed.isEmpty()) return;
      const ingress = this.side('Ingress', d, sourceClass, destination);
      const allowed = egress.allowed.intersect(ingress.allowed);
      if (!allowed.isEmpty()) destinations.set(d, { ports: allowed.toRanges(), open: egress.defaulted.isAll() && ingress.defaulted.isAll() });
    });
    this.lastReachable = { source: sourceClass, destinations };
    return destinations;
  }

  /**
   * Whether some port may be allowed from class `s` to class `d`: false means certainly none (no
   * Allow rule of either side that may apply names the other), true means walk to know.
   */
  public mayConnect(s: number, d: number): boolean {
    return this.peerCandidates(this.engine.program(s, 'Egress')).has(d) && this.peerCandidates(this.engine.program(d, 'Ingress')).has(s);
  }

  /** Per class, the source classes its ingress may admit on some port (`peerCandidates` of its ingress). */
  private ingressCandidates(): readonly BitSet[] {
    if (!this.admitting) {
      const admitting: BitSet[] = new Array(this.engine.classCount);
      for (let d = 0; d < admitting.length; d++) admitting[d] = this.peerCandidates(this.engine.program(d, 'Ingress'));
      this.admitting = admitting;
    }
    return this.admitting;
  }

  /**
   * The peer classes a side may allow on some port: every class unless the NetworkPolicy tier
   * isolates (then the default and the Baseline tier are never reached), else the peers of the
   * Allow rules of the Admin and NetworkPolicy tiers, the only rules that can allow anything.
   * Read only: it may be a rule's own set.
   */
  private peerCandidates(program: SideProgram): BitSet {
    let set = this.candidateMemo.get(program);
    if (set) return set;
    const networkPolicyTier = TIERS.indexOf('NetworkPolicy');
    if (!program.byTier[networkPolicyTier].some(isolates)) {
      set = this.engine.allClasses;
    } else {
      const allowing: BitSet[] = [];
      for (const tier of [TIERS.indexOf('Admin'), networkPolicyTier]) {
        for (const policy of program.byTier[tier]) {
          for (const rule of policy.rules) if (rule.action === 'Allow') allowing.push(this.engine.ruleClasses(rule));
        }
      }
      // Programs are about as many as classes: a set of their own only when rules must be merged.
      if (allowing.length === 1) {
        set = allowing[0];
      } else {
        set = new BitSet(this.engine.classCount);
        for (const classes of allowing) set.or(classes);
      }
    }
    this.candidateMemo.set(program, set);
    return set;
  }

  /**
   * What one side allows between an endpoint of `subjectClass` and one of `peerClass`: the
   * source's egress towards the destination, or the destination's ingress from the source.
   */
  public sidePorts(direction: Direction, subjectClass: number, peerClass: number, destinationClass: number): PortSet {
    if (!this.peerCandidates(this.engine.program(subjectClass, direction)).has(peerClass)) return PortSet.NONE;
    return this.side(direction, subjectClass, peerClass, this.engine.representative(destinationClass)).allowed;
  }

  private side(direction: Direction, subjectClass: number, peerClass: number, destination: EndpointModel): { allowed: PortSet; defaulted: PortSet } {
    const program = this.engine.program(subjectClass, direction);
    if (!hasPolicies(program)) return { allowed: PortSet.ALL, defaulted: PortSet.ALL };
    return walkSide(program, (rule) => this.engine.ruleClasses(rule).has(peerClass), destination, PortSet.ALL, false);
  }
}

/** `TCP 80, 443, 8000-8080; UDP all`, or `nothing`. @internal */
export function formatPortRanges(ranges: readonly PortRange[]): string {
  if (ranges.length === 0) return 'nothing';
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const mine = ranges.filter((r) => r.protocol === protocol);
    if (mine.length === 0) continue;
    if (mine.length === 1 && mine[0].startPort === 1 && mine[0].endPort === 65535) parts.push(`${protocol} all`);
    else parts.push(`${protocol} ${mine.map((r) => (r.startPort === r.endPort ? `${r.startPort}` : `${r.startPort}-${r.endPort}`)).join(', ')}`);
  }
  return parts.join('; ');
}
