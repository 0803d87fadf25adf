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

const recipes = path.join(__dirname, '..', 'fixtures', 'recipes');
const denyEgress = path.join(recipes, '11-deny-egress-from-app.yaml');
const allowExternal = path.join(recipes, '08-allow-external.yaml');
const splitSelectors = path.join(recipes, '07a-selectors-split-by-mistake.yaml');

describe('cdk8s-netpol analyze: findings and --fail-on', () => {
  test('exit 1 on an error finding by default, 0 with --fail-on never', async () => {
    const { code, out } = await run('analyze', denyEgress);
    expect(code).toBe(1);
    expect(out).toContain("  [error] NP008: Pod default/foo is isolated for egress by default/foo-deny-egress and no egress rule reaches the cluster DNS (pods k8s-app=kube-dns in 'kube-system') on 53/UDP");
    expect((await run('analyze', denyEgress, '--fail-on', 'never')).code).toBe(0);
  });

  test('--fail-on warning fails on warnings, error does not', async () => {
    expect((await run('analyze', splitSelectors, '--fail-on', 'error')).code).toBe(0);
    expect((await run('analyze', splitSelectors, '--fail-on', 'warning')).code).toBe(1);
    expect((await run('analyze', allowExternal, '--rules', 'NP015', '--fail-on', 'warning')).code).toBe(0);
    expect((await run('analyze', allowExternal, '--rules', 'NP015', '--fail-on', 'info')).code).toBe(1);
  });

  test('cluster facts: CIDRs and where DNS runs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-analyze-'));
    const file = path.join(dir, 'egress.yaml');
    fs.writeFileSync(file, [
      'apiVersion: networking.k8s.io/v1', 'kind: NetworkPolicy', 'metadata: { name: out, namespace: shop }',
      'spec: { podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0 } }] }] }',
    ].join('\n'));
    const ids = async (...options: string[]) => JSON.parse((await run('analyze', file, '--rules', 'NP016', '--output', 'json', ...options)).out).findings.map((f: any) => f.message);
    expect(await ids()).toEqual([]);
    expect(await ids('--pod-cidr', '10.244.0.0/16', '--service-cidr', '10.96.0.0/12')).toEqual([
      "NetworkPolicy 'shop/out' (" + file + ", document 0): spec.egress[0].to[0] ipBlock 0.0.0.0/0 covers the cluster's pod range 10.244.0.0/16 and Service range 10.96.0.0/12",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
    const dns = JSON.parse((await run('analyze', denyEgress, '--rules', 'NP008', '--dns-namespace', 'dns', '--dns-labels', 'app=unbound,tier=dns', '--dns-port', '5353', '--output', 'json')).out);
    expect(dns.findings[0].message).toContain("the cluster DNS (pods app=unbound, tier=dns in 'dns') on 5353/UDP");
  });

  test('--suppressions: accepted findings do not fail and are listed; unused ones are reported', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-analyze-'));
    try {
      const file = path.join(dir, 'suppressions.yaml');
      fs.writeFileSync(file, [
        '- { id: NP008, subject: default/foo, reason: foo resolves nothing }',
        '- { id: egress-blocks-dns-tcp, subject: "*", reason: no DNS at all }',
        '- { id: NP016, subject: default/x, reason: stale }',
      ].join('\n'));
      const report = path.join(dir, 'report.md');
      const { code, out, err } = await run('analyze', denyEgress, '--suppressions', file, '--report', report);
      expect(code).toBe(0);
      expect(out).toContain('Suppressed: 2\n  NP008 default/foo: foo resolves nothing\n  NP009 default/foo: no DNS at all\n');
      expect(err).toBe("cdk8s-netpol analyze: suppression NP016 'default/x' matches no finding; remove it?\n");
      const md = fs.readFileSync(report, 'utf8');
      expect(md).toContain('| NP008 | default/foo | foo resolves nothing | 1 |');
      expect(md).toContain('| egress-blocks-dns-tcp | * | no DNS at all | 1 |');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('--output mermaid and dot draw the allowed flows', async () => {
    const file = path.join(recipes, '09-allow-one-port.yaml');
    const mermaid = (await run('analyze', file, '--output', 'mermaid')).out;
    expect(mermaid).toMatch(/^flowchart LR\n/);
    expect(mermaid).toContain('default__monitor -->|"TCP 5000"| default__apiserver');
    expect(mermaid).not.toContain('default__apiserver -->');
    expect((await run('analyze', file, '--output', 'mermaid', '--open-flows')).out).toContain('default__apiserver -->|"all ports"| default__monitor');
    expect((await run('analyze', file, '--output', 'dot')).out).toContain('"default/monitor" -> "default/apiserver" [label="TCP 5000"];');
  });

  test.each([
    [['--fail-on', 'fatal'], "--fail-on 'fatal' must be one of: error, warning, info, never"],
    [['--pod-cidr', '10.0.0.0/99'], "--pod-cidr '10.0.0.0/99'"],
    [['--rules', 'NP001,NP404'], "--rules: no finding rule 'NP404'"],
    [['--dns-labels', 'novalue'], "--dns-labels 'novalue' must be KEY=VALUE"],
    [['--dns-ip', 'dns.local'], "--dns-ip 'dns.local' is not an IPv4 or IPv6 address"],
    [['--dns-port', '0'], "--dns-port '0' must be a port number from 1 to 65535"],
    [['--suppressions', '/nonexistent/s.yaml'], "--suppressions '/nonexistent/s.yaml': cannot read it (no such file)"],
  ])('%j exits 2: %s', async (options, message) => {
    const { code, err, out } = await run('analyze', denyEgress, ...options);
    expect([code, out]).toEqual([2, '']);
    expect(err).toContain(message);
  });

  test('a suppression without a reason exits 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-analyze-'));
    try {
      const file = path.join(dir, 's.json');
      fs.writeFileSync(file, JSON.stringify([{ id: 'NP008', subject: 'default/foo' }]));
      const { code, err } = await run('analyze', denyEgress, '--suppressions', file);
      expect(code).toBe(2);
      expect(err).toContain("entry 0: suppression of NP008 for 'default/foo' needs a reason");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk8s-netpol analyze: addresses outside the cluster', () => {
  const internet = path.join(__dirname, '..', 'fixtures', 'analyzer', 'egress-internet', 'new');

  test('text and json list the external nodes and the flows with them, both ways', async () => {
    const { out } = await run('analyze', internet, '--fail-on', 'never');
    expect(out).toContain([
      'Allowed flows with addresses outside the cluster (external nodes: 0.0.0.0/0 except 10.0.0.0/8; 10.0.0.0/8):',
      '  shop/web -> 0.0.0.0/0 except 10.0.0.0/8: TCP 443',
      // web's ingress is not isolated; api's is, and admits no address outside the cluster.
      '  0.0.0.0/0 except 10.0.0.0/8 -> shop/web: every port (unrestricted)',
      '  10.0.0.0/8 -> shop/web: every port (unrestricted)',
      '  (3 flows)',
      '',
    ].join('\n'));
    const json = JSON.parse((await run('analyze', internet, '--output', 'json')).out);
    expect(json.externals).toEqual(['0.0.0.0/0 except 10.0.0.0/8', '10.0.0.0/8']);
    expect(json.flows.filter((f: any) => f.external)[0]).toEqual({
      from: 'shop/web', to: '0.0.0.0/0 except 10.0.0.0/8', ports: [{ protocol: 'TCP', startPort: 443, endPort: 443 }], summary: 'TCP 443', unrestricted: false, external: true, open: false,
    });
  });

  test('pictures draw the external nodes a policy-shaped flow reaches', async () => {
    const mermaid = (await run('analyze', internet, '--output', 'mermaid')).out;
    expect(mermaid).toContain('  subgraph outside["outside the cluster"]\n    ext__0_0_0_0_0_except_10_0_0_0_8["0.0.0.0/0 except 10.0.0.0/8"]\n  end\n');
    expect(mermaid).toContain('  shop__web -->|"TCP 443"| ext__0_0_0_0_0_except_10_0_0_0_8\n');
    // Flows into web are open (its ingress is not isolated): drawn only with --open-flows.
    expect(mermaid).not.toContain('ext__10_0_0_0_8');
    expect((await run('analyze', internet, '--output', 'mermaid', '--open-flows')).out).toContain('  ext__10_0_0_0_8 -->|"all ports"| shop__web\n');
    const dot = (await run('analyze', internet, '--output', 'dot')).out;
    expect(dot).toContain('  subgraph cluster_outside {\n    label="outside the cluster";\n    "0.0.0.0/0 except 10.0.0.0/8" [shape=ellipse];\n  }\n');
    expect(dot).toContain('  "shop/web" -> "0.0.0.0/0 except 10.0.0.0/8" [label="TCP 443"];\n');
    const md = (await run('analyze', internet, '--output', 'markdown')).out;
    expect(md).toContain('2 pods, 1 allowed flows between different pods, 3 with addresses outside the cluster');
    expect(md).toContain('| shop/web | 0.0.0.0/0 except 10.0.0.0/8 | TCP 443 |');
  });
});
