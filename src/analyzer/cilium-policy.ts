import { Direction, IpBlockModel, ManifestError, NAMESPACE_NAME_LABEL, PortRuleModel, SourceRef, UnmodelledModel } from './cluster-model';
import { normalizeDnsName } from './external-nodes';
import { Selector, SelectorRequirement } from './label-matcher';
import { PROTOCOLS } from './port-range-set';
import { parseCidr } from '../vocabulary/k8s-rules';

/**
 * CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (`cilium.io/v2`) read into the subset the
 * analyzer models: endpoint selectors (pod labels, `io.kubernetes.pod.namespace`,
 * `io.cilium.k8s.namespace.labels.*`, `k8s:`/`any:` prefixes), CIDRs and CIDR sets, the entities
 * `world`, `world-ipv4`, `world-ipv6`, `cluster`, `all` and `kube-apiserver`, DNS names
 * (`toFQDNs`), ports (TCP, UDP, SCTP, ANY; numbers, ranges and names; DNS rules as the L4 allow
 * they are), allow and deny rules and `enableDefaultDeny`. Every other field is reported as
 * unmodelled with its path, and a peer the analyzer cannot evaluate matches nothing (so verdicts
 * under-state what it allows and what it denies, and say so).
 *
 * @see https://docs.cilium.io/en/stable/security/policy/language/
 */

/** The API group of Cilium's policies. @internal */
export const CILIUM_GROUP = 'cilium.io';

/** The kinds of Cilium policy the analyzer models, and whether they are cluster-scoped. @internal */
export const CILIUM_POLICY_KINDS: Readonly<Record<string, boolean>> = {
  CiliumNetworkPolicy: false,
  CiliumClusterwideNetworkPolicy: true,
};

/** Whether an object is a Cilium policy the analyzer models. @internal */
export function isCiliumPolicy(obj: any): boolean {
  return typeof obj?.apiVersion === 'string' && obj.apiVersion.startsWith(`${CILIUM_GROUP}/`)
    && Object.prototype.hasOwnProperty.call(CILIUM_POLICY_KINDS, obj?.kind);
}

/** An endpoint selector split into what it asks of the pod and of its namespace. @internal */
export interface CiliumEndpointSelector {
  readonly pods: Selector;
  /** Namespace labels it requires (the name as `kubernetes.io/metadata.name`); undefined: none. */
  readonly namespaces?: Selector;
}

/** A peer of a Cilium rule. @internal */
export type CiliumPeerModel =
  | { readonly kind: 'endpoints'; readonly selector: CiliumEndpointSelector; readonly text: string }
  | { readonly kind: 'cidr'; readonly block: IpBlockModel }
  | { readonly kind: 'entity'; readonly entity: string }
  | { readonly kind: 'fqdn'; readonly name?: string; readonly pattern?: string }
  /** A peer the analyzer does not model (reported): it matches nothing. */
  | { readonly kind: 'unmodelled'; readonly text: string };

/**
 * A `toPorts` entry with a DNS rule (`rules.dns`): Cilium's DNS proxy sees the lookups on its ports
 * and lets through those its names and patterns match. `toFQDNs` learns addresses only from
 * lookups the proxy sees.
 * @internal
 */
export interface CiliumDnsRuleModel {
  readonly ports: readonly PortRuleModel[];
  /** `matchName` entries, normalized. */
  readonly names: readonly string[];
  /** `matchPattern` entries, normalized. */
  readonly patterns: readonly string[];
}

/** A rule of a Cilium policy. @internal */
export interface CiliumRuleModel {
  readonly action: 'Allow' | 'Deny';
  /** Its L3 peers, any of which matches; empty: every peer (a rule with ports only). */
  readonly peers: readonly CiliumPeerModel[];
  /** Whether the rule matches nothing at all (`{}`: neither peers nor ports). */
  readonly matchesNothing: boolean;
  /** Its ports; empty: every port. */
  readonly ports: readonly PortRuleModel[];
  /** Its `toPorts` entries with DNS rules. */
  readonly dnsRules: readonly CiliumDnsRuleModel[];
  /** Where the rule is in the object, e.g. `spec.egressDeny[0]`. */
  readonly path: string;
  /** Index in its list. */
  readonly index: number;
}

/** One rule set (`spec`, or an entry of `specs`) of a Cilium policy. @internal */
export interface CiliumPolicyModel {
  readonly kind: string;
  /** The object's apiVersion, e.g. `cilium.io/v2`. */
  readonly apiVersion: string;
  /** `namespace/name`, or `name` when cluster-scoped. */
  readonly id: string;
  /** The namespace of a CiliumNetworkPolicy; undefined when cluster-scoped. */
  readonly namespace?: string;
  /** `spec`, or `specs[i]`. */
  readonly specPath: string;
  /** The endpoints it applies to; undefined when it applies to no pod (a node selector). */
  readonly subject?: CiliumEndpointSelector;
  readonly ingress: readonly CiliumRuleModel[];
  readonly egress: readonly CiliumRuleModel[];
  /** Per direction: whether it has rules (allow or deny) there, and so applies. */
  readonly applies: Readonly<Record<Direction, boolean>>;
  /** Per direction: whether applying puts the endpoint in default deny. */
  readonly defaultDeny: Readonly<Record<Direction, boolean>>;
  readonly source?: SourceRef;
}

const ENTITIES_MODELLED = new Set(['world', 'world-ipv4', 'world-ipv6', 'cluster', 'all', 'kube-apiserver']);
const ENTITIES_KNOWN = new Set([...ENTITIES_MODELLED, 'host', 'remote-node', 'health', 'init', 'unmanaged', 'ingress', 'none']);
const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

/** The fields of a rule per list, and the peer fields among them. */
const RULE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  ingress: ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toPorts'],
  ingressDeny: ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'toPorts'],
  egress: ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toFQDNs', 'toPorts'],
  egressDeny: ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toPorts'],
};
/** Peer fields the analyzer does not evaluate: their peers match nothing. */
const UNMODELLED_PEER_FIELDS: Readonly<Record<string, string>> = {
  fromRequires: 'a requirement added to every peer of the policy',
  toRequires: 'a requirement added to every peer of the policy',
  fromNodes: 'node peers: the analyzer models pods and external addresses, not nodes',
  toNodes: 'node peers: the analyzer models pods and external addresses, not nodes',
  fromGroups: 'cloud provider groups, resolved by Cilium at run time',
  toGroups: 'cloud provider groups, resolved by Cilium at run time',
  toServices: 'Service peers, resolved by Cilium from Services and Endpoints the analyzer does not read',
};
const SPEC_FIELDS = new Set(['endpointSelector', 'nodeSelector', 'ingress', 'ingressDeny', 'egress', 'egressDeny', 'enableDefaultDeny', 'description', 'labels', 'log']);

/** Reads a Cilium policy; unmodelled fields go to `unmodelled`. Throws ManifestError when unreadable. @internal */
export function readCiliumPolicy(obj: any, source: SourceRef, unmodelled: UnmodelledModel[]): CiliumPolicyModel[] {
  const kind: string = obj.kind;
  const apiVersion = String(obj.apiVersion);
  const clusterScoped = CILIUM_POLICY_KINDS[kind];
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new ManifestError(source, `${kind} has no metadata.name`);
  const namespace = clusterScoped ? undefined : obj.metadata?.namespace ?? 'default';
  const id = namespace ? `${namespace}/${name}` : name;
  const report = (field: string, reason: string): void => {
    unmodelled.push({ kind, apiVersion, name: id, field, reason, source });
  };
  const specs: [string, any][] = [];
  if (obj.spec) specs.push(['spec', obj.spec]);
  (Array.isArray(obj.specs) ? obj.specs : []).forEach((spec: any, i: number) => specs.push([`specs[${i}]`, spec]));
  if (specs.length === 0) throw new ManifestError(source, `${kind} '${id}' has neither spec nor specs`);
  return specs.map(([specPath, spec]) => readSpec({ kind, apiVersion, id, namespace, source, report }, specPath, spec ?? {}));
}

interface ReadContext {
  readonly kind: string;
  readonly apiVersion: string;
  readonly id: string;
  readonly namespace?: string;
  readonly source: SourceRef;
  report(field: string, reason: string): void;
}

function readSpec(context: ReadContext, specPath: string, spec: any): CiliumPolicyModel {
  for (const key of Object.keys(spec)) {
    if (!SPEC_FIELDS.has(key)) context.report(`${specPath}.${key}`, `field '${key}' is not modelled`);
  }
  let subject: CiliumEndpointSelector | undefined;
  if (spec.nodeSelector !== undefined) {
    context.report(`${specPath}.nodeSelector`, 'a host policy (it selects nodes, whose traffic the analyzer does not model): the verdicts ignore it');
  } else {
    subject = readEndpointSelector(context, `${specPath}.endpointSelector`, spec.endpointSelector ?? {}, true);
  }
  const lists = (list: string): CiliumRuleModel[] => {
    const raw = spec[list];
    if (raw === undefined || raw === null) return [];
    if (!Array.isArray(raw)) throw new ManifestError(context.source, `${context.kind} '${context.id}': ${specPath}.${list} is not a list`);
    return raw.map((rule: any, index: number) => readRule(context, list, `${specPath}.${list}[${index}]`, index, rule ?? {}));
  };
  const ingress = [...lists('ingressDeny'), ...lists('ingress')];
  const egress = [...lists('egressDeny'), ...lists('egress')];
  const applies = { Ingress: ingress.length > 0, Egress: egress.length > 0 };
  // enableDefaultDeny defaults to true for each direction that has rules.
  const flag = (value: any, direction: Direction): boolean => applies[direction] && value !== false;
  return {
    kind: context.kind,
    apiVersion: context.apiVersion,
    id: context.id,
    namespace: context.namespace,
    specPath,
    subject,
    ingress,
    egress,
    applies,
    defaultDeny: { Ingress: flag(spec.enableDefaultDeny?.ingress, 'Ingress'), Egress: flag(spec.enableDefaultDeny?.egress, 'Egress') },
    source: context.source,
  };
}

function readRule(context: ReadContext, list: string, path: string, index: number, raw: any): CiliumRuleModel {
  const known = RULE_FIELDS[list];
  const peers: CiliumPeerModel[] = [];
  let hasL3 = false;
  for (const [field, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    if (UNMODELLED_PEER_FIELDS[field] !== undefined) {
      context.report(`${path}.${field}`, `${UNMODELLED_PEER_FIELDS[field]}: the analyzer treats the rule's peers there as matching nothing`);
      if (!field.endsWith('Requires')) {
        hasL3 = true;
        peers.push({ kind: 'unmodelled', text: field });
      }
      continue;
    }
    if (!known.includes(field)) {
      context.report(`${path}.${field}`, `field '${field}' is not modelled${field === 'icmps' ? ' (ICMP)' : ''}: the verdicts ignore it`);
      continue;
    }
    if (field === 'toPorts') continue;
    if (!Array.isArray(value)) throw new ManifestError(context.source, `${context.kind} '${context.id}': ${path}.${field} is not a list`);
    if (value.length === 0) continue;
    hasL3 = true;
    value.forEach((entry: any, i: number) => peers.push(readPeer(context, field, `${path}.${field}[${i}]`, entry)));
  }
  const { ports, dnsRules } = readPorts(context, `${path}.toPorts`, raw.toPorts);
  const hasL4 = Array.isArray(raw.toPorts) && raw.toPorts.length > 0;
  return {
    action: list.endsWith('Deny') ? 'Deny' : 'Allow',
    peers,
    matchesNothing: !hasL3 && !hasL4,
    ports,
    dnsRules,
    path,
    index,
  };
}

function readPeer(context: ReadContext, field: string, path: string, entry: any): CiliumPeerModel {
  switch (field) {
    case 'fromEndpoints':
    case 'toEndpoints': {
      const selector = readEndpointSelector(context, path, entry ?? {}, false);
      return selector ? { kind: 'endpoints', selector, text: describeEndpointSelector(selector) } : { kind: 'unmodelled', text: path };
    }
    case 'fromCIDR':
    case 'toCIDR':
      return { kind: 'cidr', block: readBlock(context, path, entry, []) };
    case 'fromCIDRSet':
    case 'toCIDRSet': {
      if (entry?.cidr === undefined) {
        context.report(path, 'a CIDR group reference (cidrGroupRef/cidrGroupSelector), resolved from CiliumCIDRGroup objects the analyzer does not read: it matches nothing here');
        return { kind: 'unmodelled', text: path };
      }
      return { kind: 'cidr', block: readBlock(context, path, entry.cidr, entry.except ?? []) };
    }
    case 'fromEntities':
    case 'toEntities': {
      const entity = String(entry);
      if (!ENTITIES_MODELLED.has(entity)) {
        const reason = ENTITIES_KNOWN.has(entity)
          ? `entity '${entity}': nodes and Cilium's own endpoints are not modelled, so it matches none of the analyzer's endpoints`
          : `unknown entity '${entity}'`;
        context.report(path, reason);
        return { kind: 'unmodelled', text: `entity ${entity}` };
      }
      return { kind: 'entity', entity };
    }
    case 'toFQDNs': {
      if (typeof entry?.matchName === 'string') return { kind: 'fqdn', name: normalizeDnsName(entry.matchName) };
      if (typeof entry?.matchPattern === 'string') return { kind: 'fqdn', pattern: normalizeDnsName(entry.matchPattern) };
      context.report(path, 'a toFQDNs entry with neither matchName nor matchPattern');
      return { kind: 'unmodelled', text: path };
    }
    default:
      context.report(path, `field '${field}' is not modelled`);
      return { kind: 'unmodelled', text: path };
  }
}

function readBlock(context: ReadContext, path: string, cidrText: any, exceptText: any[]): IpBlockModel {
  const parse = (text: any): ReturnType<typeof parseCidr> & object => {
    const parsed = parseCidr(String(text));
    if (typeof parsed === 'string') throw new ManifestError(context.source, `${context.kind} '${context.id}': ${path}: CIDR '${text}' ${parsed}`);
    return parsed;
  };
  return { cidr: parse(cidrText), except: exceptText.map(parse) };
}

function readPorts(context: ReadContext, path: string, raw: any): { ports: PortRuleModel[]; dnsRules: CiliumDnsRuleModel[] } {
  const out: PortRuleModel[] = [];
  const dnsRules: CiliumDnsRuleModel[] = [];
  if (!Array.isArray(raw)) return { ports: out, dnsRules };
  raw.forEach((portRule: any, i: number) => {
    const entryPorts: PortRuleModel[] = [];
    for (const key of Object.keys(portRule ?? {})) {
      if (key === 'ports') continue;
      if (key === 'rules') {
        for (const l7 of Object.keys(portRule.rules ?? {})) {
          // A DNS rule lets the lookups through the DNS proxy (and records them for toFQDNs): at
          // L4 it allows the port. HTTP, Kafka and other L7 rules filter requests the L4 verdict allows.
          if (l7 !== 'dns') context.report(`${path}[${i}].rules.${l7}`, `L7 rules (${l7}): the verdicts say which connections reach the port, not which requests the proxy lets through`);
        }
        continue;
      }
      context.report(`${path}[${i}].${key}`, `field '${key}' is not modelled: the verdicts ignore it`);
    }
    const ports: any[] = Array.isArray(portRule?.ports) && portRule.ports.length > 0 ? portRule.ports : [{}];
    for (const port of ports) {
      const protocol = String(port.protocol ?? 'ANY').toUpperCase();
      const protocols = protocol === 'ANY' ? PROTOCOLS : PROTOCOLS.includes(protocol) ? [protocol] : [];
      if (protocols.length === 0) context.report(`${path}[${i}]`, `protocol '${protocol}' is not modelled`);
      const text = port.port === undefined || port.port === null ? '0' : String(port.port);
      const number = /^\d+$/.test(text) ? Number(text) : undefined;
      for (const p of protocols) {
        if (number === 0) entryPorts.push({ protocol: p });
        else if (number !== undefined) entryPorts.push({ protocol: p, port: number, ...(port.endPort ? { endPort: Number(port.endPort) } : {}) });
        else entryPorts.push({ protocol: p, port: text });
      }
    }
    out.push(...entryPorts);
    const dns = portRule?.rules?.dns;
    if (Array.isArray(dns)) {
      const texts = (field: string): string[] => dns.filter((d: any) => typeof d?.[field] === 'string').map((d: any) => normalizeDnsName(d[field]));
      dnsRules.push({ ports: entryPorts, names: texts('matchName'), patterns: texts('matchPattern') });
    }
  });
  return { ports: out, dnsRules };
}

/**
 * Splits a Cilium endpoint selector into pod and namespace parts; undefined (reported) when it
 * asks for a label source the analyzer does not model (`reserved:`, service accounts, clusters).
 * A subject or peer selector of a namespaced policy without namespace requirements is confined to
 * the policy's namespace.
 */
function readEndpointSelector(context: ReadContext, path: string, raw: any, subject: boolean): CiliumEndpointSelector | undefined {
  const pods: { labels: Record<string, string>; exprs: SelectorRequirement[] } = { labels: {}, exprs: [] };
  const namespaces: { labels: Record<string, string>; exprs: SelectorRequirement[] } = { labels: {}, exprs: [] };
  let namespaceNamed = false;
  let namespaceLabelled = false;
  let unmodelledKey: string | undefined;
  const place = (rawKey: string): { into: typeof pods; key: string } | undefined => {
    const match = /^(k8s|any):(.*)$/.exec(rawKey);
    const key = match ? match[2] : rawKey;
    if (/^[a-z0-9-]+:/.test(key) && !match) {
      unmodelledKey = rawKey;
      return undefined;
    }
    if (key === NAMESPACE_KEY) {
      namespaceNamed = true;
      return { into: namespaces, key: NAMESPACE_NAME_LABEL };
    }
    if (key.startsWith(NAMESPACE_LABELS_PREFIX)) {
      namespaceLabelled = true;
      return { into: namespaces, key: key.slice(NAMESPACE_LABELS_PREFIX.length) };
    }
    if (key.startsWith('io.cilium.k8s.policy.') || key.startsWith('io.cilium.')) {
      unmodelledKey = rawKey;
      return undefined;
    }
    return { into: pods, key };
  };
  for (const [k, v] of Object.entries(raw.matchLabels ?? {})) {
    const where = place(k);
    if (where) where.into.labels[where.key] = String(v ?? '');
  }
  for (const e of raw.matchExpressions ?? []) {
    const where = place(String(e?.key));
    if (where) where.into.exprs.push({ key: where.key, operator: e.operator, values: (e.values ?? []).map(String) });
  }
  if (unmodelledKey !== undefined) {
    context.report(path, `label '${unmodelledKey}' is not a pod or namespace label the analyzer models (reserved identities, service accounts and clusters are not), so this selector matches no pod here`);
    return undefined;
  }
  const namespaced = namespaceNamed || namespaceLabelled;
  let namespaceSelector: Selector | undefined = namespaced ? { matchLabels: namespaces.labels, matchExpressions: namespaces.exprs } : undefined;
  if (context.namespace !== undefined && (subject || !namespaced)) {
    // A CiliumNetworkPolicy applies in its namespace, and its peer selectors stay there unless
    // they name namespaces.
    namespaceSelector = {
      matchLabels: { ...(namespaceSelector?.matchLabels ?? {}), ...(subject ? { [NAMESPACE_NAME_LABEL]: context.namespace } : {}) },
      matchExpressions: namespaceSelector?.matchExpressions ?? [],
    };
    if (!subject) namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: context.namespace }, matchExpressions: [] };
  }
  return { pods: { matchLabels: pods.labels, matchExpressions: pods.exprs }, namespaces: namespaceSelector };
}

/** `app=web in namespaces kubernetes.io/metadata.name=shop`, for messages. @internal */
export function describeEndpointSelector(selector: CiliumEndpointSelector): string {
  const part = (s: Selector): string => {
    const parts = [...Object.entries(s.matchLabels).map(([k, v]) => `${k}=${v}`), ...s.matchExpressions.map((r) => `${r.key} ${r.operator} (${r.values.join(', ')})`)];
    return parts.length === 0 ? '{}' : parts.join(', ');
  };
  return `endpoints ${part(selector.pods)}${selector.namespaces ? ` in namespaces ${part(selector.namespaces)}` : ''}`;
}
