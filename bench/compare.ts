/**
 * Runs every approach at every size, each measurement in a fresh `node` process, rounds interleaved
 * (approach order rotated each round) so that a slow moment of a shared machine hits all approaches
 * alike. Prints markdown tables and writes them, with the raw measurements, to `bench/results/` (quick runs:
 * `bench/.cache/`).
 *
 *   node bench/.cache/build/bench/compare.js            # 100, 1,000, 5,000, 20,000 workloads
 *   BENCH_QUICK=1 node bench/.cache/build/bench/compare.js   # 100, 1,000, 5,000; fewer runs
 *
 * The first round runs with `--verify`: ours, raw-kube, raw-apiobject and the floor must emit the
 * same manifests (same digest), or the benchmark fails.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { APPROACHES } from './approaches';

interface Measurement {
  approach: string;
  workloads: number;
  layout: string;
  grants: number;
  buildMs: number;
  synthMs: number;
  totalMs: number;
  processMs: number;
  peakRssMb: number;
  policies: number;
  bytes: number;
  digest?: string;
  error?: string;
}

const QUICK = process.env.BENCH_QUICK === '1';
const SIZES = QUICK ? [100, 1000, 5000] : [100, 1000, 5000, 20000];
const runsFor = (n: number) => (QUICK ? (n >= 5000 ? 2 : 3) : n >= 20000 ? 3 : 5);
const SAME_OUTPUT = ['ours', 'raw-kube', 'raw-apiobject', 'floor'];
const CHILD = path.join(__dirname, 'synth.js');
/** Full runs are the committed record; quick runs stay in the git-ignored cache. */
const RESULTS = path.join(__dirname, '..', '..', '..', QUICK ? '.cache' : 'results');

function measure(approach: string, workloads: number, layout: string, verify: boolean): Measurement {
  const args = [CHILD, approach, String(workloads), '--layout', layout, ...(verify ? ['--verify'] : [])];
  const start = performance.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const processMs = performance.now() - start;
  if (child.status !== 0) {
    const error = (child.stderr || child.stdout).split('\n').find((l) => /Error/.test(l)) ?? `exit ${child.status}`;
    return { approach, workloads, layout, grants: 0, buildMs: NaN, synthMs: NaN, totalMs: NaN, processMs, peakRssMb: NaN, policies: 0, bytes: 0, error };
  }
  return { ...JSON.parse(child.stdout.trim().split('\n').pop()!), processMs };
}

function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const fmt = (v: number, digits = 0) => (Number.isNaN(v) ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));

function main(): void {
  const all: Measurement[] = [];
  const started = Date.now();
  for (const n of SIZES) {
    const runs = runsFor(n);
    for (let round = 0; round < runs; round++) {
      const order = APPROACHES.map((a) => a.name);
      for (let i = 0; i < round; i++) order.push(order.shift()!);
      const results = order.map((name) => measure(name, n, 'one-chart', round === 0));
      all.push(...results);
      process.stderr.write(`${n} workloads, round ${round + 1}/${runs}: ${results.map((r) => `${r.approach} ${fmt(r.totalMs)} ms`).join(', ')}\n`);
      if (round === 0) {
        const digests = new Set(results.filter((r) => SAME_OUTPUT.includes(r.approach)).map((r) => r.digest));
        if (digests.size !== 1) throw new Error(`${n} workloads: ${SAME_OUTPUT.join(', ')} emitted different manifests (${[...digests].join(', ')})`);
      }
    }
  }
  const layoutSizes = QUICK ? [1000] : [1000, 5000];
  for (const n of layoutSizes) {
    for (const name of ['ours', 'raw-kube', 'floor']) all.push(measure(name, n, 'chart-per-namespace', false));
  }

  const report = render(all, (Date.now() - started) / 1000);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, 'synth.md'), report);
  fs.writeFileSync(path.join(RESULTS, 'synth.json'), `${JSON.stringify(all, null, 1)}\n`);
  process.stdout.write(report);
}

function render(all: Measurement[], seconds: number): string {
  const pick = (approach: string, n: number, layout = 'one-chart') => all.filter((m) => m.approach === approach && m.workloads === n && m.layout === layout);
  const med = (approach: string, n: number, key: keyof Measurement, layout = 'one-chart') => median(pick(approach, n, layout).map((m) => m[key] as number));
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const lines: string[] = [
    `Machine: ${os.cpus().length} cores (${cpu}), ${fmt(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()}. `
    + `Date: ${new Date().toISOString().slice(0, 10)}. Mode: ${QUICK ? 'BENCH_QUICK=1' : 'full'}; took ${fmt(seconds)} s.`,
    '',
    'Medians of fresh processes (runs per size in the table); ms are `build` (constructing the app) + `synth` (`app.synth()`: validation, lazy resolution, YAML, files); "process" adds node start-up, module loading and generating the intent. Peak RSS is the whole process.',
    '',
    '### Time, memory and output',
    '',
    '| workloads | approach | runs | policies | bytes | build ms | synth ms | total ms | process ms | peak RSS MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const n of SIZES) {
    for (const a of APPROACHES) {
      const ms = pick(a.name, n);
      const failed = ms.find((m) => m.error);
      if (failed) {
        lines.push(`| ${fmt(n)} | ${a.name} | ${ms.length} | failed: ${failed.error} | | | | | | |`);
        continue;
      }
      lines.push(`| ${fmt(n)} | ${a.name} | ${ms.length} | ${fmt(ms[0].policies)} | ${fmt(ms[0].bytes)} | ${fmt(med(a.name, n, 'buildMs'))} | ${fmt(med(a.name, n, 'synthMs'))} | `
        + `${fmt(med(a.name, n, 'totalMs'))} | ${fmt(med(a.name, n, 'processMs'))} | ${fmt(med(a.name, n, 'peakRssMb'))} |`);
    }
  }
  lines.push('', '### Ratios (total ms and peak RSS; medians of the same run)', '',
    '| workloads | ours / raw-kube | ours / raw-apiobject | ours / cdk8s-plus | ours / floor | RSS ours / raw-kube | RSS ours / cdk8s-plus | policies ours / cdk8s-plus | bytes ours / cdk8s-plus |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of SIZES) {
    const ratio = (other: string, key: keyof Measurement) => fmt(med('ours', n, key) / med(other, n, key), 2);
    lines.push(`| ${fmt(n)} | ${ratio('raw-kube', 'totalMs')} | ${ratio('raw-apiobject', 'totalMs')} | ${ratio('cdk8s-plus', 'totalMs')} | ${ratio('floor', 'totalMs')} | `
      + `${ratio('raw-kube', 'peakRssMb')} | ${ratio('cdk8s-plus', 'peakRssMb')} | ${ratio('cdk8s-plus', 'policies')} | ${ratio('cdk8s-plus', 'bytes')} |`);
  }
  lines.push('', '### Growth: total µs per workload (constant = linear)', '',
    `| approach | ${SIZES.map((n) => fmt(n)).join(' | ')} |`, `|---|${SIZES.map(() => '---:').join('|')}|`);
  for (const a of APPROACHES) {
    lines.push(`| ${a.name} | ${SIZES.map((n) => fmt((1000 * med(a.name, n, 'totalMs')) / n)).join(' | ')} |`);
  }
  const layoutSizes = [...new Set(all.filter((m) => m.layout === 'chart-per-namespace').map((m) => m.workloads))];
  lines.push('', '### Chart layout: one chart vs one chart per namespace (20 workloads each), total ms', '',
    '| workloads | charts | ours | raw-kube | floor | ours / raw-kube |', '|---:|---:|---:|---:|---:|---:|');
  for (const n of layoutSizes) {
    for (const layout of ['one-chart', 'chart-per-namespace']) {
      const v = (a: string) => med(a, n, 'totalMs', layout);
      lines.push(`| ${fmt(n)} | ${layout === 'one-chart' ? 1 : n / 20} | ${fmt(v('ours'))} | ${fmt(v('raw-kube'))} | ${fmt(v('floor'))} | ${fmt(v('ours') / v('raw-kube'), 2)} |`);
    }
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

main();
