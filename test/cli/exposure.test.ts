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
  test('text: per workload, who may connect and where it may go, flags first', async () => {
    const { code, out } = await run('exposure', path.join(fixtures, 'egress-internet', 'new'));
    expect(code).toBe(0);
    expect(out).toBe([
      'Exposure of 2 workloads: 1 flagged (open to the internet or to the whole cluster, or reaching them)',
      '',
      'shop/web (Deployment)  !! open to the internet, open to the whole cluster, may reach the internet',
      '  from: everything: every pod of every namespace and every address outside the cluster: every port (not isolated)',
      '  to:   addresses 0.0.0.0/0 except 10.0.0.0/8: TCP 443 (shop/web egress[0])',
      '        pods app=api of namespace shop: every port (shop/web egress[1])',
      '',
      'shop/api (Deployment)',
      '  from: pods app=web of namespace shop: every port (shop/api ingress[0])',
      '  to:   nothing (isolated, no rule allows any)',
      '',
    ].join('\n'));
  });

  test('--fail-on-flagged exits 1 when a workload is flagged; json and markdown', async () => {
    expect((await run('exposure', path.join(fixtures, 'egress-internet', 'new'), '--fail-on-flagged')).code).toBe(1);
    const json = JSON.parse((await run('exposure', path.join(fixtures, 'shop'), '--output', 'json')).out);
    expect(json.workloads.filter((w: any) => w.flags.length > 0).map((w: any) => w.workload)).toEqual(['monitoring/prometheus']);
    expect(json.workloads.find((w: any) => w.workload === 'shop/api').ingress.entries[1]).toEqual({
      peer: 'pods app=prometheus of namespaces purpose=monitoring (now monitoring)', scope: 'pods', ports: 'TCP 9090', rule: 'shop/api ingress[1]',
    });
    expect((await run('exposure', path.join(fixtures, 'shop'), '--output', 'markdown')).out).toContain(
      '| monitoring/prometheus | Deployment | **open to the internet, open to the whole cluster, may reach the internet, may reach the whole cluster** |',
    );
  });

  test('names the cluster-tier and Cilium policies it does not read, on stderr and in its JSON; --strict refuses them', async () => {
    const tiers = path.join(fixtures, 'tiers');
    const { code, err } = await run('exposure', tiers);
    expect(code).toBe(0);
    expect(err).toContain('warning: the verdicts ignore 1 object the analysis does not model');
    expect(err).toContain('AdminNetworkPolicy deny-all (');
    expect(err).toContain('anp-deny-all.yaml, document 0): the exposure view reads NetworkPolicy v1 rules only');
    const json = JSON.parse((await run('exposure', tiers, '--output', 'json')).out);
    expect(json.unmodelled.map((u: any) => `${u.kind} ${u.name}`)).toEqual(['AdminNetworkPolicy deny-all']);
    expect((await run('exposure', tiers, '--strict')).code).toBe(2);
    // A CiliumNetworkPolicy with two specs is named once.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-exposure-'));
    fs.copyFileSync(path.join(tiers, 'pods.yaml'), path.join(dir, 'pods.yaml'));
    fs.writeFileSync(path.join(dir, 'cilium.yaml'), [
      'apiVersion: cilium.io/v2alpha1', 'kind: CiliumNetworkPolicy', 'metadata: { name: lock, namespace: shop }',
      'specs:', '  - endpointSelector: {}', '    ingress: [{}]', '  - endpointSelector: {}', '    egress: [{}]', '',
    ].join('\n'));
    const cilium = JSON.parse((await run('exposure', dir, '--output', 'json')).out);
    expect(cilium.unmodelled.map((u: any) => `${u.apiVersion} ${u.kind} ${u.name}`)).toEqual(['cilium.io/v2alpha1 CiliumNetworkPolicy shop/lock']);
    // Without such policies, nothing is said.
    expect((await run('exposure', path.join(fixtures, 'shop'))).err).toBe('');
  });

  test('--help', async () => {
    expect((await run('exposure', '--help')).out).toMatch(/^Usage: cdk8s-netpol exposure PATH\.\.\./);
  });
});
