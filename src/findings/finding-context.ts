import { Finding, FindingRuleInfo } from './finding';
import { FindingOptions } from './finding-options';
import { BitSet } from '../analyzer/bitset';
import { ClusterModel, Direction, PeerModel, PodModel, PolicyModel, RuleModel, SourceRef, describeLocation } from '../analyzer/cluster-model';
import { MatrixEngine } from '../analyzer/matrix-engine';
import { invalid, show } from '../vocabulary/errors';
import { ParsedCidr, parseCidr } from '../vocabulary/k8s-rules';

/**
 * What every finding rule reads: the analyzer's model of the cluster, the options, and facts the
 * model does not keep (whether a policy wrote `policyTypes`). Rules are pure functions of it.
 */

/** A finding before the rule's id, name and severity are attached. @internal */
export interface FindingDraft {
  readonly subject: string;
  readonly objects: string[];
  readonly message: string;
  /** Overrides the rule's generic fix. */
  readonly fix?: string;
}

/** A finding rule: what it is and how it checks. @internal */
export interface FindingRuleDefinition extends FindingRuleInfo {
  readonly check: (context: FindingContext) => FindingDraft[];
}

/** The input of every rule. @internal */
export interface FindingContext {
  readonly model: ClusterModel;
  /** A stand-in pod for the cluster's DNS resolver (not in `model.pods`). */
  readonly dnsPod: PodModel;
  /** The port the DNS resolver listens on. */
  readonly dnsPort: number;
  readonly podCidrs: readonly ParsedCidr[];
  readonly serviceCidrs: readonly ParsedCidr[];
  /** Namespaces that hold pods or that a Namespace object declares. */
  readonly knownNamespaces: ReadonlySet<string>;
  /** Whether the coverage rules (NP001-NP004) report on `namespace`. */
  readonly covers: (namespace: string) => boolean;
  /** Whether a policy's manifest wrote `policyTypes`; undefined when the manifest is not known. */
  readonly policyTypesWritten: (policy: PolicyModel) => boolean | undefined;
  /** The objects the model was read from, unwrapped (empty when not given). */
  readonly objects: readonly any[];
  /** The model's endpoint classes, built on first use and shared by the rules. */
  readonly engine: () => MatrixEngine;
  /** The pods of an endpoint class of `engine()`, in model order (none for an external node's class). */
  readonly podsOfClass: (classIndex: number) => readonly PodModel[];
  /**
   * The pods of some classes of `engine()`, in model order: what a selector evaluated over classes
   * selects, without testing it on every pod.
   */
  readonly podsOfClasses: (classes: BitSet) => PodModel[];
}

/**
 * Builds the context; throws an Error naming the option for a bad CIDR.
 * @param coverage the namespaces the coverage rules report on; every namespace when undefined
 * @param engine the classes of `model` when the caller has them already
 * @internal
 */
export function buildFindingContext(
  model: ClusterModel, options: FindingOptions = {}, objects?: readonly any[], coverage?: ReadonlySet<string>, engine?: MatrixEngine,
): FindingContext {
  const dns = options.clusterDns ?? {};
  const dnsPort = dns.port ?? 53;
  const dnsNamespace = dns.namespace ?? 'kube-system';
  // A scratch model builds the stand-in pod with the analyzer's own IP parsing and checks.
  const dnsPod = new ClusterModel().addPod({
    namespace: dnsNamespace,
    name: '(cluster DNS)',
    kind: 'ClusterDns',
    labels: dns.podLabels ?? { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', containerPort: dnsPort, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: dnsPort, protocol: 'TCP' },
    ],
    ips: dns.ips ?? [],
  });
  const written = new Map<string, boolean>();
  for (const entry of objects ?? []) {
    const obj = entry?.object ?? entry;
    if (obj?.kind !== 'NetworkPolicy') continue;
    // An empty list is defaulted like a missing one, so it counts as not written.
    const types = obj.spec?.policyTypes;
    written.set(`${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name}`, Array.isArray(types) && types.length > 0);
  }
  let classes = engine;
  const engineOf = (): MatrixEngine => (classes ??= new MatrixEngine(model));
  let byClass: PodModel[][] | undefined;
  const podsOfClass = (classIndex: number): readonly PodModel[] => {
    if (!byClass) {
      const built: PodModel[][] = Array.from({ length: engineOf().classCount }, () => []);
      const classOfPod = engineOf().classOfPod;
      model.pods.forEach((pod, i) => built[classOfPod[i]].push(pod));
      byClass = built;
    }
    return byClass[classIndex];
  };
  const podIndex = new Map<PodModel, number>();
  const podsOfClasses = (set: BitSet): PodModel[] => {
    const out: PodModel[] = [];
    let runs = 0;
    set.forEach((c) => {
      const pods = podsOfClass(c);
      if (pods.length > 0) runs++;
      for (const pod of pods) out.push(pod);
    });
    if (runs <= 1) return out;
    if (podIndex.size === 0) model.pods.forEach((pod, i) => podIndex.set(pod, i));
    return out.sort((a, b) => podIndex.get(a)! - podIndex.get(b)!);
  };
  const knownNamespaces = new Set<string>([
    ...model.pods.map((p) => p.namespace),
    ...model.namespaces.filter((n) => n.declared).map((n) => n.name),
  ]);
  return {
    model,
    dnsPod,
    dnsPort,
    podCidrs: cidrs('podCidrs', options.podCidrs),
    serviceCidrs: cidrs('serviceCidrs', options.serviceCidrs),
    knownNamespaces,
    covers: (namespace) => coverage === undefined || coverage.has(namespace),
    policyTypesWritten: (policy) => (objects ? written.get(policy.id) : undefined),
    objects: (objects ?? []).map((entry) => entry?.object ?? entry),
    engine: engineOf,
    podsOfClass,
    podsOfClasses,
  };
}

function cidrs(option: string, texts: readonly string[] | undefined): ParsedCidr[] {
  return (texts ?? []).map((text) => {
    const parsed = parseCidr(text);
    if (typeof parsed === 'string') throw invalid(`FindingOptions.${option}`, `${show(text)} ${parsed}`, "Give CIDRs such as '10.244.0.0/16'");
    return parsed;
  });
}

/** `Deployment shop/web` (a declared pod is a `Pod`). @internal */
export function podObject(pod: PodModel): string {
  return `${pod.kind === 'Declared' ? 'Pod' : pod.kind} ${pod.id}`;
}

/** `NetworkPolicy shop/db`. @internal */
export function policyObject(policy: PolicyModel): string {
  return `NetworkPolicy ${policy.id}`;
}

/** `NetworkPolicy 'shop/db' (db.yaml, document 2)`, for messages. @internal */
export function policyWhere(policy: PolicyModel): string {
  return objectWhere('NetworkPolicy', policy.id, policy.source);
}

/** `Kind 'name' (file, document N)` (the file when known), for messages. @internal */
export function objectWhere(kind: string, name: string, source: SourceRef | undefined): string {
  const location = describeLocation(source);
  return `${kind} '${name}'${location && source?.file !== undefined ? ` (${location})` : ''}`;
}

/** `spec.ingress[0].from[1]` or `spec.egress[2]`. @internal */
export function rulePath(direction: Direction, ruleIndex: number, peerIndex?: number): string {
  const list = direction === 'Ingress' ? 'ingress' : 'egress';
  const peers = direction === 'Ingress' ? 'from' : 'to';
  return `spec.${list}[${ruleIndex}]${peerIndex === undefined ? '' : `.${peers}[${peerIndex}]`}`;
}

/** Every rule of every policy, with its direction and index. @internal */
export function eachRule(model: ClusterModel): { policy: PolicyModel; direction: Direction; index: number; rule: RuleModel }[] {
  const out: { policy: PolicyModel; direction: Direction; index: number; rule: RuleModel }[] = [];
  for (const policy of model.policies) {
    policy.ingress.forEach((rule, index) => out.push({ policy, direction: 'Ingress', index, rule }));
    policy.egress.forEach((rule, index) => out.push({ policy, direction: 'Egress', index, rule }));
  }
  return out;
}

/** Whether a peer is `{}` on its selector side: present and selecting everything. @internal */
export function isEmptySelector(selector: PeerModel['podSelector']): boolean {
  return selector !== undefined && Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** Attaches a rule's identity to its drafts. @internal */
export function toFindings(rule: FindingRuleDefinition, drafts: readonly FindingDraft[]): Finding[] {
  return drafts.map((d) => ({
    id: rule.id,
    rule: rule.rule,
    severity: rule.severity,
    subject: d.subject,
    objects: d.objects,
    message: d.message,
    fix: d.fix ?? rule.fix,
  }));
}
