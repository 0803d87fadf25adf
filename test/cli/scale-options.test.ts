import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { main } from '../../src/cli/main';

/** Options for large inputs: --max-findings, --progress, diff --context. */

async function run(argv: string[], errIsTty = false): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, errIsTty });
  return { code, out, err };
}

const deployment = (namespace: string, name: string, labels: Record<string, string>, port: number): any => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { namespace, name },
  spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x', ports: [{ name: 'http', containerPort: port }] }] } } },
});
const policy = (namespace: string, name: string, spec: any): any => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name }, spec });

describe('cdk8s-netpol options for large inputs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-scale-'));
  const write = (name: string, objects: any[]): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, objects.map((o) => yaml.stringify(o)).join('---\n'));
    return file;
  };
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Five workloads no policy isolates: NP001 and NP002 each, plus NP003 and NP004 for the namespace.
  const open = write('open.yaml', ['a', 'b', 'c', 'd', 'e'].map((n) => deployment('shop', n, { app: n }, 8080)));

  test('--max-findings writes the most severe first and says how many it left out; --fail-on still counts them all', async () => {
    const all = await run(['analyze', open, '--fail-on', 'warning']);
    expect(all.out).toContain('Findings: 12\n');
    const capped = await run(['analyze', open, '--fail-on', 'warning', '--max-findings', '3']);
    expect(capped.code).toBe(1);
    const findings = capped.out.slice(capped.out.indexOf('Findings:'));
    expect(findings.split('\n').filter((l) => l.startsWith('  ['))).toHaveLength(3);
    expect(findings).toMatch(/^Findings: 12 \(the first 3 shown; 9 omitted by --max-findings\)\n/);
    const json = JSON.parse((await run(['analyze', open, '--output', 'json', '--max-findings', '3'])).out);
    expect(json.findings).toHaveLength(3);
    expect(json.findingsOmitted).toBe(9);
    expect(JSON.parse((await run(['analyze', open, '--output', 'json'])).out).findingsOmitted).toBeUndefined();
    expect((await run(['analyze', open, '--max-findings', 'all'])).err).toContain("--max-findings 'all' must be a whole number");
  });

  test('--progress: a line per phase on stderr, the output unchanged', async () => {
    const quiet = await run(['analyze', open, '--output', 'json', '--fail-on', 'never']);
    const loud = await run(['analyze', open, '--output', 'json', '--fail-on', 'never', '--progress']);
    expect(loud.out).toBe(quiet.out);
    expect(quiet.err).toBe('');
    const phases = loud.err.split('\n').map((l) => l.replace(/, \d+\.\d s$/, '').replace(/ in \d+\.\d s$/, ''));
    expect(phases).toEqual([
      'cdk8s-netpol analyze: reading manifests',
      'cdk8s-netpol analyze: building the model of 5 objects',
      'cdk8s-netpol analyze: findings',
      'cdk8s-netpol analyze: flows 0/15 rows (0%)',
      'cdk8s-netpol analyze: done',
      '',
    ]);
    const probe = await run(['probe', open, '--port', '8080', '--progress']);
    expect(probe.err).toContain('cdk8s-netpol probe: probes 0/5 rows (0%)');
  });

  test('on a terminal, progress is on by default, redrawn in place and cleared at the end', async () => {
    const { err } = await run(['analyze', open, '--fail-on', 'never'], true);
    expect(err.startsWith('\r\x1b[Kcdk8s-netpol analyze: reading manifests')).toBe(true);
    expect(err).not.toContain('\n');
    expect(err.endsWith('\r\x1b[K')).toBe(true);
  });

  describe('diff --context', () => {
    const api = deployment('shop', 'api', { app: 'api' }, 9090);
    const fromMonitoring = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090 }] };
    const v1 = write('v1.yaml', [api, policy('shop', 'api', { podSelector: {}, policyTypes: ['Ingress'], ingress: [fromMonitoring] })]);
    const v2 = write('v2.yaml', [api, policy('shop', 'api', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })]);
    const cluster = write('cluster.yaml', [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring' } },
      deployment('monitoring', 'prometheus', { app: 'prometheus' }, 9090),
    ]);

    test('pods of the cluster the app does not own are in both versions: the change to their flows shows', async () => {
      expect((await run(['diff', v1, v2])).out).toBe('Flows opened: 0\nFlows closed: 0\n');
      const { code, out } = await run(['diff', v1, v2, '--context', cluster, '--fail-on-change']);
      expect(code).toBe(1);
      expect(out).toBe('Flows opened: 0\nFlows closed: 1\n  - monitoring/prometheus -> shop/api: TCP 9090\n');
    });

    test('repeatable; standard input at most once among all paths', async () => {
      const again = write('cluster-copy.yaml', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }]);
      expect((await run(['diff', v1, v2, '--context', cluster, '--context', again])).out).toContain('  - monitoring/prometheus -> shop/api: TCP 9090\n');
      const { code, err } = await run(['diff', '-', v2, '--context', '-']);
      expect(code).toBe(2);
      expect(err).toContain("'-' (standard input) can be given once");
    });
  });
});
