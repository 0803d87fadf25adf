import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { DnsResolver, NetworkPolicyInvariants, Peer, ThreeTierApp, Workload } from '../../src';
import { readInvariants } from '../../src/analyzer/invariant-file';
import { main } from '../../src/cli/main';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SHOP = path.join(FIXTURES, 'analyzer', 'shop');
const HOLDS = path.join(FIXTURES, 'invariants', 'shop.yaml');
const VIOLATED = path.join(FIXTURES, 'invariants', 'shop-violated.yaml');
const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'invariants.schema.json'), 'utf8'));

describe('cdk8s-netpol analyze --invariants', () => {
  test('invariants that hold: listed in the text output, exit 0', async () => {
    const result = await run('analyze', SHOP, '--invariants', HOLDS, '--fail-on', 'never');
    expect(result.code).toBe(0);
    expect(result.out).toContain([
      'Invariants: 4 (4 held, 0 violated)',
      '  held      never allowed: web never reaches the database, 1 pair',
      '  held      never allowed: only the backend tier reaches the database, 5 pairs',
      '  held      always allowed: web reaches api on its http port, 1 pair',
      '  held      always allowed: prometheus scrapes api, 1 pair',
    ].join('\n'));
  });

  test('violated invariants: each pair and port with the explanation, exit 1', async () => {
    const result = await run('analyze', SHOP, '--invariants', VIOLATED, '--fail-on', 'never');
    expect(result.code).toBe(1);
    expect(result.out).toContain([
      'Invariants: 2 (0 held, 2 violated)',
      "  VIOLATED  invariant 'nothing reaches the database' is violated: it must never be allowed, and 1 of the 5 pairs it covers are allowed",
      '      shop/api -> shop/db on TCP 5432:',
      '        ALLOWED: shop/api -> shop/db on 5432/TCP',
      '          ok   egress of shop/api: NetworkPolicy tier: isolated by shop/default-deny, shop/api; allowed by NetworkPolicy shop/api egress[0]',
      '          ok   ingress of shop/db: NetworkPolicy tier: isolated by shop/default-deny, shop/db; allowed by NetworkPolicy shop/db ingress[0]',
      "  VIOLATED  invariant 'api reaches the payment provider' is violated: it must always be allowed, and 1 of the 1 pairs it covers are denied",
      '      shop/api -> 0.0.0.0/0 on TCP 443:',
      '        DENIED: shop/api -> 0.0.0.0/0 on 443/TCP',
    ].join('\n'));
  });

  test('every output format carries the verdicts', async () => {
    const json = JSON.parse((await run('analyze', SHOP, '--invariants', VIOLATED, '--output', 'json')).out);
    expect(json.invariants.map((r: any) => [r.name, r.held, r.violationCount])).toEqual([['nothing reaches the database', false, 1], ['api reaches the payment provider', false, 1]]);
    expect(json.invariants[0].violations[0]).toMatchObject({ from: 'shop/api', to: 'shop/db', ports: 'TCP 5432' });
    const markdown = (await run('analyze', SHOP, '--invariants', VIOLATED, '--output', 'markdown')).out;
    expect(markdown).toContain('## Invariants: 2 (0 held, 2 violated)');
    expect(markdown).toContain('| nothing reaches the database | never allowed |  | 5 | **violated** (1) |');
    expect((await run('analyze', SHOP, '--invariants', VIOLATED, '--output', 'mermaid')).out).toContain("%% invariant 'nothing reaches the database' is violated");
    const sarif = JSON.parse((await run('analyze', SHOP, '--invariants', VIOLATED, '--output', 'sarif')).out);
    const results = sarif.runs[0].results.filter((r: any) => r.ruleId === 'INV001');
    expect(results.map((r: any) => r.properties.subject)).toEqual(['nothing reaches the database', 'api reaches the payment provider']);
    expect(results[0].level).toBe('error');
    expect(results[0].properties.objects).toEqual(['NetworkPolicy shop/api', 'NetworkPolicy shop/db']);
    expect(sarif.runs[0].tool.driver.rules.map((r: any) => r.id)).toContain('INV001');
    const dot = await run('analyze', SHOP, '--invariants', VIOLATED, '--output', 'dot');
    expect(dot.out).toContain('// Invariants: 2 (0 held, 2 violated)');
    expect(dot.code).toBe(1);
  });

  test('--output proof: what the file declares, each verdict, then the flows a policy restricts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-proof-'));
    try {
      const file = path.join(dir, 'app.yaml');
      const web = { namespace: 'shop', podSelector: { matchLabels: { app: 'web' } } };
      const api = { namespace: 'shop', podSelector: { matchLabels: { app: 'api' } } };
      const db = { namespace: 'shop', podSelector: { matchLabels: { app: 'db' } } };
      fs.writeFileSync(file, yaml.stringify({
        namespaces: ['shop'],
        flows: [{ from: [web], to: [api], ports: [{ port: 'http' }], declaredBy: ['shop/web-to-api'] }, { from: [api], to: [db], ports: [{ port: 5432 }] }],
        invariants: [{ name: 'web never reaches the database', allowed: 'never', from: [web], to: [db] }],
      }));
      const proof = await run('analyze', SHOP, '--invariants', file, '--output', 'proof', '--fail-on', 'never');
      expect(proof.out).toBe([
        'Declares:',
        '  flows: 2',
        '    shop/web -> shop/api on http/TCP  [shop/web-to-api]',
        '    shop/api -> shop/db on 5432/TCP',
        '  invariants: 1',
        '    never allowed: web never reaches the database',
        '',
        'Result:',
        '  declared flows allowed: 2 of 2',
        '  invariants held: 1 of 1',
        "  undeclared flows between the app's pods (shop): none",
        '  DNS kept: not checked, no k8s-app=kube-dns pod in kube-system among the manifests',
        '',
        'Allowed flows that a policy restricts: 3',
        '  monitoring/prometheus -> shop/api: TCP 9090',
        '  shop/web -> shop/api: TCP 9000',
        '  shop/api -> shop/db: TCP 5432',
        '',
        'Not isolated (no policy of any tier selects them, so every flow among them and with addresses outside the cluster is allowed):',
        '  monitoring/prometheus',
        '',
        'Allowed flows that no policy restricts (every port left to the default on both sides): 2, not listed',
        '',
        'Proof: 4 of 4 checks hold, 0 violated (1 invariant, 2 declared flows, undeclared flows)',
        '',
      ].join('\n'));
      expect(proof.code).toBe(0);
      expect((await run('analyze', SHOP, '--output', 'proof')).code).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a bad file is an input error naming the field (exit 2)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-inv-'));
    try {
      const bad = path.join(dir, 'bad.yaml');
      fs.writeFileSync(bad, 'invariants:\n  - name: x\n    allowed: sometimes\n');
      const result = await run('analyze', SHOP, '--invariants', bad);
      expect(result.code).toBe(2);
      expect(result.err).toContain("bad.yaml: invariants[0].allowed: must be 'never' or 'always', got \"sometimes\"");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk8s-netpol diff --invariants', () => {
  test('says which invariants a change breaks and which it restores; exit 1 when it breaks one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-inv-diff-'));
    try {
      const after = path.join(dir, 'after');
      fs.cpSync(SHOP, after, { recursive: true });
      fs.writeFileSync(path.join(after, 'policies', 'web-to-db.yaml'), yaml.stringify({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'web-to-db', namespace: 'shop' },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] },
      }));
      const broken = await run('diff', SHOP, after, '--invariants', HOLDS);
      expect(broken.code).toBe(1);
      expect(broken.out).toContain("Invariants the change breaks: 2\n  invariant 'web never reaches the database' is violated");
      expect(broken.out).toContain('Invariants the change restores: 0');
      const restored = await run('diff', after, SHOP, '--invariants', HOLDS, '--output', 'json');
      expect(restored.code).toBe(0);
      expect(JSON.parse(restored.out).invariants.restored.map((r: any) => r.name)).toEqual(['web never reaches the database', 'only the backend tier reaches the database']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the invariants file format', () => {
  const validate = new Ajv({ allErrors: true }).compile(SCHEMA);

  test('the shipped JSON schema accepts the fixtures and what NetworkPolicyInvariants.toYaml writes', () => {
    for (const file of [HOLDS, VIOLATED]) {
      const value = yaml.parse(fs.readFileSync(file, 'utf8'));
      expect(validate(value)).toBe(true);
      expect(() => readInvariants(value)).not.toThrow();
    }
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ThreeTierApp(chart, 'app', {
      frontend: Workload.fromLabels({ tier: 'frontend' }),
      backend: Workload.fromLabels({ tier: 'backend', app: 'api' }, { namespace: 'api' }),
      database: Workload.fromLabels({ tier: 'database' }),
      backendExternalEgress: { to: [Peer.anyPublicIpv4()] },
      dns: DnsResolver.nodeLocal(),
    });
    const written = yaml.parse(NetworkPolicyInvariants.toYaml(app));
    expect(written.invariants).toHaveLength(9);
    expect(validate(written)).toBe(true);
    expect(readInvariants(written).invariants).toEqual(NetworkPolicyInvariants._specs(app));
  });

  test('DNS names and the API server, as CiliumNetworkPolicy selects them, are endpoints too', () => {
    const value = { invariants: [{ name: 'x', allowed: 'never', to: [{ fqdn: '*.example.com' }, { kubeApiServer: true }] }] };
    expect(validate(value)).toBe(true);
    expect(readInvariants(value).invariants[0].to).toEqual([{ fqdn: '*.example.com' }, { kubeApiServer: true }]);
  });

  test.each([
    ['an unknown field', { invariants: [{ name: 'x', allowed: 'never', form: [] }] }, "invariants[0]: unknown field 'form'"],
    ['always without a side', { invariants: [{ name: 'x', allowed: 'always', to: [{ namespace: 'a' }] }] }, "invariants[0]: an 'always' invariant needs 'from' and 'to'"],
    ['a pod selector without namespace', { invariants: [{ name: 'x', allowed: 'never', to: [{ podSelector: {} }] }] }, "invariants[0].to[0]: give 'namespace'"],
    ['an ipBlock with a selector', { invariants: [{ name: 'x', allowed: 'never', to: [{ ipBlock: { cidr: '10.0.0.0/8' }, namespace: 'a' }] }] }, 'invariants[0].to[0]: an ipBlock stands alone'],
    ['a bad CIDR', { invariants: [{ name: 'x', allowed: 'never', to: [{ ipBlock: { cidr: 'shop' } }] }] }, "invariants[0].to[0].ipBlock: CIDR 'shop'"],
    ['a port out of range', { invariants: [{ name: 'x', allowed: 'never', ports: [{ port: 70000 }] }] }, 'invariants[0].ports[0].port: 70000'],
    ['an fqdn with a selector', { invariants: [{ name: 'x', allowed: 'never', to: [{ fqdn: 'api.stripe.com', namespace: 'a' }] }] }, 'invariants[0].to[0]: fqdn stands alone'],
    ['kubeApiServer false', { invariants: [{ name: 'x', allowed: 'never', to: [{ kubeApiServer: false }] }] }, 'invariants[0].to[0].kubeApiServer: must be true'],
    ['except on always', { invariants: [{ name: 'x', allowed: 'always', from: [{ namespace: 'a' }], to: [{ namespace: 'b' }], except: [{}] }] }, "invariants[0].except: only a 'never' invariant leaves flows out"],
  ])('the reader and the schema both reject %s', (_, value, message) => {
    expect(validate(value)).toBe(false);
    expect(() => readInvariants(value, 'f.yaml')).toThrow(message);
  });
});

test("the README's invariants file is valid and reads as documented", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Invariants in pipelines'));
  const value = yaml.parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]);
  expect(new Ajv().compile(SCHEMA)(value)).toBe(true);
  expect(readInvariants(value).invariants.map((i) => `${i.allowed}: ${i.name}`)).toEqual([
    'never: the frontend never reaches the database',
    'never: only api reaches the database',
    'always: ingress reaches web on 443',
    'never: no pod reaches the metadata service',
  ]);
});
