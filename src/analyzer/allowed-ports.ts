import { ClusterModel, Direction, PodModel, PolicyModel, PortRuleModel, RuleModel } from './cluster-model';
import { peerMatches, policySelects } from './evaluator';
import { MatrixEngine } from './matrix-engine';

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

/** The protocols NetworkPolicy filters. @internal */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
type Ranges = Map<string, [number, number][]>;

function everything(): Ranges {
  return new Map(PROTOCOLS.map((p) => [p, [[1, 65535]]]));
}

/** Sorts ranges and merges those that overlap or touch. @internal */
export function normalize(list: [number, number][]): [number, number][] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

/** The ports one port entry opens on `destination` (named ports resolved on its container ports). @internal */
export function entryRanges(entry: PortRuleModel, destination: PodModel): [number, number][] {
  if (entry.port === undefined) return [[1, 65535]];
  if (typeof entry.port === 'number') return [[entry.port, entry.endPort ?? entry.port]];
  return destination.ports.filter((p) => p.name === entry.port && p.protocol === entry.protocol).map((p) => [p.containerPort, p.containerPort]);
}

/** The policies isolating a pod for a direction. @internal */
export function isolatingPolicies(model: ClusterModel, direction: Direction, pod: PodModel): PolicyModel[] {
  return model.policies.filter((p) => (direction === 'Ingress' ? p.isolatesIngress : p.isolatesEgress) && policySelects(p, pod));
}

function sideRanges(model: ClusterModel, direction: Direction, policies: readonly PolicyModel[], peer: PodModel, destination: PodModel): Ranges {
  if (policies.length === 0) return everything();
  const out: Ranges = new Map(PROTOCOLS.map((p) => [p, []]));
  for (const policy of policies) {
    for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
      if (rule.peers.length > 0 && !rule.peers.some((p) => peerMatches(model, policy, p, peer))) continue;
      if (rule.ports.length === 0) return everything();
      for (const entry of rule.ports) out.get(entry.protocol)?.push(...entryRanges(entry, destination));
    }
  }
  for (const p of PROTOCOLS) out.set(p, normalize(out.get(p)!));
  return out;
}

function intersect(a: [number, number][], b: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++; else j++;
  }
  return out;
}

/**
 * Every port (per protocol) on which `from` may connect to `to`: the source's egress ranges
 * intersected with the destination's ingress ranges; everything for a pod to itself. Pass the
 * isolating policies when known (see `isolatingPolicies`) to save looking them up per pair.
 * @internal
 */
export function allowedPortRanges(model: ClusterModel, from: PodModel, to: PodModel,
  egressPolicies: readonly PolicyModel[] = isolatingPolicies(model, 'Egress', from),
  ingressPolicies: readonly PolicyModel[] = isolatingPolicies(model, 'Ingress', to)): PortRange[] {
  const out: PortRange[] = [];
  const egress = from.id === to.id ? everything() : sideRanges(model, 'Egress', egressPolicies, to, to);
  const ingress = from.id === to.id ? everything() : sideRanges(model, 'Ingress', ingressPolicies, from, to);
  for (const protocol of PROTOCOLS) {
    for (const [lo, hi] of intersect(egress.get(protocol)!, ingress.get(protocol)!)) out.push({ protocol, startPort: lo, endPort: hi });
  }
  return out;
}

function toPortRanges(ranges: Ranges): PortRange[] {
  const out: PortRange[] = [];
  for (const protocol of PROTOCOLS) for (const [lo, hi] of ranges.get(protocol)!) out.push({ protocol, startPort: lo, endPort: hi });
  return out;
}

/** The ports one side allows between two classes of pods, and what both sides allow. @internal */
export interface ClassPairPorts {
  /** What the source's egress allows towards the destination (everything when not isolated). */
  readonly egress: readonly PortRange[];
  /** What the destination's ingress admits from the source (everything when not isolated). */
  readonly ingress: readonly PortRange[];
  /** Both: what the connection may use. */
  readonly allowed: readonly PortRange[];
}

/**
 * Allowed ports for every ordered pair of pods, computed once per pair of the matrix engine's
 * classes (pods no policy can tell apart have the same ports towards the same class), so whole
 * reports cost classes² rather than pods² rule evaluations. Agrees with `allowedPortRanges`.
 * @internal
 */
export class PortRangeTable {
  private readonly memo = new Map<number, ClassPairPorts>();
  private readonly everything: readonly PortRange[] = toPortRanges(everything());

  public constructor(private readonly model: ClusterModel, private readonly engine: MatrixEngine) {}

  /** What pod `fromIndex` may use to reach pod `toIndex` (indexes in `model.pods`); everything for a pod to itself. */
  public allowedAt(fromIndex: number, toIndex: number): readonly PortRange[] {
    if (fromIndex === toIndex) return this.everything;
    return this.classPair(this.engine.classOfPod[fromIndex], this.engine.classOfPod[toIndex]).allowed;
  }

  /** Both sides' ports between two different pods of these classes (the classes may be equal). */
  public classPair(sourceClass: number, destinationClass: number): ClassPairPorts {
    const key = sourceClass * this.engine.classCount + destinationClass;
    let entry = this.memo.get(key);
    if (!entry) {
      const destination = this.engine.representative(destinationClass);
      const egress = this.side('Egress', sourceClass, destinationClass, destination);
      const ingress = this.side('Ingress', destinationClass, sourceClass, destination);
      const allowed: PortRange[] = [];
      for (const protocol of PROTOCOLS) {
        for (const [lo, hi] of intersect(egress.get(protocol)!, ingress.get(protocol)!)) allowed.push({ protocol, startPort: lo, endPort: hi });
      }
      entry = { egress: toPortRanges(egress), ingress: toPortRanges(ingress), allowed };
      this.memo.set(key, entry);
    }
    return entry;
  }

  private side(direction: Direction, subjectClass: number, peerClass: number, destination: PodModel): Ranges {
    const policies = this.engine.isolatingPolicies(subjectClass, direction);
    if (policies.length === 0) return everything();
    const out: Ranges = new Map(PROTOCOLS.map((p) => [p, []]));
    for (const index of policies) {
      const policy = this.model.policies[index];
      const rules: readonly RuleModel[] = direction === 'Ingress' ? policy.ingress : policy.egress;
      for (const rule of rules) {
        if (!this.engine.ruleClasses(policy, rule).has(peerClass)) continue;
        if (rule.ports.length === 0) return everything();
        for (const entry of rule.ports) out.get(entry.protocol)?.push(...entryRanges(entry, destination));
      }
    }
    for (const p of PROTOCOLS) out.set(p, normalize(out.get(p)!));
    return out;
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
