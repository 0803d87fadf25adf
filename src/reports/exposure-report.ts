import { exposureSpace } from './exposure-space';
import { RowOptions, workloadRows } from './workload-rows';
import { Reachability } from '../analyzer';
import { formatPortRanges } from '../analyzer/allowed-ports';
import { Direction } from '../analyzer/cluster-model';
import { ruleName, ruleReference } from '../analyzer/explanation';
import { isExternal } from '../analyzer/external-nodes';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { PortSet } from '../analyzer/port-range-set';
import { SideWalk, WalkDecision, hasPolicies, walkSide } from '../analyzer/verdict-walk';

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

/** The peers of the space, as classes of the engine over the space's model. */
interface PeerClasses {
  readonly engine: MatrixEngine;
  /** Per namespace of the space: its text and its pod classes. */
  readonly namespaces: readonly { text: string; classes: number[] }[];
  /** The classes of address ranges outside the cluster, and of named external nodes. */
  readonly addresses: number[];
  readonly named: number[];
  /** How each class reads when listed alone. */
  readonly text: readonly string[];
}

function peerClasses(reach: Reachability, rowText: ReadonlyMap<string, string>): PeerClasses {
  const space = exposureSpace(reach._model);
  const engine = new MatrixEngine(space.model);
  const text: Set<string>[] = Array.from({ length: engine.classCount }, () => new Set());
  const byNamespace = new Map<string, number[]>(space.namespaces.map((n) => [n.name, []]));
  const addresses: number[] = [];
  const named: number[] = [];
  engine.endpoints.forEach((endpoint, i) => {
    const c = engine.classOfEndpoint[i];
    const first = text[c].size === 0;
    if (isExternal(endpoint)) {
      text[c].add(endpoint.named === 'kube-apiserver' ? 'the API server' : endpoint.named ? `DNS name ${endpoint.id}` : `addresses ${endpoint.id}`);
      if (first) (endpoint.named ? named : addresses).push(c);
      return;
    }
    text[c].add(space.hypothetical.get(endpoint.id) ?? rowText.get(endpoint.id) ?? endpoint.id);
    if (first) byNamespace.get(endpoint.namespace)!.push(c);
  });
  return {
    engine,
    namespaces: space.namespaces.map((n) => ({ text: n.text, classes: byNamespace.get(n.name)! })),
    addresses,
    named,
    text: text.map((t) => listed([...t], 5)),
  };
}

/** One side of a workload of class `subject` (in `peers.engine`). */
function sideExposure(peers: PeerClasses, subject: number, direction: Direction): DirectionExposure {
  const engine = peers.engine;
  const program = engine.program(subject, direction);
  const walks: SideWalk[] = [];
  for (let c = 0; c < engine.classCount; c++) {
    const destination = engine.representative(direction === 'Ingress' ? subject : c);
    walks.push(walkSide(program, (rule) => engine.ruleClasses(rule).has(c), destination, PortSet.ALL, true));
  }
  const remaining = walks.map((w) => w.allowed);
  const decider = (d: WalkDecision): string => (d.rule ? ruleName(ruleReference(d.rule))
    : hasPolicies(program) ? 'no rule decides, so the default allows' : 'no policy applies');
  const entries: ExposureEntry[] = [];
  /** Takes from every class the ports all of them still have, as one entry. */
  const take = (classes: readonly number[], peer: string, scope: ExposureScope): void => {
    if (classes.length === 0) return;
    const ports = classes.reduce((common, c) => common.intersect(remaining[c]), PortSet.ALL);
    if (ports.isEmpty()) return;
    for (const c of classes) remaining[c] = remaining[c].subtract(ports);
    const rules = new Set(classes.flatMap((c) => walks[c].decisions.filter((d) => d.allowed && !d.ports.intersect(ports).isEmpty()).map(decider)));
    entries.push({ peer, scope, ports: portText(ports), rule: listed([...rules]) });
  };
  /** Each class's own remaining ports, classes with equal ports in one entry. */
  const each = (classes: readonly number[], scope: (c: number) => ExposureScope): void => {
    const groups = new Map<string, number[]>();
    for (const c of classes) {
      if (remaining[c].isEmpty()) continue;
      const key = `${scope(c)} ${portText(remaining[c])}`;
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
    for (const group of groups.values()) take(group, listed(group.map((c) => peers.text[c]), 5), scope(group[0]));
  };
  const pods = peers.namespaces.flatMap((n) => n.classes);
  take([...pods, ...peers.addresses, ...peers.named], EVERYTHING, 'everything');
  take(pods, 'every pod of every namespace', 'cluster');
  for (const namespace of peers.namespaces) {
    take(namespace.classes, `every pod of ${namespace.text}`, 'namespaces');
    each(namespace.classes, () => 'pods');
  }
  take(peers.addresses, 'every address outside the cluster', 'internet');
  each(peers.addresses, (c) => ((engine.representative(c) as { cidr: { prefix: number } }).cidr.prefix === 0 ? 'internet' : 'addresses'));
  each(peers.named, () => 'addresses');
  const deniedBy = new Set(walks.flatMap((w) => w.decisions.filter((d) => !d.allowed)
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
  const rows = workloadRows(reach, options);
  const rowText = new Map(rows.flatMap((row) => row.pods.map((pod) => [pod, `${row.id} (${row.kind})`] as const)));
  const peers = peerClasses(reach, rowText);
  const memo = new Map<number, { ingress: DirectionExposure; egress: DirectionExposure }>();
  return rows.map((row) => {
    // The manifests' pods come first in the space's model, at the same indexes.
    const subject = peers.engine.classOfPod[row.pod];
    let sides = memo.get(subject);
    if (!sides) {
      sides = { ingress: sideExposure(peers, subject, 'Ingress'), egress: sideExposure(peers, subject, 'Egress') };
      memo.set(subject, sides);
    }
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
