/**
 * The Kubernetes API server's validation of a `networking.k8s.io/v1` NetworkPolicy on create, as
 * of Kubernetes 1.28: what `kubectl apply` would reject. The analyzer runs it on every manifest it
 * reads, and the tests run it on every manifest the library writes.
 *
 * It follows `ValidateNetworkPolicy` (pkg/apis/networking/validation) with `ValidateObjectMeta`,
 * `ValidateLabelSelector`, `ValidateNetworkPolicyPeer`, `ValidateIPBlock` and
 * `ValidateNetworkPolicyPort`, plus what the server rejects before validation even runs: values
 * of the wrong JSON type, and unknown fields (kubectl's default `--validate=strict` asks the
 * server to reject them). Where the server is lenient, so is this file:
 * - a CIDR with host bits set (`10.0.0.1/8`) is accepted, as `ParseCIDRSloppy` accepts it;
 * - `policyTypes` may repeat a value (`[Ingress, Ingress]`): the server only rejects more than
 *   two entries and values other than `Ingress`/`Egress`;
 * - `metadata.namespace` may be missing, because `kubectl apply` fills it from the context
 *   (pass `requireNamespace` to insist on it).
 *
 * Messages read like the API server's: `<field path>: <kind of error>: <value>: <rule>`.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */

import {
  checkDns1123Label,
  checkDns1123Subdomain,
  checkExcept,
  checkLabelKey,
  checkLabelValue,
  checkPortName,
  checkPortNumber,
  parseCidr,
  ParsedCidr,
} from '../vocabulary/k8s-rules';

/** Options of {@link validateNetworkPolicy}. */
export interface NetworkPolicyValidationOptions {
  /**
   * Report a missing `metadata.namespace`. The API server itself never sees one missing
   * (`kubectl apply` uses the context's namespace), but a manifest meant for any cluster should
   * name its namespace.
   * @default false
   */
  readonly requireNamespace?: boolean;
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const POLICY_TYPES = ['Ingress', 'Egress'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** The fields each object type of the NetworkPolicy API has; anything else is an unknown field. */
const FIELDS = {
  NetworkPolicy: ['apiVersion', 'kind', 'metadata', 'spec', 'status'],
  ObjectMeta: [
    'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
    'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations',
    'ownerReferences', 'finalizers', 'managedFields',
  ],
  NetworkPolicySpec: ['podSelector', 'ingress', 'egress', 'policyTypes'],
  NetworkPolicyIngressRule: ['ports', 'from'],
  NetworkPolicyEgressRule: ['ports', 'to'],
  NetworkPolicyPort: ['protocol', 'port', 'endPort'],
  NetworkPolicyPeer: ['podSelector', 'namespaceSelector', 'ipBlock'],
  IPBlock: ['cidr', 'except'],
  LabelSelector: ['matchLabels', 'matchExpressions'],
  LabelSelectorRequirement: ['key', 'operator', 'values'],
};

/**
 * Validates one NetworkPolicy object (parsed YAML or JSON) the way a Kubernetes 1.28 API server
 * does on create.
 *
 * @param obj the object, e.g. one document of `kubectl get networkpolicy -o yaml`
 * @param options what to insist on beyond the API server
 * @returns one message per problem, each naming the field path, the bad value and the rule;
 *   empty when the API server would accept the object
 */
export function validateNetworkPolicy(obj: any, options: NetworkPolicyValidationOptions = {}): string[] {
  const problems = new Problems();
  if (!isObject(obj)) {
    problems.wrongType('<root>', obj, 'an object');
    return problems.messages;
  }
  if (obj.apiVersion !== 'networking.k8s.io/v1') {
    problems.unsupported('apiVersion', obj.apiVersion, ['networking.k8s.io/v1']);
  }
  if (obj.kind !== 'NetworkPolicy') problems.unsupported('kind', obj.kind, ['NetworkPolicy']);
  problems.unknownFields('', obj, 'NetworkPolicy');
  validateObjectMeta(problems, obj.metadata, options);
  validateSpec(problems, obj.spec);
  return problems.messages;
}

function validateObjectMeta(problems: Problems, meta: any, options: NetworkPolicyValidationOptions): void {
  const path = 'metadata';
  if (meta !== undefined && meta !== null && !problems.expectObject(path, meta, 'ObjectMeta')) return;
  const m = meta ?? {};

  const generateName = problems.expectString(`${path}.generateName`, m.generateName);
  if (generateName) {
    // A generateName is a prefix: the server checks it with a trailing '-' masked, as random
    // characters will follow it.
    const masked = generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName;
    const problem = checkDns1123Subdomain(masked);
    if (problem) problems.invalid(`${path}.generateName`, generateName, problem);
  }
  const name = problems.expectString(`${path}.name`, m.name);
  if (!name) {
    if (!generateName) problems.required(`${path}.name`, 'name or generateName is required');
  } else {
    const problem = checkDns1123Subdomain(name);
    if (problem) problems.invalid(`${path}.name`, name, problem);
  }

  const namespace = problems.expectString(`${path}.namespace`, m.namespace);
  if (namespace) {
    const problem = checkDns1123Label(namespace);
    if (problem) problems.invalid(`${path}.namespace`, namespace, problem);
  } else if (options.requireNamespace) {
    problems.required(`${path}.namespace`, 'every policy we write must name its namespace');
  }

  if (m.generation !== undefined && m.generation !== null) {
    if (!Number.isInteger(m.generation)) problems.wrongType(`${path}.generation`, m.generation, 'an integer');
    else if (m.generation < 0) problems.invalid(`${path}.generation`, m.generation, 'must be greater than or equal to 0');
  }
  validateLabels(problems, `${path}.labels`, m.labels);
  validateAnnotations(problems, `${path}.annotations`, m.annotations);
  const finalizers = problems.expectArray(`${path}.finalizers`, m.finalizers);
  finalizers.forEach((finalizer, i) => {
    const value = problems.expectString(`${path}.finalizers[${i}]`, finalizer);
    const problem = value === undefined ? undefined : checkLabelKey(value);
    if (problem) problems.invalid(`${path}.finalizers[${i}]`, value, problem);
  });
  problems.unknownFields(path, m, 'ObjectMeta');
}

function validateLabels(problems: Problems, path: string, labels: any): void {
  if (labels === undefined || labels === null || !problems.expectObject(path, labels, 'a map of strings')) return;
  for (const [key, value] of Object.entries(labels)) {
    const keyProblem = checkLabelKey(key);
    if (keyProblem) problems.invalid(path, key, `label key ${keyProblem}`);
    const text = problems.expectString(mapEntry(path, key), value);
    const valueProblem = text === undefined ? undefined : checkLabelValue(text);
    if (valueProblem) problems.invalid(mapEntry(path, key), text, `label value ${valueProblem}`);
  }
}

function validateAnnotations(problems: Problems, path: string, annotations: any): void {
  if (annotations === undefined || annotations === null || !problems.expectObject(path, annotations, 'a map of strings')) return;
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // Annotation keys follow the label key rule, except that case does not matter.
    const keyProblem = checkLabelKey(key.toLowerCase());
    if (keyProblem) problems.invalid(path, key, `annotation key ${keyProblem}`);
    const text = problems.expectString(mapEntry(path, key), value) ?? '';
    bytes += Buffer.byteLength(key) + Buffer.byteLength(text);
  }
  if (bytes > MAX_ANNOTATIONS_BYTES) {
    problems.add(`${path}: Too long: annotations take ${bytes} bytes; the limit is ${MAX_ANNOTATIONS_BYTES}`);
  }
}

function validateSpec(problems: Problems, spec: any): void {
  const path = 'spec';
  // A missing spec decodes to an empty one: an empty podSelector and no rules.
  if (spec === undefined || spec === null || !problems.expectObject(path, spec, 'NetworkPolicySpec')) return;
  problems.unknownFields(path, spec, 'NetworkPolicySpec');
  validateLabelSelector(problems, `${path}.podSelector`, spec.podSelector);

  problems.expectArray(`${path}.ingress`, spec.ingress).forEach((rule, i) => {
    validateRule(problems, `${path}.ingress[${i}]`, rule, 'from', 'NetworkPolicyIngressRule');
  });
  problems.expectArray(`${path}.egress`, spec.egress).forEach((rule, i) => {
    validateRule(problems, `${path}.egress[${i}]`, rule, 'to', 'NetworkPolicyEgressRule');
  });

  const policyTypes = problems.expectArray(`${path}.policyTypes`, spec.policyTypes);
  if (policyTypes.length > POLICY_TYPES.length) {
    problems.invalid(`${path}.policyTypes`, policyTypes, 'may not specify more than two policyTypes');
    return;
  }
  policyTypes.forEach((type, i) => {
    const value = problems.expectString(`${path}.policyTypes[${i}]`, type);
    if (value !== undefined && !POLICY_TYPES.includes(value)) {
      problems.unsupported(`${path}.policyTypes[${i}]`, value, POLICY_TYPES);
    }
  });
}

function validateRule(problems: Problems, path: string, rule: any, peersField: 'from' | 'to', type: keyof typeof FIELDS): void {
  if (rule === null || !problems.expectObject(path, rule, type)) return;
  problems.unknownFields(path, rule, type);
  problems.expectArray(`${path}.ports`, rule.ports).forEach((port, i) => {
    validatePort(problems, `${path}.ports[${i}]`, port);
  });
  problems.expectArray(`${path}.${peersField}`, rule[peersField]).forEach((peer, i) => {
    validatePeer(problems, `${path}.${peersField}[${i}]`, peer);
  });
}

function validatePort(problems: Problems, path: string, port: any): void {
  if (port === null || !problems.expectObject(path, port, 'NetworkPolicyPort')) return;
  problems.unknownFields(path, port, 'NetworkPolicyPort');

  const protocol = problems.expectString(`${path}.protocol`, port.protocol);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) problems.unsupported(`${path}.protocol`, protocol, PROTOCOLS);

  let endPort: number | undefined;
  if (port.endPort !== undefined && port.endPort !== null) {
    if (isInt32(port.endPort)) endPort = port.endPort;
    else problems.wrongType(`${path}.endPort`, port.endPort, 'an integer');
  }

  const value = port.port;
  if (value === undefined || value === null) {
    if (endPort !== undefined) problems.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is not specified');
  } else if (typeof value === 'number') {
    if (!isInt32(value)) {
      problems.wrongType(`${path}.port`, value, 'an integer or a port name');
      return;
    }
    const problem = checkPortNumber(value);
    if (problem) problems.invalid(`${path}.port`, value, problem);
    if (endPort !== undefined) {
      if (endPort < value) problems.invalid(`${path}.endPort`, endPort, `must be greater than or equal to \`port\` (${value})`);
      const endProblem = checkPortNumber(endPort);
      if (endProblem) problems.invalid(`${path}.endPort`, endPort, endProblem);
    }
  } else if (typeof value === 'string') {
    // A numeric string such as "80" is a port *name* to the API server, and an invalid one.
    if (endPort !== undefined) problems.invalid(`${path}.endPort`, endPort, 'may not be specified when `port` is non-numeric');
    const problem = checkPortName(value);
    if (problem) problems.invalid(`${path}.port`, value, `port name ${problem}`);
  } else {
    problems.wrongType(`${path}.port`, value, 'an integer or a port name');
  }
}

function validatePeer(problems: Problems, path: string, peer: any): void {
  // A null entry decodes to an empty peer, which names nothing.
  const p = peer ?? {};
  if (!problems.expectObject(path, p, 'NetworkPolicyPeer')) return;
  problems.unknownFields(path, p, 'NetworkPolicyPeer');
  const present = (field: string) => p[field] !== undefined && p[field] !== null;
  if (present('podSelector')) validateLabelSelector(problems, `${path}.podSelector`, p.podSelector);
  if (present('namespaceSelector')) validateLabelSelector(problems, `${path}.namespaceSelector`, p.namespaceSelector);
  if (present('ipBlock')) validateIpBlock(problems, `${path}.ipBlock`, p.ipBlock);

  const count = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(present).length;
  if (count === 0) {
    problems.required(path, 'must specify a peer (podSelector, namespaceSelector or ipBlock)');
  } else if (count > 1 && present('ipBlock')) {
    problems.forbidden(path, 'may not specify both ipBlock and another peer; put the ipBlock in a peer entry of its own');
  }
}

function validateIpBlock(problems: Problems, path: string, block: any): void {
  if (!problems.expectObject(path, block, 'IPBlock')) return;
  problems.unknownFields(path, block, 'IPBlock');
  const text = problems.expectString(`${path}.cidr`, block.cidr);
  if (text === undefined || text === '') {
    if (block.cidr === undefined || block.cidr === null || block.cidr === '') problems.required(`${path}.cidr`, 'an ipBlock needs a cidr');
    return;
  }
  const cidr = parseCidrOrReport(problems, `${path}.cidr`, text);
  if (!cidr) return;
  problems.expectArray(`${path}.except`, block.except).forEach((entry, i) => {
    const exceptText = problems.expectString(`${path}.except[${i}]`, entry);
    if (exceptText === undefined) return;
    const except = parseCidrOrReport(problems, `${path}.except[${i}]`, exceptText);
    if (!except) return;
    const problem = checkExcept(cidr, except);
    if (problem) problems.invalid(`${path}.except[${i}]`, exceptText, problem);
  });
}

function parseCidrOrReport(problems: Problems, path: string, text: string): ParsedCidr | undefined {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') {
    problems.invalid(path, text, `not a valid CIDR: ${parsed}`);
    return undefined;
  }
  return parsed;
}

function validateLabelSelector(problems: Problems, path: string, selector: any): void {
  // A missing or null selector decodes to an empty one, which is valid (it selects everything).
  if (selector === undefined || selector === null || !problems.expectObject(path, selector, 'LabelSelector')) return;
  problems.unknownFields(path, selector, 'LabelSelector');
  validateLabels(problems, `${path}.matchLabels`, selector.matchLabels);
  problems.expectArray(`${path}.matchExpressions`, selector.matchExpressions).forEach((expression, i) => {
    validateRequirement(problems, `${path}.matchExpressions[${i}]`, expression);
  });
}

function validateRequirement(problems: Problems, path: string, requirement: any): void {
  // A null entry decodes to an empty requirement, which has neither a key nor an operator.
  const r = requirement ?? {};
  if (!problems.expectObject(path, r, 'LabelSelectorRequirement')) return;
  problems.unknownFields(path, r, 'LabelSelectorRequirement');
  const values = problems.expectArray(`${path}.values`, r.values);
  const operator = problems.expectString(`${path}.operator`, r.operator) ?? '';
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length === 0) problems.required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'");
  } else if (operator === 'Exists' || operator === 'DoesNotExist') {
    if (values.length > 0) problems.forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
  } else {
    problems.unsupported(`${path}.operator`, operator, OPERATORS);
  }
  const key = problems.expectString(`${path}.key`, r.key) ?? '';
  const keyProblem = checkLabelKey(key);
  if (keyProblem) problems.invalid(`${path}.key`, key, `label key ${keyProblem}`);
  values.forEach((value, i) => {
    const text = problems.expectString(`${path}.values[${i}]`, value);
    const problem = text === undefined ? undefined : checkLabelValue(text);
    if (problem) problems.invalid(`${path}.values[${i}]`, text, `label value ${problem}`);
  });
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInt32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31;
}

/** The path of a map entry: `labels.app`, or `labels["app.kubernetes.io/name"]` for keys with dots or slashes. */
function mapEntry(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** Collects messages in the API server's wording. */
class Problems {
  public readonly messages: string[] = [];

  public add(message: string): void {
    this.messages.push(message);
  }

  public invalid(path: string, value: unknown, rule: string): void {
    this.add(`${path}: Invalid value: ${show(value)}: ${rule}`);
  }

  public required(path: string, rule: string): void {
    this.add(`${path}: Required value: ${rule}`);
  }

  public forbidden(path: string, rule: string): void {
    this.add(`${path}: Forbidden: ${rule}`);
  }

  public unsupported(path: string, value: unknown, allowed: string[]): void {
    this.add(`${path}: Unsupported value: ${show(value)}: supported values: ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }

  public wrongType(path: string, value: unknown, expected: string): void {
    this.add(`${path}: Invalid type: ${show(value)}: must be ${expected}`);
  }

  /** Reports fields the object's type does not have (kubectl's strict field validation rejects them). */
  public unknownFields(path: string, obj: Record<string, unknown>, type: keyof typeof FIELDS): void {
    const known = FIELDS[type];
    for (const field of Object.keys(obj)) {
      if (!known.includes(field)) {
        const fieldPath = path ? `${path}.${field}` : field;
        this.add(`${fieldPath}: Unknown field: ${type} has no field '${field}' (it has ${known.join(', ')})`);
      }
    }
  }

  public expectObject(path: string, value: unknown, what: string): value is Record<string, any> {
    if (isObject(value)) return true;
    this.wrongType(path, value, `an object (${what})`);
    return false;
  }

  /** The array, or `[]` when absent or null (as the server decodes it), or after reporting a wrong type. */
  public expectArray(path: string, value: unknown): unknown[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) return value;
    this.wrongType(path, value, 'a list');
    return [];
  }

  /** The string, or undefined when absent or null, or after reporting a wrong type. */
  public expectString(path: string, value: unknown): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    this.wrongType(path, value, 'a string');
    return undefined;
  }
}
