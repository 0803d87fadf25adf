import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { NetworkPolicyGuardrails, Port, Reachability, ThreeTierApp, Workload } from '../../src';
import { main } from '../../src/cli/main';
import { buildFlowGraph, diffFlows, renderDot, renderMarkdownReport, renderMermaid } from '../../src/reports';
import '../../src/testing';
import { namespace, pod } from '../analyzer/helpers';

/**
 * Every surface over the analyzer (jest matchers, guardrails, invariants, pictures, diff, analyze)
 * accounts for the cluster tiers and Cilium: the same manifests with an AdminNetworkPolicy or a
 * CiliumNetworkPolicy that changes a verdict.
 */

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const web = pod('shop', 'web', { labels: { app: 'web' } });
const api = pod('shop', 'api', { labels: { app: 'api' }, ports: [{ name: 'http', containerPort: 8080 }] });
const prometheus = pod('monitoring', 'prometheus', { labels: { app: 'prometheus' } });
const cluster = [namespace('shop'), namespace('monitoring'), web, api, prometheus];

/** Denies shop/web -> shop/api on TCP 8080, which nothing else restricts. */
const noWebToApi = {
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'AdminNetworkPolicy',
  metadata: { name: 'no-web-to-api' },
  spec: {
    priority: 10,
    subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } },
    ingress: [{ name: 'web', action: 'Deny', from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }], ports: [{ portNumber: { protocol: 'TCP', port: 8080 } }] }],
  },
};

/** Puts shop/api in default deny: only prometheus reaches it, on TCP 8080. */
const apiFromPrometheus = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'api-from-prometheus', namespace: 'shop' },
  spec: {
    endpointSelector: { matchLabels: { app: 'api' } },
    ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'monitoring', 'app': 'prometheus' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
  },
};

const before = (): Reachability => Reachability.fromManifests(cluster);
const withAnp = (): Reachability => Reachability.fromManifests([...cluster, noWebToApi]);
const withCilium = (): Reachability => Reachability.fromManifests([...cluster, apiFromPrometheus]);
const EVERY_PORT_BUT_8080 = 'TCP 1-8079, 8081-65535; UDP all; SCTP all';

/** A directory holding the manifests, one YAML file each. */
function folder(...objects: any[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-tiers-'));
  objects.forEach((o, i) => fs.writeFileSync(path.join(dir, `${i}.yaml`), yaml.stringify(o)));
  return dir;
}

describe('the cluster tiers and Cilium in every surface', () => {
  test('jest matchers: an AdminNetworkPolicy deny and a Cilium policy turn an allowed flow into a denied one, from a Reachability or a Chart', () => {
    expect(before()).toAllow('shop/web', 'shop/api', Port.tcp(8080));
    expect(withAnp()).toDeny('shop/web', 'shop/api', Port.tcp(8080));
    expect(withAnp()).toAllow('shop/web', 'shop/api', Port.tcp(8081));
    expect(withAnp()).toAllowOnlySources('shop/api', Port.tcp(8080), ['monitoring/prometheus', '0.0.0.0/0']);
    expect(withCilium()).toDeny('shop/web', 'shop/api', Port.tcp(8080));
    expect(withCilium()).toAllowOnlySources('shop/api', Port.tcp(8080), ['monitoring/prometheus']);
    const chart = Testing.chart();
    [...cluster, noWebToApi].forEach((o, i) => new ApiObject(chart, `o${i}`, o));
    expect(chart).toDeny('shop/web', 'shop/api', Port.tcp(8080));
    expect(() => expect(chart).toAllow('shop/web', 'shop/api', Port.tcp(8080))).toThrow(/Admin tier: denied by AdminNetworkPolicy no-web-to-api ingress\[0\] 'web'/);
  });

  test('guardrails and invariants at synth: a cluster policy or a Cilium policy that opens what an invariant forbids fails synth', () => {
    const synthError = (...extra: any[]): string => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      new ThreeTierApp(chart, 'app', {
        frontend: Workload.fromLabels({ tier: 'frontend' }),
        backend: Workload.fromLabels({ tier: 'backend' }),
        database: Workload.fromLabels({ tier: 'database' }),
      });
      extra.forEach((o, i) => new ApiObject(chart, `extra${i}`, o));
      try {
        app.synthYaml();
      } catch (e: any) {
        return e.message;
      }
      return 'synth succeeded';
    };
    // Both sides: the frontend's egress and the database's ingress, which ThreeTierApp isolates.
    const inShop = { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } };
    const tier = (name: string): any => ({ pods: { namespaceSelector: inShop, podSelector: { matchLabels: { tier: name } } } });
    const anp = synthError({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'open-db' },
      spec: {
        priority: 1,
        subject: { namespaces: inShop },
        ingress: [{ name: 'frontend', action: 'Allow', from: [tier('frontend')] }],
        egress: [{ name: 'database', action: 'Allow', to: [tier('database')] }],
      },
    });
    expect(anp).toContain("invariant 'the frontend never reaches the database'");
    expect(anp).toContain("Admin tier: allowed by AdminNetworkPolicy open-db ingress[0] 'frontend'");
    const cilium = synthError({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'open-db', namespace: 'shop' },
      specs: [
        { endpointSelector: { matchLabels: { tier: 'database' } }, ingress: [{ fromEndpoints: [{ matchLabels: { tier: 'frontend' } }] }] },
        { endpointSelector: { matchLabels: { tier: 'frontend' } }, egress: [{ toEndpoints: [{ matchLabels: { tier: 'database' } }] }] },
      ],
    });
    expect(cilium).toContain("invariant 'the frontend never reaches the database'");
    expect(cilium).toContain('allowed by CiliumNetworkPolicy shop/open-db ingress[0]');
    expect(cilium).toContain('allowed by CiliumNetworkPolicy shop/open-db egress[0]');
  });

  test('guardrails report: isolation names the cluster tiers, and the matrix shows what they deny', () => {
    const chart = Testing.chart();
    [...cluster, noWebToApi].forEach((o, i) => new ApiObject(chart, `o${i}`, o));
    const report = new NetworkPolicyGuardrails(chart, 'guardrails').report();
    expect(report).toContain('| shop/api | Pod | not isolated; cluster tiers: AdminNetworkPolicy no-web-to-api | **open** |');
    expect(report).toContain(`| **shop/web** | · | ${EVERY_PORT_BUT_8080} | all ports |`);
  });

  test('invariants in pipelines: peers of cluster policies are assumed like NetworkPolicy peers, so an Admin allow from a namespace not in the manifests violates', async () => {
    const dir = folder(...cluster, pod('shop', 'db', { labels: { app: 'db' } }),
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] } });
    const invariants = path.join(dir, 'invariants.txt');
    fs.writeFileSync(invariants, yaml.stringify({ invariants: [{ name: 'nothing reaches the database', allowed: 'never', to: [{ namespace: 'shop', podSelector: { matchLabels: { app: 'db' } } }] }] }));
    expect((await run('analyze', dir, '--invariants', invariants, '--fail-on', 'never')).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'anp.yaml'), yaml.stringify({
      apiVersion: 'policy.networking.k8s.io/v1alpha1',
      kind: 'AdminNetworkPolicy',
      metadata: { name: 'ci-reaches-db' },
      spec: { priority: 5, subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'db' } } } }, ingress: [{ name: 'ci', action: 'Allow', from: [{ namespaces: { matchLabels: { purpose: 'ci' } } }] }] },
    }));
    const violated = await run('analyze', dir, '--invariants', invariants, '--fail-on', 'never');
    expect(violated.code).toBe(1);
    expect(violated.out).toContain("VIOLATED  invariant 'nothing reaches the database'");
    expect(violated.out).toContain("allowed by AdminNetworkPolicy ci-reaches-db ingress[0] 'ci'");
  });

  test('pictures: a flow a cluster tier or Cilium restricts is drawn, with its ports; pods a policy of any tier applies to are solid', () => {
    // Without policies, every flow is open and none is drawn.
    expect(buildFlowGraph(before()).edges.filter((e) => !e.open)).toEqual([]);
    const graph = buildFlowGraph(withAnp());
    expect(graph.edges.filter((e) => !e.open).map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual([`shop/web -> shop/api: ${EVERY_PORT_BUT_8080}`]);
    const mermaid = renderMermaid(graph);
    expect(mermaid).toContain(`  shop__web -->|"${EVERY_PORT_BUT_8080}"| shop__api\n`);
    expect(mermaid).toContain('  class shop__web,monitoring__prometheus unisolated\n');
    const dot = renderDot(graph);
    expect(dot).toContain(`  "shop/web" -> "shop/api" [label="${EVERY_PORT_BUT_8080}"];`);
    expect(dot).toContain('    "shop/api" [label="api"];');
    expect(renderMarkdownReport({ graph, findings: [] })).toContain('| shop/api | Pod | not isolated; cluster tiers: AdminNetworkPolicy no-web-to-api | **open** |');
    const cilium = buildFlowGraph(withCilium());
    expect(renderMermaid(cilium)).toContain('  monitoring__prometheus -->|"TCP 8080"| shop__api\n');
    expect(renderMermaid(cilium)).not.toContain('shop__web -->');
  });

  test('diff: flows a tier change closes and opens, with their ports', async () => {
    const closed = diffFlows(before(), withAnp());
    expect([closed.opened, closed.closed.map((c) => `${c.from} -> ${c.to}: ${c.label}`)]).toEqual([[], ['shop/web -> shop/api: TCP 8080']]);
    const opened = diffFlows(withAnp(), before());
    expect([opened.opened.map((c) => `${c.from} -> ${c.to}: ${c.label}`), opened.closed]).toEqual([['shop/web -> shop/api: TCP 8080'], []]);
    const cilium = diffFlows(before(), withCilium());
    expect(cilium.closed.map((c) => `${c.from} -> ${c.to}: ${c.label}`)).toEqual([
      '0.0.0.0/0 -> shop/api: all ports',
      'shop/web -> shop/api: all ports',
      `monitoring/prometheus -> shop/api: ${EVERY_PORT_BUT_8080}`,
    ]);
    const cli = await run('diff', folder(...cluster), folder(...cluster, noWebToApi), '--fail-on-change');
    expect([cli.code, cli.out]).toEqual([1, 'Flows opened: 0\nFlows closed: 1\n  - shop/web -> shop/api: TCP 8080\n']);
  });

  test('analyze: flows and isolation account for the cluster tiers and Cilium', async () => {
    const json = JSON.parse((await run('analyze', folder(...cluster, noWebToApi), '--output', 'json')).out);
    const flow = json.flows.find((f: any) => f.from === 'shop/web' && f.to === 'shop/api');
    expect(flow.summary).toBe(EVERY_PORT_BUT_8080);
    expect(json.pods.find((p: any) => p.pod === 'shop/api')).toMatchObject({ ingressIsolated: false, ingressClusterPolicies: ['AdminNetworkPolicy no-web-to-api'], egressClusterPolicies: [] });
    const text = (await run('analyze', folder(...cluster, noWebToApi))).out;
    expect(text).toContain('  shop/api\n    ingress: not isolated by a NetworkPolicy; cluster tiers: AdminNetworkPolicy no-web-to-api\n    egress:  NOT isolated (all egress allowed)\n');
    expect(text).toContain(`  shop/web -> shop/api: ${EVERY_PORT_BUT_8080}\n`);
    const invariants = path.join(folder(), 'invariants.yaml');
    fs.writeFileSync(invariants, yaml.stringify({ invariants: [{ name: 'web never reaches api on 8080', allowed: 'never', from: [{ namespace: 'shop', podSelector: { matchLabels: { app: 'web' } } }], to: [{ namespace: 'shop', podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 8080 }] }] }));
    const proof = (await run('analyze', folder(...cluster, noWebToApi), '--invariants', invariants, '--output', 'proof')).out;
    expect(proof).toContain('invariants held: 1 of 1');
    expect(proof).toContain(`Allowed flows that a policy restricts: 1\n  shop/web -> shop/api: ${EVERY_PORT_BUT_8080}\n`);
    expect(proof).toContain('so every flow among them and with addresses outside the cluster is allowed):\n  shop/web\n  monitoring/prometheus\n');
    const cilium = (await run('analyze', folder(...cluster, apiFromPrometheus))).out;
    expect(cilium).toContain('    ingress: isolated by CiliumNetworkPolicy shop/api-from-prometheus\n');
    expect(cilium).toContain('  monitoring/prometheus -> shop/api: TCP 8080\n');
    expect(cilium).not.toContain('  shop/web -> shop/api');
  });
});
