import type { PortRange } from './allowed-ports';

/**
 * Set arithmetic on port ranges: what a rule opens, what a tier decides and what is left for the
 * next one, what two sides or two versions allow.
 */

/** The protocols NetworkPolicy filters. @internal */
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

/** Inclusive `[first, last]` port intervals of one protocol. @internal */
export type Intervals = readonly (readonly [number, number])[];

const FULL: Intervals = [[1, 65535]];

/** Sorts ranges and merges those that overlap or touch. */
function normalize(list: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...list].sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function intersect(a: Intervals, b: Intervals): [number, number][] {
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

function subtract(a: Intervals, b: Intervals): [number, number][] {
  const out: [number, number][] = [];
  let j = 0;
  for (const [lo0, hi] of a) {
    let lo = lo0;
    while (j < b.length && b[j][1] < lo) j++;
    let k = j;
    while (k < b.length && b[k][0] <= hi) {
      if (b[k][0] > lo) out.push([lo, b[k][0] - 1]);
      lo = Math.max(lo, b[k][1] + 1);
      if (b[k][1] >= hi) break;
      k++;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

/**
 * An immutable set of ports per protocol (TCP, UDP, SCTP), each a sorted list of disjoint,
 * non-touching intervals. The verdict walk decides parts of such sets tier by tier.
 * @internal
 */
export class PortSet {
  public static readonly ALL = new PortSet([FULL, FULL, FULL]);
  public static readonly NONE = new PortSet([[], [], []]);

  /** One port, or a range, of one protocol. */
  public static of(protocol: string, first: number, last: number = first): PortSet {
    const at = PROTOCOLS.indexOf(protocol);
    if (at < 0 || last < first) return PortSet.NONE;
    return new PortSet(PROTOCOLS.map((_, i) => (i === at ? [[first, last]] : [])));
  }

  /** Every port of one protocol. */
  public static protocol(protocol: string): PortSet {
    return PortSet.of(protocol, 1, 65535);
  }

  /** From public port ranges (in any order, overlapping or not). */
  public static fromRanges(ranges: readonly PortRange[]): PortSet {
    const of = (protocol: string): [number, number][] => ranges.filter((r) => r.protocol === protocol).map((r) => [r.startPort, r.endPort]);
    return new PortSet(PROTOCOLS.map((p) => normalize(of(p))));
  }

  /** From intervals per protocol, which may overlap. */
  public static fromIntervals(byProtocol: readonly Intervals[]): PortSet {
    return new PortSet(byProtocol.map((list) => normalize(list)));
  }

  private constructor(public readonly byProtocol: readonly Intervals[]) {}

  public isEmpty(): boolean {
    return this.byProtocol.every((list) => list.length === 0);
  }

  /** Every port of every protocol. */
  public isAll(): boolean {
    return this.byProtocol.every((list) => list.length === 1 && list[0][0] === 1 && list[0][1] === 65535);
  }

  public has(port: number, protocol: string): boolean {
    const list = this.byProtocol[PROTOCOLS.indexOf(protocol)] ?? [];
    return list.some(([lo, hi]) => lo <= port && port <= hi);
  }

  public union(other: PortSet): PortSet {
    if (other.isEmpty() || this === PortSet.ALL) return this;
    if (this.isEmpty() || other === PortSet.ALL) return other;
    return new PortSet(this.byProtocol.map((list, i) => normalize([...list, ...other.byProtocol[i]])));
  }

  public intersect(other: PortSet): PortSet {
    if (other === PortSet.ALL) return this;
    if (this === PortSet.ALL) return other;
    return new PortSet(this.byProtocol.map((list, i) => intersect(list, other.byProtocol[i])));
  }

  public subtract(other: PortSet): PortSet {
    if (other.isEmpty()) return this;
    if (other === PortSet.ALL) return PortSet.NONE;
    return new PortSet(this.byProtocol.map((list, i) => subtract(list, other.byProtocol[i])));
  }

  public equals(other: PortSet): boolean {
    return this.byProtocol.every((list, i) => list.length === other.byProtocol[i].length
      && list.every(([lo, hi], k) => lo === other.byProtocol[i][k][0] && hi === other.byProtocol[i][k][1]));
  }

  /** As public ranges, by protocol (TCP, UDP, SCTP) then port. */
  public toRanges(): PortRange[] {
    const out: PortRange[] = [];
    this.byProtocol.forEach((list, i) => { for (const [startPort, endPort] of list) out.push({ protocol: PROTOCOLS[i], startPort, endPort }); });
    return out;
  }
}

/**
 * The ports of `a` that are not in `b`, per protocol, merged and sorted.
 * @internal
 */
export function subtractPortRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  return PortSet.fromRanges(a).subtract(PortSet.fromRanges(b)).toRanges();
}
