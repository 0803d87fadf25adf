/**
 * One measurement, meant to run in a fresh process:
 *
 *   node bench/.cache/build/bench/synth.js <approach> <workloads> [--seed S] [--layout one-chart|chart-per-namespace] [--verify]
 *
 * Generates the intent (not timed), then times `build` (constructing the app: constructs, or the
 * hand-merged objects for raw/floor) and `synth` (`app.synth()`: validation, lazy resolution, YAML,
 * files; for the floor, YAML and files). Prints one JSON line: times in ms, peak RSS of the process
 * (getrusage, the number `/usr/bin/time -v` reports), the policies and bytes written and, with
 * `--verify`, a digest of the manifests (keys and documents sorted) to check that approaches emit
 * the same thing.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as YAML from 'yaml';
import { approach, Layout } from './approaches';
import { generateIntent } from './intent';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function canonical(value: any): any {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical(value[k])]));
  }
  return value;
}

function main(): void {
  const [name, workloadsText] = process.argv.slice(2);
  const workloads = Number(workloadsText);
  const seed = Number(arg('--seed', '42'));
  const layout = arg('--layout', 'one-chart') as Layout;
  const verify = process.argv.includes('--verify');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `netpol-bench-${name}-`));
  try {
    const intent = generateIntent(workloads, seed);
    const baselineRss = process.memoryUsage().rss;
    const t0 = performance.now();
    const built = approach(name).build(intent, outdir, layout);
    const t1 = performance.now();
    built.synth();
    const t2 = performance.now();
    const peakRssKb = process.resourceUsage().maxRSS;

    let bytes = 0;
    let policies = 0;
    const docs: any[] = [];
    for (const file of fs.readdirSync(outdir).sort()) {
      const text = fs.readFileSync(path.join(outdir, file), 'utf8');
      bytes += Buffer.byteLength(text);
      policies += (text.match(/^kind: NetworkPolicy$/gm) ?? []).length;
      if (verify) docs.push(...YAML.parseAllDocuments(text).map((d) => d.toJS()));
    }
    let digest: string | undefined;
    if (verify) {
      const sorted = docs.map(canonical).map((d) => JSON.stringify(d)).sort();
      digest = createHash('sha256').update(sorted.join('\n')).digest('hex').slice(0, 16);
    }
    process.stdout.write(`${JSON.stringify({
      approach: name, workloads, seed, layout, grants: intent.grants.length,
      buildMs: t1 - t0, synthMs: t2 - t1, totalMs: t2 - t0,
      baselineRssMb: baselineRss / 2 ** 20, peakRssMb: peakRssKb / 1024,
      policies, bytes, digest,
    })}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
