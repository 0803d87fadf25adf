import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { DnsResolver, LabelSelector, OwnedNamespaces, Peer, Port, ThreeTierApp, ThreeTierAppProps, Tier, Workload } from '../../src';
import { PodDeclaration } from '../../src/analyzer';
import { chartIn, chartWithoutNamespace, KUBE_DNS, policiesOf, reachabilityOf } from '../support/cluster';
import { expectFlowTable } from '../support/flow-table';

const TIERS = {
  frontend: Workload.fromLabels({ tier: 'frontend' }),
  backend: Workload.fromLabels({ tier: 'backend' }),
  database: Workload.fromLabels({ tier: 'database' }),
};

/**
 * The cluster around an app in namespace `shop`: its tiers, an unrelated pod next to them, the
 * ingress controller, a pod labelled like the frontend in another namespace, and the cluster DNS.
 * Every pod has an in-cluster IP, so IP-block rules are checked against pods too.
 */
const SHOP: { [alias: string]: PodDeclaration } = {
  nginx: { namespace: 'ingress-nginx', name: 'controller', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ips: ['10.0.1.1'] },
  front: { namespace: 'shop', name: 'frontend', labels: { tier: 'frontend' }, ips: ['10.0.2.1'] },
  back: { namespace: 'shop', name: 'backend', labels: { tier: 'backend' }, ips: ['10.0.2.2'] },
  db: { namespace: 'shop', name: 'database', labels: { tier: 'database' }, ips: ['10.0.2.3'] },
  other: { namespace: 'shop', name: 'other', labels: { app: 'other' }, ips: ['10.0.2.4'] },
  far: { namespace: 'elsewhere', name: 'far', labels: { tier: 'frontend' }, ips: ['10.0.3.1'] },
  dns: { ...KUBE_DNS, ips: ['10.0.0.10'] },
};

/**
 * Synthesizes (validating every manifest), snapshots the policies as YAML, and returns what they allow with
 * the `declared` pods added, and those pods' ids by alias.
 */
function analyze(chart: Chart, declared: { [alias: string]: PodDeclaration }) {
  expect(yaml.stringify(policiesOf(chart))).toMatchSnapshot();
  const reach = reachabilityOf(chart, Object.values(declared));
  const ids = Object.fromEntries(Object.entries(declared).map(([alias, pod]) => [alias, `${pod.namespace}/${pod.name}`]));
  return { reach, ids };
}

function shopApp(props: Partial<ThreeTierAppProps> = {}): Chart {
  const chart = chartIn('shop');
  new ThreeTierApp(chart, 'app', { ...TIERS, ...props });
  return chart;
}

describe('ThreeTierApp', () => {
  test('one namespace: ingress controller to frontend on 80/443, frontend to backend on 8080, backend to database on 5432, DNS, nothing else', () => {
    const { reach, ids } = analyze(shopApp(), SHOP);
    expectFlowTable(reach, ids, `
      from\\to  nginx  front   back  db    other  far  dns
      nginx     all    80,443  -     -     all    all  all
      front     -      all     8080  -     -      -    53,53/udp
      back      -      -       all   5432  -      -    53,53/udp
      db        -      -       -     all   -      -    53,53/udp
      other     all    -       -     -     all    all  all
      far       all    -       -     -     all    all  all
      dns       all    -       -     -     all    all  all
    `);
  });

  test('the namespace prop places tiers that name none; the chart needs no namespace', () => {
    const chart = chartWithoutNamespace();
    new ThreeTierApp(chart, 'app', { ...TIERS, namespace: 'shop' });
    const { reach, ids } = analyze(chart, SHOP);
    expect(reach.isAllowed(ids.front, ids.back, Port.tcp(8080))).toBe(true);
    expect(reach.isAllowed(ids.front, ids.db, Port.POSTGRES)).toBe(false);
  });

  test('one namespace per tier, with cdk8s-plus-28 Deployments as tiers', () => {
    const chart = chartWithoutNamespace();
    const deployment = (name: string, namespace: string, port: number) =>
      Workload.of(new kplus.Deployment(chart, name, { metadata: { name, namespace }, containers: [{ image: `example/${name}`, portNumber: port }] }));
    new ThreeTierApp(chart, 'app', {
      frontend: deployment('frontend', 'web', 80),
      backend: deployment('backend', 'api', 8080),
      database: deployment('database', 'data', 5432),
    });
    const { reach } = analyze(chart, {
      nginx: SHOP.nginx,
      webOther: { namespace: 'web', name: 'other', labels: { app: 'other' } },
      apiOther: { namespace: 'api', name: 'other', labels: { app: 'other' } },
      dataOther: { namespace: 'data', name: 'other', labels: { app: 'other' } },
      far: SHOP.far,
      dns: SHOP.dns,
    });
    const ids = {
      nginx: 'ingress-nginx/controller',
      front: 'web/frontend',
      back: 'api/backend',
      db: 'data/database',
      webOther: 'web/other',
      apiOther: 'api/other',
      dataOther: 'data/other',
      far: 'elsewhere/far',
      dns: 'kube-system/coredns',
    };
    expectFlowTable(reach, ids, `
      from\\to   nginx  front   back  db    webOther  apiOther  dataOther  far  dns
      nginx      all    80,443  -     -     all       all       all        all  all
      front      -      all     8080  -     -         -         -          -    53,53/udp
      back       -      -       all   5432  -         -         -          -    53,53/udp
      db         -      -       -     all   -         -         -          -    53,53/udp
      webOther   all    -       -     -     all       all       all        all  all
      apiOther   all    -       -     -     all       all       all        all  all
      dataOther  all    -       -     -     all       all       all        all  all
      far        all    -       -     -     all       all       all        all  all
      dns        all    -       -     -     all       all       all        all  all
    `);
  });

  test('tiers as whole namespaces: every pod of each tier namespace, both sides still written', () => {
    const chart = chartWithoutNamespace();
    new ThreeTierApp(chart, 'app', { frontend: Workload.allPods('web'), backend: Workload.allPods('api'), database: Workload.allPods('data') });
    const { reach, ids } = analyze(chart, {
      nginx: SHOP.nginx,
      front: { namespace: 'web', name: 'frontend', labels: { app: 'frontend' } },
      back: { namespace: 'api', name: 'backend', labels: { app: 'backend' } },
      db: { namespace: 'data', name: 'database', labels: { app: 'database' } },
      far: SHOP.far,
      dns: SHOP.dns,
    });
    expectFlowTable(reach, ids, `
      from\\to  nginx  front   back  db    far  dns
      nginx     all    80,443  -     -     all  all
      front     -      all     8080  -     -    53,53/udp
      back      -      -       all   5432  -    53,53/udp
      db        -      -       -     all   -    53,53/udp
      far       all    -       -     -     all  all
      dns       all    -       -     -     all  all
    `);
  });

  test('a custom ingress controller namespace replaces ingress-nginx', () => {
    const { reach, ids } = analyze(shopApp({ ingressControllerNamespace: 'traefik' }), {
      ...SHOP,
      traefik: { namespace: 'traefik', name: 'traefik', labels: { app: 'traefik' } },
    });
    expectFlowTable(reach, ids, `
      from\\to  nginx  front   back  db    other  far  dns        traefik
      nginx     all    -       -     -     all    all  all        all
      front     -      all     8080  -     -      -    53,53/udp  -
      back      -      -       all   5432  -      -    53,53/udp  -
      db        -      -       -     all   -      -    53,53/udp  -
      other     all    -       -     -     all    all  all        all
      far       all    -       -     -     all    all  all        all
      dns       all    -       -     -     all    all  all        all
      traefik   all    80,443  -     -     all    all  all        all
    `);
  });

  test('any Peer as the ingress: only the controller pods, on custom ports; they get the matching egress when the app owns their namespace', () => {
    const chart = shopApp({
      ingressPeers: [Peer.podsIn('ingress-nginx', LabelSelector.matchLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }))],
      frontendPorts: [Port.tcp(8443)],
      backendPorts: [Port.tcp(3000)],
      databasePorts: [Port.MYSQL],
    });
    new OwnedNamespaces(chart, 'owned', { namespaces: ['ingress-nginx'] });
    const { reach, ids } = analyze(chart, {
      ...SHOP,
      nginxOther: { namespace: 'ingress-nginx', name: 'default-backend', labels: { app: 'default-backend' } },
    });
    // The controller is now egress-isolated: it reaches the frontend and DNS only.
    expectFlowTable(reach, ids, `
      from\\to    nginx  front  back  db    other  far  dns        nginxOther
      nginx       all    8443   -     -     -      -    53,53/udp  -
      front       -      all    3000  -     -      -    53,53/udp  -
      back        -      -      all   3306  -      -    53,53/udp  -
      db          -      -      -     all   -      -    53,53/udp  -
      other       all    -      -     -     all    all  all        all
      far         all    -      -     -     all    all  all        all
      dns         all    -      -     -     all    all  all        all
      nginxOther  all    -      -     -     all    all  all        all
    `);
  });

  test('extra peers per tier: a monitoring namespace, a pod peer without its egress side, and one with it', () => {
    const prometheus = LabelSelector.matchLabels({ app: 'prometheus' });
    const chart = shopApp({
      extraIngress: [
        { tier: Tier.FRONTEND, from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] },
        { tier: Tier.BACKEND, from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] },
        { tier: Tier.DATABASE, from: [Peer.podsIn('monitoring', prometheus)], ports: [Port.tcp(9187)], allowSourceEgress: false },
        { tier: Tier.BACKEND, from: [Peer.pods(LabelSelector.matchLabels({ app: 'batch' }))], ports: [Port.tcp(8080)] },
      ],
    });
    const { reach, ids } = analyze(chart, {
      ...SHOP,
      batch: { namespace: 'shop', name: 'batch', labels: { app: 'batch' } },
      prom: { namespace: 'monitoring', name: 'prometheus', labels: { app: 'prometheus' } },
      grafana: { namespace: 'monitoring', name: 'grafana', labels: { app: 'grafana' } },
    });
    expectFlowTable(reach, ids, `
      from\\to  nginx  front   back  db    other  far  dns        batch  prom  grafana
      nginx     all    80,443  -     -     all    all  all        all    all   all
      front     -      all     8080  -     -      -    53,53/udp  -      -     -
      back      -      -       all   5432  -      -    53,53/udp  -      -     -
      db        -      -       -     all   -      -    53,53/udp  -      -     -
      other     all    -       -     -     all    all  all        all    all   all
      far       all    -       -     -     all    all  all        all    all   all
      dns       all    -       -     -     all    all  all        all    all   all
      batch     -      -       8080  -     -      -    53,53/udp  all    -     -
      prom      all    9090    9090  9187  all    all  all        all    all   all
      grafana   all    9090    9090  -     all    all  all        all    all   all
    `);
  });

  test('controlled external egress for the backend: public addresses on 443, never pods or private ranges', () => {
    const { reach, ids } = analyze(shopApp({ backendExternalEgress: { to: [Peer.anyPublicIpv4()] } }), {
      ...SHOP,
      internet: { namespace: 'outside', name: 'payment-provider', ips: ['203.0.113.10'] },
      lan: { namespace: 'outside', name: 'office', ips: ['192.168.1.10'] },
    });
    expectFlowTable(reach, ids, `
      from\\to  nginx  front   back  db    other  far  dns        internet  lan
      nginx     all    80,443  -     -     all    all  all        all       all
      front     -      all     8080  -     -      -    53,53/udp  -         -
      back      -      -       all   5432  -      -    53,53/udp  443       -
      db        -      -       -     all   -      -    53,53/udp  -         -
      other     all    -       -     -     all    all  all        all       all
      far       all    -       -     -     all    all  all        all       all
      dns       all    -       -     -     all    all  all        all       all
      internet  all    -       -     -     all    all  all        all       all
      lan       all    -       -     -     all    all  all        all       all
    `);
  });

  test('external egress on chosen ports to one block', () => {
    const { reach, ids } = analyze(shopApp({ backendExternalEgress: { to: [Peer.ipv4('203.0.113.0/24')], ports: [Port.tcp(8443), Port.HTTPS] } }), {
      back: SHOP.back,
      internet: { namespace: 'outside', name: 'payment-provider', ips: ['203.0.113.10'] },
      other: { namespace: 'outside', name: 'other-provider', ips: ['198.51.100.7'] },
    });
    expectFlowTable(reach, ids, `
      from\\to  back  internet  other
      back      all   443,8443  -
      internet  -     all       all
      other     -     all       all
    `);
  });

  test('custom DNS: every tier reaches the named resolver instead of kube-dns', () => {
    const unbound = Peer.podsIn('dns-system', LabelSelector.matchLabels({ app: 'unbound' }));
    const { reach, ids } = analyze(shopApp({ dns: DnsResolver.custom([unbound], [Port.DNS_UDP, Port.DNS_TCP]) }), {
      ...SHOP,
      unbound: { namespace: 'dns-system', name: 'unbound', labels: { app: 'unbound' } },
    });
    expectFlowTable(reach, ids, `
      from\\to  nginx  front   back  db    other  far  dns  unbound
      nginx     all    80,443  -     -     all    all  all  all
      front     -      all     8080  -     -      -    -    53,53/udp
      back      -      -       all   5432  -      -    -    53,53/udp
      db        -      -       -     all   -      -    -    53,53/udp
      other     all    -       -     -     all    all  all  all
      far       all    -       -     -     all    all  all  all
      dns       all    -       -     -     all    all  all  all
      unbound   all    -       -     -     all    all  all  all
    `);
  });

  test('DnsResolver.none(): the tiers resolve nothing', () => {
    const { reach, ids } = analyze(shopApp({ dns: DnsResolver.none() }), SHOP);
    expect(reach.allowedPorts(ids.front, ids.dns)).toEqual([]);
    expect(reach.allowedPorts(ids.db, ids.dns)).toEqual([]);
    expect(reach.isAllowed(ids.front, ids.back, Port.tcp(8080))).toBe(true);
  });

  test('exposes the tiers with the namespace applied, for flows of your own', () => {
    const app = new ThreeTierApp(chartWithoutNamespace(), 'app', { ...TIERS, namespace: 'shop' });
    expect(app.frontend.namespace).toBe('shop');
    expect(app.backend.toString()).toBe('shop/tier=backend');
    expect(app.database.namespace).toBe('shop');
  });

  describe('bad input', () => {
    test('both an ingress controller namespace and ingress peers', () => {
      expect(() => shopApp({ ingressControllerNamespace: 'traefik', ingressPeers: [Peer.namespace('haproxy')] })).toThrow(
        "shop/app: ingressControllerNamespace 'traefik' and ingressPeers are both set. Give one of them: ingressPeers replaces the ingress controller namespace");
    });

    test('two tiers on the same pods', () => {
      expect(() => shopApp({ database: Workload.fromLabels({ tier: 'backend' }) })).toThrow(
        'shop/app: backend and database are the same pods (shop/tier=backend). Give each tier its own labels or workload, so that each gets only its own flows');
    });

    test('an invalid ingress controller namespace names the construct and the prop', () => {
      expect(() => shopApp({ ingressControllerNamespace: 'Ingress Nginx' })).toThrow(
        "shop/app: ingressControllerNamespace 'Ingress Nginx' must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit. Use the namespace's name as Kubernetes has it, e.g. 'shop-prod'");
    });

    test('a whole-namespace tier sharing its namespace with another tier', () => {
      // Its policy would select the other tier's pods too: the database would reach the backend.
      expect(() => shopApp({ frontend: Workload.allPods() })).toThrow(
        "shop/app: frontend is every pod of namespace 'shop', which includes the backend pods, so backend would get frontend's flows too. Give frontend its own labels, or move it to a namespace of its own");
      expect(() => shopApp({ database: Workload.allPods('shop') })).toThrow(
        "shop/app: database is every pod of namespace 'shop', which includes the frontend pods, so frontend would get database's flows too");
    });

    test('a tier namespace that conflicts with the namespace prop', () => {
      expect(() => new ThreeTierApp(chartWithoutNamespace(), 'app', { ...TIERS, namespace: 'shop', frontend: Workload.fromLabels({ tier: 'frontend' }, { namespace: 'web' }) }))
        .toThrow("no-namespace/app: namespace 'shop' conflicts with the workload's namespace 'web'. Give the namespace on one of them only");
    });

    test('no namespace anywhere', () => {
      expect(() => new ThreeTierApp(chartWithoutNamespace(), 'app', TIERS)).toThrow(
        /no-namespace\/app: Workload.fromSelector\('tier=frontend'\) has no namespace, and the chart 'no-namespace' has none either/);
    });

    test('nothing is emitted when the props are rejected', () => {
      const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
      expect(() => new ThreeTierApp(chart, 'app', { ...TIERS, database: TIERS.backend })).toThrow();
      expect(policiesOf(chart)).toEqual([]);
    });
  });
});
