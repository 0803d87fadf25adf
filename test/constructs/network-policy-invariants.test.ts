import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import {
  DefaultDeny, FindingSeverity, Invariant, LabelSelector, NetworkPolicyGuardrails, NetworkPolicyInvariants, Peer, PolicyBackend, PolicyDirection,
  Port, ThreeTierApp, Workload, ZeroTrustNamespace,
} from '../../src';

function shop(): { app: App; chart: Chart; tiers: ThreeTierApp } {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const tiers = new ThreeTierApp(chart, 'app', {
    frontend: Workload.fromLabels({ tier: 'frontend' }),
    backend: Workload.fromLabels({ tier: 'backend' }),
    database: Workload.fromLabels({ tier: 'database' }),
  });
  return { app, chart, tiers };
}

function synthError(app: App): string {
  try {
    app.synthYaml();
  } catch (e: any) {
    return e.message;
  }
  throw new Error('synth succeeded');
}

describe('NetworkPolicyInvariants', () => {
  test('ThreeTierApp alone: its invariants hold and synth succeeds', () => {
    const { app } = shop();
    expect(() => app.synthYaml()).not.toThrow();
    expect(NetworkPolicyInvariants._specs(app).map((s) => `${s.declaredBy}: ${s.name}`)).toEqual([
      'shop/app/FrontendDeny/Invariants: shop/frontend keeps reaching DNS (kube-dns: pods k8s-app=kube-dns in kube-system)',
      'shop/app/BackendDeny/Invariants: shop/backend keeps reaching DNS (kube-dns: pods k8s-app=kube-dns in kube-system)',
      'shop/app/DatabaseDeny/Invariants: shop/database keeps reaching DNS (kube-dns: pods k8s-app=kube-dns in kube-system)',
      'shop/app/Invariants: the frontend never reaches the database',
      'shop/app/Invariants: the database reaches nothing but DNS',
      'shop/app/Invariants: nothing but the ingress reaches the frontend',
    ]);
  });

  test('ThreeTierApp + ZeroTrustNamespace({ allowWithinNamespace }) over its namespace fails synth, naming the rule that opens frontend -> database', () => {
    const { app, chart } = shop();
    new ZeroTrustNamespace(chart, 'locked-down', { allowWithinNamespace: true });
    const message = synthError(app);
    expect(message).toContain("[shop/app/Invariants] invariant 'the frontend never reaches the database' (declared by shop/app/Invariants) is violated: it must never be allowed, and 1 of the 1 pairs it covers are allowed");
    expect(message).toContain('shop/assumed-frontend -> shop/assumed-database on TCP all; UDP all; SCTP all:');
    expect(message).toContain('ALLOWED: shop/assumed-frontend -> shop/assumed-database on 1/TCP');
    expect(message).toContain('allowed by NetworkPolicy shop/all-pods-netpol egress[');
    expect(message).toContain('allowed by NetworkPolicy shop/all-pods-netpol ingress[');
    expect(message).toContain('NetworkPolicy shop/all-pods-netpol egress[1] is written for ZeroTrustNamespace shop/locked-down');
    expect(message).toContain('NetworkPolicy shop/all-pods-netpol ingress[0] is written for ZeroTrustNamespace shop/locked-down');
    expect(message).toContain("invariant 'the database reaches nothing but DNS'");
    expect(message).toContain("invariant 'nothing but the ingress reaches the frontend'");
    // Each pair is explained: the whole-namespace policy is what opens it.
    expect(message).toMatch(/shop\/assumed-backend -> shop\/assumed-frontend on TCP all; UDP all; SCTP all:\n\s+ALLOWED/);
    // The ZeroTrustNamespace's own invariants hold: traffic within the namespace is a flow it declares.
    expect(message).not.toContain('shop/locked-down/Invariants');
  });

  test('pods of the manifests are used when they match, and pods given to the guardrails count as the cluster', () => {
    const { app, chart } = shop();
    new ZeroTrustNamespace(chart, 'locked-down', { allowWithinNamespace: true });
    new NetworkPolicyGuardrails(chart, 'guardrails', {
      pods: [{ namespace: 'shop', name: 'web', labels: { tier: 'frontend' } }, { namespace: 'shop', name: 'db', labels: { tier: 'database' } }],
    });
    expect(synthError(app)).toContain('shop/web -> shop/db on TCP all; UDP all; SCTP all:');
  });

  test('with NetworkPolicyGuardrails, a violated invariant is reported once, and the guardrails still report their findings', () => {
    const { app, chart } = shop();
    new ZeroTrustNamespace(chart, 'locked-down', { allowWithinNamespace: true });
    new NetworkPolicyGuardrails(chart, 'guardrails', { failOn: FindingSeverity.INFO });
    const message = synthError(app);
    expect(message.split("invariant 'the frontend never reaches the database' (declared by shop/app/Invariants) is violated").length - 1).toBe(1);
    expect(message).not.toContain('cannot analyze the manifests');
    expect(message).toContain('[shop/guardrails] NP');
  });

  test('a reachability requirement broken by a new DefaultDeny fails synth, naming the isolation that blocks it', () => {
    const { app, chart, tiers } = shop();
    const ingress = new Chart(app, 'ingress', { namespace: 'ingress-nginx' });
    new NetworkPolicyInvariants(chart, 'requirements', {
      invariants: [Invariant.alwaysAllowed({
        name: 'ingress-nginx reaches the frontend on 443',
        from: [Peer.namespace('ingress-nginx')],
        to: [Peer.workload(tiers.frontend)],
        ports: [Port.HTTPS],
      })],
    });
    expect(() => app.synthYaml()).not.toThrow();

    new DefaultDeny(ingress, 'deny', { directions: [PolicyDirection.EGRESS] });
    const message = synthError(app);
    expect(message).toContain("[shop/requirements] invariant 'ingress-nginx reaches the frontend on 443' (declared by shop/requirements) is violated: it must always be allowed, and 1 of the 1 pairs it covers are denied");
    expect(message).toContain('ingress-nginx/assumed-pod -> shop/assumed-frontend on TCP 443:');
    expect(message).toContain('deny egress of ingress-nginx/assumed-pod: NetworkPolicy tier: isolated by ingress-nginx/all-pods-netpol');
  });

  test('a DefaultDeny without DNS breaks the DNS requirement of another one', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'team', { namespace: 'team' });
    new DefaultDeny(chart, 'deny');
    expect(() => app.synthYaml()).not.toThrow();
    const dns = new Chart(app, 'dns', { namespace: 'kube-system' });
    new DefaultDeny(dns, 'lock-dns', { directions: [PolicyDirection.INGRESS] });
    expect(synthError(app)).toContain("invariant 'team/all-pods keeps reaching DNS (kube-dns: pods k8s-app=kube-dns in kube-system)' (declared by team/deny/Invariants) is violated");
  });

  test('external ranges: an ipBlock peer covers every address outside the cluster it shares', () => {
    const build = (to: Peer): App => {
      const app = Testing.app();
      const chart = new Chart(app, 'shop', { namespace: 'shop' });
      const tiers = new ThreeTierApp(chart, 'app', {
        frontend: Workload.fromLabels({ tier: 'frontend' }),
        backend: Workload.fromLabels({ tier: 'backend' }),
        database: Workload.fromLabels({ tier: 'database' }),
        backendExternalEgress: { to: [to] },
      });
      new NetworkPolicyInvariants(chart, 'metadata', {
        invariants: [Invariant.neverAllowed({ name: 'no pod reaches the cloud metadata service', from: [Peer.workload(tiers.backend)], to: [Peer.ipv4('169.254.169.254/32')] })],
      });
      return app;
    };
    expect(() => build(Peer.anyPublicIpv4()).synthYaml()).not.toThrow();
    const message = synthError(build(Peer.anyIpv4()));
    expect(message).toContain("invariant 'no pod reaches the cloud metadata service'");
    expect(message).toContain('shop/assumed-backend -> 0.0.0.0/0 on TCP 443:');
  });

  test('named ports resolve on the destination, and exemptions leave flows out', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'ns', { namespace: 'ns' });
    new ZeroTrustNamespace(chart, 'zt', { allowWithinNamespace: true });
    new NetworkPolicyInvariants(chart, 'i', {
      invariants: [Invariant.neverAllowed({
        name: 'a reaches b only on 80',
        from: [Peer.pods(LabelSelector.matchLabels({ app: 'a' }))],
        to: [Peer.pods(LabelSelector.matchLabels({ app: 'b' }))],
        except: [{ ports: [Port.HTTP] }],
        ports: [Port.tcpRange(1, 1000)],
      })],
    });
    expect(synthError(app)).toContain('ns/assumed-a -> ns/assumed-b on TCP 1-79, 81-1000:');
  });

  test('bad input is a clear error', () => {
    expect(() => Invariant.neverAllowed({ name: ' ' })).toThrow("Invariant.neverAllowed(' '): the name is empty");
    expect(() => Invariant.neverAllowed({ name: 'x', from: [] })).toThrow("Invariant.neverAllowed('x'): 'from' is empty, so the invariant covers nothing. Leave 'from' out for anything");
    expect(() => Invariant.alwaysAllowed({ name: 'x', from: [Peer.namespace('a')], to: [Peer.namespace('b')], ports: [] }))
      .toThrow("Invariant.alwaysAllowed('x'): 'ports' is empty, so the invariant requires nothing. Name at least one port");
    const chart = new Chart(Testing.app(), 'no-namespace');
    expect(() => new NetworkPolicyInvariants(chart, 'i', { invariants: [Invariant.neverAllowed({ name: 'x', from: [Peer.pods(LabelSelector.matchLabels({ app: 'a' }))] })] }))
      .toThrow("no-namespace/i: pods app=a selects pods in the chart's namespace, and the chart 'no-namespace' has none");
  });

  test('toYaml writes the app\'s invariants in the --invariants file format', () => {
    const { app } = shop();
    const text = NetworkPolicyInvariants.toYaml(app);
    expect(text).toContain('- name: the frontend never reaches the database\n    allowed: never\n    from:\n      - namespace: shop\n        podSelector:\n          matchLabels:\n            tier: frontend');
  });
});

describe('ZeroTrustNamespace invariants', () => {
  test('it declares that nothing but the flows the app declares reaches or leaves its pods, and they hold', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ZeroTrustNamespace(chart, 'locked-down');
    expect(NetworkPolicyInvariants._specs(app).map((s) => `${s.declaredBy}: ${s.name}`)).toEqual([
      'shop/locked-down/Deny/Invariants: shop/all-pods keeps reaching DNS (kube-dns: pods k8s-app=kube-dns in kube-system)',
      'shop/locked-down/Invariants: nothing reaches the pods of shop but the flows the app declares',
      'shop/locked-down/Invariants: the pods of shop reach nothing but DNS and the flows the app declares',
    ]);
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('flows other constructs declare over the namespace count: a ThreeTierApp in a locked-down namespace synthesizes', () => {
    const { app, chart } = shop();
    new ZeroTrustNamespace(chart, 'locked-down');
    expect(() => app.synthYaml()).not.toThrow();
    // The file lists, as exemptions, the declared flows into the namespace: here the ingress to the frontend among them.
    const into = NetworkPolicyInvariants._specs(app).find((s) => s.name === 'nothing reaches the pods of shop but the flows the app declares')!;
    expect(into.except).toContainEqual({
      from: [{ namespace: 'ingress-nginx', podSelector: {} }],
      to: [{ namespace: 'shop', podSelector: { matchLabels: { tier: 'frontend' } } }],
      ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }],
    });
  });

  test('a policy written by other means that opens a pod of the namespace fails synth, naming the rule', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ZeroTrustNamespace(chart, 'locked-down');
    new ApiObject(chart, 'open', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'open-web' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}], policyTypes: ['Ingress'] },
    });
    const message = synthError(app);
    expect(message).toContain("[shop/locked-down/Invariants] invariant 'nothing reaches the pods of shop but the flows the app declares' (declared by shop/locked-down/Invariants) is violated: it must never be allowed, and 3 of the 8 pairs it covers are allowed");
    expect(message).toContain('0.0.0.0/0 -> shop/assumed-web on TCP all; UDP all; SCTP all:');
    expect(message).toContain('ok   ingress of shop/assumed-web: NetworkPolicy tier: isolated by shop/all-pods-netpol, shop/open-web; allowed by NetworkPolicy shop/open-web ingress[0]');
    expect(message).not.toContain('the pods of shop reach nothing but DNS');
  });

  test('DNS names and the API server: declared ones hold on the Cilium backend, and an invariant can name them', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    PolicyBackend.use(app, [PolicyBackend.CILIUM]);
    const web = Workload.fromLabels({ app: 'web' });
    const zeroTrust = new ZeroTrustNamespace(chart, 'zt');
    new NetworkPolicyInvariants(chart, 'i', {
      invariants: [Invariant.neverAllowed({ name: 'web never reaches stripe', from: [Peer.workload(web)], to: [Peer.fqdn('api.stripe.com')] })],
    });
    zeroTrust.allowTo(Peer.fqdn('*.example.com'), [Port.HTTPS], { workload: web });
    zeroTrust.allowTo(Peer.kubeApiServer(), [Port.HTTPS], { workload: web });
    expect(() => app.synthYaml()).not.toThrow();

    zeroTrust.allowTo(Peer.fqdn('api.stripe.com'), [Port.HTTPS], { workload: web });
    const message = synthError(app);
    expect(message).toContain("[shop/i] invariant 'web never reaches stripe' (declared by shop/i) is violated: it must never be allowed, and 1 of the 1 pairs it covers are allowed");
    expect(message).toContain('shop/assumed-web -> api.stripe.com on TCP 443:');
    expect(message).not.toContain('shop/zt/Invariants');
  });
});

describe('NetworkPolicyInvariants at scale', () => {
  /**
   * How many times a synth renders each of the app's objects (its own `toJson`, counted on the
   * prototype), with a DefaultDeny (and so an invariants construct) per namespace, one construct with
   * no invariants, and one chart or a chart per namespace (cdk8s validates the app once more per chart).
   */
  function rendersPerObject(namespaces: number, options: { guardrails?: boolean; chartPerNamespace?: boolean } = {}): number {
    const app = Testing.app();
    const first = new Chart(app, 'teams');
    if (options.guardrails) new NetworkPolicyGuardrails(first, 'guardrails');
    new NetworkPolicyInvariants(first, 'none-yet');
    for (let i = 0; i < namespaces; i++) {
      new DefaultDeny(options.chartPerNamespace ? new Chart(app, `team-${i}`) : first, `deny-${i}`, { namespace: `team-${i}` });
    }
    const objects = app.node.findAll().filter((c) => c instanceof ApiObject).length;
    const renders = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      app.synthYaml();
      return renders.mock.calls.length / objects;
    } finally {
      renders.mockRestore();
    }
  }

  test('a synth renders each object once, for the invariants and the manifests, however many constructs declare invariants', () => {
    expect(rendersPerObject(2)).toBe(1);
    expect(rendersPerObject(6)).toBe(1);
  });

  test('with a chart per namespace, where cdk8s validates the app once per chart, too', () => {
    expect(rendersPerObject(6, { chartPerNamespace: true })).toBe(1);
  });

  test('with NetworkPolicyGuardrails, whose analysis reads the charts inside its own validation, too', () => {
    expect(rendersPerObject(6, { guardrails: true })).toBe(1);
  });

  test('what a synth renders once is handed out as a copy: a chart that edits what it renders edits it once', () => {
    class Stamped extends Chart {
      public toJson(): any[] {
        const objects = super.toJson();
        for (const o of objects) o.metadata.labels = { ...o.metadata.labels, renders: `${Number(o.metadata.labels?.renders ?? 0) + 1}` };
        return objects;
      }
    }
    const app = Testing.app();
    const chart = new Stamped(app, 'team', { namespace: 'team' });
    // The guardrails read the chart (chart.toJson()) before it is written: two calls in one synth.
    new NetworkPolicyGuardrails(chart, 'guardrails', { warnOn: FindingSeverity.ERROR });
    new DefaultDeny(chart, 'deny');
    const yaml = app.synthYaml();
    expect(yaml).toContain('renders: "1"');
    expect(yaml).not.toContain('renders: "2"');
  });

  test('after a synth the objects render afresh: a patch added between two synths is written and checked', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'team', { namespace: 'team' });
    new DefaultDeny(chart, 'deny');
    app.synthYaml();
    const policy = chart.node.findAll().find((c): c is ApiObject => c instanceof ApiObject && c.kind === 'NetworkPolicy')!;
    policy.addJsonPatch(JsonPatch.add('/metadata/annotations', { patched: 'ok' }));
    expect(app.synthYaml()).toContain('patched: ok');
    // A patch that drops the DNS egress rule breaks the DefaultDeny's DNS invariant.
    policy.addJsonPatch(JsonPatch.replace('/spec/egress', []));
    expect(synthError(app)).toContain('keeps reaching DNS');
  });

  test('a construct validated directly after a synth sees what was added since, in the same synchronous run', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'team', { namespace: 'team' });
    const deny = new DefaultDeny(chart, 'deny');
    app.synthYaml();
    new DefaultDeny(new Chart(app, 'dns', { namespace: 'kube-system' }), 'lock-dns', { directions: [PolicyDirection.INGRESS] });
    expect(deny.node.findChild('Invariants').node.validate().join('\n'))
      .toContain("invariant 'team/all-pods keeps reaching DNS (kube-dns: pods k8s-app=kube-dns in kube-system)' (declared by team/deny/Invariants) is violated");
  });
});
