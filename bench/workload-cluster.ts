/**
 * Seeded generator of what `cdk8s-netpol` reads at scale: N Deployments (one workload row each,
 * from its pod template) and P NetworkPolicies, written as YAML files (one per namespace), plus a
 * second version with 1% of the policies changed for `diff`.
 *
 *   node bench/.cache/build/bench/workload-cluster.js DIR N P [--seed S] [--changed DIR2]
 *
 * The shape: namespaces of 100 workloads (team and env labels); every Deployment has labels
 * `app`, `tier`, `team` and a `version` no policy reads, container ports named `http` (80 or 8080),
 * `grpc` (9000) and `metrics` (9090); CoreDNS in kube-system. Per namespace a default deny both
 * ways and DNS egress (1 namespace in 25 has neither: its workloads are open), then policies of
 * mixed shapes until there are P: app-to-app flows on both sides on a named port, ingress from a
 * team's frontends (`matchLabels` on both selectors), frontends' egress to backends
 * (`matchExpressions` In/NotIn/Exists), `endPort` ranges, egress to one of 40 external CIDRs with
 * `except` (and a few `0.0.0.0/0 except 10.0.0.0/8`), metrics scraping from `env=prod` namespaces,
 * and one-sided grants (an ingress the client's egress does not allow: NP020).
 */
import * as fs from 'fs';
import * as path from 'path';
import { dump } from 'js-yaml';
import { seededRandom } from './seeded-random';

/** Workloads per namespace. */
const NAMESPACE_SIZE = 100;
const TIERS = ['frontend', 'backend', 'data', 'worker'];
const TEAMS = ['payments', 'search', 'identity', 'platform', 'growth'];

interface App { readonly namespace: string; readonly ns: number; readonly name: string; readonly tier: string; readonly team: string; readonly httpPort: number }

/** The generated objects, per namespace file (kube-system first). */
export interface GeneratedCluster {
  readonly files: Map<string, any[]>;
  readonly workloads: number;
  readonly policies: number;
}

const policy = (namespace: string, name: string, spec: any): any => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });
const nsPeer = (name: string): any => ({ matchLabels: { 'kubernetes.io/metadata.name': name } });

/** External ranges the policies reach: 40 partner /24s (one address excepted) and the internet. */
function externalCidr(k: number): { cidr: string; except: string[] } {
  if (k % 41 === 40) return { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] };
  const i = k % 41;
  return { cidr: `203.0.${i}.0/24`, except: [`203.0.${i}.7/32`] };
}

/**
 * Generates the cluster.
 * @param workloads Deployments, CoreDNS included
 * @param policyCount NetworkPolicies
 */
export function generateWorkloadCluster(workloads: number, policyCount: number, seed = 42): GeneratedCluster {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const namespaceCount = Math.max(1, Math.ceil((workloads - 1) / NAMESPACE_SIZE));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `ns-${i}`);
  const files = new Map<string, any[]>();
  files.set('kube-system', [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
    deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }]),
  ]);
  namespaces.forEach((name, i) => files.set(name, [{
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { team: TEAMS[i % TEAMS.length], env: i % 3 === 0 ? 'prod' : 'staging' } },
  }]));
  const apps: App[] = [];
  for (let w = 1; w < workloads; w++) {
    const ns = Math.floor((w - 1) / NAMESPACE_SIZE);
    const app: App = { namespace: namespaces[ns], ns, name: `app-${w}`, tier: pick(TIERS), team: pick(TEAMS), httpPort: pick([80, 8080, 8080, 8080]) };
    apps.push(app);
    files.get(app.namespace)!.push(deployment(app.namespace, app.name, { app: app.name, tier: app.tier, team: app.team, version: `v${w % 7}` }, [
      { name: 'http', containerPort: app.httpPort, protocol: 'TCP' },
      { name: 'grpc', containerPort: 9000, protocol: 'TCP' },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ]));
  }
  let count = 0;
  const add = (p: any): void => {
    if (count >= policyCount) return;
    files.get(p.metadata.namespace)!.push(p);
    count++;
  };
  namespaces.forEach((ns, i) => {
    if (i % 25 === 24) return;
    add(policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    add(policy(ns, 'allow-dns', {
      podSelector: {}, policyTypes: ['Egress'],
      egress: [{ to: [{ namespaceSelector: nsPeer('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
    }));
  });
  for (let i = 0; count < policyCount && apps.length > 0; i++) {
    const app = apps[i % apps.length];
    // Peers mostly from the same or a nearby namespace, as teams' services are.
    const near = apps[Math.min(apps.length - 1, Math.max(0, (i % apps.length) + Math.floor((rnd() - 0.5) * 2 * NAMESPACE_SIZE)))];
    const peerApp = rnd() < 0.8 ? near : pick(apps);
    const name = `${app.name}-rule-${i}`;
    const selected = { matchLabels: { app: app.name } };
    const shape = i % 8;
    if (shape === 0 || shape === 1) {
      add(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: nsPeer(peerApp.namespace), podSelector: { matchLabels: { app: peerApp.name } } }], ports: [{ port: 'http' }] }] }));
      add(policy(peerApp.namespace, `${name}-client`, { podSelector: { matchLabels: { app: peerApp.name } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: nsPeer(app.namespace), podSelector: selected }], ports: [{ port: 'http' }] }] }));
    } else if (shape === 2) {
      add(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: peerApp.team } }, podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: app.httpPort }] }] }));
    } else if (shape === 3) {
      add(policy(app.namespace, name, { podSelector: { matchLabels: { app: app.name, tier: app.tier } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: app.team } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }, { key: 'app', operator: 'Exists' }] } }], ports: [{ port: 'grpc' }, { port: 8080 }] }] }));
    } else if (shape === 4) {
      add(policy(app.namespace, name, { podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [app.name, peerApp.name] }] }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['data'] }] } }], ports: [{ port: 8000, endPort: 8100 }, { protocol: 'UDP', port: 5000, endPort: 5100 }] }] }));
    } else if (shape === 5) {
      add(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: externalCidr(Math.floor(rnd() * 41)) }], ports: [{ port: 443 }, { port: 8443, endPort: 8543 }] }] }));
    } else if (shape === 6) {
      add(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } }, podSelector: { matchLabels: { tier: 'worker' } } }], ports: [{ port: 'metrics' }] }] }));
    } else {
      // A grant on one side only: the client's egress is isolated and allows nothing towards it.
      add(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: nsPeer(peerApp.namespace), podSelector: { matchLabels: { app: peerApp.name } } }], ports: [{ port: 'grpc' }] }] }));
    }
  }
  return { files, workloads, policies: count };
}

function deployment(namespace: string, name: string, labels: Record<string, string>, ports: any[]): any {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: `registry.example/${name}:1.0`, ports }] } },
    },
  };
}

/**
 * The same cluster with one policy in `every` changed (the 50th of each hundred for 100), in
 * turn: an extra port on its first rule, no ports on its last rule (every port), or no rules at
 * all (what it allowed closes). A policy without rules is left as it is.
 */
export function changePolicies(cluster: GeneratedCluster, every = 100): GeneratedCluster {
  const files = new Map<string, any[]>();
  let seen = 0;
  let changed = 0;
  for (const [name, objects] of cluster.files) {
    files.set(name, objects.map((o) => {
      if (o.kind !== 'NetworkPolicy' || seen++ % every !== Math.floor(every / 2)) return o;
      const copy = JSON.parse(JSON.stringify(o));
      const rules = copy.spec.ingress ?? copy.spec.egress;
      if (!rules || rules.length === 0) return o;
      changed++;
      if (changed % 3 === 0) rules[0].ports = [...(rules[0].ports ?? []), { port: 7000 + (changed % 100) }];
      else if (changed % 3 === 1) delete rules[rules.length - 1].ports;
      else rules.length = 0;
      return copy;
    }));
  }
  return { ...cluster, files };
}

/** Writes one YAML file per namespace into `dir` (emptied first). */
export function writeCluster(cluster: GeneratedCluster, dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, objects] of cluster.files) {
    fs.writeFileSync(path.join(dir, `${name}.yaml`), objects.map((o) => dump(o, { noRefs: true, lineWidth: -1 })).join('---\n'));
  }
}

if (require.main === module) {
  const [dir, workloadsText, policiesText] = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  if (!dir || !workloadsText || !policiesText) {
    process.stderr.write('usage: workload-cluster.js DIR WORKLOADS POLICIES [--seed S] [--changed DIR2]\n');
    process.exit(2);
  }
  const cluster = generateWorkloadCluster(Number(workloadsText), Number(policiesText), Number(option('--seed') ?? 42));
  writeCluster(cluster, dir);
  const changedDir = option('--changed');
  if (changedDir) writeCluster(changePolicies(cluster), changedDir);
  process.stdout.write(`${JSON.stringify({ workloads: cluster.workloads, policies: cluster.policies })}\n`);
}
