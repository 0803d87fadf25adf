import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

async function run(argv: string[], stdin?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; }, stdin: stdin === undefined ? undefined : () => stdin });
  return { code, out, err };
}

const shop = path.join(__dirname, '..', 'fixtures', 'analyzer', 'shop');

describe('how the CLI reads its PATHs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-input-'));
    fs.cpSync(shop, dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'connlist_output.json'), JSON.stringify([{ src: 'shop/web', dst: 'shop/api', conn: 'TCP 9000' }]));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a file of a directory that is no manifest is skipped with a warning naming it', async () => {
    const { code, out, err } = await run(['probe', dir, '--port', '9000']);
    expect(code).toBe(0);
    expect(out).toContain('Reachability on 9000/TCP: 5 of 16 ordered pairs allowed');
    expect(err).toBe(`cdk8s-netpol probe: warning: skipped ${path.join(dir, 'connlist_output.json')}: it holds a list, not Kubernetes objects\n`);
  });

  test('--strict makes it an input error', async () => {
    const { code, out, err } = await run(['analyze', dir, '--strict']);
    expect([code, out]).toEqual([2, '']);
    expect(err).toBe(`cdk8s-netpol analyze: --strict: ${path.join(dir, 'connlist_output.json')} is not a manifest: it holds a list, not Kubernetes objects\n`);
  });

  test('a flow-requests folder in a directory is left out with a warning (not applied), and read when given by name', async () => {
    fs.rmSync(path.join(dir, 'connlist_output.json'));
    const requests = path.join(dir, 'flow-requests');
    fs.mkdirSync(requests);
    fs.writeFileSync(path.join(requests, 'shop.yaml'), [
      'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: {name: allow-all, namespace: shop}',
      'spec: {podSelector: {}, ingress: [{}], egress: [{}]}', '',
    ].join('\n'));
    const skipped = await run(['probe', dir, '--port', '9000', '--strict']);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('Reachability on 9000/TCP: 5 of 16 ordered pairs allowed');
    expect(skipped.err).toBe(`cdk8s-netpol probe: warning: skipped ${requests}/: flow requests, the policies other namespaces' owners `
      + 'are asked to apply, so not applied; give the folder as a PATH to analyze them as applied\n');
    const read = await run(['probe', dir, requests, '--port', '9000']);
    expect([read.code, read.err]).toEqual([0, `cdk8s-netpol probe: warning: skipped ${requests}/: flow requests, the policies other namespaces' owners `
      + 'are asked to apply, so not applied; give the folder as a PATH to analyze them as applied\n']);
    expect(read.out).toContain('Reachability on 9000/TCP: 16 of 16 ordered pairs allowed');
  });

  test("'-' reads the manifests from standard input, beside other paths", async () => {
    const pods = fs.readFileSync(path.join(shop, 'workloads.yaml'), 'utf8');
    const { code, out } = await run(['probe', '-', path.join(shop, 'policies'), '--port', '9000', '--output', 'json'], pods);
    expect(code).toBe(0);
    const allowed = JSON.parse(out).probes.filter((p: any) => p.allowed && p.from !== p.to).map((p: any) => `${p.from} -> ${p.to}`);
    expect(allowed).toEqual(['shop/web -> shop/api']);
    const diff = await run(['diff', '-', path.join(shop, 'workloads.yaml')], pods);
    expect(diff.out).toContain('Flows opened: 0\nFlows closed: 0\n');
  });

  test("'-' twice is a usage error", async () => {
    expect((await run(['probe', '-', '-', '--port', '80'], '')).err).toContain("'-' (standard input) can be given once");
    const { code, err } = await run(['diff', '-', '-'], '');
    expect(code).toBe(2);
    expect(err).toContain("'-' (standard input) can be one version, not both");
  });
});
