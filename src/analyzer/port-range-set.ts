import { normalize, PortRange, PROTOCOLS } from './allowed-ports';

/**
 * Set arithmetic on port ranges, for comparing what two sides or two versions allow.
 */

/**
 * The ports of `a` that are not in `b`, per protocol, merged and sorted.
 * @internal
 */
export function subtractPortRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  for (const protocol of PROTOCOLS) {
    let pieces = a.filter((r) => r.protocol === protocol).map((r) => [r.startPort, r.endPort] as [number, number]);
    for (const cut of b.filter((r) => r.protocol === protocol)) {
      pieces = pieces.flatMap(([lo, hi]): [number, number][] => {
        if (cut.endPort < lo || cut.startPort > hi) return [[lo, hi]];
        const left: [number, number][] = lo < cut.startPort ? [[lo, cut.startPort - 1]] : [];
        const right: [number, number][] = hi > cut.endPort ? [[cut.endPort + 1, hi]] : [];
        return [...left, ...right];
      });
    }
    out.push(...normalize(pieces).map(([startPort, endPort]) => ({ protocol, startPort, endPort })));
  }
  return out;
}
