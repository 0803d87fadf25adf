import { BitSet } from './bitset';
import { ClassMatrix } from './matrix-engine';

/**
 * The truth table of one port: for every ordered pair of pods (a pod and itself included),
 * whether the source may connect to the destination on that port. Made by
 * `Reachability.matrix()`.
 *
 * @example
 * const matrix = Reachability.fromChart(chart).matrix(Port.tcp(8080));
 * matrix.isAllowed('shop/web', 'shop/api'); // true or false
 * matrix.destinationsOf('shop/web'); // ['shop/api', ...]
 * matrix.countAllowed();
 */
export class ReachabilityMatrix {
  /** @internal */
  public static _create(pods: string[], podIndex: Map<string, number>, classOfPod: Int32Array, table: ClassMatrix,
    port: number, protocol: string, resolve: (ref: string) => string): ReachabilityMatrix {
    return new ReachabilityMatrix(pods, podIndex, classOfPod, table, port, protocol, resolve);
  }

  /** The pods, as `namespace/name`, in the order rows and columns use. */
  public readonly pods: string[];
  /** The destination port of every probe. */
  public readonly port: number;
  /** The protocol of every probe. */
  public readonly protocol: string;

  private constructor(pods: string[], private readonly podIndex: Map<string, number>, private readonly classOfPod: Int32Array,
    private readonly table: ClassMatrix, port: number, protocol: string, private readonly resolve: (ref: string) => string) {
    this.pods = pods;
    this.port = port;
    this.protocol = protocol;
  }

  /**
   * Whether `from` may connect to `to`.
   * @param from the source pod: `namespace/name`, or `name` when unique
   * @param to the destination pod: `namespace/name`, or `name` when unique
   */
  public isAllowed(from: string, to: string): boolean {
    return this.allowedAt(this.indexOf(from), this.indexOf(to));
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

  private indexOf(ref: string): number {
    return this.podIndex.get(this.resolve(ref))!;
  }
}
