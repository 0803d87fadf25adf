import { BitSet } from './bitset';
import { ClassMatrix } from './matrix-engine';

/** Where an endpoint sits in the matrix: its class, and its row when it is a pod. @internal */
export interface MatrixLocation {
  readonly classIndex: number;
  readonly podIndex?: number;
}

/**
 * The truth table of one port: for every ordered pair of pods (a pod and itself included),
 * whether the source may connect to the destination on that port, and for pods and external
 * nodes through `isAllowed`. Made by `Reachability.matrix()`.
 *
 * @example
 * const matrix = Reachability.fromChart(chart).matrix(Port.tcp(8080));
 * matrix.isAllowed('shop/web', 'shop/api'); // true or false
 * matrix.destinationsOf('shop/web'); // ['shop/api', ...]
 * matrix.countAllowed();
 */
export class ReachabilityMatrix {
  /** @internal */
  public static _create(pods: string[], classOfPod: Int32Array, table: ClassMatrix,
    port: number, protocol: string, locate: (ref: string) => MatrixLocation): ReachabilityMatrix {
    return new ReachabilityMatrix(pods, classOfPod, table, port, protocol, locate);
  }

  /** The pods, as `namespace/name`, in the order rows and columns use. */
  public readonly pods: string[];
  /** The destination port of every probe. */
  public readonly port: number;
  /** The protocol of every probe. */
  public readonly protocol: string;
  /** The pods of each class, by index, built on first use. */
  private podsOfClass?: number[][];

  private constructor(pods: string[], private readonly classOfPod: Int32Array,
    private readonly table: ClassMatrix, port: number, protocol: string, private readonly locate: (ref: string) => MatrixLocation) {
    this.pods = pods;
    this.port = port;
    this.protocol = protocol;
  }

  /**
   * Whether `from` may connect to `to`.
   * @param from the source: a pod (`namespace/name`, or `name` when unique), an external node or an IP address
   * @param to the destination: a pod (`namespace/name`, or `name` when unique), an external node or an IP address
   */
  public isAllowed(from: string, to: string): boolean {
    const source = this.locate(from);
    const destination = this.locate(to);
    if (source.podIndex !== undefined && source.podIndex === destination.podIndex) return true;
    return this.table.allowed[source.classIndex].has(destination.classIndex);
  }

  /**
   * Whether `from` may connect to `to`, by their indexes in `pods`. The fast path for whole
   * tables.
   */
  public allowedAt(fromIndex: number, toIndex: number): boolean {
    return fromIndex === toIndex || this.table.allowed[this.classOfPod[fromIndex]].has(this.classOfPod[toIndex]);
  }

  /** Whether the source's egress side lets it through (ignoring the destination's ingress). */
  public egressAllowedAt(fromIndex: number, toIndex: number): boolean {
    return fromIndex === toIndex || this.table.egressTo[this.classOfPod[fromIndex]].has(this.classOfPod[toIndex]);
  }

  /** Whether the destination's ingress side lets it through (ignoring the source's egress). */
  public ingressAllowedAt(fromIndex: number, toIndex: number): boolean {
    return fromIndex === toIndex || this.table.ingressAdmits[this.classOfPod[fromIndex]].has(this.classOfPod[toIndex]);
  }

  /** The pods `from` may connect to (itself included). */
  public destinationsOf(from: string): string[] {
    const i = this.indexOf(from);
    return this.pods.filter((_, j) => this.allowedAt(i, j));
  }

  /** The pods that may connect to `to` (itself included). */
  public sourcesOf(to: string): string[] {
    const j = this.indexOf(to);
    return this.pods.filter((_, i) => this.allowedAt(i, j));
  }

  /** How many ordered pairs are allowed (every pod to itself included). */
  public countAllowed(): number {
    const sizes = new Array<number>(this.table.allowed.length).fill(0);
    for (const c of this.classOfPod) sizes[c]++;
    let total = 0;
    this.table.allowed.forEach((row: BitSet, s) => {
      row.forEach((d) => { total += sizes[s] * sizes[d]; });
      // A pod may always reach itself, even where its class may not reach its own class.
      if (!row.has(s)) total += sizes[s];
    });
    return total;
  }

  /**
   * Calls `fn` with the index of every pod `fromIndex` may connect to (itself included), in
   * increasing order: the fast path for whole rows.
   * @internal
   */
  public _forEachAllowed(fromIndex: number, fn: (toIndex: number) => void): void {
    const podsOfClass = this.podsOfClass ??= this.groupPods();
    const targets: number[] = [fromIndex];
    this.table.allowed[this.classOfPod[fromIndex]].forEach((c) => {
      for (const j of podsOfClass[c] ?? []) if (j !== fromIndex) targets.push(j);
    });
    targets.sort((a, b) => a - b).forEach(fn);
  }

  private groupPods(): number[][] {
    const groups: number[][] = [];
    this.classOfPod.forEach((c, i) => (groups[c] ??= []).push(i));
    return groups;
  }

  private indexOf(ref: string): number {
    const index = this.locate(ref).podIndex;
    if (index === undefined) throw new Error(`ReachabilityMatrix: '${ref}' is not a pod; the matrix lists pods only`);
    return index;
  }
}
