/**
 * The command line at scale: wall time and peak RSS of `analyze --output json`, `diff` (1% of the
 * policies changed, `--output json`), `probe --port 8080` (text) and `exposure --output json`, each in its own process under
 * `/usr/bin/time -v`, output to /dev/null, on the manifests of `workload-cluster.ts` (N Deployments,
 * P NetworkPolicies); then the synth cost of `NetworkPolicyGuardrails`: the same app (our
 * constructs plus a Deployment per workload) synthesized with and without them, interleaved.
 *
 *   npx projen compile && npx tsc -p bench/tsconfig.json
 *   node bench/.cache/build/bench/cli-bench.js [--sizes 1000:1000,5000:5000] [--synth 10000] [--synth-runs 3]
 *
 * Default sizes: 1,000:1,000, 5,000:5,000, 10,000:10,000 and 50,000:20,000 (workloads:policies).
 * Prints markdown tables. Uses the compiled CLI (`bin/cdk8s-netpol.js` → `lib/`).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { changePolicies, generateWorkloadCluster, writeCluster } from './workload-cluster';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'bin', 'cdk8s-netpol.js');
const SYNTH = path.join(__dirname, 'synth.js');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Run {
  readonly seconds: number;
  readonly peakMb: number;
  readonly code: number | null;
  readonly error?: string;
}

/** Runs node with arguments under /usr/bin/time -v, stdout to /dev/null. */
function timed(args: string[]): Run {
  const devNull = fs.openSync('/dev/null', 'w');
  try {
    const child = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], {
      stdio: ['ignore', devNull, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26,
    });
    const stderr = child.stderr ?? '';
    const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(stderr);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
    const code = /Exit status: (\d+)/.exec(stderr);
    const exit = code ? Number(code[1]) : child.status;
    const error = exit !== 0 ? stderr.split('\n').find((l) => /error|Error|heap/.test(l)) ?? `exit ${exit}` : undefined;
    return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : NaN, code: exit, error };
  } finally {
    fs.closeSync(devNull);
  }
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function cliTable(sizes: [number, number][]): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-cli-bench-'));
  const rows = [
    '| workloads | policies | command | wall s | peak RSS MB | µs per workload |',
    '| ---: | ---: | --- | ---: | ---: | ---: |',
  ];
  try {
    for (const [workloads, policies] of sizes) {
      const oldDir = path.join(dir, `old-${workloads}`);
      const newDir = path.join(dir, `new-${workloads}`);
      const cluster = generateWorkloadCluster(workloads, policies);
      writeCluster(cluster, oldDir);
      writeCluster(changePolicies(cluster), newDir);
      const commands: [string, string[]][] = [
        ['analyze --output json', ['analyze', oldDir, '--output', 'json', '--fail-on', 'never']],
        ['diff --output json', ['diff', oldDir, newDir, '--output', 'json']],
        ['probe --port 8080', ['probe', oldDir, '--port', '8080']],
        ['exposure --output json', ['exposure', oldDir, '--output', 'json']],
      ];
      for (const [name, args] of commands) {
        const run = timed([CLI, ...args]);
        const cells = run.error
          ? `${fmt(run.seconds, 1)} | ${fmt(run.peakMb)} | failed: ${run.error.trim()}`
          : `${fmt(run.seconds, 1)} | ${fmt(run.peakMb)} | ${fmt((run.seconds * 1e6) / workloads)}`;
        rows.push(`| ${fmt(workloads)} | ${fmt(cluster.policies)} | \`${name}\` | ${cells} |`);
        process.stderr.write(`${rows[rows.length - 1]}\n`);
      }
      fs.rmSync(oldDir, { recursive: true, force: true });
      fs.rmSync(newDir, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`CLI on generated Deployments (seed 42, node ${process.version}); output to /dev/null\n\n${rows.join('\n')}\n\n`);
}

function synthTable(workloads: number, runs: number): void {
  const results: Record<string, { totalMs: number; peakRssMb: number }[]> = { 'ours-app': [], 'ours-app-guardrails': [] };
  for (let r = 0; r < runs; r++) {
    for (const approach of r % 2 === 0 ? ['ours-app', 'ours-app-guardrails'] : ['ours-app-guardrails', 'ours-app']) {
      const child = spawnSync(process.execPath, [SYNTH, approach, String(workloads)], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (child.status !== 0) throw new Error(`${approach} at ${workloads} failed:\n${child.stderr}`);
      results[approach].push(JSON.parse(child.stdout.trim().split('\n').pop()!));
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const off = median(results['ours-app'].map((m) => m.totalMs));
  const on = median(results['ours-app-guardrails'].map((m) => m.totalMs));
  const rss = (k: string): number => median(results[k].map((m) => m.peakRssMb));
  process.stdout.write([
    `Synth of ${fmt(workloads)} workloads (our constructs plus a Deployment each), median of ${runs} runs, interleaved`,
    '',
    '| guardrails | build + synth ms | peak RSS MB |',
    '| --- | ---: | ---: |',
    `| off | ${fmt(off)} | ${fmt(rss('ours-app'))} |`,
    `| on | ${fmt(on)} | ${fmt(rss('ours-app-guardrails'))} |`,
    `| on / off | ${fmt(on / off, 2)} | |`,
    '',
  ].join('\n'));
}

const sizes: [number, number][] = (option('--sizes') ?? '1000:1000,5000:5000,10000:10000,50000:20000')
  .split(',').filter((s) => s !== '').map((s) => s.split(':').map(Number) as [number, number]);
if (sizes.length > 0 && option('--sizes') !== '') cliTable(sizes);
const synthAt = Number(option('--synth') ?? 10000);
if (synthAt > 0) synthTable(synthAt, Number(option('--synth-runs') ?? 3));
