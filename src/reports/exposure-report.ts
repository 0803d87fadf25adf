import { RowOptions, workloadRows } from './workload-rows';
import { Reachability } from '../analyzer';
import { ClusterModel, Direction, PeerModel, PodModel, PortRuleModel, RuleModel } from '../analyzer/cluster-model';
import { Selector, formatSelector, selectorMatches } from '../analyzer/label-matcher';

/**
 * Exposure: for each workload, who may connect to it and where it may connect, in the terms the
 * policies use rather than pod by pod — "every pod of namespace monitoring", "pods app=web of
 * namespace shop", "every pod of every namespace", "addresses 0.0.0.0/0 except 10.0.0.0/8" —
 * so it also covers pods and namespaces that do not exist yet. Workloads open to the internet or
 * to the whole cluster are flagged. Read from the NetworkPolicy rules that isolate each workload
 * (a direction no policy isolates is open to everything); the cluster tiers and Cilium policies are
 * not read here, and the exposure command names them as input it does not model.
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
  /** e.g. `TCP 443`, `TCP 'http' (8080)`, `every port`. */
  readonly ports: string;
  /** The policy and rule, e.g. `shop/web ingress[0]`. */
  readonly rule: string;
}

/** One direction of a workload. @internal */
export interface DirectionExposure {
  /** Whether some NetworkPolicy isolates it; if not, it is open to everything. */
  readonly isolated: boolean;
  readonly entries: ExposureEntry[];
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

const isEmpty = (selector: Selector | undefined): boolean =>
  selector === undefined || (Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0);

function namespacesMatching(model: ClusterModel, selector: Selector): string {
  const names = model.namespaces.filter((n) => selectorMatches(selector, n.labels)).map((n) => n.name);
  return names.length === 0 ? 'none in the manifests' : `now ${names.join(', ')}`;
}

/** What one peer of a rule of a policy in `namespace` reaches. */
function describePeer(model: ClusterModel, namespace: string, peer: PeerModel): { peer: string; scope: ExposureScope } {
  if (peer.ipBlock) {
    const { cidr, except } = peer.ipBlock;
    const text = `addresses ${cidr.canonical}${except.length ? ` except ${except.map((e) => e.canonical).join(', ')}` : ''}`;
    return { peer: text, scope: cidr.prefix === 0 ? 'internet' : 'addresses' };
  }
  const anyPod = isEmpty(peer.podSelector);
  if (peer.namespaceSelector === undefined) {
    return anyPod
      ? { peer: `every pod of namespace ${namespace}`, scope: 'namespaces' }
      : { peer: `pods ${formatSelector(peer.podSelector!)} of namespace ${namespace}`, scope: 'pods' };
  }
  const namespaces = isEmpty(peer.namespaceSelector)
    ? 'every namespace'
    : `namespaces ${formatSelector(peer.namespaceSelector)} (${namespacesMatching(model, peer.namespaceSelector)})`;
  if (anyPod) return { peer: `every pod of ${namespaces}`, scope: isEmpty(peer.namespaceSelector) ? 'cluster' : 'namespaces' };
  return { peer: `pods ${formatSelector(peer.podSelector!)} of ${namespaces}`, scope: 'pods' };
}

/** A rule's ports: named ports resolve on the workload for ingress, on each destination for egress. */
function describePorts(ports: readonly PortRuleModel[], direction: Direction, workload: PodModel): string {
  if (ports.length === 0) return 'every port';
  return ports.map((p) => {
    if (p.port === undefined) return `every ${p.protocol} port`;
    if (typeof p.port === 'number') return `${p.protocol} ${p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}`;
    if (direction === 'Egress') return `${p.protocol} '${p.port}' (named port of the destination)`;
    const resolved = workload.ports.filter((c) => c.name === p.port && c.protocol === p.protocol).map((c) => c.containerPort);
    return `${p.protocol} '${p.port}' (${resolved.length ? resolved.join(', ') : 'no such container port: nothing'})`;
  }).join(', ');
}

const EVERYTHING = 'everything: every pod of every namespace and every address outside the cluster';

function sideExposure(reach: Reachability, index: number, direction: Direction): DirectionExposure {
  const model = reach._model;
  const engine = reach._engine;
  const workload = model.pods[index];
  const policies = engine.isolatingPolicies(engine.classOfPod[index], direction).map((p) => model.policies[p]);
  if (policies.length === 0) return { isolated: false, entries: [{ peer: EVERYTHING, scope: 'everything', ports: 'every port', rule: '(not isolated)' }] };
  const entries: ExposureEntry[] = [];
  for (const policy of policies) {
    const rules: readonly RuleModel[] = direction === 'Ingress' ? policy.ingress : policy.egress;
    rules.forEach((rule, r) => {
      const where = `${policy.id} ${direction.toLowerCase()}[${r}]`;
      const ports = describePorts(rule.ports, direction, workload);
      if (rule.peers.length === 0) entries.push({ peer: EVERYTHING, scope: 'everything', ports, rule: where });
      for (const peer of rule.peers) entries.push({ ...describePeer(model, policy.namespace, peer), ports, rule: where });
    });
  }
  return { isolated: true, entries };
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
  return workloadRows(reach, options).map((row) => {
    const ingress = sideExposure(reach, row.pod, 'Ingress');
    const egress = sideExposure(reach, row.pod, 'Egress');
    return { workload: row.id, kind: row.kind, ingress, egress, flags: flags(ingress, egress) };
  });
}

function sideLines(title: string, side: DirectionExposure): string[] {
  if (side.entries.length === 0) return [`  ${title} nothing (isolated, no rule allows any)`];
  return side.entries.map((e, i) => `  ${i === 0 ? title : ' '.repeat(title.length)} ${e.peer}: ${e.ports}${side.isolated ? ` (${e.rule})` : ' (not isolated)'}`);
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
