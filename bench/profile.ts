/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) into where the time goes:
 *
 *   node bench/.cache/build/bench/profile.js <file.cpuprofile> [top]
 *
 * Prints markdown: self time by package (cdk8s, yaml, constructs, cdk8s-plus-28, ours, the bench
 * itself, node internals, GC) and the top functions by self time with their file.
 */
import * as fs from 'fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The package a script belongs to, from its URL. */
export function packageOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)' || functionName === '(root)') return functionName;
  if (!url) return 'V8/native';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.split('node_modules/');
  if (modules.length > 1) {
    const rest = modules[modules.length - 1].split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (/\/(src|lib)\/(constructs|vocabulary|analyzer|index)/.test(url)) return 'cdk8s-netpol (ours)';
  if (url.includes('/bench/')) return 'bench harness';
  return 'other';
}

function shortFile(url: string): string {
  const modules = url.split('node_modules/');
  const tail = modules.length > 1 ? modules[modules.length - 1] : url.replace(/^.*\/(bench|src|lib)\//, '$1/');
  return tail.replace(/^file:\/\//, '');
}

export function summarise(profile: CpuProfile, top: number): string {
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, { us: number; pkg: string }>();
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    if (us === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const key = `${functionName || '(anonymous)'} ${url ? `${shortFile(url)}:${lineNumber + 1}` : ''}`.trim();
    const entry = byFunction.get(key) ?? { us: 0, pkg };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1)}%`;
  const ms = (us: number) => (us / 1000).toFixed(0);
  const lines = [
    `Sampled ${ms(totalUs)} ms.`,
    '',
    '| package | self ms | share |',
    '|---|---:|---:|',
    ...[...byPackage.entries()].sort((a, b) => b[1] - a[1]).map(([p, us]) => `| ${p} | ${ms(us)} | ${pct(us)} |`),
    '',
    '| function (file:line) | package | self ms | share |',
    '|---|---|---:|---:|',
    ...[...byFunction.entries()].sort((a, b) => b[1].us - a[1].us).slice(0, top)
      .map(([f, { us, pkg }]) => `| \`${f}\` | ${pkg} | ${ms(us)} | ${pct(us)} |`),
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  process.stdout.write(`${summarise(profile, Number(top ?? 15))}\n`);
}
