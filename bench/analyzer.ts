/**
 * Analyzer benchmark: the full truth table of one port for generated clusters of 100, 1,000 and
 * 10,000 pods. Each size runs in its own child process under `/usr/bin/time -v` so the peak RSS
 * is the real one.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/analyzer.ts
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/analyzer.ts --one 1000 2000 5   # one size, no table
 *
 * Prints a markdown table: build (read + validate + model), matrix (class-level truth table),
 * probes (every ordered pod pair looked up), total, peak RSS.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Reachability } from '../src/analyzer';
import { Port } from '../src/vocabulary/port';
import { seededRandom } from './seeded-random';

const SEED = 42;
/** pods, policies, most replicas per app (1: no two pods share their app label). */
const SIZES: [number, number, number][] = [[100, 200, 5], [1000, 2000, 5], [10000, 10000, 5], [10000, 10000, 1]];


interface App { namespace: string; name: string; tier: string; team: string; httpPort: number }

/**
 * A cluster like a real one: namespaces of ~50 pods, apps of 1-5 replicas sharing the app's
 * template labels (plus a per-pod label no policy looks at), a /16 of pod IPs per namespace, and
 * policies of the usual shapes — default deny, DNS egress, app-to-app ingress on a named or
 * numeric port, cross-namespace peers with both selectors, matchExpressions, ipBlocks.
 */
export function generateCluster(podCount: number, policyCount: number, maxReplicas = 5, seed = SEED): any[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const tiers = ['frontend', 'backend', 'data', 'worker'];
  const teams = ['payments', 'search', 'identity', 'platform', 'growth'];
  const namespaceCount = Math.max(2, Math.round(podCount / 50));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `ns-${i}`);
  const objects: any[] = namespaces.map((name, i) => ({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name, labels: { team: teams[i % teams.length], env: i % 3 === 0 ? 'prod' : 'staging' } },
  }));
  objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'dns', ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }] }] } });

  const apps: App[] = [];
  let pods = 1;
  while (pods < podCount) {
    const ns = Math.floor((pods / podCount) * namespaceCount);
    const app: App = { namespace: namespaces[ns], name: `app-${apps.length}`, tier: pick(tiers), team: pick(teams), httpPort: pick([80, 8080, 8080, 8080]) };
    apps.push(app);
    const replicas = Math.min(podCount - pods, 1 + Math.floor(rnd() * maxReplicas));
    for (let r = 0; r < replicas; r++, pods++) {
      objects.push({
        apiVersion: 'v1', kind: 'Pod',
        metadata: {
          name: `${app.name}-${r}`, namespace: app.namespace,
          labels: { 'app': app.name, 'tier': app.tier, 'team': app.team, 'pod-template-hash': `h${apps.length}`, 'replica': `${app.name}-${r}` },
        },
        spec: { containers: [{ name: 'main', ports: [{ name: 'http', containerPort: app.httpPort }, { name: 'metrics', containerPort: 9090 }] }] },
        status: { podIP: `10.${ns}.${(pods >> 8) & 255}.${pods & 255}` },
      });
    }
  }

  const policy = (namespace: string, name: string, spec: any): any => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });
  const policies: any[] = [];
  for (const ns of namespaces) {
    if (policies.length >= policyCount) break;
    policies.push(policy(ns, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    if (policies.length < policyCount) {
      policies.push(policy(ns, 'allow-dns', {
        podSelector: {}, policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
      }));
    }
  }
  for (let i = 0; policies.length < policyCount; i++) {
    const app = apps[i % apps.length];
    const peerApp = pick(apps);
    const shape = i % 6;
    const name = `${app.name}-rule-${i}`;
    const selected = { matchLabels: { app: app.name } };
    if (shape === 0) {
      // A flow client -> server, written on both sides as the library does.
      policies.push(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': peerApp.namespace } }, podSelector: { matchLabels: { app: peerApp.name } } }], ports: [{ port: 'http' }] }] }));
      if (policies.length < policyCount) {
        policies.push(policy(peerApp.namespace, `${name}-client`, { podSelector: { matchLabels: { app: peerApp.name } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': app.namespace } }, podSelector: selected }], ports: [{ port: 'http' }] }] }));
      }
    } else if (shape === 1) {
      policies.push(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: peerApp.team } }, podSelector: { matchLabels: { tier: 'frontend' } } }], ports: [{ port: app.httpPort }] }] }));
    } else if (shape === 2) {
      policies.push(policy(app.namespace, name, { podSelector: { matchLabels: { tier: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: app.team } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] } }], ports: [{ port: 'http' }, { port: 8080 }] }] }));
    } else if (shape === 3) {
      policies.push(policy(app.namespace, name, { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'data'] }] }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['data'] }] } }], ports: [{ port: 8000, endPort: 8100 }] }] }));
    } else if (shape === 4) {
      const ns = namespaces.indexOf(peerApp.namespace);
      policies.push(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: `10.${ns}.0.0/16`, except: [`10.${ns}.0.0/24`] } }], ports: [{ port: 8080 }] }] }));
    } else {
      policies.push(policy(app.namespace, name, { podSelector: selected, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 'metrics' }] }] }));
    }
  }
  return [...objects, ...policies];
}

function runOne(podCount: number, policyCount: number, maxReplicas: number): void {
  const baselineRss = process.memoryUsage().rss;
  const objects = generateCluster(podCount, policyCount, maxReplicas);
  const t0 = process.hrtime.bigint();
  const reach = Reachability.fromManifests(objects);
  const t1 = process.hrtime.bigint();
  const matrix = reach.matrix(Port.tcp(8080));
  const t2 = process.hrtime.bigint();
  const n = matrix.pods.length;
  let allowed = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (matrix.allowedAt(i, j)) allowed++;
  const t3 = process.hrtime.bigint();
  // A spot check of the fast path against the per-probe evaluator.
  const rnd = seededRandom(7);
  let mismatches = 0;
  for (let k = 0; k < 300; k++) {
    const i = Math.floor(rnd() * n);
    const j = Math.floor(rnd() * n);
    if (matrix.allowedAt(i, j) !== reach.isAllowed(matrix.pods[i], matrix.pods[j], Port.tcp(8080))) mismatches++;
  }
  const ms = (a: bigint, b: bigint): number => Number(b - a) / 1e6;
  const engine = (reach as any).engine;
  process.stdout.write(`${JSON.stringify({
    pods: n, policies: reach.policies.length, classes: engine?.classCount, probes: n * n, allowed,
    countAllowed: matrix.countAllowed(), mismatches,
    buildMs: ms(t0, t1), matrixMs: ms(t1, t2), probesMs: ms(t2, t3),
    baselineRssMb: baselineRss / 2 ** 20, heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  })}\n`);
}

function runAll(): void {
  const rows: string[] = [
    '| pods | policies | replicas/app | classes | probes | allowed | build | matrix | probes (lookup) | analysis total | peak RSS (process) | spot-check mismatches |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const hasTime = fs.existsSync('/usr/bin/time');
  for (const [pods, policies, replicas] of SIZES) {
    const args = ['-r', 'ts-node/register/transpile-only', __filename, '--one', String(pods), String(policies), String(replicas)];
    const child = hasTime
      ? spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' }, maxBuffer: 1 << 24 })
      : spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' }, maxBuffer: 1 << 24 });
    if (child.status !== 0) throw new Error(`size ${pods} failed:\n${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!);
    const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(child.stderr ?? '');
    const peakMb = peak ? `${Math.round(Number(peak[1]) / 1024)} MB` : 'n/a';
    const fmt = (x: number): string => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
    rows.push(`| ${r.pods.toLocaleString('en')} | ${r.policies.toLocaleString('en')} | ${replicas === 1 ? '1' : `1-${replicas}`} | ${r.classes.toLocaleString('en')} | ${r.probes.toLocaleString('en')} | ${r.allowed.toLocaleString('en')} | ${fmt(r.buildMs)} | ${fmt(r.matrixMs)} | ${fmt(r.probesMs)} | ${fmt(r.buildMs + r.matrixMs + r.probesMs)} | ${peakMb} (baseline ${Math.round(r.baselineRssMb)} MB) | ${r.mismatches} |`);
    if (r.allowed !== r.countAllowed) throw new Error(`size ${pods}: countAllowed ${r.countAllowed} differs from the enumeration ${r.allowed}`);
  }
  process.stdout.write(`Analyzer: full truth table of 8080/TCP (seed ${SEED}, node ${process.version})\n\n${rows.join('\n')}\n`);
}

const oneAt = process.argv.indexOf('--one');
if (require.main !== module) {
  // Imported for its generator.
} else if (oneAt >= 0) runOne(Number(process.argv[oneAt + 1]), Number(process.argv[oneAt + 2]), Number(process.argv[oneAt + 3] ?? 5));
else runAll();
