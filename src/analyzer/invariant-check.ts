import { formatPortRanges } from './allowed-ports';
import { fqdnMatches } from './cilium-policy-layer';
import { IpBlockModel, LoadedObject, NAMESPACE_NAME_LABEL, PeerModel, PortRuleModel } from './cluster-model';
import { EndpointModel, ExternalModel, KUBE_APISERVER_NODE, blockHoldsExternal, isExternal } from './external-nodes';
import { MATCH_ALL, formatSelector, labelsSatisfying, readSelector, selectorMatches } from './label-matcher';
import { peerMatches } from './network-policy-layer';
import { policyLayers } from './policy-layers';
import { PortSet } from './port-range-set';
import { PodDeclaration, Reachability } from './reachability';
import { rulePortSet } from './rule-ports';
import { EndpointSpec, FlowSpec, InvariantSpec, InvariantsFileSpec } from '../vocabulary/invariant';
import { ParsedCidr, parseCidr } from '../vocabulary/k8s-rules';

/**
 * Checks invariants ("never allowed", "always allowed") against manifests with the analyzer's
 * verdicts. A selector of an invariant that matches no pod is checked on a pod assumed to match
 * it, and so is every selector of a policy rule when an invariant covers "anything": the check
 * then holds for pods the app will run, not only the pods the manifests hold.
 */

/** One pair of endpoints an invariant does not hold for. @internal */
export interface InvariantViolation {
  readonly from: string;
  readonly to: string;
  /** The offending ports, e.g. `TCP 5432` or `TCP all; UDP all; SCTP all`. */
  readonly ports: string;
  /** The analyzer's explanation of the first offending port (the rules that open it, or the isolation that blocks it). */
  readonly explanation: string;
}

/** The verdict on one invariant. @internal */
export interface InvariantResult {
  readonly name: string;
  readonly allowed: 'never' | 'always';
  readonly declaredBy?: string;
  readonly held: boolean;
  /** The pairs of endpoints it covers. */
  readonly pairs: number;
  /** How many pairs violate it. */
  readonly violationCount: number;
  /** The first violations (at most MAX_VIOLATIONS), each explained. */
  readonly violations: InvariantViolation[];
  /** Pods assumed because a selector of the invariant matches no pod of the manifests. */
  readonly assumedPods: string[];
}

/** Violations explained per invariant: the rest are counted. @internal */
export const MAX_VIOLATIONS = 10;

/** An endpoint spec read into the analyzer's peer model, or a peer known by name. */
interface EndpointMatcher {
  readonly namespace: string;
  readonly peer: PeerModel;
  /** A DNS name or `*.` pattern: the named nodes it matches. */
  readonly fqdn?: string;
  /** The API server's named node. */
  readonly kubeApiServer?: boolean;
}

/**
 * Checks every invariant against the objects and the declared pods.
 * @internal
 */
export function checkInvariants(objects: readonly LoadedObject[], invariants: readonly InvariantSpec[],
  pods: readonly PodDeclaration[] = []): InvariantResult[] {
  if (invariants.length === 0) return [];
  const build = (extra: readonly LoadedObject[]): Reachability => {
    const reach = Reachability._fromLoaded([...objects, ...extra]);
    for (const pod of pods) reach.addPod(pod);
    return reach;
  };
  const base = build([]);
  const assumed = assumedPods(base, invariants);
  const reach = assumed.objects.length > 0 ? build(assumed.objects) : base;
  const select = endpointSelection(reach);
  return invariants.map((invariant) => checkOne(reach, invariant, assumed.byEndpoint, select));
}

/** The indexes of the endpoints some spec of a list selects, ascending (every endpoint for no list). */
type EndpointSelection = (specs?: EndpointSpec[]) => readonly number[];

/**
 * Selects endpoints by spec, each list of specs once per check (a `DefaultDeny` per namespace
 * declares the same DNS endpoint), and a spec of pods in a named namespace among that namespace's
 * pods only: a check of one invariant per namespace stays linear in the pods.
 */
function endpointSelection(reach: Reachability): EndpointSelection {
  const endpoints = reach._engine.endpoints;
  const all = endpoints.map((_, i) => i);
  const byNamespace = new Map<string, number[]>();
  endpoints.forEach((endpoint, i) => {
    if (isExternal(endpoint)) return;
    const list = byNamespace.get(endpoint.namespace);
    if (list) list.push(i);
    else byNamespace.set(endpoint.namespace, [i]);
  });
  const selected = new Map<string, readonly number[]>();
  return (specs) => {
    if (!specs) return all;
    const key = JSON.stringify(specs);
    let found = selected.get(key);
    if (!found) {
      const picked = new Set<number>();
      for (const matcher of specs.map(readEndpoint)) {
        const candidates = inOneNamespace(matcher) ? byNamespace.get(matcher.namespace) ?? [] : all;
        for (const i of candidates) if (!picked.has(i) && endpointMatches(reach, matcher, endpoints[i])) picked.add(i);
      }
      found = [...picked].sort((a, b) => a - b);
      selected.set(key, found);
    }
    return found;
  };
}

/** Whether a matcher can select only pods of its own namespace (a pod selector without namespace selector). */
function inOneNamespace(matcher: EndpointMatcher): boolean {
  return matcher.fqdn === undefined && !matcher.kubeApiServer && !matcher.peer.ipBlock && !matcher.peer.namespaceSelector;
}

/** The verdicts on an invariants file. @internal */
export interface InvariantsVerdict {
  readonly invariants: InvariantResult[];
  /** One `always` verdict per declared flow. */
  readonly flows: InvariantResult[];
  /** Whether a flow between the pods of the app's namespaces is allowed that no declared flow covers. */
  readonly undeclared?: InvariantResult;
}

/** Every verdict of a file: invariants, declared flows, undeclared flows. @internal */
export function allVerdicts(verdict: InvariantsVerdict): InvariantResult[] {
  return [...verdict.invariants, ...verdict.flows, ...(verdict.undeclared ? [verdict.undeclared] : [])];
}

/**
 * Checks an invariants file: its invariants, each declared flow (it must be allowed), and, with
 * namespaces and flows, that no other flow between the pods of those namespaces is allowed.
 * @internal
 */
export function checkInvariantsFile(objects: readonly LoadedObject[], file: InvariantsFileSpec,
  pods: readonly PodDeclaration[] = []): InvariantsVerdict {
  const flows: InvariantSpec[] = (file.flows ?? []).map((f) => ({
    name: `declared flow ${describeFlow(f)}`,
    allowed: 'always',
    from: f.from,
    to: f.to,
    ...(f.ports ? { ports: f.ports } : {}),
    ...(f.declaredBy?.length ? { declaredBy: f.declaredBy.join(', ') } : {}),
  }));
  const app = (file.namespaces ?? []).map((namespace) => ({ namespace }));
  const undeclared: InvariantSpec[] = app.length > 0 && file.flows ? [{
    name: `no undeclared flow between the pods of ${file.namespaces!.join(', ')}`,
    allowed: 'never',
    from: app,
    to: app,
    except: file.flows.map((f) => ({ from: f.from, to: f.to, ...(f.ports ? { ports: f.ports } : {}) })),
  }] : [];
  const results = checkInvariants(objects, [...file.invariants, ...flows, ...undeclared], pods);
  const count = file.invariants.length;
  return {
    invariants: results.slice(0, count),
    flows: results.slice(count, count + flows.length),
    ...(undeclared.length > 0 ? { undeclared: results[results.length - 1] } : {}),
  };
}

/** `shop/app=web`, `every pod of shop`, `namespaces team=a`, `10.0.0.0/8 except 10.1.0.0/16`. @internal */
export function describeEndpoint(spec: EndpointSpec): string {
  if (spec.fqdn !== undefined) return `fqdn ${spec.fqdn}`;
  if (spec.kubeApiServer) return KUBE_APISERVER_NODE;
  if (spec.ipBlock) return `${spec.ipBlock.cidr}${spec.ipBlock.except?.length ? ` except ${spec.ipBlock.except.join(', ')}` : ''}`;
  const pods = readSelector(spec.podSelector);
  const podText = pods && (Object.keys(pods.matchLabels).length > 0 || pods.matchExpressions.length > 0) ? formatSelector(pods) : undefined;
  if (spec.namespaceSelector) return `${podText ? `pods ${podText} in ` : ''}namespaces ${formatSelector(readSelector(spec.namespaceSelector)!)}`;
  return podText ? `${spec.namespace}/${podText}` : `every pod of ${spec.namespace}`;
}

/** `shop/app=web -> shop/app=api on 8080/TCP`: a flow, its endpoints described by `describe`. @internal */
export function describeFlow(flow: FlowSpec, describe: (spec: EndpointSpec) => string = describeEndpoint): string {
  const side = (specs?: EndpointSpec[]): string => (specs ? specs.map(describe).join(', ') : 'anything');
  return `${side(flow.from)} -> ${side(flow.to)} on ${describePorts(flow.ports)}`;
}

/** The ids of the pods (and workload rows) of the manifests an endpoint spec selects. @internal */
export function selectedPods(reach: Reachability, spec: EndpointSpec): string[] {
  const matcher = readEndpoint(spec);
  return reach._model.pods.filter((pod) => endpointMatches(reach, matcher, pod)).map((pod) => pod.id);
}

/** `80/TCP, 443/TCP` style for a flow's ports: `all ports` when none are listed. */
function describePorts(ports: FlowSpec['ports']): string {
  if (!ports || ports.length === 0) return 'all ports';
  return ports.map((p) => `${p.port === undefined ? 'all' : p.port}${p.endPort !== undefined ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}`).join(', ');
}

function checkOne(reach: Reachability, invariant: InvariantSpec, assumedFor: Map<string, string>, indexes: EndpointSelection): InvariantResult {
  const model = reach._model;
  const engine = reach._engine;
  const table = reach._portTable;
  const endpoints = engine.endpoints;
  const from = indexes(invariant.from);
  const to = indexes(invariant.to);
  const exemptions = (invariant.except ?? []).map((flow) => ({
    from: flow.from ? new Set(indexes(flow.from)) : undefined,
    to: flow.to ? new Set(indexes(flow.to)) : undefined,
    ports: flow.ports,
  }));
  const violations: InvariantViolation[] = [];
  let pairs = 0;
  let violationCount = 0;
  for (const i of from) {
    for (const j of to) {
      if (i === j || (isExternal(endpoints[i]) && isExternal(endpoints[j]))) continue;
      pairs++;
      let covered = portsOf(invariant.ports, endpoints[j]);
      for (const e of exemptions) {
        if ((!e.from || e.from.has(i)) && (!e.to || e.to.has(j))) covered = covered.subtract(portsOf(e.ports, endpoints[j]));
      }
      if (covered.isEmpty()) continue;
      const allowed = PortSet.fromRanges(table.allowedAt(i, j));
      const bad = invariant.allowed === 'never' ? covered.intersect(allowed) : covered.subtract(allowed);
      if (bad.isEmpty()) continue;
      violationCount++;
      if (violations.length >= MAX_VIOLATIONS) continue;
      const first = bad.toRanges()[0];
      violations.push({
        from: endpoints[i].id,
        to: endpoints[j].id,
        ports: formatPortRanges(bad.toRanges()),
        explanation: reach._explain(endpoints[i].id, endpoints[j].id, { port: first.startPort, protocol: first.protocol }).text,
      });
    }
  }
  const mentioned = [...(invariant.from ?? []), ...(invariant.to ?? [])]
    .map((s) => assumedFor.get(JSON.stringify(s)))
    .filter((p): p is string => p !== undefined);
  return {
    name: invariant.name,
    allowed: invariant.allowed,
    ...(invariant.declaredBy !== undefined ? { declaredBy: invariant.declaredBy } : {}),
    held: violationCount === 0,
    pairs,
    violationCount,
    violations,
    assumedPods: [...new Set(mentioned)].filter((p) => model.pod(p)),
  };
}

/** The ports a flow covers on `destination` (named ports resolve on it): every port when none are listed. */
function portsOf(ports: FlowSpec['ports'], destination: EndpointModel): PortSet {
  if (!ports || ports.length === 0) return PortSet.ALL;
  const entries: PortRuleModel[] = ports.map((p) => ({ protocol: p.protocol ?? 'TCP', port: p.port ?? undefined, endPort: p.endPort ?? undefined }));
  return rulePortSet(entries, destination);
}

function readEndpoint(spec: EndpointSpec): EndpointMatcher {
  if (spec.fqdn !== undefined || spec.kubeApiServer) return { namespace: '', peer: {}, fqdn: spec.fqdn, kubeApiServer: spec.kubeApiServer };
  if (spec.ipBlock) {
    const cidr = parseCidr(spec.ipBlock.cidr) as ParsedCidr;
    return { namespace: '', peer: { ipBlock: { cidr, except: (spec.ipBlock.except ?? []).map((e) => parseCidr(e) as ParsedCidr) } } };
  }
  const podSelector = readSelector(spec.podSelector);
  const namespaceSelector = readSelector(spec.namespaceSelector);
  return { namespace: spec.namespace ?? '', peer: { podSelector: podSelector ?? (namespaceSelector ? undefined : MATCH_ALL), namespaceSelector } };
}

/** Whether a pod is one of the spec's pods, an external node shares an address with its block, or a named node is its name. */
function endpointMatches(reach: Reachability, matcher: EndpointMatcher, endpoint: EndpointModel): boolean {
  if (matcher.kubeApiServer) return isExternal(endpoint) && endpoint.named === 'kube-apiserver';
  if (matcher.fqdn !== undefined) return isExternal(endpoint) && fqdnMatches(matcher.fqdn.startsWith('*') ? { pattern: matcher.fqdn } : { name: matcher.fqdn }, endpoint);
  if (isExternal(endpoint)) return matcher.peer.ipBlock !== undefined && blockOverlaps(matcher.peer.ipBlock, endpoint);
  return peerMatches(reach._model, matcher, matcher.peer, endpoint);
}

/** The addresses of a CIDR, as an inclusive range. */
function range(cidr: ParsedCidr): [bigint, bigint] {
  const size = 2n ** BigInt((cidr.family === 4 ? 32 : 128) - cidr.prefix);
  return [cidr.address, cidr.address + size - 1n];
}

/** `cidr` minus `holes`, as inclusive ranges. */
function ranges(cidr: ParsedCidr, holes: readonly ParsedCidr[]): [bigint, bigint][] {
  let out = [range(cidr)];
  for (const hole of holes) {
    const [lo, hi] = range(hole);
    out = out.flatMap(([a, b]) => [[a, lo - 1n], [hi + 1n, b]].map(([x, y]) => [x > a ? x : a, y < b ? y : b] as [bigint, bigint])
      .filter(([x, y]) => x <= y && !(x >= lo && y <= hi)));
  }
  return out;
}

/** Whether an external node and an ipBlock share an address (a named node: as the analyzer's address peers match it). */
function blockOverlaps(block: IpBlockModel, external: ExternalModel): boolean {
  if (external.named) return blockHoldsExternal(block, external);
  if (block.cidr.family !== external.family) return false;
  const mine = ranges(block.cidr, block.except);
  return ranges(external.cidr, external.except).some(([a, b]) => mine.some(([c, d]) => a <= d && c <= b));
}

/**
 * Pods (and namespaces) assumed for selectors that match no pod: those of the invariants, and,
 * when an invariant covers anything on a side, those of every policy (its pods and its rules' peers)
 * and one pod of a namespace nothing selects by name.
 */
function assumedPods(reach: Reachability, invariants: readonly InvariantSpec[]): { objects: LoadedObject[]; byEndpoint: Map<string, string> } {
  const model = reach._model;
  const objects: LoadedObject[] = [];
  const byEndpoint = new Map<string, string>();
  const namespaceLabels = new Map(model.namespaces.map((n) => [n.name, n.labels]));
  const pods: { namespace: string; labels: Record<string, string> }[] = [];
  // The pods by namespace too: a spec without namespace selector can match only those of its namespace.
  const podsIn = new Map<string, { namespace: string; labels: Record<string, string> }[]>();
  const addPod = (pod: { namespace: string; labels: Record<string, string> }): void => {
    pods.push(pod);
    const list = podsIn.get(pod.namespace);
    if (list) list.push(pod);
    else podsIn.set(pod.namespace, [pod]);
  };
  for (const p of model.pods) addPod({ namespace: p.namespace, labels: { ...p.labels } });
  const podIds = new Set(model.pods.map((p) => p.id));
  const assume = (namespace: string, nsLabels: Record<string, string>, labels: Record<string, string>): string => {
    if (!namespaceLabels.has(namespace)) {
      namespaceLabels.set(namespace, nsLabels);
      objects.push({ object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: nsLabels } } });
    }
    const stem = `assumed-${Object.values(labels).join('-') || 'pod'}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 50);
    let name = stem;
    for (let n = 2; podIds.has(`${namespace}/${name}`); n++) name = `${stem}-${n}`;
    podIds.add(`${namespace}/${name}`);
    addPod({ namespace, labels });
    objects.push({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { containers: [{ name: 'assumed', image: 'assumed' }] } } });
    return `${namespace}/${name}`;
  };
  const matches = (matcher: EndpointMatcher, pod: { namespace: string; labels: Record<string, string> }): boolean => {
    const { podSelector, namespaceSelector } = matcher.peer;
    const namespaceOk = namespaceSelector
      ? selectorMatches(namespaceSelector, namespaceLabels.get(pod.namespace) ?? { [NAMESPACE_NAME_LABEL]: pod.namespace })
      : pod.namespace === matcher.namespace;
    return namespaceOk && (!podSelector || selectorMatches(podSelector, pod.labels));
  };
  const considered = new Set<string>();
  const consider = (spec: EndpointSpec): void => {
    const key = JSON.stringify(spec);
    if (spec.ipBlock || spec.fqdn !== undefined || spec.kubeApiServer || considered.has(key)) return;
    considered.add(key);
    const matcher = readEndpoint(spec);
    const candidates = matcher.peer.namespaceSelector ? pods : podsIn.get(matcher.namespace) ?? [];
    if (candidates.some((p) => matches(matcher, p))) return;
    const labels = labelsSatisfying(matcher.peer.podSelector ?? MATCH_ALL);
    const nsSelector = matcher.peer.namespaceSelector;
    const nsLabels = nsSelector ? labelsSatisfying(nsSelector) : undefined;
    if (!labels || (nsSelector && !nsLabels)) return;
    const namespace = nsLabels
      ? nsLabels[NAMESPACE_NAME_LABEL] ?? [...namespaceLabels].find(([, l]) => selectorMatches(nsSelector!, l))?.[0] ?? assumedNamespaceName(nsLabels)
      : matcher.namespace;
    byEndpoint.set(key, assume(namespace, { ...(nsLabels ?? {}), [NAMESPACE_NAME_LABEL]: namespace }, labels));
  };
  for (const invariant of invariants) {
    for (const flow of [invariant, ...(invariant.except ?? [])]) for (const spec of [...(flow.from ?? []), ...(flow.to ?? [])]) consider(spec);
  }
  if (invariants.some((i) => !i.from || !i.to)) {
    for (const policy of model.policies) {
      // The pods a policy selects, so that what its rules open is checked too.
      consider({ namespace: policy.namespace, podSelector: policy.podSelector });
    }
    // The pods the rules of every tier name as peers (cluster policies and Cilium policies too).
    for (const peer of policyLayers(model).flatMap((layer) => layer.peerSelectors)) {
      consider({
        ...(peer.namespace !== undefined ? { namespace: peer.namespace } : {}),
        ...(peer.pods ? { podSelector: peer.pods } : {}),
        ...(peer.namespaces || peer.namespace === undefined ? { namespaceSelector: peer.namespaces ?? MATCH_ALL } : {}),
      });
    }
    assume('assumed-other-namespace', { [NAMESPACE_NAME_LABEL]: 'assumed-other-namespace' }, {});
  }
  return { objects, byEndpoint };
}

function assumedNamespaceName(labels: Record<string, string>): string {
  return `assumed-${Object.values(labels).join('-') || 'namespace'}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 60);
}

/**
 * The message of a violated invariant: its name, who declared it, and each offending pair with its
 * ports and the analyzer's explanation (the rules that open it, or the isolation that blocks it).
 * @internal
 */
export function describeViolatedInvariant(result: InvariantResult, origin: (rule: string) => string | undefined = () => undefined): string {
  const rule = result.allowed === 'never' ? 'must never be allowed' : 'must always be allowed';
  const head = `invariant '${result.name}'${result.declaredBy ? ` (declared by ${result.declaredBy})` : ''} is violated: it ${rule}, `
    + `and ${result.violationCount} of the ${result.pairs} pairs it covers ${result.allowed === 'never' ? 'are allowed' : 'are denied'}`;
  const pairs = result.violations.map((v, i) => (i < EXPLAINED
    ? `  ${v.from} -> ${v.to} on ${v.ports}:\n${[...v.explanation.split('\n'), ...origins(v.explanation, origin)].map((l) => `    ${l}`).join('\n')}`
    : `  ${v.from} -> ${v.to} on ${v.ports}`));
  const more = result.violationCount > result.violations.length ? [`  … and ${result.violationCount - result.violations.length} more pairs`] : [];
  return [head, ...pairs, ...more].join('\n');
}

/**
 * Which construct wrote each NetworkPolicy v1 rule an explanation names, as lines (the word boundary
 * keeps `AdminNetworkPolicy …` and `CiliumNetworkPolicy …` rules out: the registry records v1 rules).
 */
function origins(explanation: string, origin: (rule: string) => string | undefined): string[] {
  const rules = [...new Set([...explanation.matchAll(/\bNetworkPolicy \S+ (?:ingress|egress)\[\d+\]/g)].map((m) => m[0]))];
  return rules.map((rule) => ({ rule, by: origin(rule) })).filter((o) => o.by).map((o) => `  ${o.rule} is written for ${o.by}`);
}

/** Pairs explained in full in a message; the others are listed. */
const EXPLAINED = 3;

