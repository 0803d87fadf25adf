import { PortRange, Reachability } from '../analyzer';
import { portLabel } from './flow-graph';
import { PodModel } from '../analyzer/cluster-model';
import { subtractPortRanges } from '../analyzer/port-range-set';

/**
 * What a change to the manifests opens and closes: for every ordered pair of different pods (the
 * union of both versions' pods, a pod missing from one version taken as it is in the other), the
 * ports the new version allows and the old did not, and the reverse.
 */

/** Ports that became allowed or blocked between two pods. @internal */
export interface FlowChange {
  readonly from: string;
  readonly to: string;
  readonly ports: PortRange[];
  /** `TCP 8080; UDP 53`, or `all ports`. */
  readonly label: string;
}

/** The difference between two versions. @internal */
export interface FlowDiff {
  readonly opened: FlowChange[];
  readonly closed: FlowChange[];
  /** Pods only the old version holds (analyzed in the new one as they were). */
  readonly podsOnlyInOld: string[];
  /** Pods only the new version holds (analyzed in the old one as they are). */
  readonly podsOnlyInNew: string[];
}

function addMissing(reach: Reachability, pods: readonly PodModel[]): string[] {
  const added: string[] = [];
  for (const pod of pods) {
    if (reach._model.pod(pod.id)) continue;
    const ports = pod.ports.map((p) => ({ ...p }));
    reach.addPod({ namespace: pod.namespace, name: pod.name, labels: { ...pod.labels }, ports, ips: pod.ips.map((i) => i.text) });
    added.push(pod.id);
  }
  return added;
}


/**
 * Compares two versions. Pods missing from one version are added to it (with `addPod`) as the
 * other version has them.
 * @internal
 */
export function diffFlows(oldReach: Reachability, newReach: Reachability): FlowDiff {
  const oldPods = [...oldReach._model.pods];
  const podsOnlyInOld = addMissing(newReach, oldPods);
  const podsOnlyInNew = addMissing(oldReach, newReach._model.pods.filter((p) => !podsOnlyInOld.includes(p.id)));
  const ids = [...oldPods.map((p) => p.id), ...podsOnlyInNew];
  const opened: FlowChange[] = [];
  const closed: FlowChange[] = [];
  const oldIndex = new Map(oldReach.pods.map((id, i) => [id, i]));
  const newIndex = new Map(newReach.pods.map((id, i) => [id, i]));
  const oldTable = oldReach._portTable;
  const newTable = newReach._portTable;
  for (const from of ids) {
    for (const to of ids) {
      if (from === to) continue;
      const was = oldTable.allowedAt(oldIndex.get(from)!, oldIndex.get(to)!);
      const now = newTable.allowedAt(newIndex.get(from)!, newIndex.get(to)!);
      const more = subtractPortRanges(now, was);
      const less = subtractPortRanges(was, now);
      if (more.length > 0) opened.push({ from, to, ports: more, label: portLabel(more) });
      if (less.length > 0) closed.push({ from, to, ports: less, label: portLabel(less) });
    }
  }
  return { opened, closed, podsOnlyInOld, podsOnlyInNew };
}

/** The diff as text, for terminals. @internal */
export function renderDiffText(diff: FlowDiff): string {
  const lines: string[] = [];
  lines.push(`Flows opened: ${diff.opened.length}`);
  for (const c of diff.opened) lines.push(`  + ${c.from} -> ${c.to}: ${c.label}`);
  lines.push(`Flows closed: ${diff.closed.length}`);
  for (const c of diff.closed) lines.push(`  - ${c.from} -> ${c.to}: ${c.label}`);
  if (diff.podsOnlyInOld.length) lines.push(`Pods only in OLD: ${diff.podsOnlyInOld.join(', ')}`);
  if (diff.podsOnlyInNew.length) lines.push(`Pods only in NEW: ${diff.podsOnlyInNew.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The diff as Markdown, for pull requests. @internal */
export function renderDiffMarkdown(diff: FlowDiff): string {
  const lines: string[] = ['# NetworkPolicy changes', ''];
  const table = (title: string, changes: readonly FlowChange[]): void => {
    lines.push(`## ${title} (${changes.length})`, '');
    if (changes.length === 0) { lines.push('None.', ''); return; }
    lines.push('| From | To | Ports |', '| --- | --- | --- |');
    for (const c of changes) lines.push(`| ${c.from} | ${c.to} | ${c.label.replace(/\|/g, '\\|')} |`);
    lines.push('');
  };
  table('Opened', diff.opened);
  table('Closed', diff.closed);
  if (diff.podsOnlyInOld.length) lines.push(`Pods only in the old version: ${diff.podsOnlyInOld.join(', ')}.`, '');
  if (diff.podsOnlyInNew.length) lines.push(`Pods only in the new version: ${diff.podsOnlyInNew.join(', ')}.`, '');
  return `${lines.join('\n').trimEnd()}\n`;
}
