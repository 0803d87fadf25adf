/**
 * The allowed/denied table of a set of pods, as a text grid tests compare with a hand-written one.
 * Rows are sources, columns destinations; each cell lists the ports the analyzer allows:
 *
 * - `all`: every port of every protocol; `-`: nothing;
 * - otherwise comma-separated TCP ports and ranges (`80,443`, `8000-8080`), UDP and SCTP ones with a
 *   suffix (`53/udp`), and `*` for every port of a protocol (`*`, `*\/udp`).
 *
 * The first row names the destinations and the first column the sources, by the aliases given.
 */
import { PortRange, Reachability } from '../../src/analyzer';

/** The grid for `pods` (alias → `namespace/name`), columns aligned. */
export function flowTable(reach: Reachability, pods: { [alias: string]: string }): string {
  const aliases = Object.keys(pods);
  const rows = [['from\\to', ...aliases]];
  for (const from of aliases) {
    rows.push([from, ...aliases.map((to) => cell(reach.allowedPorts(pods[from], pods[to])))]);
  }
  return align(rows);
}

/** Asserts the grid equals `expected`, a grid written by hand (any spacing). */
export function expectFlowTable(reach: Reachability, pods: { [alias: string]: string }, expected: string): void {
  const written = expected.trim().split('\n').map((line) => line.trim().split(/\s+/));
  expect(flowTable(reach, pods)).toEqual(align(written));
}

function cell(ranges: PortRange[]): string {
  const everything = ['TCP', 'UDP', 'SCTP'].every((protocol) => ranges.some((r) => r.protocol === protocol && r.startPort === 1 && r.endPort === 65535));
  if (everything) return 'all';
  if (ranges.length === 0) return '-';
  return ranges.map((r) => {
    const suffix = r.protocol === 'TCP' ? '' : `/${r.protocol.toLowerCase()}`;
    if (r.startPort === 1 && r.endPort === 65535) return `*${suffix}`;
    return `${r.startPort === r.endPort ? r.startPort : `${r.startPort}-${r.endPort}`}${suffix}`;
  }).join(',');
}

function align(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}
