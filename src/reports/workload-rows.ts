import { Reachability } from '../analyzer';

/**
 * Rows of reports and pictures: one per workload, so that the pods a Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job or CronJob stamped from one template (a `kubectl get pods -o yaml`
 * dump) are one row named after the workload, or one per pod when asked. Pods of one workload
 * that the policies tell apart (an ipBlock holding some of their IPs) stay rows of their own, so
 * a row never stands for pods that behave differently.
 */

/** One row. @internal */
export interface WorkloadRow {
  /** `namespace/name`: the workload's, or the pod's. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** `Deployment`, `StatefulSet`, …, or `Pod`. */
  readonly kind: string;
  /** The index (in `Reachability.pods`) of a pod of the row: every pod of it behaves the same. */
  readonly pod: number;
  /** The pods of the row, as `namespace/name`. */
  readonly pods: string[];
}

/** How to build rows. @internal */
export interface RowOptions {
  /**
   * One row per pod instead of per workload.
   * @default false
   */
  readonly podLevel?: boolean;
}

/**
 * The rows, in the order of each row's first pod.
 * @param classOfPod the class of every pod (in `Reachability.pods` order) of an engine over these
 *   pods and policies, when the caller has one; by default the reachability's
 * @internal
 */
export function workloadRows(reach: Reachability, options: RowOptions = {}, classOfPod?: ArrayLike<number>): WorkloadRow[] {
  const pods = reach._model.pods;
  const podRow = (i: number): WorkloadRow => {
    const p = pods[i];
    return { id: p.id, namespace: p.namespace, name: p.name, kind: p.kind === 'Declared' ? 'Pod' : p.kind, pod: i, pods: [p.id] };
  };
  if (options.podLevel) return pods.map((_, i) => podRow(i));
  const classOf = classOfPod ?? reach._engine.classOfPod;
  const members = new Map<string, number[]>();
  pods.forEach((p, i) => {
    if (!p.workload) return;
    const key = `${p.workload.kind}\u0000${p.namespace}/${p.workload.name}`;
    members.set(key, [...(members.get(key) ?? []), i]);
  });
  const grouped = new Map<number, WorkloadRow | null>();
  // A workload's name may be a pod's, or another workload's of another kind: those keep their rows.
  const taken = new Set(pods.filter((p) => !p.workload).map((p) => p.id));
  for (const [key, indexes] of members) {
    const [kind, id] = key.split('\u0000');
    const uniform = indexes.every((i) => classOf[i] === classOf[indexes[0]]);
    if (!uniform || taken.has(id)) continue;
    taken.add(id);
    const first = pods[indexes[0]];
    const name = id.slice(first.namespace.length + 1);
    const row = { id, namespace: first.namespace, name, kind, pod: indexes[0], pods: indexes.map((i) => pods[i].id) };
    indexes.forEach((i, n) => grouped.set(i, n === 0 ? row : null));
  }
  const rows: WorkloadRow[] = [];
  pods.forEach((_, i) => {
    const row = grouped.get(i);
    if (row === undefined) rows.push(podRow(i));
    else if (row !== null) rows.push(row);
  });
  return rows;
}
