/**
 * The main job (`npx projen examples`, examples/run.sh) proves each example: its main.ts writes the
 * app's flows and invariants with NetworkPolicyInvariants.writeFile, and `cdk8s-netpol analyze
 * --output proof` checks the manifests and the cluster context against them. Here the same, in-process.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import { build as clusterGuardrails } from '../../examples/cluster-guardrails/main';
import { build as eCommerce } from '../../examples/e-commerce/main';
import { build as platformConstruct } from '../../examples/platform-construct/main';
import { build as threeTier } from '../../examples/three-tier/main';
import { build as zeroTrustNamespace } from '../../examples/zero-trust-namespace/main';
import { NetworkPolicyInvariants } from '../../src';
import { main } from '../../src/cli/main';
import { EXAMPLES } from '../support/examples';

const CONTEXT = path.join(EXAMPLES, 'cluster-context.yaml');

/** Synthesizes an example into a temporary outdir, writes its invariants file there, and runs the proof over both. */
async function prove(build: (app: App) => App): Promise<{ app: App; code: number; out: string; err: string }> {
  const app = build(Testing.app());
  app.synth();
  const file = NetworkPolicyInvariants.writeFile(app);
  expect(file).toBe(path.join(app.outdir, 'invariants', 'app.yaml'));
  let out = '';
  let err = '';
  try {
    const code = await main(['analyze', app.outdir, CONTEXT, '--invariants', file, '--output', 'proof', '--fail-on', 'never', '--strict'],
      { out: (t) => { out += t; }, err: (t) => { err += t; } });
    return { app, code, out, err };
  } finally {
    fs.rmSync(app.outdir, { recursive: true, force: true });
  }
}

describe('the proof of each example', () => {
  test.each([
    ['cluster-guardrails', 'platform', clusterGuardrails],
    ['e-commerce', 'e-commerce', eCommerce],
    ['platform-construct', 'platform-construct', platformConstruct],
    ['three-tier', 'three-tier', threeTier],
    ['zero-trust-namespace', 'zero-trust-namespace', zeroTrustNamespace],
  ])('%s declares invariants of its own, and every declared flow, invariant and DNS requirement holds with no undeclared flow', async (_, chart, build) => {
    const { app, code, out, err } = await prove(build);
    expect(NetworkPolicyInvariants._specs(app).filter((s) => s.declaredBy === `${chart}/invariants`).length).toBeGreaterThan(0);
    // --strict: the invariants file among the manifests is not a stray file.
    expect(err).toBe('');
    expect(code).toBe(0);
    const count = (label: string): [number, number] => {
      const m = new RegExp(`  ${label}: (\\d+) of (\\d+)`).exec(out)!;
      return [Number(m[1]), Number(m[2])];
    };
    for (const label of ['declared flows allowed', 'invariants held', 'DNS kept']) {
      const [held, of] = count(label);
      expect(held).toBe(of);
      expect(of).toBeGreaterThan(0);
    }
    expect(out).toMatch(/undeclared flows between the app's pods \([a-z-, ]+\): none\n/);
    expect(out).not.toContain('VIOLATED');
  });

  test('e-commerce: its flows named by the workloads they select, the verdicts, the restricted flows, and the pods nothing isolates', async () => {
    const { out } = await prove(eCommerce);
    expect(out).toContain([
      'Declares:',
      '  flows: 4',
      '    every pod of shop -> kube-system/coredns on 53/TCP, 53/UDP  [e-commerce/locked-down/Deny]',
      '    every pod of ingress-nginx -> shop/storefront on 80/TCP, 443/TCP  [e-commerce/flows/IngressToFrontend]',
      '    shop/storefront -> shop/payment on 3000/TCP  [e-commerce/flows/FrontendToBackend]',
      '    shop/payment -> shop/database on 5432/TCP  [e-commerce/flows/BackendToDatabase]',
      '  invariants: 12',
    ].join('\n'));
    expect(out).toContain('    never allowed: only payment reaches the database, on 5432  [e-commerce/invariants]\n');
    expect(out).toContain([
      'Result:',
      '  declared flows allowed: 4 of 4',
      '  invariants held: 12 of 12',
      "  undeclared flows between the app's pods (shop): none",
      '  DNS kept: 3 of 3 egress-isolated pods of the app reach kube-system/coredns on 53/UDP and 53/TCP',
      '',
      'Allowed flows that a policy restricts: 6',
      '  shop/storefront -> shop/payment: TCP 3000',
      '  shop/storefront -> kube-system/coredns: TCP 53; UDP 53',
      '  shop/payment -> shop/database: TCP 5432',
      '  shop/payment -> kube-system/coredns: TCP 53; UDP 53',
      '  shop/database -> kube-system/coredns: TCP 53; UDP 53',
      '  ingress-nginx/ingress-nginx-controller -> shop/storefront: TCP 80, 443',
      '',
      'Not isolated (no policy of any tier selects them, so every flow among them and with addresses outside the cluster is allowed):',
      '  ingress-nginx/ingress-nginx-controller',
      '  kube-system/coredns',
      '  monitoring/agent',
      '  default/curl',
      '',
      'Allowed flows that no policy restricts (every port left to the default on both sides): 20, not listed',
      '',
      'Proof: 17 of 17 checks hold, 0 violated (12 invariants, 4 declared flows, undeclared flows)',
    ].join('\n'));
  });
  test('cluster-guardrails: every pod is under a cluster policy, so none is listed as not isolated; the flows the policies leave to the default are counted', async () => {
    const { out } = await prove(clusterGuardrails);
    expect(out).not.toContain('Not isolated');
    expect(out).toMatch(/\nAllowed flows that no policy restricts \(every port left to the default on both sides\): \d+, not listed\n/);
    expect(out).toMatch(/\nProof: (\d+) of \1 checks hold, 0 violated \(4 invariants, 1 declared flow, undeclared flows\)\n$/);
  });
});

test("the README's main-job output for e-commerce is what the proof prints", async () => {
  const readme = fs.readFileSync(path.join(EXAMPLES, '..', 'README.md'), 'utf8');
  const block = /```text\n=== e-commerce\n[^\n]*\n\n(Declares:[\s\S]*?)```/.exec(readme)![1];
  const { out } = await prove(eCommerce);
  expect(block).toBe(out);
});
