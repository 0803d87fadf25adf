import * as fs from 'fs';
import { PortRange, Reachability } from '../../src';
import { LoadedObject, WORKLOAD_TEMPLATES } from '../../src/analyzer/cluster-model';
import { ExternalModel } from '../../src/analyzer/external-nodes';
import { loadManifestFiles } from '../../src/analyzer/manifest-loader';
import { externalNodes } from '../../src/analyzer/policy-layers';
import { parseIp } from '../../src/vocabulary/k8s-rules';
import { readSharedJson, sharedDir } from '../support/shared-data';

/**
 * np-guard/netpol-analyzer's expected connectivity lists (`list` of 135 folders), read from
 * ../shared/peer-suites/np-guard-netpol-analyzer: for the cases that hold only what we model
 * (NetworkPolicy v1, pods and workloads on the pod network), every allowed connection between two
 * workloads and between a workload and a range of addresses outside the cluster, with its ports,
 * must be the same as ours. Workloads are named as the peer names them: a pod by its owner
 * (`ns/name-5c9dd7c9c[ReplicaSet]`), else `ns/name[Pod]`, a workload object by itself. The cases
 * with AdminNetworkPolicy / BaselineAdminNetworkPolicy objects (the cluster tiers) are counted
 * apart. The peer does not analyze IPv6 (its inputs' IPv6 CIDRs only raise warnings), so our
 * IPv6 external nodes are not compared.
 */
const root = ['peer-suites', 'np-guard-netpol-analyzer'];
const suite = readSharedJson(...root, 'cases.json');

/** A workload as the peer names it, and the index (in `Reachability.pods`) of one of its pods. */
interface Workload { readonly key: string; readonly pod: number }

/** The peer's name of every workload, with one pod of it (pods of one workload share a template). */
function workloads(objects: readonly LoadedObject[], reach: Reachability): Workload[] {
  const byKey = new Map<string, Workload>();
  const index = new Map(reach.pods.map((id, i) => [id, i]));
  for (const { object } of objects) {
    if (object.kind !== 'Pod' && !WORKLOAD_TEMPLATES[object.kind]) continue;
    const ns = object.metadata?.namespace ?? 'default';
    const pod = index.get(`${ns}/${object.metadata?.name}`);
    if (pod === undefined) continue;
    // The peer names a pod by its workload owner; an owner reference without a kind (which the API
    // server would refuse) by the owner's name, as a Pod.
    const owner = (object.metadata?.ownerReferences ?? []).find((r: any) => WORKLOAD_TEMPLATES[r?.kind] || (r?.controller && r?.kind === undefined));
    const key = object.kind === 'Pod' && owner ? `${ns}/${owner.name}[${owner.kind ?? 'Pod'}]` : `${ns}/${object.metadata.name}[${object.kind}]`;
    if (!byKey.has(key)) byKey.set(key, { key, pod });
  }
  return [...byKey.values()];
}

/** `All Connections`, or `SCTP 1-9002,9004-65535,TCP 80,UDP 53` (protocols in name order). */
function connections(ranges: readonly PortRange[]): string {
  const protocols = ['SCTP', 'TCP', 'UDP'];
  const all = protocols.every((p) => ranges.some((r) => r.protocol === p && r.startPort === 1 && r.endPort === 65535));
  if (all) return 'All Connections';
  return protocols.filter((p) => ranges.some((r) => r.protocol === p))
    .map((p) => `${p} ${ranges.filter((r) => r.protocol === p).map((r) => (r.startPort === r.endPort ? `${r.startPort}` : `${r.startPort}-${r.endPort}`)).join(',')}`)
    .join(',');
}

/** The address intervals of an external node: its CIDR less its exceptions. */
function intervals(node: ExternalModel): [bigint, bigint][] {
  const size = (prefix: number): bigint => 2n ** BigInt((node.family === 4 ? 32 : 128) - prefix);
  const out: [bigint, bigint][] = [];
  let start = node.cidr.address;
  for (const e of node.except) {
    if (e.address > start) out.push([start, e.address - 1n]);
    start = e.address + size(e.prefix);
  }
  const end = node.cidr.address + size(node.cidr.prefix) - 1n;
  if (start <= end) out.push([start, end]);
  return out;
}

/** Connections of a flow with a range of addresses (from, to: the first and last address). */
interface Range { readonly from: bigint; readonly to: bigint; readonly family: number; readonly conns: string }

/** One side's connections with addresses outside the cluster, one line per range. */
function externalLines(map: Map<string, Range[]>): string[] {
  const out: string[] = [];
  for (const [flow, entries] of map) {
    for (const e of entries) out.push(`${flow.replace('EXT', `${e.family}:${e.from}-${e.to}`)} : ${e.conns}`);
  }
  return out.sort();
}

function cut(entries: readonly Range[], boundaries: Set<string>): Range[] {
  const out: Range[] = [];
  for (const e of entries) {
    const points = [...boundaries].map((b) => b.split(':')).filter(([f]) => Number(f) === e.family).map(([, v]) => BigInt(v))
      .filter((p) => p > e.from && p <= e.to).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let start = e.from;
    for (const p of points) { out.push({ ...e, from: start, to: p - 1n }); start = p; }
    out.push({ ...e, from: start });
  }
  return out;
}

interface Comparison {
  readonly missing: string[];
  readonly extra: string[];
  /** The peer's lines from its ingress-controller node (made from Ingress and Route objects, which we do not model): not compared. */
  readonly ingressController: number;
}

function compare(expectedText: string, objects: LoadedObject[], reach: Reachability): Comparison {
  const ours = new Set<string>();
  const oursExternal = new Map<string, Range[]>();
  const list = workloads(objects, reach);
  const table = reach._portTable;
  for (const a of list) {
    for (const b of list) {
      if (a === b) continue;
      const ports = table.allowedAt(a.pod, b.pod);
      if (ports.length > 0) ours.add(`${a.key} => ${b.key} : ${connections(ports)}`);
    }
  }
  const nodes = externalNodes(reach._model);
  for (const w of list) {
    for (const [k, node] of nodes.entries()) {
      if (node.family === 6) continue;
      // The port table indexes the pods, then the external nodes.
      const e = reach.pods.length + k;
      for (const [flow, ports] of [[`EXT => ${w.key}`, table.allowedAt(e, w.pod)], [`${w.key} => EXT`, table.allowedAt(w.pod, e)]] as const) {
        if (ports.length === 0) continue;
        const entries = oursExternal.get(flow) ?? [];
        for (const [from, to] of intervals(node)) entries.push({ from, to, family: node.family, conns: connections(ports) });
        oursExternal.set(flow, entries);
      }
    }
  }
  const theirs = new Set<string>();
  const theirsExternal = new Map<string, Range[]>();
  let ingressController = 0;
  for (const line of expectedText.split('\n')) {
    const m = /^(.*) => (.*) : (.*)$/.exec(line.trim());
    if (!m) continue;
    const [, src, dst, conns] = m;
    if (src === '{ingress-controller}') { ingressController++; continue; }
    const external = [src, dst].find((s) => s.endsWith('[External]'));
    if (!external) { theirs.add(`${src} => ${dst} : ${conns}`); continue; }
    const [first, last] = external.slice(0, -'[External]'.length).split('-').map((t) => parseIp(t)!);
    const flow = src === external ? `EXT => ${dst}` : `${src} => EXT`;
    const entries = theirsExternal.get(flow) ?? [];
    entries.push({ from: first.value, to: last.value, family: first.family, conns });
    theirsExternal.set(flow, entries);
  }
  // Both sides' ranges, cut at every boundary either side has, compare address by address.
  const boundaries = new Set<string>();
  for (const map of [oursExternal, theirsExternal]) {
    for (const entries of map.values()) for (const e of entries) { boundaries.add(`${e.family}:${e.from}`); boundaries.add(`${e.family}:${e.to + 1n}`); }
  }
  for (const map of [oursExternal, theirsExternal]) for (const [flow, entries] of map) map.set(flow, cut(entries, boundaries));
  const oursAll = [...ours, ...externalLines(oursExternal)];
  const theirsAll = [...theirs, ...externalLines(theirsExternal)];
  const oursSet = new Set(oursAll);
  const theirsSet = new Set(theirsAll);
  return { missing: theirsAll.filter((l) => !oursSet.has(l)), extra: oursAll.filter((l) => !theirsSet.has(l)), ingressController };
}

interface Outcome {
  readonly id: string;
  readonly verdict: 'agree' | 'disagree' | 'skipped';
  readonly why?: string;
  readonly detail?: Comparison;
  /** Whether the case holds an AdminNetworkPolicy or a BaselineAdminNetworkPolicy. */
  readonly tiers?: boolean;
}

function runCase(c: any): Outcome {
  if (c.multipleNetworks) return { id: c.id, verdict: 'skipped', why: 'several pod networks (UDN/NAD), which we do not model' };
  let objects: LoadedObject[];
  let reach: Reachability;
  try {
    objects = loadManifestFiles([sharedDir(...root, 'tests', c.dir)], { onSkippedFile: () => undefined });
    reach = Reachability._fromLoaded(objects);
  } catch (e: any) {
    return { id: c.id, verdict: 'skipped', why: `input refused: ${String(e.message).split('\n')[0]}` };
  }
  const kinds = [...new Set(reach.unmodelled.filter((u) => u.field === undefined).map((u) => u.kind))];
  if (kinds.length > 0) return { id: c.id, verdict: 'skipped', why: `holds ${kinds.join(', ')} (the tiers suite compares those)` };
  const tiers = objects.some(({ object }) => object.kind === 'AdminNetworkPolicy' || object.kind === 'BaselineAdminNetworkPolicy');
  const detail = compare(fs.readFileSync(sharedDir(...root, c.expected), 'utf8'), objects, reach);
  return { id: c.id, verdict: detail.missing.length + detail.extra.length === 0 ? 'agree' : 'disagree', detail, tiers };
}

describe('netpol-analyzer peer suite: connectivity lists of NetworkPolicy v1 cases', () => {
  const outcomes: Outcome[] = suite.connlist.map(runCase);
  const count = (verdict: string): number => outcomes.filter((o) => o.verdict === verdict).length;

  test('agreement counts', () => {
    // eslint-disable-next-line no-console
    console.log([
      `netpol-analyzer connlist: ${outcomes.length} cases, ${count('agree')} agree, ${count('disagree')} disagree, ${count('skipped')} skipped`
        + ` (${outcomes.reduce((n, o) => n + (o.detail?.ingressController ?? 0), 0)} lines of the peer's ingress-controller node not compared)`,
      ...outcomes.filter((o) => o.verdict !== 'agree').map((o) => `  ${o.verdict} ${o.id}: ${o.why ?? `${o.detail!.missing.length} of the peer's lines missing, ${o.detail!.extra.length} extra; e.g. ${[...o.detail!.missing.slice(0, 2).map((l) => `- ${l}`), ...o.detail!.extra.slice(0, 2).map((l) => `+ ${l}`)].join(' | ')}`}`),
    ].join('\n'));
    // Measured when this test was written: 46 of the 135 cases are NetworkPolicy v1 on the pod
    // network that we read; all 46 agree. The others hold ANP/BANP (counted below), several pod
    // networks, or NetworkPolicy names the API server refuses.
    expect(outcomes.filter((o) => o.verdict === 'disagree').map((o) => o.id)).toEqual([]);
    expect(outcomes.filter((o) => o.verdict === 'agree' && !o.tiers).length).toBeGreaterThanOrEqual(46);
  });

  test('the cluster tiers: every AdminNetworkPolicy / BaselineAdminNetworkPolicy case on the pod network agrees', () => {
    const tiers = outcomes.filter((o) => o.tiers);
    const ids = tiers.map((o) => o.id.replace('connlist/', ''));
    // eslint-disable-next-line no-console
    console.log(`netpol-analyzer ANP/BANP cases: ${tiers.length} compared, ${tiers.filter((o) => o.verdict === 'agree').length} agree`
      + ` (${ids.filter((id) => /nodes|multiple_warnings/.test(id)).length} of them with nodes peers, which match nothing in our verdicts and are listed as unmodelled)`);
    // 56 folders hold ANP/BANP; 2 are on several pod networks (skipped above, with the reason).
    // The 54 others: 52 over pods, namespaces and CIDRs only, 2 with `nodes` peers as well.
    expect(tiers.length).toBe(54);
    expect(tiers.filter((o) => o.verdict !== 'agree').map((o) => o.id)).toEqual([]);
  });
});
