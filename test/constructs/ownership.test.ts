import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { AllowFrom, AllowTo, DefaultDeny, LabelSelector, OwnedNamespaces, Peer, Port, Workload } from '../../src';
import { PodDeclaration, Reachability } from '../../src/analyzer';
import { KUBE_DNS } from '../support/cluster';
import { expectFlowTable } from '../support/flow-table';
import { expectValidManifests, synthValid } from '../support/validate-manifests';

/**
 * The kafka case of issue 11: a payments worker produces to Kafka, which runs in a namespace the app
 * does not own and has another client (analytics). Writing Kafka's ingress side would cut that client off.
 */
const KAFKA = Peer.podsIn('kafka', LabelSelector.matchLabels({ app: 'kafka' }));
const CLUSTER: { [alias: string]: PodDeclaration } = {
  worker: { namespace: 'payments', name: 'worker', labels: { app: 'worker' } },
  kafka: { namespace: 'kafka', name: 'kafka-0', labels: { app: 'kafka' } },
  analytics: { namespace: 'analytics', name: 'consumer', labels: { app: 'consumer' } },
  dns: KUBE_DNS,
};
const IDS = Object.fromEntries(Object.entries(CLUSTER).map(([alias, pod]) => [alias, `${pod.namespace}/${pod.name}`]));
const WORKER = Workload.fromLabels({ app: 'worker' });

/** An app whose payments chart lets the worker produce to Kafka; `grant` adds props to the AllowTo. */
function paymentsApp(grant: { writeUnownedNamespaces?: boolean } = {}): { app: App; payments: Chart } {
  const app = Testing.app();
  const payments = new Chart(app, 'payments', { namespace: 'payments' });
  new DefaultDeny(payments, 'deny');
  new AllowTo(payments, 'worker-to-kafka', { from: WORKER, to: [KAFKA], ports: [Port.KAFKA], ...grant });
  return { app, payments };
}

/** What `objects` allow between the cluster's pods. */
function reachability(objects: any[]): Reachability {
  const reach = Reachability.fromManifests(objects);
  for (const pod of Object.values(CLUSTER)) reach.addPod(pod);
  return reach;
}

/** `namespace/name` of every NetworkPolicy among `objects`. */
function policyIds(objects: any[]): string[] {
  return objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
}

function requestFile(app: App, namespace: string): string {
  return path.join(app.outdir, 'flow-requests', `${namespace}.yaml`);
}

describe('ownership: the other side of a flow goes only into namespaces the app owns', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => stderr.mockRestore());
  const printed = (): string[] => stderr.mock.calls.map((c) => String(c[0]));

  test('the kafka case: no policy is written in kafka, so its other clients keep reaching it', () => {
    const { app } = paymentsApp();
    const objects = synthValid(app);
    expect(policyIds(objects)).toEqual(['payments/all-pods-netpol', 'payments/worker-netpol']);
    // The worker reaches Kafka (and DNS) only; Kafka stays open to analytics, as before the app came.
    expectFlowTable(reachability(objects), IDS, `
      from\\to   worker  kafka  analytics  dns
      worker     all     9092   -          53,53/udp
      kafka      -       all    all        all
      analytics  -       all    all        all
      dns        -       all    all        all
    `);
  });

  test('writeUnownedNamespaces: true writes it anyway, which cuts analytics off kafka (what every grant did before)', () => {
    const { app } = paymentsApp({ writeUnownedNamespaces: true });
    const objects = synthValid(app);
    expect(policyIds(objects)).toEqual(['payments/all-pods-netpol', 'payments/worker-netpol', 'kafka/kafka-netpol']);
    expectFlowTable(reachability(objects), IDS, `
      from\\to   worker  kafka  analytics  dns
      worker     all     9092   -          53,53/udp
      kafka      -       all    all        all
      analytics  -       -      all        all
      dns        -       -      all        all
    `);
    expect(fs.existsSync(path.join(app.outdir, 'flow-requests'))).toBe(false);
    expect(printed()).toEqual([]);
  });

  test('synth warns once, naming the grant, the flow, the file and the opt-ins', () => {
    const { app } = paymentsApp();
    // Three charts: cdk8s validates the app once per synth and once more per chart.
    new Chart(app, 'orders', { namespace: 'orders' });
    new Chart(app, 'billing', { namespace: 'billing' });
    app.synth();
    expect(printed()).toEqual([
      "[warning] AllowTo 'payments/worker-to-kafka': the flow payments/worker -> kafka/kafka on 9092/TCP needs ingress allowed in namespace 'kafka', "
      + 'which this app does not own (no chart has it as namespace, no construct targets it). That policy is not written: it would isolate kafka/kafka '
      + `and cut off its other clients. It is requested in ${requestFile(app, 'kafka')} for the namespace's owner to apply. `
      + 'To write it anyway, set writeUnownedNamespaces: true on the grant, or declare the namespace with OwnedNamespaces\n',
    ]);
  });

  test("the flow request: the policy kafka's owner has to apply, valid, and doing what its header says", () => {
    const { app } = paymentsApp();
    app.synth();
    const text = fs.readFileSync(requestFile(app, 'kafka'), 'utf8');
    expect(text).toMatchSnapshot();
    const requested = yaml.parseAllDocuments(text).map((d) => d.toJS());
    expectValidManifests(requested);
    expect(policyIds(requested)).toEqual(['kafka/kafka-netpol']);
    // Applied as it is, it isolates Kafka: the worker gets in, analytics no longer does.
    const reach = reachability([...synthValid(app), ...requested]);
    expect(reach.isAllowed(IDS.worker, IDS.kafka, Port.KAFKA)).toBe(true);
    expect(reach.isAllowed(IDS.analytics, IDS.kafka, Port.KAFKA)).toBe(false);
  });

  test('AllowFrom: a source in a namespace the app does not own gets an egress request, not a policy', () => {
    const app = Testing.app();
    const payments = new Chart(app, 'payments', { namespace: 'payments' });
    new AllowFrom(payments, 'kafka-to-worker', { to: WORKER, from: [KAFKA], ports: [Port.tcp(8080)] });
    expect(policyIds(synthValid(app))).toEqual(['payments/worker-netpol']);
    expect(printed().join('')).toContain("[warning] AllowFrom 'payments/kafka-to-worker': the flow kafka/kafka -> payments/worker on 8080/TCP needs egress allowed in namespace 'kafka'");
    expect(printed().join('')).toContain('it would isolate kafka/kafka and cut off its other destinations');
    const requested = yaml.parseAllDocuments(fs.readFileSync(requestFile(app, 'kafka'), 'utf8')).map((d) => d.toJS());
    expect(requested.map((p) => p.spec.policyTypes)).toEqual([['Egress']]);
    // The request keeps DNS, as the policy the app would have written does.
    const reach = reachability(requested);
    expect(reach.isAllowed(IDS.kafka, IDS.worker, Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed(IDS.kafka, IDS.dns, Port.DNS_UDP)).toBe(true);
    expect(reach.isAllowed(IDS.kafka, IDS.analytics, Port.tcp(8080))).toBe(false);
  });

  describe('ownership is settled at synth, whatever the order', () => {
    test('a chart of the namespace made after the grant owns it: the policy is written, into that chart', () => {
      const { app } = paymentsApp();
      const kafka = new Chart(app, 'kafka', { namespace: 'kafka' });
      expect(policyIds(synthValid(app))).toEqual(['payments/all-pods-netpol', 'payments/worker-netpol', 'kafka/kafka-netpol']);
      expect(policyIds(Testing.synth(kafka))).toEqual(['kafka/kafka-netpol']);
      expect(printed()).toEqual([]);
      expect(fs.existsSync(path.join(app.outdir, 'flow-requests'))).toBe(false);
    });

    test('a construct targeting the namespace, made after the grant, owns it', () => {
      const { app, payments } = paymentsApp();
      new DefaultDeny(payments, 'deny-kafka-ingress', { namespace: 'kafka' });
      expect(policyIds(synthValid(app))).toEqual(['payments/all-pods-netpol', 'payments/worker-netpol', 'kafka/kafka-netpol', 'kafka/all-pods-netpol']);
      expect(printed()).toEqual([]);
    });

    test('OwnedNamespaces declares a namespace for the whole app, before or after the grant', () => {
      const before = Testing.app();
      new OwnedNamespaces(before, 'owned', { namespaces: ['kafka'] });
      const payments = new Chart(before, 'payments', { namespace: 'payments' });
      new AllowTo(payments, 'worker-to-kafka', { from: WORKER, to: [KAFKA], ports: [Port.KAFKA] });
      const { app: after, payments: afterPayments } = paymentsApp();
      new OwnedNamespaces(afterPayments, 'owned', { namespaces: ['kafka'] });
      expect(policyIds(synthValid(before))).toEqual(['payments/worker-netpol', 'kafka/kafka-netpol']);
      expect(policyIds(synthValid(after))).toContain('kafka/kafka-netpol');
      expect(printed()).toEqual([]);
    });

    test('objects the app merely writes into a namespace do not make it the app\'s', () => {
      const { app, payments } = paymentsApp();
      new kplus.ConfigMap(payments, 'dashboard', { metadata: { namespace: 'kafka' }, data: { 'dashboard.json': '{}' } });
      expect(policyIds(synthValid(app))).not.toContain('kafka/kafka-netpol');
    });
  });

  test('OwnedNamespaces: an empty list or a bad name is an error naming the construct', () => {
    expect(() => new OwnedNamespaces(Testing.app(), 'owned', { namespaces: [] })).toThrow(/^owned: namespaces is empty, so it would declare nothing\. Name the namespaces/);
    expect(() => new OwnedNamespaces(Testing.app(), 'owned', { namespaces: ['Kafka'] })).toThrow(/^owned: namespaces\[0\] 'Kafka' must be a DNS-1123 label.*\. Use the namespace's name as Kubernetes has it/);
    // From JavaScript, without types to stop it:
    expect(() => new OwnedNamespaces(Testing.app(), 'owned', { namespaces: 'kafka' } as any)).toThrow("owned: namespaces must be a list of namespace names, got 'kafka'. Wrap it in a list: ['kafka']");
    expect(() => new OwnedNamespaces(Testing.app(), 'owned', undefined as any)).toThrow("owned: no props given, but namespaces is required. Pass { namespaces: ['shop-prod'] }");
  });
});
