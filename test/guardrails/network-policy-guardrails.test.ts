import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { build } from '../../examples/three-tier/main';
import { FindingSeverity, NetworkPolicyGuardrails } from '../../src';

function shop(app: App = Testing.app()): Chart {
  const chart = new Chart(app, 'shop');
  new ApiObject(chart, 'web', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
  });
  new ApiObject(chart, 'deny', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny', namespace: 'shop' },
    spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
  });
  return chart;
}

describe('NetworkPolicyGuardrails', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => stderr.mockRestore());
  const printed = (): string => stderr.mock.calls.map((c) => String(c[0])).join('');

  test('fails synth on errors, naming the finding, the objects, the fix and how to accept it', () => {
    const chart = shop();
    new NetworkPolicyGuardrails(chart, 'guardrails');
    expect(() => Testing.synth(chart)).toThrow(/\[shop\/guardrails\] NP008 egress-blocks-dns-udp \(error\): Deployment shop\/web is isolated for egress by shop\/deny and no egress rule reaches the cluster DNS .* Fix: Allow egress to the cluster DNS .* To accept it: suppress\('NP008', 'shop\/web', 'why'\)/);
  });

  test('prints warnings and passes when the errors are suppressed with a reason', () => {
    const chart = shop();
    const guardrails = new NetworkPolicyGuardrails(chart, 'guardrails').suppress('NP008', 'shop/web', 'web resolves nothing');
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(printed()).toContain('[warning] NP009 shop/web: Deployment shop/web is isolated for egress by shop/deny');
    expect(guardrails.findings().map((f) => `${f.id} ${f.subject}`)).toEqual(['NP009 shop/web']);
    expect(guardrails.suppressions).toEqual([{ id: 'NP008', subject: 'shop/web', reason: 'web resolves nothing' }]);
    expect(guardrails.report()).toContain('| NP008 | shop/web | web resolves nothing | 1 |');
  });

  test('failOn and warnOn thresholds; rule selection', () => {
    const strict = shop();
    new NetworkPolicyGuardrails(strict, 'guardrails', { failOn: FindingSeverity.WARNING, suppressions: [{ id: 'NP008', subject: '*', reason: 'no DNS' }] });
    expect(() => Testing.synth(strict)).toThrow(/NP009 egress-blocks-dns-tcp \(warning\)/);
    const quiet = shop();
    new NetworkPolicyGuardrails(quiet, 'guardrails', { warnOn: FindingSeverity.ERROR, skipRules: ['NP008'] });
    expect(() => Testing.synth(quiet)).not.toThrow();
    expect(printed()).toBe('');
  });

  test('writes the Markdown report next to the manifests at synth', () => {
    const app = Testing.app();
    new NetworkPolicyGuardrails(shop(app), 'guardrails', { reportFile: 'netpol-report.md', skipRules: ['NP008'] });
    app.synth();
    const report = fs.readFileSync(path.join(app.outdir, 'netpol-report.md'), 'utf8');
    expect(report).toMatch(/^# NetworkPolicy report\n\n1 pods, 0 allowed flows/);
    expect(report).toContain('| shop/web | Deployment | isolated (shop/deny) | isolated (shop/deny) |');
  });

  test('the three-tier example passes the default guardrails: only an info about the ingress controller living elsewhere', () => {
    const app = build(Testing.app());
    const guardrails = new NetworkPolicyGuardrails(app.charts[0], 'guardrails');
    expect(() => app.synth()).not.toThrow();
    expect(guardrails.findings().map((f) => `${f.id} ${f.subject}`)).toEqual(['NP007 frontend/frontend-netpol']);
    expect(guardrails.findings().find((f) => f.id === 'NP007')!.message).toBe("NetworkPolicy 'frontend/frontend-netpol': spec.ingress[0].from[0] (namespaceSelector kubernetes.io/metadata.name=ingress-nginx) matches no pod of the manifests; it may match pods in namespace 'ingress-nginx', which the manifests do not hold");
  });

  test('declared pods join the analysis', () => {
    const chart = shop();
    const guardrails = new NetworkPolicyGuardrails(chart, 'guardrails', { rules: ['NP001'], pods: [{ name: 'curl', namespace: 'default' }] });
    expect(guardrails.findings().map((f) => f.subject)).toEqual(['default/curl']);
  });

  test('a policy kind the analyzer does not model is a warning at synth (NP021), naming the object', () => {
    const chart = shop();
    new ApiObject(chart, 'cilium', { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'l7', namespace: 'shop' }, spec: {} });
    const guardrails = new NetworkPolicyGuardrails(chart, 'guardrails', { skipRules: ['NP008'] });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(printed()).toContain('[warning] NP021 shop/l7: CiliumNetworkPolicy shop/l7 is not modelled, so every verdict ignores it: a Cilium policy');
    expect(guardrails.findings().map((f) => `${f.id} ${f.subject}`)).toContain('NP021 shop/l7');
  });

  test('bad configuration fails where it is written', () => {
    expect(() => new NetworkPolicyGuardrails(shop(), 'g', { rules: ['NP404'] })).toThrow(/^FindingOptions.rules: no finding rule 'NP404'/);
    expect(() => new NetworkPolicyGuardrails(shop(), 'g', { podCidrs: ['10.0.0.0'] })).toThrow(/^FindingOptions.podCidrs: '10.0.0.0'/);
    expect(() => new NetworkPolicyGuardrails(shop(), 'g').suppress('NP008', 'shop/web', ' ')).toThrow("NetworkPolicyGuardrails 'shop/g': suppression of NP008 for 'shop/web' needs a reason, so reviewers know why it is accepted");
    expect(() => new NetworkPolicyGuardrails(shop(), 'g').suppress('NP999', 'x', 'y')).toThrow(/no finding rule 'NP999' to suppress/);
  });
});
