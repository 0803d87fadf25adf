import { ExposureSpace, exposureSpace } from './exposure-space';
import { RowOptions, workloadRows } from './workload-rows';
import { Reachability } from '../analyzer';
import { formatPortRanges } from '../analyzer/allowed-ports';
import { Direction } from '../analyzer/cluster-model';
import { ruleName, ruleReference } from '../analyzer/explanation';
import { isExternal } from '../analyzer/external-nodes';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { PortSet } from '../analyzer/port-range-set';
import { dependsOnDestination } from '../analyzer/rule-ports';
import { SideProgram, SideWalk, WalkDecision, hasPolicies, walkSide } from '../analyzer/verdict-walk';

/**
 * Exposure: for each workload, who may connect to it and where it may connect, in the terms of
 * namespaces and address ranges rather than pod by pod — "every pod of namespace monitoring",
 * "every pod of every namespace", "every address outside the cluster", "addresses 0.0.0.0/0
 * except 10.0.0.0/8" — with the rules that decide. Workloads open to the internet or to the whole
 * cluster are flagged.
 *
 * Each peer's ports are what the workload's side decides, walking every tier as the evaluator does
 * (Admin Accept/Deny/Pass, NetworkPolicies and Cilium policies, Baseline, then the default): the
 * walk of `verdict-walk.ts` over the pods of the manifests, the hypothetical pods the policies'
 * selectors describe (`exposure-space.ts`), so it also covers pods and namespaces that do not
 * exist yet, and the external nodes. A pod peer's own egress (for "who may connect to it") or a
 * pod destination's own ingress (for "where it may connect") can still refuse; the flows of
 * `analyze` account for both sides.
 *
 * The walk runs once per group of peer classes that the side's rules treat alike (`peerCells`),
 * not once per class, and sides with equal programs are built once: a workload costs about what
 * its rules name and what its entries list, not the size of the cluster.
 */

/** How far a peer reaches. @internal */
export type ExposureScope =
  /** Every pod of every namespace and every address outside the cluster. */
  | 'everything'
  /** Every pod of every namespace. */
  | 'cluster'
  /** Addresses outside the cluster from the whole address space (`0.0.0.0/0`, `::/0`), some ranges excepted. */
  | 'internet'
  /** Some addresses. */
  | 'addresses'
  /** Every pod of some namespaces. */
  | 'namespaces'
  /** Some pods. */
  | 'pods';

/** One peer a workload is exposed to, and on which ports. @internal */
export interface ExposureEntry {
  /** e.g. `every pod of namespace monitoring`, `addresses 0.0.0.0/0 except 10.0.0.0/8`. */
  readonly peer: string;
  readonly scope: ExposureScope;
  /** e.g. `TCP 443`, `TCP 80, 443; UDP 53`, `every port`. */
  readonly ports: string;
  /**
   * What decides: the rules, e.g. `NetworkPolicy shop/web ingress[0]`, `AdminNetworkPolicy
   * allow-monitoring ingress[0] 'scrape'`, or `no policy applies`, or `no rule decides, so the
   * default allows`.
   */
  readonly rule: string;
}

/** One direction of a workload. @internal */
export interface DirectionExposure {
  /** The policies of every tier that apply to it in this direction, in walk order (`Kind namespace/name` or `Kind name`); none: open to everything. */
  readonly policies: string[];
  /** What it is exposed to; empty: nothing. */
  readonly entries: ExposureEntry[];
  /** What denies it something: `denied by <rule>` (a Deny rule), `isolated by <policies>` (no rule of the isolating policies allows it). */
  readonly deniedBy: string[];
}

/** A workload's exposure. @internal */
export interface WorkloadExposure {
  /** `namespace/name`. */
  readonly workload: string;
  /** `Deployment`, `Pod`, … */
  readonly kind: string;
  /** Who may connect to it. */
  readonly ingress: DirectionExposure;
  /** Where it may connect. */
  readonly egress: DirectionExposure;
  /** `open to the internet`, `open to the whole cluster`, `may reach the internet`, `may reach the whole cluster`. */
  readonly flags: string[];
}

const EVERYTHING = 'everything: every pod of every namespace and every address outside the cluster';

/** Lists at most a few names. */
function listed(names: readonly string[], max = 3): string {
  return names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

function portText(ports: PortSet): string {
  return ports.isAll() ? 'every port' : formatPortRanges(ports.toRanges());
}

/**
 * Classes of one namespace of the space, or the address ranges of one scope, or the named external
 * nodes, in ascending order (the order in which they are listed).
 */
interface Region {
  /** Peers are listed region by region in this order; the address ranges of both scopes share one rank. */
  readonly rank: number;
  readonly scope: ExposureScope;
  readonly classes: readonly number[];
}

/** The peers of the space, as classes of the engine over the space's model. */
interface PeerClasses {
  readonly engine: MatrixEngine;
  readonly regions: readonly Region[];
  readonly regionOf: Int32Array;
  /** Per namespace of the space: its text and its region. */
  readonly namespaces: readonly { text: string; region: number }[];
  /** The regions of address ranges outside the cluster (both scopes), and of named external nodes. */
  readonly addresses: readonly number[];
  readonly named: number;
  /** Per class, an id of the engine's port key (the container ports of the names some rule uses): classes with equal ids resolve every named port alike. */
  readonly portsId: Int32Array;
  readonly portsIds: number;
  /** How each class reads when listed alone. */
  readonly text: readonly string[];
  /** A group per class, zero between uses (see `peerCells`). */
  readonly scratch: Int32Array;
}

function peerClasses(space: ExposureSpace, engine: MatrixEngine, rowText: ReadonlyMap<string, string>): PeerClasses {
  const text: Set<string>[] = Array.from({ length: engine.classCount }, () => new Set());
  const regions: { rank: number; scope: ExposureScope; classes: number[] }[] = space.namespaces.map((_, i) => ({ rank: i, scope: 'pods', classes: [] }));
  const byNamespace = new Map<string, number>(space.namespaces.map((n, i) => [n.name, i]));
  const internet = regions.push({ rank: regions.length, scope: 'internet', classes: [] }) - 1;
  const addresses = regions.push({ rank: regions[internet].rank, scope: 'addresses', classes: [] }) - 1;
  const named = regions.push({ rank: regions[internet].rank + 1, scope: 'addresses', classes: [] }) - 1;
  const regionOf = new Int32Array(engine.classCount);
  engine.endpoints.forEach((endpoint, i) => {
    const c = engine.classOfEndpoint[i];
    const first = text[c].size === 0;
    let region: number;
    if (isExternal(endpoint)) {
      text[c].add(endpoint.named === 'kube-apiserver' ? 'the API server' : endpoint.named ? `DNS name ${endpoint.id}` : `addresses ${endpoint.id}`);
      region = endpoint.named ? named : endpoint.cidr.prefix === 0 ? internet : addresses;
    } else {
      text[c].add(space.hypothetical.get(endpoint.id) ?? rowText.get(endpoint.id) ?? endpoint.id);
      region = byNamespace.get(endpoint.namespace)!;
    }
    if (!first) return;
    regions[region].classes.push(c);
    regionOf[c] = region;
  });
  const ids = new Map<string, number>();
  const portsId = new Int32Array(engine.classCount);
  for (let c = 0; c < engine.classCount; c++) {
    const key = engine.portKey(c);
    let id = ids.get(key);
    if (id === undefined) { id = ids.size; ids.set(key, id); }
    portsId[c] = id;
  }
  return {
    engine,
    regions,
    regionOf,
    namespaces: space.namespaces.map((n, i) => ({ text: n.text, region: i })),
    addresses: [internet, addresses],
    named,
    portsId,
    portsIds: ids.size,
    text: text.map((t) => listed([...t], 5)),
    scratch: new Int32Array(engine.classCount),
  };
}

/** The peer classes of one region that one side treats alike. */
interface Cell {
  /** Its classes all walk like this one. */
  readonly walk: SideWalk;
  readonly region: number;
  readonly count: number;
  /** Its first classes (up to 5), ascending. */
  readonly first: readonly number[];
  /** The ports not yet listed in an entry. */
  remaining: PortSet;
}

/**
 * Splits the peer classes of one side into cells: classes of one region that every rule of the
 * program matches alike (and, for egress, that resolve the named ports of the rules matching them
 * alike) get one walk, so the side costs a walk per cell and a step per class some rule names,
 * instead of a walk per class. A class's group stands for the rules matching it: each rule moves
 * the classes it matches from their group to a new one, and classes no rule names stay in group 0.
 */
function peerCells(peers: PeerClasses, subject: number, direction: Direction, program: SideProgram): Cell[] {
  const engine = peers.engine;
  const groupOf = peers.scratch;
  const touched: number[] = [];
  let groups = 1;
  for (const rule of program.byTier.flat().flatMap((p) => p.rules)) {
    // A named port of an egress rule resolves on the peer, which then belongs in its walk.
    const named = direction === 'Egress' && rule.ports.some(dependsOnDestination);
    const classes = engine.ruleClasses(rule);
    if (classes === engine.allClasses && !named) continue;
    const next = new Map<number, number>();
    classes.forEach((c) => {
      const group = groupOf[c];
      if (group === 0) touched.push(c);
      const key = named ? group * peers.portsIds + peers.portsId[c] : group;
      let to = next.get(key);
      if (to === undefined) { to = groups++; next.set(key, to); }
      groupOf[c] = to;
    });
  }
  touched.sort((a, b) => a - b);
  const regionCount = peers.regions.length;
  const members = new Map<number, { group: number; region: number; count: number; first: number[] }>();
  const touchedIn = new Int32Array(regionCount);
  for (const c of touched) {
    const region = peers.regionOf[c];
    touchedIn[region]++;
    const key = groupOf[c] * regionCount + region;
    let cell = members.get(key);
    if (!cell) { cell = { group: groupOf[c], region, count: 0, first: [] }; members.set(key, cell); }
    cell.count++;
    if (cell.first.length < 5) cell.first.push(c);
  }
  peers.regions.forEach((region, r) => {
    if (touchedIn[r] === region.classes.length) return;
    const first: number[] = [];
    for (let i = 0; i < region.classes.length && first.length < 5; i++) if (groupOf[region.classes[i]] === 0) first.push(region.classes[i]);
    members.set(r, { group: 0, region: r, count: region.classes.length - touchedIn[r], first });
  });
  for (const c of touched) groupOf[c] = 0;

  const walks = new Map<number, SideWalk>();
  const cells: Cell[] = [];
  for (const { group, region, count, first } of members.values()) {
    let walk = walks.get(group);
    if (!walk) {
      const peer = first[0];
      const destination = engine.representative(direction === 'Ingress' ? subject : peer);
      walk = walkSide(program, (rule) => engine.ruleClasses(rule).has(peer), destination, PortSet.ALL, true);
      walks.set(group, walk);
    }
    cells.push({ walk, region, count, first, remaining: walk.allowed });
  }
  // In listing order: region by region, each in ascending class order.
  return cells.sort((a, b) => peers.regions[a.region].rank - peers.regions[b.region].rank || a.first[0] - b.first[0]);
}

/** One side of a workload of class `subject` (in `peers.engine`). */
function sideExposure(peers: PeerClasses, subject: number, direction: Direction): DirectionExposure {
  const program = peers.engine.program(subject, direction);
  const cells = peerCells(peers, subject, direction, program);
  const decider = (d: WalkDecision): string => (d.rule ? ruleName(ruleReference(d.rule))
    : hasPolicies(program) ? 'no rule decides, so the default allows' : 'no policy applies');
  const entries: ExposureEntry[] = [];
  /** Takes from every cell the ports all of them still have, as one entry. */
  const take = (taken: readonly Cell[], peer: string, scope: ExposureScope): void => {
    if (taken.length === 0) return;
    const ports = taken.reduce((common, cell) => common.intersect(cell.remaining), PortSet.ALL);
    if (ports.isEmpty()) return;
    for (const cell of taken) cell.remaining = cell.remaining.subtract(ports);
    const rules = new Set<string>();
    for (const walk of new Set(taken.map((cell) => cell.walk))) {
      for (const d of walk.decisions) if (d.allowed && !d.ports.intersect(ports).isEmpty()) rules.add(decider(d));
    }
    entries.push({ peer, scope, ports: portText(ports), rule: listed([...rules]) });
  };
  const byRegion: Cell[][] = peers.regions.map(() => []);
  for (const cell of cells) byRegion[cell.region].push(cell);
  // The cells are in listing order, and so is each region's list.
  const inRegions = (regions: readonly number[]): readonly Cell[] => (regions.length === 1 ? byRegion[regions[0]]
    : cells.filter((cell) => regions.includes(cell.region)));
  /** Each class's own remaining ports, classes with equal ports in one entry. */
  const each = (regions: readonly number[]): void => {
    const groups = new Map<string, Cell[]>();
    for (const cell of inRegions(regions)) {
      if (cell.remaining.isEmpty()) continue;
      const key = `${peers.regions[cell.region].scope} ${portText(cell.remaining)}`;
      const group = groups.get(key);
      if (group) group.push(cell); else groups.set(key, [cell]);
    }
    for (const group of groups.values()) {
      const first = group.flatMap((cell) => cell.first).sort((a, b) => a - b).slice(0, 5).map((c) => peers.text[c]);
      const count = group.reduce((sum, cell) => sum + cell.count, 0);
      take(group, count <= 5 ? first.join(', ') : `${first.join(', ')} and ${count - 5} more`, peers.regions[group[0].region].scope);
    }
  };
  take(cells, EVERYTHING, 'everything');
  take(cells.filter((cell) => peers.regions[cell.region].scope === 'pods'), 'every pod of every namespace', 'cluster');
  for (const namespace of peers.namespaces) {
    take(inRegions([namespace.region]), `every pod of ${namespace.text}`, 'namespaces');
    each([namespace.region]);
  }
  take(inRegions(peers.addresses), 'every address outside the cluster', 'internet');
  each(peers.addresses);
  each([peers.named]);
  // What denies, walk by walk in class order.
  const byClass = [...cells].sort((a, b) => a.first[0] - b.first[0]);
  const deniedBy = new Set([...new Set(byClass.map((cell) => cell.walk))].flatMap((w) => w.decisions.filter((d) => !d.allowed)
    .map((d) => (d.rule ? `denied by ${ruleName(ruleReference(d.rule))}` : `isolated by ${d.policies.map((p) => p.object).join(', ')}`))));
  return { policies: [...new Set(program.byTier.flat().map((p) => p.object))], entries, deniedBy: [...deniedBy] };
}

function flags(ingress: DirectionExposure, egress: DirectionExposure): string[] {
  const has = (side: DirectionExposure, ...scopes: ExposureScope[]): boolean => side.entries.some((e) => scopes.includes(e.scope));
  const out: string[] = [];
  if (has(ingress, 'everything', 'internet')) out.push('open to the internet');
  if (has(ingress, 'everything', 'cluster')) out.push('open to the whole cluster');
  if (has(egress, 'everything', 'internet')) out.push('may reach the internet');
  if (has(egress, 'everything', 'cluster')) out.push('may reach the whole cluster');
  return out;
}

/** Every workload's exposure (or every pod's, with `podLevel`), in input order. @internal */
export function buildExposure(reach: Reachability, options: RowOptions = {}): WorkloadExposure[] {
  const space = exposureSpace(reach._model);
  const engine = new MatrixEngine(space.model);
  // The manifests' pods come first in the space's model, at the same indexes, and the space adds no
  // policy, so they fall in classes as they do without it.
  const rows = workloadRows(reach, options, engine.classOfPod);
  const rowText = new Map(rows.flatMap((row) => row.pods.map((pod) => [pod, `${row.id} (${row.kind})`] as const)));
  const peers = peerClasses(space, engine, rowText);
  // A side is what its program decides (classes with equal policy lists share one program object),
  // with the named ports of ingress rules resolved on the subject.
  const memo = new Map<SideProgram, Map<number, DirectionExposure>>();
  const side = (subject: number, direction: Direction): DirectionExposure => {
    const program = peers.engine.program(subject, direction);
    const ports = direction === 'Ingress' ? peers.portsId[subject] : -1;
    let byPorts = memo.get(program);
    if (!byPorts) { byPorts = new Map(); memo.set(program, byPorts); }
    let exposure = byPorts.get(ports);
    if (!exposure) {
      exposure = sideExposure(peers, subject, direction);
      byPorts.set(ports, exposure);
    }
    return exposure;
  };
  return rows.map((row) => {
    const subject = peers.engine.classOfPod[row.pod];
    const sides = { ingress: side(subject, 'Ingress'), egress: side(subject, 'Egress') };
    return { workload: row.id, kind: row.kind, ...sides, flags: flags(sides.ingress, sides.egress) };
  });
}

function sideLines(title: string, side: DirectionExposure): string[] {
  if (side.entries.length === 0) return [`  ${title} nothing (${listed(side.deniedBy).replace(/, (?=denied|isolated)/g, '; ')})`];
  return side.entries.map((e, i) => `  ${i === 0 ? title : ' '.repeat(title.length)} ${e.peer}: ${e.ports} (${e.rule})`);
}

/** The exposure as text. @internal */
export function renderExposureText(exposure: readonly WorkloadExposure[]): string {
  const flagged = exposure.filter((w) => w.flags.length > 0);
  const lines = [
    `Exposure of ${exposure.length} workload${exposure.length === 1 ? '' : 's'}: ${flagged.length} flagged (open to the internet or to the whole cluster, or reaching them)`,
    '',
  ];
  for (const w of exposure) {
    lines.push(`${w.workload} (${w.kind})${w.flags.length ? `  !! ${w.flags.join(', ')}` : ''}`);
    lines.push(...sideLines('from:', w.ingress), ...sideLines('to:  ', w.egress), '');
  }
  return `${lines.join('\n')}`;
}

/** The exposure as Markdown. @internal */
export function renderExposureMarkdown(exposure: readonly WorkloadExposure[]): string {
  const cell = (t: string): string => t.replace(/\|/g, '\\|');
  const lines = ['# Exposure', '', '| Workload | Kind | Flags | Who may connect to it | Where it may connect |', '| --- | --- | --- | --- | --- |'];
  const list = (side: DirectionExposure): string => (side.entries.length === 0 ? 'nothing' : side.entries.map((e) => `${e.peer}: ${e.ports}`).join('<br>'));
  for (const w of exposure) lines.push(`| ${cell(w.workload)} | ${w.kind} | ${w.flags.length ? `**${w.flags.join(', ')}**` : '—'} | ${cell(list(w.ingress))} | ${cell(list(w.egress))} |`);
  return `${lines.join('\n')}\n`;
}
