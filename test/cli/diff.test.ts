import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { main } from '../../src/cli/main';
import { threeTier } from '../support/three-tier-versions';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('cdk8s-netpol diff', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-diff-'));
  const v1 = path.join(dir, 'v1');
  const v2 = path.join(dir, 'v2.yaml');
  fs.mkdirSync(v1);
  const [first, ...rest] = threeTier(1);
  fs.writeFileSync(path.join(v1, 'a.yaml'), yaml.stringify(first));
  fs.writeFileSync(path.join(v1, 'b.yaml'), rest.map((o) => yaml.stringify(o)).join('---\n'));
  fs.writeFileSync(v2, threeTier(2).map((o) => yaml.stringify(o)).join('---\n'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('text: the flows a change opens and closes (directory against file)', async () => {
    expect(await run('diff', v1, v2)).toEqual({
      code: 0,
      err: '',
      out: [
        'Flows opened: 2',
        '  + frontend/frontend -> backend/backend: TCP 8443',
        '  + monitoring/agent -> backend/backend: TCP 9090',
        'Flows closed: 1',
        '  - frontend/frontend -> backend/backend: TCP 8080',
        '',
      ].join('\n'),
    });
  });

  test('json and markdown', async () => {
    const json = JSON.parse((await run('diff', v1, v2, '--output', 'json')).out);
    expect(json.closed).toEqual([{ from: 'frontend/frontend', to: 'backend/backend', ports: [{ protocol: 'TCP', startPort: 8080, endPort: 8080 }], label: 'TCP 8080' }]);
    expect(json.opened).toHaveLength(2);
    expect((await run('diff', v1, v2, '--output', 'markdown')).out).toContain('| monitoring/agent | backend/backend | TCP 9090 |');
  });

  test('--fail-on-open and --fail-on-change set the exit code for pipelines', async () => {
    expect((await run('diff', v1, v2, '--fail-on-open')).code).toBe(1);
    expect((await run('diff', v1, v1, '--fail-on-open', '--fail-on-change')).code).toBe(0);
    // Going back only closes flows... and opens 8080 again.
    expect((await run('diff', v2, v1, '--fail-on-change')).code).toBe(1);
    const onlyClosing = path.join(dir, 'closing.yaml');
    const backendOpen = threeTier(1).filter((o) => !(o.kind === 'NetworkPolicy' && o.metadata.namespace === 'backend'));
    fs.writeFileSync(onlyClosing, backendOpen.map((o) => yaml.stringify(o)).join('---\n'));
    const closing = await run('diff', onlyClosing, v1, '--fail-on-open');
    expect(closing.out).toContain('Flows opened: 0');
    expect(closing.code).toBe(0);
  });

  test.each([
    [['diff', 'V1'], 'give exactly two paths'],
    [['diff', 'V1', 'V1', 'V1'], 'give exactly two paths'],
    [['diff', 'V1', 'V1', '--output', 'dot'], "--output 'dot' must be one of: text, json, markdown"],
  ])('%j exits 2: %s', async (argv, message) => {
    const { code, err } = await run(...argv.map((a) => (a === 'V1' ? v1 : a)));
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('Usage: cdk8s-netpol diff OLD NEW');
  });

  describe('flows with addresses outside the cluster', () => {
    const fixture = path.join(__dirname, '..', 'fixtures', 'analyzer', 'egress-internet');
    const before = path.join(fixture, 'old');
    const after = path.join(fixture, 'new');

    test('widening an egress ipBlock to the internet is the first line, with how many addresses it opens', async () => {
      const { code, out } = await run('diff', before, after, '--fail-on-open');
      expect(code).toBe(1);
      expect(out).toBe([
        'Flows opened: 1, 1 of them with addresses outside the cluster',
        '  + shop/web -> 0.0.0.0/0 except 10.0.0.0/8 (outside the cluster, 4,278,190,080 addresses, of which 203.0.113.0/24 except 203.0.113.7/32 was already allowed): TCP 443',
        'Flows closed: 0',
        '',
      ].join('\n'));
      expect((await run('diff', before, after, '--fail-on-change')).code).toBe(1);
    });

    test('narrowing it back closes them; json and markdown say which end is outside', async () => {
      const back = await run('diff', after, before, '--fail-on-open', '--output', 'json');
      expect(back.code).toBe(0);
      expect(JSON.parse(back.out).closed).toEqual([{
        from: 'shop/web',
        to: '0.0.0.0/0 except 10.0.0.0/8',
        ports: [{ protocol: 'TCP', startPort: 443, endPort: 443 }],
        label: 'TCP 443',
        external: 'to',
        addresses: '4278190080',
        unchangedWithin: ['203.0.113.0/24 except 203.0.113.7/32'],
      }]);
      expect((await run('diff', after, before, '--fail-on-change')).code).toBe(1);
      expect((await run('diff', before, after, '--output', 'markdown')).out).toContain([
        '## Opened (1, 1 of them with addresses outside the cluster)',
        '',
        '| From | To | Ports |',
        '| --- | --- | --- |',
        '| shop/web | **0.0.0.0/0 except 10.0.0.0/8** (outside the cluster) | TCP 443 |',
      ].join('\n'));
    });
  });

  test('a missing path exits 2 naming it', async () => {
    const { code, err } = await run('diff', v1, path.join(dir, 'nope'));
    expect(code).toBe(2);
    expect(err).toMatch(/^cdk8s-netpol diff: .*nope: no such file or directory/);
  });

  test('--help', async () => {
    const { code, out } = await run('diff', '--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: cdk8s-netpol diff OLD NEW/);
  });
});
