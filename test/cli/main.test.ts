import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';

const fixtures = path.join(__dirname, '..', 'fixtures', 'analyzer');
const shop = path.join(fixtures, 'shop');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('cdk8s-netpol probe', () => {
  test('--output json: one probe per ordered pair, a pod to itself included', async () => {
    const { code, out, err } = await run('probe', shop, '--port', '9000', '--output', 'json');
    expect([code, err]).toEqual([0, '']);
    const { probes } = JSON.parse(out);
    expect(probes).toHaveLength(16);
    expect(probes[0]).toEqual({ from: 'monitoring/prometheus', to: 'monitoring/prometheus', port: 9000, protocol: 'TCP', allowed: true, egressAllowed: true, ingressAllowed: true });
    expect(probes.filter((p: any) => p.allowed && p.from !== p.to).map((p: any) => `${p.from}->${p.to}`)).toEqual(['shop/web->shop/api']);
    expect(probes.find((p: any) => p.from === 'monitoring/prometheus' && p.to === 'shop/api'))
      .toMatchObject({ allowed: false, egressAllowed: true, ingressAllowed: false });
  });

  test('--protocol and --port=N forms', async () => {
    const { code, out } = await run('probe', shop, '--port=9090', '--protocol=tcp', '--output=json');
    expect(code).toBe(0);
    const allowed = JSON.parse(out).probes.filter((p: any) => p.allowed && p.from !== p.to);
    expect(allowed.map((p: any) => `${p.from}->${p.to}:${p.protocol}`)).toEqual(['monitoring/prometheus->shop/api:TCP']);
    const udp = JSON.parse((await run('probe', shop, '--port', '9090', '--protocol', 'UDP', '--output', 'json')).out);
    expect(udp.probes.filter((p: any) => p.allowed && p.from !== p.to)).toEqual([]);
  });

  test('text output (the default) is a matrix', async () => {
    const { code, out } = await run('probe', shop, '--port', '9000');
    expect(code).toBe(0);
    expect(out).toBe([
      'Reachability on 9000/TCP: 5 of 16 ordered pairs allowed',
      'Rows: from; columns: to. X allowed, . denied (a pod always reaches itself).',
      '',
      '   1 2 3 4',
      '1  X . . .  monitoring/prometheus',
      '2  . X X .  shop/web',
      '3  . . X .  shop/api',
      '4  . . . X  shop/db',
      '',
    ].join('\n'));
  });
});

describe('cdk8s-netpol explain', () => {
  test('prints the verdict and why', async () => {
    const { code, out } = await run('explain', shop, '--from', 'monitoring/prometheus', '--to', 'shop/api', '--port', '9000');
    expect(code).toBe(0);
    expect(out).toBe([
      'DENIED: monitoring/prometheus -> shop/api on 9000/TCP',
      '  ok   egress of monitoring/prometheus: not isolated (no NetworkPolicy selects it with Egress in policyTypes), so everything is allowed',
      "  deny ingress of shop/api: NetworkPolicy tier: isolated by shop/default-deny, shop/api; no rule allows it. Nearest miss: NetworkPolicy shop/api ingress[1]: wrong port: 9000/TCP is not among the rule's ports: 9090/TCP",
      '',
    ].join('\n'));
  });

  test('--output json gives the structured explanation', async () => {
    const { code, out } = await run('explain', shop, '--from', 'web', '--to', 'api', '--port', '9000', '--output', 'json');
    expect(code).toBe(0);
    const e = JSON.parse(out);
    expect(e).toMatchObject({ from: 'shop/web', to: 'shop/api', port: 9000, protocol: 'TCP', allowed: true });
    expect(e.ingress.allowingRules).toEqual([{ policy: 'shop/api', direction: 'Ingress', ruleIndex: 0, tier: 'NetworkPolicy', object: 'NetworkPolicy shop/api', action: 'Allow' }]);
    expect(e.ingress).toMatchObject({ tier: 'NetworkPolicy', endpoint: 'shop/api', external: false });
  });

  test('--from and --to take IP addresses: a pod\'s IP, else the external node holding it', async () => {
    const internet = path.join(fixtures, 'egress-internet', 'new');
    const out = await run('explain', internet, '--from', 'web', '--to', '8.8.8.8', '--port', '443');
    expect(out.code).toBe(0);
    expect(out.out).toBe([
      'ALLOWED: shop/web -> 8.8.8.8 (external node 0.0.0.0/0 except 10.0.0.0/8) on 443/TCP',
      '  ok   egress of shop/web: NetworkPolicy tier: isolated by shop/web; allowed by NetworkPolicy shop/web egress[0]',
      '  ok   ingress of 0.0.0.0/0 except 10.0.0.0/8: outside the cluster, where no policy is enforced, so everything is allowed',
      '',
    ].join('\n'));
    const inbound = JSON.parse((await run('explain', internet, '--from', '10.1.2.3', '--to', 'shop/api', '--port', '443', '--output', 'json')).out);
    expect(inbound).toMatchObject({ from: '10.0.0.0/8', fromAddress: '10.1.2.3', fromExternal: true, allowed: false });
    expect(inbound.egress).toMatchObject({ endpoint: '10.0.0.0/8', external: true, allowed: true, tier: 'Default' });
    expect(inbound.ingress.nearestMiss.reasons).toEqual(['no peer matches the source: a pod or namespace selector matches pods only, and 10.0.0.0/8 is outside the cluster']);
  });

  test('--to takes a DNS name a Cilium toFQDNs peer names: the named external node', async () => {
    const fqdn = path.join(fixtures, 'fqdn');
    const allowed = await run('explain', fqdn, '--from', 'web', '--to', 'api.stripe.com', '--port', '443');
    expect(allowed).toEqual({
      code: 0,
      err: '',
      out: [
        'ALLOWED: shop/web -> api.stripe.com on 443/TCP',
        '  ok   egress of shop/web: NetworkPolicy tier: isolated by CiliumNetworkPolicy shop/web; allowed by CiliumNetworkPolicy shop/web egress[1]',
        '  ok   ingress of api.stripe.com: outside the cluster, where no policy is enforced, so everything is allowed',
        '  note api.stripe.com: a DNS name; toFQDNs api.stripe.com matches it',
        '',
      ].join('\n'),
    });
    const denied = await run('explain', fqdn, '--from', 'web', '--to', 'api.stripe.com', '--port', '80', '--output', 'json');
    const e = JSON.parse(denied.out);
    expect(e).toMatchObject({ from: 'shop/web', to: 'api.stripe.com', toExternal: true, allowed: false });
    expect(e.egress.nearestMiss).toMatchObject({ object: 'CiliumNetworkPolicy shop/web', ruleIndex: 1, reasons: ["wrong port: 80/TCP is not among the rule's ports: 443/TCP"] });
    expect((await run('explain', fqdn, '--from', 'web', '--to', 'api.stripe.com', '--port', '443', '--expect', 'deny')).code).toBe(1);
  });

  test('--to takes any DNS name: judged by every toFQDNs name and pattern, as Cilium matches them', async () => {
    const fqdn = path.join(fixtures, 'fqdn');
    const explain = async (from: string, to: string, port = '443'): Promise<string> => {
      const { code, out, err } = await run('explain', fqdn, '--from', from, '--to', to, '--port', port);
      expect({ code, err }).toEqual({ code: 0, err: '' });
      return out;
    };
    // Matched by the pattern *.amazonaws.com, which a rule allows on 443 only; given in any case, with a trailing dot.
    expect(await explain('web', 'S3.AmazonAWS.com.')).toBe([
      'ALLOWED: shop/web -> s3.amazonaws.com on 443/TCP',
      '  ok   egress of shop/web: NetworkPolicy tier: isolated by CiliumNetworkPolicy shop/web; allowed by CiliumNetworkPolicy shop/web egress[1]',
      '  ok   ingress of s3.amazonaws.com: outside the cluster, where no policy is enforced, so everything is allowed',
      '  note s3.amazonaws.com: a DNS name; toFQDNs *.amazonaws.com matches it',
      '',
    ].join('\n'));
    expect(await explain('web', 's3.amazonaws.com', '80')).toMatch(/^DENIED: shop\/web -> s3\.amazonaws\.com on 80\/TCP\n.*wrong port: 80\/TCP is not among the rule's ports: 443\/TCP\n/);
    // A * matches within one label: not two labels, not none.
    const unmatched = (name: string): string => `  note ${name}: a DNS name no toFQDNs name or pattern matches, so only rules that match every public address (CIDR 0.0.0.0/0, entity world) or have no peer match it\n`;
    for (const name of ['a.b.amazonaws.com', 'amazonaws.com']) {
      expect(await explain('web', name)).toBe([
        `DENIED: shop/web -> ${name} on 443/TCP`,
        '  deny egress of shop/web: NetworkPolicy tier: isolated by CiliumNetworkPolicy shop/web; no rule allows it. Nearest miss: CiliumNetworkPolicy shop/web egress[1]: '
          + `no peer matches the destination: toFQDNs api.stripe.com does not match ${name} | toFQDNs *.amazonaws.com does not match ${name} (a \`*\` matches within one label, a leading \`**.\` one or more labels)`,
        `  ok   ingress of ${name}: outside the cluster, where no policy is enforced, so everything is allowed`,
        unmatched(name),
      ].join('\n'));
    }
    // A name no policy mentions: denied where Cilium egress policy isolates the pod, allowed where nothing does.
    expect(await explain('web', 'api.example.com')).toMatch(/^DENIED: shop\/web -> api\.example\.com on 443\/TCP\n/);
    expect(await explain('batch', 'api.example.com')).toBe([
      'ALLOWED: shop/batch -> api.example.com on 443/TCP',
      '  ok   egress of shop/batch: not isolated (no NetworkPolicy selects it with Egress in policyTypes), so everything is allowed',
      '  ok   ingress of api.example.com: outside the cluster, where no policy is enforced, so everything is allowed',
      unmatched('api.example.com'),
    ].join('\n'));
    // A word without a dot is still a pod name.
    expect((await run('explain', fqdn, '--from', 'web', '--to', 'stripe', '--port', '443')).err).toMatch(/no pod named 'stripe'/);
  });

  test('--port takes a container port\'s name, resolved on the destination pod', async () => {
    const { code, out } = await run('explain', shop, '--from', 'web', '--to', 'api', '--port', 'metrics');
    expect(code).toBe(0);
    expect(out).toMatch(/^DENIED: shop\/web -> shop\/api on 9090\/TCP\n/);
    expect((await run('explain', shop, '--from', 'web', '--to', 'api', '--port', 'http')).out).toMatch(/^ALLOWED: shop\/web -> shop\/api on 9000\/TCP\n/);
    const missing = await run('explain', shop, '--from', 'web', '--to', 'api', '--port', 'grpc');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("shop/api has no TCP container port named 'grpc'. Its ports: http=9000/TCP, metrics=9090/TCP");
    const bad = await run('explain', shop, '--from', 'web', '--to', 'api', '--port', 'Not_A_Name');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("--port 'Not_A_Name' is neither a port number nor a port name");
  });

  test('--expect allow|deny: exit 1 when the verdict is the other one', async () => {
    const explain = (port: string, expect: string) => run('explain', shop, '--from', 'web', '--to', 'api', '--port', port, '--expect', expect);
    expect((await explain('9000', 'allow')).code).toBe(0);
    expect((await explain('9090', 'deny')).code).toBe(0);
    const wrong = await explain('9090', 'allow');
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(/^DENIED: /);
    expect(wrong.err).toBe('cdk8s-netpol explain: expected allow, but the connection is denied\n');
    expect((await explain('9000', 'deny')).code).toBe(1);
    expect((await explain('9000', 'maybe')).err).toContain("--expect 'maybe' must be allow or deny");
  });

  test('an unknown pod is exit code 2 with the known pods', async () => {
    const { code, err } = await run('explain', shop, '--from', 'shop/nope', '--to', 'api', '--port', '1');
    expect(code).toBe(2);
    expect(err).toMatch("no pod 'shop/nope'. Known pods: monitoring/prometheus, shop/web, shop/api, shop/db");
    expect(err).toMatch('Give the manifests that declare it (a Pod or a workload) as PATHs');
    expect(err).not.toMatch('addPod');
  });
});

describe('cdk8s-netpol analyze', () => {
  test('text: isolation, flows with ports, findings', async () => {
    const { code, out } = await run('analyze', shop, '--rules', 'NP008');
    expect(code).toBe(1);
    expect(out).toBe([
      'Pods: 4, NetworkPolicies: 4',
      '',
      'Isolation:',
      '  monitoring/prometheus',
      '    ingress: NOT isolated (all ingress allowed)',
      '    egress:  NOT isolated (all egress allowed)',
      '  shop/web',
      '    ingress: isolated by shop/default-deny',
      '    egress:  isolated by shop/default-deny, shop/web',
      '  shop/api',
      '    ingress: isolated by shop/default-deny, shop/api',
      '    egress:  isolated by shop/default-deny, shop/api',
      '  shop/db',
      '    ingress: isolated by shop/default-deny, shop/db',
      '    egress:  isolated by shop/default-deny',
      '',
      'Allowed flows between different pods:',
      '  monitoring/prometheus -> shop/api: TCP 9090',
      '  shop/web -> shop/api: TCP 9000',
      '  shop/api -> shop/db: TCP 5432',
      '  (3 flows)',
      '',
      'Allowed flows with addresses outside the cluster (external nodes: 0.0.0.0/0):',
      '  monitoring/prometheus -> 0.0.0.0/0: every port (unrestricted)',
      '  0.0.0.0/0 -> monitoring/prometheus: every port (unrestricted)',
      '  (2 flows)',
      '',
      'Findings: 3',
      ...['Deployment shop/api', 'StatefulSet shop/db', 'Deployment shop/web'].map((pod) => `  [error] NP008: ${pod} is isolated for egress by shop/default-deny${pod.endsWith('db') ? '' : `, ${pod.split(' ')[1]}`} and no egress rule reaches the cluster DNS (pods k8s-app=kube-dns in 'kube-system') on 53/UDP, so it cannot resolve any name. Fix: Allow egress to the cluster DNS on port 53 over UDP and TCP (AllowDnsEgress, or DefaultDeny, which keeps DNS); with another resolver, set clusterDns.`),
      '',
    ].join('\n'));
  });

  test('json and markdown', async () => {
    const json = JSON.parse((await run('analyze', shop, '--output', 'json')).out);
    expect(json.flows[1]).toEqual({ from: 'shop/web', to: 'shop/api', ports: [{ protocol: 'TCP', startPort: 9000, endPort: 9000 }], summary: 'TCP 9000', unrestricted: false, external: false, open: false });
    expect(json.externals).toEqual(['0.0.0.0/0']);
    expect(json.flows.filter((f: any) => f.external).map((f: any) => `${f.from} -> ${f.to}`)).toEqual(['monitoring/prometheus -> 0.0.0.0/0', '0.0.0.0/0 -> monitoring/prometheus']);
    expect(json.pods).toHaveLength(4);
    expect(json.findings.map((f: any) => `${f.id} ${f.subject}`)).toEqual([
      'NP008 shop/api', 'NP008 shop/db', 'NP008 shop/web',
      'NP001 monitoring/prometheus', 'NP002 monitoring/prometheus', 'NP003 monitoring', 'NP004 monitoring',
      'NP009 shop/api', 'NP009 shop/db', 'NP009 shop/web',
    ]);
    const md = (await run('analyze', shop, '--output', 'markdown')).out;
    expect(md).toContain('| monitoring/prometheus | Deployment | **open** | **open** |');
    expect(md).toContain('| **shop/web** | — | · | TCP 9000 | — |');
  });

  test('unrestricted flows are marked', async () => {
    const { out } = await run('analyze', path.join(shop, 'monitoring.json'), path.join(shop, 'namespaces.yaml'), path.join(shop, 'workloads.yaml'));
    expect(out).toContain('  shop/web -> monitoring/prometheus: every port (unrestricted)');
    expect(out).toMatch(/Allowed flows between different pods:\n(.*\n){12} {2}\(12 flows\)\n/);
  });
});

describe('--version', () => {
  test('prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(await run('--version')).toEqual({ code: 0, out: `cdk8s-netpol ${version}\n`, err: '' });
  });
});

describe('usage and input errors', () => {
  test.each([
    [['probe', 'SHOP'], '--port is required'],
    [['probe', 'SHOP', '--port', '70000'], "--port '70000' must be a port number from 1 to 65535"],
    [['probe', 'SHOP', '--port', '80', '--protocol', 'ICMP'], "--protocol 'ICMP' must be TCP, UDP or SCTP"],
    [['probe', 'SHOP', '--port', '80', '--output', 'yaml'], "--output 'yaml' must be one of: text, json"],
    [['probe', '--port', '80'], 'give at least one manifest file or directory'],
    [['probe', 'SHOP', '--port'], 'option --port needs a value'],
    [['probe', 'SHOP', '--port', '80', '--frm', 'x'], "unknown option '--frm'"],
    [['explain', 'SHOP', '--port', '80', '--from', 'web'], '--from and --to are required'],
    [['analyze', 'SHOP', '--output', 'html'], "--output 'html' must be one of: text, json, markdown, mermaid, dot"],
    [['frobnicate'], "unknown command 'frobnicate'"],
  ])('%j exits 2: %s', async (argv, message) => {
    const { code, out, err } = await run(...argv.map((a) => (a === 'SHOP' ? shop : a)));
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
    expect(err).toContain('Usage: cdk8s-netpol');
  });

  test('no arguments prints the usage to stderr and exits 2', async () => {
    const { code, err } = await run();
    expect(code).toBe(2);
    expect(err).toContain('Commands:');
  });

  test.each([['--help'], ['help', 'probe'], ['probe', '--help'], ['explain', '-h'], ['analyze', '--help']])('%j prints help and exits 0', async (...argv) => {
    const { code, out, err } = await run(...argv);
    expect([code, err]).toEqual([0, '']);
    expect(out).toMatch(/^Usage: cdk8s-netpol/);
  });

  test('an invalid NetworkPolicy exits 2 naming the file and document', async () => {
    const file = path.join(fixtures, 'invalid', 'bad-policy.yaml');
    const { code, err } = await run('analyze', file);
    expect(code).toBe(2);
    expect(err).toMatch(/^cdk8s-netpol analyze: .*bad-policy\.yaml, document 1: NetworkPolicy 'fine\/bad-range' is invalid/);
  });

  test('unreadable YAML and missing files exit 2', async () => {
    expect((await run('probe', path.join(fixtures, 'invalid', 'bad-yaml.yaml'), '--port', '1')).err).toMatch(/bad-yaml\.yaml, document 1: is not valid YAML/);
    const missing = await run('probe', path.join(fixtures, 'nope.yaml'), '--port', '1');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.yaml: no such file or directory/);
  });
});
