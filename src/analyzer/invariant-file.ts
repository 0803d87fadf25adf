import * as fs from 'fs';
import { load } from 'js-yaml';
import { ManifestError } from './cluster-model';
import { DeclaredFlowSpec, EndpointSpec, FlowSpec, InvariantSpec, InvariantsFileSpec } from '../vocabulary/invariant';
import { checkPortName, checkPortNumber, parseCidr } from '../vocabulary/k8s-rules';

/**
 * Reads the invariants file of `cdk8s-netpol analyze --invariants` (YAML or JSON; the schema is
 * `schemas/invariants.schema.json` in the package):
 *
 *   invariants:
 *     - name: the frontend never reaches the database
 *       allowed: never                      # or always
 *       from: [{ namespace: shop, podSelector: { matchLabels: { app: web } } }]
 *       to: [{ namespace: shop, podSelector: { matchLabels: { app: db } } }]
 *       ports: [{ protocol: TCP, port: 5432 }]   # left out: every port
 *       # a side may also name a DNS name ({ fqdn: api.stripe.com }, { fqdn: '*.example.com' }) or
 *       # the API server ({ kubeApiServer: true }), as CiliumNetworkPolicy selects them
 *       except: [{ to: [...], ports: [...] }]    # never only: flows left out
 *
 * Every problem is an error naming the file and the field.
 */

/**
 * Reads and checks an invariants file.
 * @internal
 */
export function readInvariantsFile(file: string): InvariantsFileSpec {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new ManifestError({ file }, e?.code === 'ENOENT' ? 'no such invariants file' : `cannot read it (${e?.message ?? e})`);
  }
  let value: any;
  try {
    value = load(text);
  } catch (e: any) {
    throw new ManifestError({ file }, `is not valid YAML: ${String(e?.message ?? e).split('\n')[0]}`);
  }
  return readInvariants(value, file);
}

/**
 * Checks parsed invariants (the file's content).
 * @internal
 */
export function readInvariants(value: any, file?: string): InvariantsFileSpec {
  const fail = (where: string, problem: string): never => {
    throw new ManifestError({ file }, `${where}: ${problem} (see schemas/invariants.schema.json in the cdk8s-netpol package)`);
  };
  if (!isObject(value) || !Array.isArray(value.invariants)) fail('the file', "needs a list 'invariants'");
  onlyKeys(value, ['invariants', 'flows', 'namespaces'], 'the file', fail);
  let namespaces: string[] | undefined;
  if (value.namespaces !== undefined) {
    if (!Array.isArray(value.namespaces) || value.namespaces.some((n: any) => typeof n !== 'string' || n === '')) fail('namespaces', 'must be a list of namespace names');
    namespaces = value.namespaces;
  }
  let flows: DeclaredFlowSpec[] | undefined;
  if (value.flows !== undefined) {
    if (!Array.isArray(value.flows)) fail('flows', 'must be a list');
    flows = value.flows.map((raw: any, i: number) => {
      const where = `flows[${i}]`;
      if (!isObject(raw)) fail(where, 'must be a mapping with from, to, ports');
      onlyKeys(raw, ['from', 'to', 'ports', 'declaredBy'], where, fail);
      if (raw.from === undefined || raw.to === undefined) fail(where, "a flow needs 'from' and 'to'");
      if (raw.declaredBy !== undefined && (!Array.isArray(raw.declaredBy) || raw.declaredBy.some((d: any) => typeof d !== 'string'))) fail(`${where}.declaredBy`, 'must be a list of construct paths');
      return { ...readFlow(raw, where, fail), ...(raw.declaredBy ? { declaredBy: raw.declaredBy } : {}) };
    });
  }
  return { invariants: readInvariantList(value.invariants, fail), ...(flows ? { flows } : {}), ...(namespaces ? { namespaces } : {}) };
}

function readInvariantList(list: any[], fail: Fail): InvariantSpec[] {
  return list.map((raw: any, i: number): InvariantSpec => {
    const where = `invariants[${i}]`;
    if (!isObject(raw)) fail(where, 'must be a mapping with name, allowed, from, to, ports');
    onlyKeys(raw, ['name', 'allowed', 'from', 'to', 'ports', 'except', 'declaredBy'], where, fail);
    if (typeof raw.name !== 'string' || raw.name.trim() === '') fail(`${where}.name`, 'must be a non-empty string saying what the invariant guarantees');
    if (raw.allowed !== 'never' && raw.allowed !== 'always') fail(`${where}.allowed`, `must be 'never' or 'always', got ${JSON.stringify(raw.allowed)}`);
    if (raw.allowed === 'always') {
      if (raw.from === undefined || raw.to === undefined) fail(where, "an 'always' invariant needs 'from' and 'to'");
      if (raw.except !== undefined) fail(`${where}.except`, "only a 'never' invariant leaves flows out");
    }
    if (raw.declaredBy !== undefined && typeof raw.declaredBy !== 'string') fail(`${where}.declaredBy`, 'must be a string');
    const flow = readFlow(raw, where, fail);
    const except = raw.except === undefined ? undefined : Array.isArray(raw.except)
      ? raw.except.map((e: any, k: number) => {
        if (!isObject(e)) fail(`${where}.except[${k}]`, 'must be a mapping with from, to, ports');
        onlyKeys(e, ['from', 'to', 'ports'], `${where}.except[${k}]`, fail);
        return readFlow(e, `${where}.except[${k}]`, fail);
      })
      : fail(`${where}.except`, 'must be a list');
    const declaredBy = raw.declaredBy !== undefined ? { declaredBy: raw.declaredBy } : {};
    return { name: raw.name, allowed: raw.allowed, ...flow, ...(except ? { except } : {}), ...declaredBy };
  });
}

type Fail = (where: string, problem: string) => never;

function isObject(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function onlyKeys(value: any, keys: string[], where: string, fail: Fail): void {
  for (const key of Object.keys(value)) if (!keys.includes(key)) fail(where, `unknown field '${key}' (known: ${keys.join(', ')})`);
}

function readFlow(raw: any, where: string, fail: Fail): FlowSpec {
  const side = (name: 'from' | 'to'): EndpointSpec[] | undefined => {
    const list = raw[name];
    if (list === undefined) return undefined;
    if (!Array.isArray(list) || list.length === 0) fail(`${where}.${name}`, 'must be a non-empty list (leave it out for anything)');
    return list.map((e: any, i: number) => readEndpoint(e, `${where}.${name}[${i}]`, fail));
  };
  const from = side('from');
  const to = side('to');
  let ports: any[] | undefined;
  if (raw.ports !== undefined) {
    if (!Array.isArray(raw.ports) || raw.ports.length === 0) fail(`${where}.ports`, 'must be a non-empty list (leave it out for every port)');
    ports = raw.ports.map((p: any, i: number) => readPort(p, `${where}.ports[${i}]`, fail));
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(ports ? { ports } : {}) };
}

function readEndpoint(raw: any, where: string, fail: Fail): EndpointSpec {
  if (!isObject(raw)) fail(where, 'must be a mapping: { namespace, podSelector }, { namespaceSelector, podSelector }, { ipBlock }, { fqdn } or { kubeApiServer: true }');
  onlyKeys(raw, ['namespace', 'podSelector', 'namespaceSelector', 'ipBlock', 'fqdn', 'kubeApiServer'], where, fail);
  if (raw.fqdn !== undefined || raw.kubeApiServer !== undefined) {
    if (Object.keys(raw).length > 1) fail(where, `${raw.fqdn !== undefined ? 'fqdn' : 'kubeApiServer'} stands alone`);
    if (raw.kubeApiServer !== undefined && raw.kubeApiServer !== true) fail(`${where}.kubeApiServer`, 'must be true');
    if (raw.fqdn !== undefined && (typeof raw.fqdn !== 'string' || raw.fqdn === '')) fail(`${where}.fqdn`, "must be a DNS name or a pattern '*.domain'");
    return raw;
  }
  if (raw.ipBlock !== undefined) {
    if (Object.keys(raw).length > 1) fail(where, 'an ipBlock stands alone');
    if (!isObject(raw.ipBlock) || typeof raw.ipBlock.cidr !== 'string') fail(`${where}.ipBlock`, "needs a 'cidr'");
    onlyKeys(raw.ipBlock, ['cidr', 'except'], `${where}.ipBlock`, fail);
    for (const cidr of [raw.ipBlock.cidr, ...(raw.ipBlock.except ?? [])]) {
      const parsed = parseCidr(String(cidr));
      if (typeof parsed === 'string') fail(`${where}.ipBlock`, `CIDR '${cidr}' ${parsed}`);
    }
    return { ipBlock: { cidr: raw.ipBlock.cidr, ...(raw.ipBlock.except ? { except: raw.ipBlock.except.map(String) } : {}) } };
  }
  if (raw.namespace === undefined && raw.namespaceSelector === undefined) {
    fail(where, "give 'namespace' (pods of that namespace) or 'namespaceSelector' (pods of the namespaces it selects)");
  }
  if (raw.namespace !== undefined && raw.namespaceSelector !== undefined) fail(where, "give 'namespace' or 'namespaceSelector', not both");
  if (raw.namespace !== undefined && (typeof raw.namespace !== 'string' || raw.namespace === '')) fail(`${where}.namespace`, 'must be a namespace name');
  for (const key of ['podSelector', 'namespaceSelector']) if (raw[key] !== undefined) checkSelector(raw[key], `${where}.${key}`, fail);
  return raw;
}

function checkSelector(raw: any, where: string, fail: Fail): void {
  if (!isObject(raw)) fail(where, 'must be a label selector: { matchLabels, matchExpressions }');
  onlyKeys(raw, ['matchLabels', 'matchExpressions'], where, fail);
  if (raw.matchLabels !== undefined && !isObject(raw.matchLabels)) fail(`${where}.matchLabels`, 'must be a map of labels');
  for (const [i, e] of (raw.matchExpressions ?? []).entries()) {
    if (!isObject(e) || typeof e.key !== 'string' || !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) {
      fail(`${where}.matchExpressions[${i}]`, 'needs a key and an operator In, NotIn, Exists or DoesNotExist');
    }
  }
}

function readPort(raw: any, where: string, fail: Fail): any {
  if (!isObject(raw)) fail(where, 'must be a mapping: { protocol, port, endPort }');
  onlyKeys(raw, ['protocol', 'port', 'endPort'], where, fail);
  const protocol = raw.protocol ?? 'TCP';
  if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) fail(`${where}.protocol`, `must be TCP, UDP or SCTP, got ${JSON.stringify(raw.protocol)}`);
  if (typeof raw.port === 'number') {
    const problem = checkPortNumber(raw.port);
    if (problem) fail(`${where}.port`, `${raw.port}: a port ${problem}`);
  } else if (typeof raw.port === 'string') {
    const problem = checkPortName(raw.port);
    if (problem) fail(`${where}.port`, `'${raw.port}' ${problem}`);
  } else if (raw.port !== undefined) {
    fail(`${where}.port`, 'must be a number or a container port name');
  }
  if (raw.endPort !== undefined && (typeof raw.port !== 'number' || typeof raw.endPort !== 'number' || raw.endPort < raw.port)) {
    fail(`${where}.endPort`, 'needs a numeric port and must not be below it');
  }
  return { protocol, ...(raw.port !== undefined ? { port: raw.port } : {}), ...(raw.endPort !== undefined ? { endPort: raw.endPort } : {}) };
}
