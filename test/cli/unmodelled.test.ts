import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

// Two pods and a Calico GlobalNetworkPolicy that denies every flow between pods: without a model
// of Calico's tiers, every verdict says "allowed", so every command must say what it ignored.
const dir = path.join(__dirname, '..', 'fixtures', 'analyzer', 'unmodelled');
const calicoFile = path.join(dir, 'calico-deny-all.yaml');
const warning = (command: string): string => [
  `cdk8s-netpol ${command}: warning: the verdicts ignore 1 object the analysis does not model:`,
  `  GlobalNetworkPolicy deny-all (${calicoFile}, document 0): a Calico policy: Calico enforces it in its own tiers and order, so it can deny or allow flows the verdicts do not show`,
  '',
].join('\n');
const unmodelledJson = [{
  kind: 'GlobalNetworkPolicy',
  apiVersion: 'projectcalico.org/v3',
  name: 'deny-all',
  source: `${calicoFile}, document 0`,
  reason: 'a Calico policy: Calico enforces it in its own tiers and order, so it can deny or allow flows the verdicts do not show',
}];

describe('input the analysis does not model', () => {
  test('probe: the matrix, and a warning on stderr naming the object; exit 0', async () => {
    const { code, out, err } = await run('probe', dir, '--port', '8080');
    expect(code).toBe(0);
    expect(out).toContain('Reachability on 8080/TCP: 4 of 4 ordered pairs allowed');
    expect(err).toBe(warning('probe'));
  });

  test('probe --output json: "unmodelled" beside the probes', async () => {
    const { code, out } = await run('probe', dir, '--port', '8080', '--output', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json.unmodelled).toEqual(unmodelledJson);
    expect(json.probes).toHaveLength(4);
  });

  test.each([
    ['probe', ['--port', '8080']],
    ['explain', ['--from', 'web', '--to', 'api', '--port', '8080']],
    ['analyze', []],
  ])('%s --strict: an input error naming the object, exit 2, nothing on stdout', async (command, options) => {
    const { code, out, err } = await run(command, dir, ...options, '--strict');
    expect([code, out]).toEqual([2, '']);
    expect(err).toBe([
      `cdk8s-netpol ${command}: --strict: the input holds 1 object the analysis does not model:`,
      `  GlobalNetworkPolicy deny-all (${calicoFile}, document 0): a Calico policy: Calico enforces it in its own tiers and order, so it can deny or allow flows the verdicts do not show`,
      '',
    ].join('\n'));
  });

  test('--strict changes nothing when everything is modelled', async () => {
    const pods = path.join(dir, 'pods.yaml');
    expect(await run('probe', pods, '--port', '8080', '--strict', '--output', 'json')).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse((await run('probe', pods, '--port', '8080', '--output', 'json')).out).unmodelled).toEqual([]);
  });

  test('explain: text and json', async () => {
    const text = await run('explain', dir, '--from', 'web', '--to', 'api', '--port', '8080');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^ALLOWED: shop\/web -> shop\/api on 8080\/TCP/);
    expect(text.err).toBe(warning('explain'));
    const json = JSON.parse((await run('explain', dir, '--from', 'web', '--to', 'api', '--port', '8080', '--output', 'json')).out);
    expect(json).toMatchObject({ allowed: true, unmodelled: unmodelledJson });
  });

  test('analyze: the warning, "unmodelled" in the JSON, and finding NP021', async () => {
    const { code, out, err } = await run('analyze', dir, '--output', 'json', '--fail-on', 'never');
    expect(code).toBe(0);
    expect(err).toBe(warning('analyze'));
    const json = JSON.parse(out);
    expect(json.unmodelled).toEqual(unmodelledJson);
    expect(json.findings.filter((f: any) => f.id === 'NP021')).toEqual([{
      id: 'NP021',
      rule: 'input-not-modelled',
      severity: 'warning',
      subject: 'deny-all',
      objects: ['GlobalNetworkPolicy deny-all'],
      message: `GlobalNetworkPolicy deny-all (${calicoFile}, document 0) is not modelled, so every verdict ignores it: a Calico policy: Calico enforces it in its own tiers and order, so it can deny or allow flows the verdicts do not show`,
      fix: 'Check what it allows and denies with the tooling of its CNI or tier, then suppress this finding with the reason; or leave it out of the analyzed input.',
    }]);
    expect((await run('analyze', dir, '--rules', 'NP021', '--fail-on', 'warning')).code).toBe(1);
  });

  test('diff: the objects of both versions, each in the JSON of its version; --strict exits 2', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-unmodelled-'));
    try {
      const pods = path.join(dir, 'pods.yaml');
      const after = path.join(tmp, 'new');
      fs.mkdirSync(after);
      fs.copyFileSync(pods, path.join(after, 'pods.yaml'));
      fs.copyFileSync(calicoFile, path.join(after, 'calico.yaml'));
      const { code, out, err } = await run('diff', pods, after, '--output', 'json');
      expect(code).toBe(0);
      expect(err).toContain(`GlobalNetworkPolicy deny-all (${path.join(after, 'calico.yaml')}, document 0)`);
      const json = JSON.parse(out);
      expect(json.opened).toEqual([]);
      expect(json.unmodelled.old).toEqual([]);
      expect(json.unmodelled.new.map((u: any) => u.name)).toEqual(['deny-all']);
      expect((await run('diff', pods, after, '--strict')).code).toBe(2);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  test.each(['probe', 'explain', 'analyze', 'diff'])('%s --help documents --strict', async (command) => {
    expect((await run(command, '--help')).out).toContain('--strict');
  });
});
