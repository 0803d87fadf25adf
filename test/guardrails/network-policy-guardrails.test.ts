import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { build } from '../../examples/three-tier/main';
import { AllowFrom, DefaultDeny, FindingSeverity, LabelSelector, NetworkPolicyGuardrails, OwnedNamespaces, Peer, Port, Workload } from '../../src';

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
    const guardrails = new NetworkPolicyGuardrails(chart, 'guardrails', { rules: ['NP007'], pods: [{ name: 'curl', namespace: 'default', labels: { app: 'curl' } }] });
    new AllowFrom(chart, 'curl-to-web', { to: Workload.fromLabels({ app: 'web' }, { namespace: 'shop' }), from: [Peer.podsIn('default', LabelSelector.matchLabels({ app: 'curl' }))], ports: [Port.HTTP] });
    expect(guardrails.findings()).toEqual([]);
    const without = shop();
    const blind = new NetworkPolicyGuardrails(without, 'guardrails', { rules: ['NP007'] });
    new AllowFrom(without, 'curl-to-web', { to: Workload.fromLabels({ app: 'web' }, { namespace: 'shop' }), from: [Peer.podsIn('default', LabelSelector.matchLabels({ app: 'curl' }))], ports: [Port.HTTP] });
    expect(blind.findings().map((f) => `${f.id} ${f.subject}`)).toEqual(['NP007 shop/web-netpol']);
  });

  describe('coverage findings (NP001-NP004) are about the namespaces the app owns', () => {
    /** A payments app (a chart of its namespace, a default deny) that knows two namespaces only as context. */
    function payments(props: { coverUnownedNamespaces?: boolean } = {}): NetworkPolicyGuardrails {
      const chart = new Chart(Testing.app(), 'payments', { namespace: 'payments' });
      new kplus.Deployment(chart, 'worker', { containers: [{ image: 'worker', portNumber: 8080 }] });
      new DefaultDeny(chart, 'deny');
      return new NetworkPolicyGuardrails(chart, 'guardrails', {
        rules: ['NP001', 'NP002', 'NP003', 'NP004'],
        pods: [{ name: 'kafka-0', namespace: 'kafka' }, { name: 'controller', namespace: 'ingress-nginx' }],
        ...props,
      });
    }

    test('by default, not for namespaces known only as context', () => {
      expect(payments().findings()).toEqual([]);
    });

    test('coverUnownedNamespaces: true covers every namespace the analysis sees', () => {
      expect(payments({ coverUnownedNamespaces: true }).findings().map((f) => `${f.id} ${f.subject}`).sort()).toEqual([
        'NP001 ingress-nginx/controller', 'NP001 kafka/kafka-0', 'NP002 ingress-nginx/controller', 'NP002 kafka/kafka-0',
        'NP003 ingress-nginx', 'NP003 kafka', 'NP004 ingress-nginx', 'NP004 kafka',
      ]);
    });

    test('a namespace declared with OwnedNamespaces is covered', () => {
      const guardrails = payments();
      new OwnedNamespaces(guardrails, 'owned', { namespaces: ['kafka'] });
      expect(guardrails.findings().map((f) => `${f.id} ${f.subject}`).sort()).toEqual(['NP001 kafka/kafka-0', 'NP002 kafka/kafka-0', 'NP003 kafka', 'NP004 kafka']);
    });
  });

  test('each finding is printed once per synth, whatever the number of charts', async () => {
    const app = Testing.app();
    const web = shop(app);
    for (const namespace of ['orders', 'billing']) new Chart(app, namespace, { namespace });
    new NetworkPolicyGuardrails(web, 'guardrails', { skipRules: ['NP008'] });
    app.synth();
    const lines = printed().split('\n').filter((line) => line !== '');
    expect(lines.filter((line) => line.startsWith('[warning] NP009 shop/web:'))).toHaveLength(1);
    expect(new Set(lines).size).toBe(lines.length);
    // A synth in the same synchronous run prints nothing new; a later one prints them again.
    app.synth();
    expect(printed().split('\n').filter((line) => line.startsWith('[warning] NP009 shop/web:'))).toHaveLength(1);
    await Promise.resolve();
    app.synth();
    expect(printed().split('\n').filter((line) => line.startsWith('[warning] NP009 shop/web:'))).toHaveLength(2);
  });

  test('a policy kind the analyzer does not model is a warning at synth (NP021), naming the object', () => {
    const chart = shop();
    new ApiObject(chart, 'antrea', { apiVersion: 'crd.antrea.io/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'l7', namespace: 'shop' }, spec: {} });
    const guardrails = new NetworkPolicyGuardrails(chart, 'guardrails', { skipRules: ['NP008'] });
    expect(() => Testing.synth(chart)).not.toThrow();
    expect(printed()).toContain('[warning] NP021 shop/l7: NetworkPolicy shop/l7 is not modelled, so every verdict ignores it: an Antrea policy');
    expect(guardrails.findings().map((f) => `${f.id} ${f.subject}`)).toContain('NP021 shop/l7');
  });

  test('bad configuration fails where it is written', () => {
    expect(() => new NetworkPolicyGuardrails(shop(), 'g', { rules: ['NP404'] })).toThrow(/^FindingOptions.rules: no finding rule 'NP404'/);
    expect(() => new NetworkPolicyGuardrails(shop(), 'g', { podCidrs: ['10.0.0.0'] })).toThrow(/^FindingOptions.podCidrs: '10.0.0.0'/);
    expect(() => new NetworkPolicyGuardrails(shop(), 'g').suppress('NP008', 'shop/web', ' ')).toThrow("NetworkPolicyGuardrails 'shop/g': suppression of NP008 for 'shop/web' needs a reason, so reviewers know why it is accepted");
    expect(() => new NetworkPolicyGuardrails(shop(), 'g').suppress('NP999', 'x', 'y')).toThrow(/no finding rule 'NP999' to suppress/);
  });
});
