import type { CiliumPolicyModel } from './cilium-policy';
import { isCiliumPolicy, readCiliumPolicy } from './cilium-policy';
import { ClusterPolicyModel, readClusterPolicy } from './cluster-policy-model';
import { Labels, MATCH_ALL, Selector, readSelector } from './label-matcher';
import { isModelledClusterPolicy, isModelledNetworkPolicy, unmodelledPolicyKind } from './policy-kinds';
import { IpFamily, ParsedCidr, parseCidr, parseIp } from '../vocabulary/k8s-rules';

/**
 * The cluster as the analyzer sees it: namespaces with their labels, pod endpoints (Pods and the pod
 * templates of workloads) and NetworkPolicies with the API server's defaulting applied. Built from
 * plain Kubernetes objects; everything here is internal to the analyzer.
 */

/** Where an object came from, for messages. @internal */
export interface SourceRef {
  readonly file?: string;
  /** Index of the document in a multi-document YAML file (from 0). */
  readonly documentIndex?: number;
  /** Index in the `items` of a `List` object (from 0). */
  readonly item?: number;
  /** The line of the file (from 1) where the document starts, when known. */
  readonly line?: number;
}

/** A Kubernetes object and where it was read. @internal */
export interface LoadedObject extends SourceRef {
  readonly object: any;
}

/** A container port of a pod. @internal */
export interface ContainerPortModel {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: string;
}

/** A parsed pod IP. @internal */
export interface PodIp {
  readonly text: string;
  readonly family: IpFamily;
  readonly value: bigint;
}

/** A pod endpoint: a Pod, or the pod template of a workload. @internal */
export interface PodModel {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  /** The kind of object it came from (`Pod`, `Deployment`, … or `Declared`). */
  readonly kind: string;
  /**
   * For a Pod, the workload that stamped it from its template, from the controller
   * ownerReference: a ReplicaSet `web-5d9c7b8f6c` of pods labelled `pod-template-hash:
   * 5d9c7b8f6c` is its Deployment `web`.
   */
  readonly workload?: WorkloadRef;
  readonly labels: Labels;
  readonly ports: readonly ContainerPortModel[];
  readonly ips: readonly PodIp[];
  readonly source?: SourceRef;
}

/** A workload a pod belongs to. @internal */
export interface WorkloadRef {
  readonly kind: string;
  readonly name: string;
}

/** A namespace and its labels (always including `kubernetes.io/metadata.name`). @internal */
export interface NamespaceModel {
  readonly name: string;
  readonly labels: Labels;
  /** Whether a Namespace object declared it, rather than a pod or policy using it. */
  readonly declared: boolean;
  /** Where the Namespace object was read. */
  readonly source?: SourceRef;
}

/** An `ipBlock` peer. @internal */
export interface IpBlockModel {
  readonly cidr: ParsedCidr;
  readonly except: readonly ParsedCidr[];
}

/** A peer of a rule: selectors (one or both) or an ipBlock. @internal */
export interface PeerModel {
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly ipBlock?: IpBlockModel;
}

/** A port entry of a rule, protocol defaulted to TCP. @internal */
export interface PortRuleModel {
  readonly protocol: string;
  /** A number, a port name, or undefined for every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** An ingress or egress rule. Empty `peers`: every peer; empty `ports`: every port. @internal */
export interface RuleModel {
  readonly peers: readonly PeerModel[];
  readonly ports: readonly PortRuleModel[];
}

/** The two directions of traffic a policy can isolate. @internal */
export type Direction = 'Ingress' | 'Egress';

/** A NetworkPolicy after defaulting. @internal */
export interface PolicyModel {
  /** `namespace/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Selector;
  /** `policyTypes` after defaulting. */
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly ingress: readonly RuleModel[];
  readonly egress: readonly RuleModel[];
  readonly source?: SourceRef;
}

/**
 * Input the analyzer does not model, so its verdicts ignore it: a whole object of a policy kind
 * (see policy-kinds.ts), or a field of a modelled object that it cannot evaluate.
 * @internal
 */
export interface UnmodelledModel {
  readonly kind: string;
  readonly apiVersion: string;
  /** `namespace/name`, or `name` for a cluster-scoped object. */
  readonly name: string;
  /** Why the verdicts can be wrong while it is ignored. */
  readonly reason: string;
  /** The field's path, e.g. `spec.hostNetwork`, when only a field of the object is not modelled. */
  readonly field?: string;
  readonly source?: SourceRef;
}

/** The namespace label the API server sets on every namespace. @internal */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Workload kinds whose pod template is one endpoint, and where the template is. @internal */
export const WORKLOAD_TEMPLATES: Readonly<Record<string, (obj: any) => any>> = {
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  ReplicationController: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
};

/** An error about one input object, naming where it came from. @internal */
export class ManifestError extends Error {
  public constructor(public readonly source: SourceRef | undefined, public readonly problem: string) {
    super(`${describeSource(source)}${problem}`);
    this.name = 'ManifestError';
  }
}

/** `file.yaml, document 2: ` (document indexes count from 0), or '' when unknown. @internal */
export function describeSource(source: SourceRef | undefined): string {
  if (!source || (source.file === undefined && source.documentIndex === undefined && source.item === undefined)) return '';
  const parts: string[] = [];
  if (source.file !== undefined) parts.push(source.file);
  if (source.documentIndex !== undefined) parts.push(`document ${source.documentIndex}`);
  if (source.item !== undefined) parts.push(`items[${source.item}]`);
  return `${parts.join(', ')}: `;
}

/** `file.yaml, document 2` (document indexes count from 0), or '' when unknown. @internal */
export function describeLocation(source: SourceRef | undefined): string {
  return describeSource(source).replace(/: $/, '');
}

/** The input to `ClusterModel.addPod`. @internal */
export interface PodInput {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Record<string, string>;
  readonly ports?: readonly ContainerPortModel[];
  readonly ips?: readonly string[];
  readonly kind?: string;
  readonly workload?: WorkloadRef;
}

/**
 * Namespaces, pods and policies read from Kubernetes objects.
 * @internal
 */
export class ClusterModel {
  /** Builds the model; throws ManifestError for an object it cannot read. */
  public static fromObjects(objects: readonly LoadedObject[]): ClusterModel {
    const model = new ClusterModel();
    // Skip a workload when the input also holds what it controls (a Deployment and its
    // ReplicaSet, a ReplicaSet and its Pods in a `kubectl get -o yaml` dump): the most concrete
    // objects carry pod IPs and stand for the same pods.
    const owners = new Set<string>();
    for (const { object } of objects) {
      for (const ref of object?.metadata?.ownerReferences ?? []) {
        if (ref?.controller) owners.add(`${ref.kind}/${object.metadata?.namespace ?? 'default'}/${ref.name}`);
      }
    }
    for (const loaded of objects) {
      const obj = loaded.object;
      const source: SourceRef = { file: loaded.file, documentIndex: loaded.documentIndex, item: loaded.item };
      const kind = obj?.kind;
      const unmodelled = unmodelledPolicyKind(obj);
      if (unmodelled) {
        const namespace = unmodelled.clusterScoped ? undefined : obj.metadata?.namespace ?? 'default';
        const name = String(obj.metadata?.name ?? obj.metadata?.generateName ?? '?');
        model.unmodelled.push({ kind, apiVersion: String(obj.apiVersion ?? ''), name: namespace ? `${namespace}/${name}` : name, reason: unmodelled.reason, source });
      } else if (kind === 'Namespace') {
        model.declareNamespace(obj, source);
      } else if (isModelledNetworkPolicy(obj)) {
        model.addPolicy(readPolicy(obj, source));
      } else if (isModelledClusterPolicy(obj)) {
        model.addClusterPolicy(readClusterPolicy(obj, source, model.unmodelled, (problem) => { throw new ManifestError(source, problem); }));
      } else if (isCiliumPolicy(obj)) {
        model.addCiliumPolicy(obj, source);
      } else if (kind === 'Pod') {
        model.addPodObject(obj, obj, 'Pod', source);
      } else if (typeof kind === 'string' && WORKLOAD_TEMPLATES[kind]) {
        const namespace = obj.metadata?.namespace ?? 'default';
        if (owners.has(`${kind}/${namespace}/${obj.metadata?.name}`)) continue;
        const template = WORKLOAD_TEMPLATES[kind](obj);
        if (!template) throw new ManifestError(source, `${kind} '${obj.metadata?.name}' has no pod template`);
        model.addPodObject(obj, template, kind, source);
      }
    }
    return model;
  }

  public readonly pods: PodModel[] = [];
  public readonly policies: PolicyModel[] = [];
  /** ClusterNetworkPolicies, AdminNetworkPolicies and BaselineAdminNetworkPolicies, in input order. */
  public readonly clusterPolicies: ClusterPolicyModel[] = [];
  /** Cilium policies (one entry per rule set: `spec` and each of `specs`), in input order. */
  public readonly ciliumPolicies: CiliumPolicyModel[] = [];
  /** Input the verdicts ignore, in input order. */
  public readonly unmodelled: UnmodelledModel[] = [];
  private readonly ciliumIds = new Map<string, SourceRef | undefined>();
  private readonly declaredNamespaces = new Map<string, NamespaceModel>();
  private readonly podsById = new Map<string, PodModel>();
  private readonly policiesById = new Map<string, PolicyModel>();

  /** Adds a pod endpoint; throws when a pod with the same `namespace/name` exists. */
  public addPod(input: PodInput, source?: SourceRef): PodModel {
    const where = `${describeSource(source)}pod '${input.namespace}/${input.name}'`;
    const ips = (input.ips ?? []).map((text) => {
      const ip = parseIp(text);
      if (!ip) throw new ManifestError(undefined, `${where}: IP '${text}' is not an IPv4 or IPv6 address`);
      return { text, family: ip.family, value: ip.value };
    });
    const pod: PodModel = {
      id: `${input.namespace}/${input.name}`,
      namespace: input.namespace,
      name: input.name,
      kind: input.kind ?? 'Declared',
      ...(input.workload ? { workload: input.workload } : {}),
      labels: { ...(input.labels ?? {}) },
      ports: (input.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })),
      ips,
      source,
    };
    const existing = this.podsById.get(pod.id);
    if (existing) {
      throw new ManifestError(source, `there are two pods named '${pod.id}': a ${existing.kind}${existing.source ? ` (${describeLocation(existing.source)})` : ''} and a ${pod.kind}. Pod names must be unique per namespace; rename one`);
    }
    this.podsById.set(pod.id, pod);
    this.pods.push(pod);
    return pod;
  }

  /** Adds a policy; throws when a policy with the same `namespace/name` exists. */
  private addPolicy(policy: PolicyModel): void {
    const existing = this.policiesById.get(policy.id);
    if (existing) {
      const where = (source?: SourceRef): string => describeSource(source).replace(/: $/, '') || 'an object';
      throw new ManifestError(policy.source, `there are two NetworkPolicies named '${policy.id}' (${where(existing.source)} and ${where(policy.source)}); the API server keeps one object per name, so the later one would replace the earlier. Rename one or delete it`);
    }
    this.policiesById.set(policy.id, policy);
    this.policies.push(policy);
  }

  /** Adds a cluster policy; throws when one of the same kind and name exists. */
  private addClusterPolicy(policy: ClusterPolicyModel): void {
    const existing = this.clusterPolicies.find((p) => p.kind === policy.kind && p.name === policy.name);
    if (existing) {
      const where = (source?: SourceRef): string => describeSource(source).replace(/: $/, '') || 'an object';
      throw new ManifestError(policy.source, `there are two ${policy.kind} objects named '${policy.name}' (${where(existing.source)} and ${where(policy.source)}); the API server keeps one object per name, so the later one would replace the earlier. Rename one or delete it`);
    }
    this.clusterPolicies.push(policy);
  }

  /** Adds a Cilium policy; throws when one of the same kind and name exists. */
  private addCiliumPolicy(obj: any, source: SourceRef): void {
    const read = readCiliumPolicy(obj, source, this.unmodelled);
    const key = `${read[0].kind} ${read[0].id}`;
    if (this.ciliumIds.has(key)) {
      throw new ManifestError(source, `there are two ${read[0].kind} objects named '${read[0].id}'; the API server keeps one object per name. Rename one or delete it`);
    }
    this.ciliumIds.set(key, source);
    this.ciliumPolicies.push(...read);
  }

  /**
   * A copy with more namespaces and pods, the policies shared: what-if endpoints (a pod of a
   * namespace no manifest holds) that reports evaluate with the same layers as real ones. The
   * namespaces are taken as declared with these labels.
   */
  public withEndpoints(namespaces: readonly { name: string; labels: Labels }[], pods: readonly PodInput[]): ClusterModel {
    const copy = new ClusterModel();
    copy.policies.push(...this.policies);
    copy.clusterPolicies.push(...this.clusterPolicies);
    copy.ciliumPolicies.push(...this.ciliumPolicies);
    for (const [name, namespace] of this.declaredNamespaces) copy.declaredNamespaces.set(name, namespace);
    for (const namespace of namespaces) {
      const labels = { ...namespace.labels, [NAMESPACE_NAME_LABEL]: namespace.name };
      copy.declaredNamespaces.set(namespace.name, { name: namespace.name, labels, declared: true });
    }
    for (const pod of this.pods) {
      copy.podsById.set(pod.id, pod);
      copy.pods.push(pod);
    }
    for (const pod of pods) copy.addPod(pod);
    return copy;
  }

  /** The pod with this `namespace/name`, if any. */
  public pod(id: string): PodModel | undefined {
    return this.podsById.get(id);
  }

  /**
   * Every namespace: declared ones, and those used by a pod or a policy, which exist with just
   * the `kubernetes.io/metadata.name` label.
   */
  public get namespaces(): NamespaceModel[] {
    const all = new Map(this.declaredNamespaces);
    const used = [...this.pods.map((p) => p.namespace), ...this.policies.map((p) => p.namespace), ...this.ciliumPolicies.map((p) => p.namespace)];
    for (const name of used) {
      if (name === undefined) continue;
      if (!all.has(name)) all.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, declared: false });
    }
    return [...all.values()];
  }

  /** A namespace's labels (just the name label when it was not declared). */
  public namespaceLabels(name: string): Labels {
    return this.declaredNamespaces.get(name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
  }

  private declareNamespace(obj: any, source: SourceRef): void {
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || name === '') throw new ManifestError(source, 'Namespace has no metadata.name');
    const existing = this.declaredNamespaces.get(name);
    if (existing) {
      const where = (at?: SourceRef): string => describeSource(at).replace(/: $/, '') || 'an object';
      throw new ManifestError(source, `there are two Namespaces named '${name}' (${where(existing.source)} and ${where(source)}); the API server keeps one object per name, so the labels policies select by would be the later one's. Delete one`);
    }
    // The API server overwrites this label with the name, whatever the manifest says.
    const labels = { ...stringMap(obj.metadata?.labels), [NAMESPACE_NAME_LABEL]: name };
    this.declaredNamespaces.set(name, { name, labels, declared: true, source });
  }

  private addPodObject(obj: any, template: any, kind: string, source: SourceRef): void {
    const name = obj.metadata?.name;
    if (typeof name !== 'string' || name === '') throw new ManifestError(source, `${kind} has no metadata.name`);
    const ports: ContainerPortModel[] = [];
    const podPath = kind === 'Pod' ? 'spec' : `${templatePath(kind)}.spec`;
    (template.spec?.containers ?? []).forEach((container: any, c: number) => {
      (container?.ports ?? []).forEach((p: any, i: number) => {
        const containerPort = Number(p?.containerPort);
        if (typeof p?.containerPort !== 'number' || !Number.isInteger(containerPort) || containerPort < 1 || containerPort > 65535) {
          // The API server would refuse the object; reading the rest of it beats refusing the whole input.
          this.unmodelled.push({
            kind,
            apiVersion: String(obj.apiVersion ?? ''),
            name: `${obj.metadata?.namespace ?? 'default'}/${name}`,
            field: `${podPath}.containers[${c}].ports[${i}]`,
            reason: `containerPort ${JSON.stringify(p?.containerPort)} is not a port number 1-65535 (the API server would reject the object), so the port${p?.name ? ` '${p.name}'` : ''} is left out and named ports in policies do not resolve to it`,
            source,
          });
          return;
        }
        ports.push({ name: p.name ?? undefined, containerPort, protocol: p.protocol ?? 'TCP' });
      });
    });
    if (template.spec?.hostNetwork === true) {
      this.unmodelled.push({
        kind,
        apiVersion: String(obj.apiVersion ?? ''),
        name: `${obj.metadata?.namespace ?? 'default'}/${name}`,
        field: kind === 'Pod' ? 'spec.hostNetwork' : `${templatePath(kind)}.spec.hostNetwork`,
        reason: 'a host-network pod: NetworkPolicy behaviour for it is undefined (most CNIs treat its traffic as the node\'s, which no pod selector matches), so the verdicts for it may be wrong',
        source,
      });
    }
    const ips: string[] = [];
    if (kind === 'Pod') {
      for (const entry of obj.status?.podIPs ?? []) if (entry?.ip) ips.push(String(entry.ip));
      if (obj.status?.podIP && !ips.includes(obj.status.podIP)) ips.push(String(obj.status.podIP));
    }
    this.addPod({
      namespace: obj.metadata?.namespace ?? 'default',
      name,
      kind,
      workload: kind === 'Pod' ? stampedBy(obj, template) : undefined,
      labels: stringMap(template.metadata?.labels),
      ports,
      ips,
    }, source);
  }
}

/** The workload whose template a Pod was stamped from, by its controller ownerReference. */
function stampedBy(pod: any, template: any): WorkloadRef | undefined {
  const owner = (pod.metadata?.ownerReferences ?? []).find((r: any) => r?.controller && WORKLOAD_TEMPLATES[r?.kind] && typeof r?.name === 'string');
  if (!owner) return undefined;
  // A Deployment names its ReplicaSets `<deployment>-<pod-template-hash>`.
  const hash = template.metadata?.labels?.['pod-template-hash'];
  if (owner.kind === 'ReplicaSet' && typeof hash === 'string' && hash !== '' && owner.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: owner.name.slice(0, -hash.length - 1) };
  }
  return { kind: owner.kind, name: owner.name };
}

/** Where WORKLOAD_TEMPLATES finds a kind's pod template, as a field path for messages. */
function templatePath(kind: string): string {
  return kind === 'CronJob' ? 'spec.jobTemplate.spec.template' : 'spec.template';
}

function stringMap(raw: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) out[k] = String(v ?? '');
  return out;
}

function readPolicy(obj: any, source: SourceRef): PolicyModel {
  const namespace = obj.metadata?.namespace ?? 'default';
  const name = obj.metadata?.name ?? obj.metadata?.generateName;
  if (typeof name !== 'string' || name === '') throw new ManifestError(source, 'NetworkPolicy has no metadata.name');
  const spec = obj.spec ?? {};
  const ingress = (spec.ingress ?? []).map((r: any) => readRule(r?.from, r?.ports, source));
  const egress = (spec.egress ?? []).map((r: any) => readRule(r?.to, r?.ports, source));
  // Defaulting: policyTypes omitted or empty → Ingress, plus Egress only when egress rules are
  // written (the API server tests the list's length, so `policyTypes: []` is defaulted too).
  const written: string[] = Array.isArray(spec.policyTypes) ? spec.policyTypes : [];
  const types = written.length > 0 ? written : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  return {
    id: `${namespace}/${name}`,
    namespace,
    name,
    podSelector: readSelector(spec.podSelector) ?? MATCH_ALL,
    isolatesIngress: types.includes('Ingress'),
    isolatesEgress: types.includes('Egress'),
    ingress,
    egress,
    source,
  };
}

function readRule(peers: any, ports: any, source: SourceRef): RuleModel {
  return {
    peers: (peers ?? []).map((p: any) => readPeer(p, source)),
    ports: (ports ?? []).map((p: any) => ({
      protocol: p?.protocol ?? 'TCP',
      port: p?.port === undefined || p?.port === null ? undefined : p.port,
      endPort: p?.endPort ?? undefined,
    })),
  };
}

function readPeer(raw: any, source: SourceRef): PeerModel {
  if (raw?.ipBlock) {
    const cidr = parseCidr(String(raw.ipBlock.cidr));
    if (typeof cidr === 'string') throw new ManifestError(source, `ipBlock.cidr '${raw.ipBlock.cidr}' ${cidr}`);
    const except = (raw.ipBlock.except ?? []).map((e: any) => {
      const parsed = parseCidr(String(e));
      if (typeof parsed === 'string') throw new ManifestError(source, `ipBlock.except '${e}' ${parsed}`);
      return parsed;
    });
    return { ipBlock: { cidr, except } };
  }
  return { podSelector: readSelector(raw?.podSelector), namespaceSelector: readSelector(raw?.namespaceSelector) };
}
