/**
 * A seeded generator of realistic network intents, and the NetworkPolicies a careful person would
 * write by hand for them (the "raw" and "floor" approaches build from those).
 *
 * Shape: namespaces of 20 workloads each (`team-0000`, ...). Every namespace is default-deny for
 * ingress and egress with DNS to kube-dns kept; every workload accepts connections on its service
 * port from 1-3 other workloads, mostly of its own namespace (85%), otherwise of another namespace.
 * Every flow is allowed on both sides (the destination's ingress and the source's egress), since
 * both are isolated.
 */
import { seededRandom } from './seeded-random';

/** One workload: the pods labelled `app: <name>` in `namespace`, serving `port`/TCP. */
export interface WorkloadSpec {
  readonly namespace: string;
  readonly name: string;
  readonly port: number;
}

/** `from` may connect to `to` on `to.port`. */
export interface Grant {
  readonly from: WorkloadSpec;
  readonly to: WorkloadSpec;
}

export interface Intent {
  readonly namespaces: string[];
  readonly workloads: WorkloadSpec[];
  readonly grants: Grant[];
}

export const WORKLOADS_PER_NAMESPACE = 20;
const SAME_NAMESPACE = 0.85;

/** Roles of a typical namespace and the port each serves. */
const ROLES: [string, number][] = [
  ['web', 8080], ['api', 8080], ['auth', 8443], ['cart', 8080], ['catalog', 8080],
  ['checkout', 8080], ['payments', 8443], ['orders', 9090], ['search', 9200], ['users', 9090],
  ['notify', 8080], ['billing', 8443], ['reports', 8080], ['gateway', 443], ['worker', 9091],
  ['scheduler', 9091], ['cache', 6379], ['db', 5432], ['queue', 5672], ['metrics', 9100],
];


/** The intent for `n` workloads (a multiple of 20), the same for the same seed. */
export function generateIntent(n: number, seed: number): Intent {
  if (n % WORKLOADS_PER_NAMESPACE !== 0) throw new Error(`n=${n}: use a multiple of ${WORKLOADS_PER_NAMESPACE}`);
  const rand = seededRandom(seed);
  const pick = (k: number) => Math.floor(rand() * k);
  const namespaces: string[] = [];
  const workloads: WorkloadSpec[] = [];
  const byNamespace: WorkloadSpec[][] = [];
  for (let i = 0; i < n / WORKLOADS_PER_NAMESPACE; i++) {
    const namespace = `team-${String(i).padStart(4, '0')}`;
    namespaces.push(namespace);
    const members = ROLES.map(([role, port]) => ({ namespace, name: role, port }));
    byNamespace.push(members);
    workloads.push(...members);
  }
  const grants: Grant[] = [];
  for (let ns = 0; ns < byNamespace.length; ns++) {
    for (const to of byNamespace[ns]) {
      const count = 1 + pick(3);
      const sources = new Set<WorkloadSpec>();
      while (sources.size < count) {
        const other = byNamespace.length > 1 && rand() >= SAME_NAMESPACE
          ? (ns + 1 + pick(byNamespace.length - 1)) % byNamespace.length
          : ns;
        const from = byNamespace[other][pick(WORKLOADS_PER_NAMESPACE)];
        if (from !== to) sources.add(from);
      }
      for (const from of sources) grants.push({ from, to });
    }
  }
  return { namespaces, workloads, grants };
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** A hand-written NetworkPolicy manifest, as a plain object. */
export interface Manifest {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  metadata: { name: string; namespace: string };
  spec: any;
}

/**
 * The policies a careful person writes for `intent`: per namespace one default-deny policy that keeps
 * DNS, per workload one policy with its ingress and egress, peers with the same ports merged into one
 * rule. Written to match our constructs' output byte for byte (same names, same order of rules and
 * peers), which the benchmark checks.
 */
export function handWrittenPolicies(intent: Intent): Manifest[] {
  const manifests: Manifest[] = [];
  const ingress = new Map<WorkloadSpec, WorkloadSpec[]>();
  const egress = new Map<WorkloadSpec, WorkloadSpec[]>();
  for (const { from, to } of intent.grants) {
    push(ingress, to, from);
    push(egress, from, to);
  }
  for (const namespace of intent.namespaces) {
    manifests.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'all-pods-netpol', namespace },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        egress: [{
          to: [{ namespaceSelector: { matchLabels: { [NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'TCP', port: 53 }, { protocol: 'UDP', port: 53 }],
        }],
      },
    });
  }
  for (const workload of intent.workloads) {
    const sources = ingress.get(workload) ?? [];
    const destinations = egress.get(workload) ?? [];
    if (sources.length === 0 && destinations.length === 0) continue;
    const spec: any = {
      podSelector: { matchLabels: { app: workload.name } },
      policyTypes: [...(sources.length > 0 ? ['Ingress'] : []), ...(destinations.length > 0 ? ['Egress'] : [])],
    };
    if (sources.length > 0) spec.ingress = rules(workload.namespace, 'from', sources.map((s) => [s, workload.port]));
    if (destinations.length > 0) spec.egress = rules(workload.namespace, 'to', destinations.map((d) => [d, d.port]));
    manifests.push({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${workload.name}-netpol`, namespace: workload.namespace },
      spec,
    });
  }
  return manifests;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** One rule per port, ordered by port; peers ordered by namespace, then name. */
function rules(namespace: string, side: 'from' | 'to', peers: [WorkloadSpec, number][]): any[] {
  const byPort = new Map<number, WorkloadSpec[]>();
  for (const [peer, port] of peers) push(byPort, port, peer);
  return [...byPort.keys()].sort((a, b) => a - b).map((port) => ({
    [side]: byPort.get(port)!
      .sort((a, b) => (a.namespace === b.namespace ? compare(a.name, b.name) : compare(a.namespace, b.namespace)))
      .map((peer) => peerEntry(namespace, peer)),
    ports: [{ protocol: 'TCP', port }],
  }));
}

function peerEntry(policyNamespace: string, peer: WorkloadSpec): any {
  const podSelector = { matchLabels: { app: peer.name } };
  return peer.namespace === policyNamespace ? { podSelector } : { namespaceSelector: { matchLabels: { [NAME_LABEL]: peer.namespace } }, podSelector };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
