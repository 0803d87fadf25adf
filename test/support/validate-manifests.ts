/**
 * Validation of every manifest a test synthesizes: the Kubernetes JSON schema (from
 * `kubernetes-models`, not hand-written) plus, for NetworkPolicies, the API server's own rules
 * (`validateNetworkPolicy`). Construct tests call `synthValid(chart)` instead of `Testing.synth`.
 *
 * Which Kubernetes the schema is: kubernetes-models 4.5.1 was generated from the Kubernetes
 * v1.33.0 OpenAPI spec (its CHANGELOG: 4.5.0 "Update schema version to v1.33.0"; 4.5.1 only bumps
 * a dependency; the README's 1.27.1 badge is stale), merged with older specs so removed APIs stay
 * available. The package itself shows it: `Lifecycle.stopSignal` and networking.k8s.io/v1
 * `ServiceCIDR`/`IPAddress` (new in 1.33) are there, 1.34's `ContainerRestartRule` is not.
 * Against Kubernetes 1.28, for the kinds we validate:
 * - NetworkPolicySpec, NetworkPolicyPort, NetworkPolicyPeer, IPBlock and LabelSelector have the
 *   same fields, types and required fields as in 1.28 (`endPort` is GA since 1.25), plus the
 *   `protocol` (TCP/UDP/SCTP) and `policyTypes` (Ingress/Egress) enums. NetworkPolicy has no
 *   `status` here; whether 1.28's spec still listed the short-lived alpha status field was not
 *   checked, and does not matter: we never write one.
 * - Pod and the workload kinds (PodSpec, Container, ...) are a superset of 1.28: fields added
 *   later (e.g. `PodSpec.resources` 1.32, `Lifecycle.sleep` 1.29, `Lifecycle.stopSignal` 1.33,
 *   image volumes 1.31) pass this schema although a 1.28 server would not know them.
 * - Like every Kubernetes OpenAPI schema it does not forbid unknown fields and does not encode the
 *   server's value rules (names, label syntax, port ranges, CIDRs); `validateNetworkPolicy` covers
 *   those, and unknown fields, for NetworkPolicies.
 */
import { App, Chart, Testing } from 'cdk8s';
import { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Pod, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { validateNetworkPolicy } from '../../src/analyzer/validate-network-policy';

/** A kubernetes-models class: built from a plain object, `validate()` throws on schema errors. */
type ModelClass = { apiVersion: string; kind: string; new (data: any): { validate(): void } };

const MODELS: ModelClass[] = [
  NetworkPolicy, Ingress,
  Namespace, Pod, Service, ConfigMap, Secret, ServiceAccount, PersistentVolumeClaim,
  Deployment, StatefulSet, DaemonSet, ReplicaSet,
  Job, CronJob,
];
const MODEL_BY_TYPE = new Map(MODELS.map((model) => [`${model.apiVersion}/${model.kind}`, model]));

/** Kinds whose schema is a CRD of ../shared/crds, which only the *.shared.ts tests read, and whether they are namespaced. */
const CRD_KINDS = new Map<string, boolean>([
  ['cilium.io/v2/CiliumNetworkPolicy', true],
  ['policy.networking.k8s.io/v1alpha2/ClusterNetworkPolicy', false],
  ['policy.networking.k8s.io/v1alpha1/AdminNetworkPolicy', false],
  ['policy.networking.k8s.io/v1alpha1/BaselineAdminNetworkPolicy', false],
]);

/** What can be checked of a CRD kind without its schema: the object's name, its namespace (none for a cluster-scoped kind). */
function crdFreeProblems(obj: any): string[] {
  const namespaced = CRD_KINDS.get(`${obj.apiVersion}/${obj.kind}`)!;
  const problems: string[] = [];
  if (typeof obj.metadata?.name !== 'string' || obj.metadata.name === '') problems.push('metadata.name: missing');
  if (namespaced && (typeof obj.metadata?.namespace !== 'string' || obj.metadata.namespace === '')) problems.push('metadata.namespace: missing');
  if (!namespaced && obj.metadata?.namespace !== undefined) problems.push(`metadata.namespace: set (${obj.metadata.namespace}) on a cluster-scoped kind`);
  if (typeof obj.spec !== 'object' || obj.spec === null) problems.push('spec: missing');
  return problems;
}

/** Options of {@link manifestProblems} and {@link expectValidManifests}. */
export interface ManifestValidationOptions {
  /**
   * Accept NetworkPolicies without `metadata.namespace`. Everything this library writes must
   * name its namespace, so only tests of foreign manifests should set this.
   * @default false
   */
  readonly allowMissingNamespace?: boolean;
}

/** The schema errors of one object, as `<field path>: <message>`; unknown kinds are an error. */
export function schemaProblems(obj: any): string[] {
  const model = MODEL_BY_TYPE.get(`${obj?.apiVersion}/${obj?.kind}`);
  // Their schemas are CRDs kept beside the project: the *.shared.ts tests check them (crd-schema.ts).
  if (CRD_KINDS.has(`${obj?.apiVersion}/${obj?.kind}`)) return crdFreeProblems(obj);
  if (!model) {
    return [`no schema for apiVersion ${JSON.stringify(obj?.apiVersion)} kind ${JSON.stringify(obj?.kind)}; `
      + `known: ${[...MODEL_BY_TYPE.keys()].join(', ')} (add the kubernetes-models class to MODELS in test/support/validate-manifests.ts)`];
  }
  try {
    new model(obj).validate();
    return [];
  } catch (error: any) {
    if (!Array.isArray(error?.errors)) throw error;
    return error.errors.map((e: any) => {
      const { path, value } = locate(obj, e.instancePath);
      const allowed = e.keyword === 'enum' ? ` ${e.params.allowedValues.map((v: unknown) => JSON.stringify(v)).join(', ')}` : '';
      return `${path}: ${e.message}${allowed} (got ${abbreviate(JSON.stringify(value))})`;
    });
  }
}

/** Every problem of one object: schema, then (for NetworkPolicies) the API server's rules. */
export function manifestProblems(obj: any, options: ManifestValidationOptions = {}): string[] {
  const problems = schemaProblems(obj);
  if (obj?.apiVersion === NetworkPolicy.apiVersion && obj?.kind === NetworkPolicy.kind) {
    problems.push(...validateNetworkPolicy(obj, { requireNamespace: !options.allowMissingNamespace }));
  }
  return problems;
}

/**
 * Throws one error listing every problem of every manifest, each under the object's
 * kind/namespace/name; also rejects two manifests for the same object (the second would silently
 * replace the first on `kubectl apply`).
 */
export function expectValidManifests(manifests: any[], options: ManifestValidationOptions = {}): void {
  const report: string[] = [];
  const seen = new Map<string, number>();
  manifests.forEach((obj, index) => {
    const id = identify(obj);
    const problems = manifestProblems(obj, options);
    const key = `${obj?.apiVersion} ${id}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push(`duplicate of manifest #${first}: both are ${key}`);
    else seen.set(key, index);
    if (problems.length > 0) report.push(`manifest #${index} ${id}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  });
  if (report.length > 0) {
    throw new Error(`${report.length} of ${manifests.length} manifests are invalid for Kubernetes 1.28:\n${report.join('\n')}`);
  }
}

/**
 * `Testing.synth` for a chart (or every chart of an app), then {@link expectValidManifests}.
 * @returns the manifests, for snapshots and further assertions
 */
export function synthValid(scope: Chart | App, options: ManifestValidationOptions = {}): any[] {
  const charts = scope instanceof App ? scope.charts : [scope];
  const manifests = charts.flatMap((chart) => Testing.synth(chart));
  expectValidManifests(manifests, options);
  return manifests;
}

function identify(obj: any): string {
  const kind = obj?.kind ?? '<no kind>';
  const name = obj?.metadata?.name ?? '<no name>';
  const namespace = obj?.metadata?.namespace;
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** Resolves a JSON pointer (`/spec/ingress/0/ports/0/port`) to `spec.ingress[0].ports[0].port` and its value. */
function locate(obj: any, pointer: string): { path: string; value: unknown } {
  if (!pointer) return { path: '<root>', value: obj };
  let node = obj;
  let path = '';
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) path += `[${segment}]`;
    else if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) path += `[${JSON.stringify(segment)}]`;
    else path += path ? `.${segment}` : segment;
    node = node?.[segment];
  }
  return { path, value: node };
}

function abbreviate(text: string | undefined): string {
  if (text === undefined) return 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
