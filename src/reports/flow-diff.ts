import { PortRange, Reachability } from '../analyzer';
import { portLabel } from './flow-graph';
import { RowOptions, workloadRows } from './workload-rows';
import { allowedPortRanges } from '../analyzer/allowed-ports';
import { PodModel } from '../analyzer/cluster-model';
import { ExternalModel, externalHoldsIp, splitAddressSpace, wholeSpace } from '../analyzer/external-nodes';
import { externalNodes, policyLayers } from '../analyzer/policy-layers';
import { subtractPortRanges } from '../analyzer/port-range-set';

/**
 * What a change to the manifests opens and closes: for every ordered pair of different pods (the
 * union of both versions' pods, a pod missing from one version taken as it is in the other), and
 * for every pod and every range of addresses outside the cluster (both ways), the ports the new
 * version allows and the old did not, and the reverse.
 *
 * The two versions may split the addresses outside the cluster differently (`203.0.113.0/24` in
 * one, `0.0.0.0/0 except 10.0.0.0/8` in the other), so they are compared on the ranges both
 * splits make together, and a change is named after the version's own node when the change is the
 * same for all of it (the new version's for a flow opened, the old one's for a flow closed).
 */

/** Ports that became allowed or blocked between two endpoints. @internal */
export interface FlowChange {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange[];
  /** `TCP 8080; UDP 53`, or `all ports`. */
  readonly label: string;
  /**
   * Which end is addresses outside the cluster (an external node): `from` or `to`.
   * @default - both ends are pods
   */
  readonly external?: 'from' | 'to';
  /**
   * For an external end: how many addresses it holds, as a decimal string (`4278190080` for
   * `0.0.0.0/0 except 10.0.0.0/8`).
   */
  readonly addresses?: string;
  /**
   * For an external end: the ranges inside it where nothing changed on these ports (already
   * allowed before a flow opened, still allowed after a flow closed).
   */
  readonly unchangedWithin?: string[];
}

/** The difference between two versions. @internal */
export interface FlowDiff {
  readonly opened: FlowChange[];
  readonly closed: FlowChange[];
  /** Workloads (or pods) only the old version holds (analyzed in the new one as they were). */
  readonly podsOnlyInOld: string[];
  /** Workloads (or pods) only the new version holds (analyzed in the old one as they are). */
  readonly podsOnlyInNew: string[];
}

/** How to compare. @internal */
export interface DiffOptions extends RowOptions {
  /** Called as rows are compared: rows done, and how many in all. */
  readonly onRow?: (done: number, total: number) => void;
}

/** A row of the diff and, in each version, the pod that stands for it. */
interface DiffRow {
  readonly id: string;
  readonly oldPod: string;
  readonly newPod: string;
}

/** Adds to `reach` a pod as another version has it, unless a pod of that name is there; returns its id. */
function addMissing(reach: Reachability, pod: PodModel): string {
  if (!reach._model.pod(pod.id)) {
    const ports = pod.ports.map((p) => ({ ...p }));
    reach.addPod({ namespace: pod.namespace, name: pod.name, labels: { ...pod.labels }, ports, ips: pod.ips.map((i) => i.text) });
  }
  return pod.id;
}

/**
 * Compares two versions, workload by workload (pods stamped from one template are one row,
 * named after the workload, so a Deployment's pods compare across ReplicaSet hashes), or pod by
 * pod with `podLevel`. A row missing from one version is added to it (with `addPod`) as the other
 * version has it.
 * @internal
 */
export function diffFlows(oldReach: Reachability, newReach: Reachability, options: DiffOptions = {}): FlowDiff {
  const podId = (reach: Reachability) => (index: number): string => reach._model.pods[index].id;
  const oldRows = new Map(workloadRows(oldReach, options).map((r) => [r.id, podId(oldReach)(r.pod)]));
  const newRows = new Map(workloadRows(newReach, options).map((r) => [r.id, podId(newReach)(r.pod)]));
  const podsOnlyInOld = [...oldRows.keys()].filter((id) => !newRows.has(id));
  const podsOnlyInNew = [...newRows.keys()].filter((id) => !oldRows.has(id));
  const rows: DiffRow[] = [
    ...[...oldRows].map(([id, oldPod]) => ({ id, oldPod, newPod: newRows.get(id) ?? addMissing(newReach, oldReach._model.pod(oldPod)!) })),
    ...podsOnlyInNew.map((id) => ({ id, oldPod: addMissing(oldReach, newReach._model.pod(newRows.get(id)!)!), newPod: newRows.get(id)! })),
  ];
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  const oldVersion = new VersionRows(oldReach, rows.map((r) => r.oldPod));
  const newVersion = new VersionRows(newReach, rows.map((r) => r.newPod));
  // Only pairs that one version or the other allows on some port can change.
  for (let i = 0; i < rows.length; i++) {
    options.onRow?.(i, rows.length);
    const was = oldVersion.reachable(i);
    const now = newVersion.reachable(i);
    const targets = [...new Set([...was.keys(), ...now.keys()])].sort((a, b) => a - b);
    for (const j of targets) {
      if (j === i) continue;
      const before = was.get(j) ?? [];
      const after = now.get(j) ?? [];
      const more = subtractPortRanges(after, before);
      const less = subtractPortRanges(before, after);
      if (more.length > 0) opened.push({ from: rows[i].id, to: rows[j].id, ports: more, label: portLabel(more) });
      if (less.length > 0) closed.push({ from: rows[i].id, to: rows[j].id, ports: less, label: portLabel(less) });
    }
  }
  const external = diffExternalFlows(new VersionPorts(oldReach), new VersionPorts(newReach), rows);
  // A flow with addresses outside the cluster first: the change most likely to expose a workload.
  return { opened: [...external.opened, ...opened], closed: [...external.closed, ...closed], podsOnlyInOld, podsOnlyInNew };
}

/** One version's allowed ports between the rows of the diff, by row index. */
class VersionRows {
  private readonly classOfRow: number[];
  private readonly rowsOfClass = new Map<number, number[]>();

  public constructor(private readonly reach: Reachability, pods: readonly string[]) {
    const index = new Map(reach.pods.map((id, i) => [id, i]));
    const classOf = reach._engine.classOfPod;
    this.classOfRow = pods.map((pod) => classOf[index.get(pod)!]);
    this.classOfRow.forEach((c, row) => {
      const list = this.rowsOfClass.get(c);
      if (list) list.push(row); else this.rowsOfClass.set(c, [row]);
    });
  }

  /** The rows the row's pod may reach on some port (itself too when its class reaches its own), with the ports. */
  public reachable(row: number): Map<number, readonly PortRange[]> {
    const out = new Map<number, readonly PortRange[]>();
    for (const [d, reached] of this.reach._portTable.reachable(this.classOfRow[row])) {
      for (const j of this.rowsOfClass.get(d) ?? []) out.set(j, reached.ports);
    }
    return out;
  }
}

/** One version's allowed ports between its pods and any range of addresses outside the cluster. */
class VersionPorts {
  private readonly nodes: readonly ExternalModel[];
  private readonly podIndex: Map<string, number>;
  /** A family no policy of this version mentions is one node, the same object for every range of it. */
  private readonly wholeSpaces = new Map<number, ExternalModel>();
  private readonly nodeOfRange = new Map<ExternalModel, ExternalModel>();
  private readonly nodeIndex: Map<ExternalModel, number>;

  public constructor(private readonly reach: Reachability) {
    this.nodes = externalNodes(reach._model);
    this.podIndex = new Map(reach.pods.map((id, i) => [id, i]));
    this.nodeIndex = new Map(this.nodes.map((n, k) => [n, k]));
  }

  /** The CIDRs this version's policies mention. */
  public get cidrs() {
    return policyLayers(this.reach._model).flatMap((layer) => layer.cidrs);
  }

  /** This version's external node holding a range of the common split (its whole family's space when no CIDR of it is mentioned). */
  public nodeOf(range: ExternalModel): ExternalModel {
    let node = this.nodeOfRange.get(range);
    if (node) return node;
    node = this.nodes.find((n) => externalHoldsIp(n, range.family, range.sample));
    if (!node) {
      node = this.wholeSpaces.get(range.family) ?? wholeSpace(range.family);
      this.wholeSpaces.set(range.family, node);
    }
    this.nodeOfRange.set(range, node);
    return node;
  }

  /** What the pod may use towards the node (outbound) or the node towards the pod. */
  public ports(pod: string, node: ExternalModel, outbound: boolean): readonly PortRange[] {
    const p = this.podIndex.get(pod)!;
    const k = this.nodeIndex.get(node) ?? -1;
    if (k < 0) {
      const model = this.reach._model;
      const endpoint = model.pods[p];
      return outbound ? allowedPortRanges(model, endpoint, node) : allowedPortRanges(model, node, endpoint);
    }
    // The port table indexes the pods, then the external nodes.
    const e = this.podIndex.size + k;
    return outbound ? this.reach._portTable.allowedAt(p, e) : this.reach._portTable.allowedAt(e, p);
  }
}

interface RangeChange {
  readonly range: ExternalModel;
  readonly ports: readonly PortRange[];
}

function diffExternalFlows(before: VersionPorts, after: VersionPorts, rows: readonly DiffRow[]): { opened: FlowChange[]; closed: FlowChange[] } {
  const ranges = splitAddressSpace([...before.cidrs, ...after.cidrs]);
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  for (const outbound of [true, false]) {
    for (const row of rows) {
      const more: RangeChange[] = [];
      const less: RangeChange[] = [];
      for (const range of ranges) {
        const was = before.ports(row.oldPod, before.nodeOf(range), outbound);
        const now = after.ports(row.newPod, after.nodeOf(range), outbound);
        more.push({ range, ports: subtractPortRanges(now, was) });
        less.push({ range, ports: subtractPortRanges(was, now) });
      }
      opened.push(...externalChanges(row.id, outbound, more, (r) => after.nodeOf(r)));
      closed.push(...externalChanges(row.id, outbound, less, (r) => before.nodeOf(r)));
    }
  }
  return { opened, closed };
}

/**
 * The changes of one pod with the ranges of the common split, named after the version's own
 * node when every changed range of that node changed the same ports and they outnumber the
 * unchanged ones (which are listed), else range by range.
 */
function externalChanges(pod: string, outbound: boolean, changes: readonly RangeChange[],
  nodeOf: (range: ExternalModel) => ExternalModel): FlowChange[] {
  const byNode = new Map<ExternalModel, RangeChange[]>();
  for (const change of changes) {
    const node = nodeOf(change.range);
    byNode.set(node, [...(byNode.get(node) ?? []), change]);
  }
  const out: FlowChange[] = [];
  const change = (external: ExternalModel, ports: readonly PortRange[], unchanged: readonly ExternalModel[]): FlowChange => ({
    from: outbound ? pod : external.id,
    to: outbound ? external.id : pod,
    ports: [...ports],
    label: portLabel(ports),
    external: outbound ? 'to' : 'from',
    addresses: String(external.size),
    ...(unchanged.length > 0 ? { unchangedWithin: unchanged.map((r) => r.id) } : {}),
  });
  for (const [node, members] of byNode) {
    const changed = members.filter((m) => m.ports.length > 0);
    if (changed.length === 0) continue;
    const label = portLabel(changed[0].ports);
    const unchanged = members.filter((m) => m.ports.length === 0).map((m) => m.range);
    // The node's name reads better unless most of it did not change.
    if (changed.every((m) => portLabel(m.ports) === label) && changed.length > unchanged.length) {
      out.push(change(node, changed[0].ports, unchanged));
    } else {
      for (const m of changed) out.push(change(m.range, m.ports, []));
    }
  }
  return out;
}

/** `shop/web -> 0.0.0.0/0 except 10.0.0.0/8 (outside the cluster, 4,278,190,080 addresses)`. */
function describeChange(c: FlowChange, unchanged: string): string {
  if (!c.external) return `${c.from} -> ${c.to}`;
  const count = BigInt(c.addresses ?? '0');
  const outside = `outside the cluster, ${count.toLocaleString('en-US')} address${count === 1n ? '' : 'es'}`;
  const within = c.unchangedWithin?.length ? `, of which ${c.unchangedWithin.join('; ')} ${unchanged}` : '';
  return `${c.from} -> ${c.to} (${outside}${within})`;
}

function countLine(title: string, changes: readonly FlowChange[]): string {
  const external = changes.filter((c) => c.external).length;
  return `${title}: ${changes.length}${external > 0 ? `, ${external} of them with addresses outside the cluster` : ''}`;
}

/** The diff as text, for terminals. @internal */
export function renderDiffText(diff: FlowDiff): string {
  const lines: string[] = [];
  lines.push(countLine('Flows opened', diff.opened));
  for (const c of diff.opened) lines.push(`  + ${describeChange(c, 'was already allowed')}: ${c.label}`);
  lines.push(countLine('Flows closed', diff.closed));
  for (const c of diff.closed) lines.push(`  - ${describeChange(c, 'stays allowed')}: ${c.label}`);
  if (diff.podsOnlyInOld.length) lines.push(`Only in OLD: ${diff.podsOnlyInOld.join(', ')}`);
  if (diff.podsOnlyInNew.length) lines.push(`Only in NEW: ${diff.podsOnlyInNew.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown, for pull requests. @internal */
export function renderDiffMarkdown(diff: FlowDiff): string {
  const lines: string[] = ['# NetworkPolicy changes', ''];
  const table = (title: string, changes: readonly FlowChange[]): void => {
    lines.push(`## ${countLine(title, changes).replace(/: (\d+)/, ' ($1')})`, '');
    if (changes.length === 0) { lines.push('None.', ''); return; }
    lines.push('| From | To | Ports |', '| --- | --- | --- |');
    const cell = (text: string): string => text.replace(/\|/g, '\\|');
    const outside = (c: FlowChange, end: 'from' | 'to'): string => (c.external === end ? `**${c[end]}** (outside the cluster)` : c[end]);
    for (const c of changes) lines.push(`| ${cell(outside(c, 'from'))} | ${cell(outside(c, 'to'))} | ${cell(c.label)} |`);
    lines.push('');
  };
  table('Opened', diff.opened);
  table('Closed', diff.closed);
  if (diff.podsOnlyInOld.length) lines.push(`Only in the old version: ${diff.podsOnlyInOld.join(', ')}.`, '');
  if (diff.podsOnlyInNew.length) lines.push(`Only in the new version: ${diff.podsOnlyInNew.join(', ')}.`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
