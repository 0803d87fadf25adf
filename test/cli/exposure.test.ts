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

const fixtures = path.join(__dirname, '..', 'fixtures', 'analyzer');

describe('cdk8s-netpol exposure', () => {
  test('text: per workload, who may connect and where it may go, with the rules that decide; flags first', async () => {
    const { code, out } = await run('exposure', path.join(fixtures, 'egress-internet', 'new'));
    expect(code).toBe(0);
    expect(out).toBe([
      'Exposure of 2 workloads: 1 flagged (open to the internet or to the whole cluster, or reaching them)',
      '',
      'shop/web (Deployment)  !! open to the internet, open to the whole cluster, may reach the internet',
      '  from: everything: every pod of every namespace and every address outside the cluster: every port (no policy applies)',
      '  to:   shop/api (Deployment): every port (NetworkPolicy shop/web egress[1])',
      '        addresses 0.0.0.0/0 except 10.0.0.0/8: TCP 443 (NetworkPolicy shop/web egress[0])',
      '',
      'shop/api (Deployment)',
      '  from: shop/web (Deployment): every port (NetworkPolicy shop/api ingress[0])',
      '  to:   nothing (isolated by NetworkPolicy shop/api)',
      '',
    ].join('\n'));
  });

  test('--fail-on-flagged exits 1 when a workload is flagged; json and markdown', async () => {
    expect((await run('exposure', path.join(fixtures, 'egress-internet', 'new'), '--fail-on-flagged')).code).toBe(1);
    const json = JSON.parse((await run('exposure', path.join(fixtures, 'shop'), '--output', 'json')).out);
    expect(json.workloads.filter((w: any) => w.flags.length > 0).map((w: any) => w.workload)).toEqual(['monitoring/prometheus']);
    expect(json.workloads.find((w: any) => w.workload === 'shop/api').ingress).toEqual({
      policies: ['NetworkPolicy shop/default-deny', 'NetworkPolicy shop/api'],
      entries: [
        { peer: 'shop/web (Deployment)', scope: 'pods', ports: 'TCP 9000', rule: 'NetworkPolicy shop/api ingress[0]' },
        { peer: 'monitoring/prometheus (Deployment)', scope: 'pods', ports: 'TCP 9090', rule: 'NetworkPolicy shop/api ingress[1]' },
      ],
      deniedBy: ['isolated by NetworkPolicy shop/default-deny, NetworkPolicy shop/api'],
    });
    expect((await run('exposure', path.join(fixtures, 'shop'), '--output', 'markdown')).out).toContain(
      '| monitoring/prometheus | Deployment | **open to the internet, open to the whole cluster, may reach the internet, may reach the whole cluster** |',
    );
  });

  test('the cluster tiers decide: an AdminNetworkPolicy denying every pod leaves only addresses outside the cluster, and nothing is unmodelled', async () => {
    const tiers = path.join(fixtures, 'tiers');
    const { code, out, err } = await run('exposure', tiers, '--strict');
    expect([code, err]).toEqual([0, '']);
    expect(out).toContain([
      'shop/web (Pod)  !! open to the internet, may reach the internet',
      '  from: every address outside the cluster: every port (no rule decides, so the default allows)',
      '  to:   every address outside the cluster: every port (no rule decides, so the default allows)',
    ].join('\n'));
    const json = JSON.parse((await run('exposure', tiers, '--output', 'json')).out);
    expect(json.unmodelled).toEqual([]);
    expect(json.workloads.map((w: any) => w.ingress.deniedBy)).toEqual([
      ["denied by AdminNetworkPolicy deny-all ingress[0] 'deny-all-ingress'"], ["denied by AdminNetworkPolicy deny-all ingress[0] 'deny-all-ingress'"],
    ]);
  });

  test('a Cilium policy is read like the others; what the analyzer does not model is still named, and --strict refuses it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-exposure-'));
    fs.copyFileSync(path.join(fixtures, 'tiers', 'pods.yaml'), path.join(dir, 'pods.yaml'));
    fs.writeFileSync(path.join(dir, 'cilium.yaml'), [
      'apiVersion: cilium.io/v2alpha1', 'kind: CiliumNetworkPolicy', 'metadata: { name: lock, namespace: shop }',
      'specs:', '  - endpointSelector: {}', '    ingress: [{}]', '  - endpointSelector: {}', '    egress: [{}]', '',
    ].join('\n'));
    const locked = await run('exposure', dir, '--strict');
    expect([locked.code, locked.err]).toEqual([0, '']);
    expect(locked.out).toContain('shop/web (Pod)\n  from: nothing (isolated by CiliumNetworkPolicy shop/lock)\n  to:   nothing (isolated by CiliumNetworkPolicy shop/lock)\n');
    fs.copyFileSync(path.join(fixtures, 'unmodelled', 'calico-deny-all.yaml'), path.join(dir, 'calico.yaml'));
    const calico = await run('exposure', dir, '--output', 'json');
    expect(calico.err).toContain('GlobalNetworkPolicy deny-all');
    expect(JSON.parse(calico.out).unmodelled.map((u: any) => `${u.kind} ${u.name}`)).toEqual(['GlobalNetworkPolicy deny-all']);
    expect((await run('exposure', dir, '--strict')).code).toBe(2);
  });

  test('--help', async () => {
    expect((await run('exposure', '--help')).out).toMatch(/^Usage: cdk8s-netpol exposure PATH\.\.\./);
  });
});
