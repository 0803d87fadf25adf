/**
 * Random intents built from our constructs, and the analyzer's verdict on every probe compared with
 * what the intent says should happen. The oracle below knows nothing about NetworkPolicy: it follows
 * the constructs' documented contract.
 *  - the app owns the chart's namespace and those its constructs target (a DefaultDeny's, an
 *    AllowTo's source's, an AllowFrom's destination's); the other side of a grant is written only
 *    in a namespace the app owns;
 *  - a pod is isolated for ingress when its namespace has a DefaultDeny for ingress or some grant
 *    leads to it and writes that side; for egress when its namespace denies egress or some grant
 *    leaves from it and writes that side;
 *  - a declared flow is allowed (each side written or left open), DNS to kube-dns stays open;
 *  - anything else is allowed only if neither side is isolated for its direction.
 */
import * as fc from 'fast-check';
import { AllowFrom, AllowTo, DefaultDeny, PolicyDirection, Peer, Port, Workload } from '../../src';
import { chartIn, KUBE_DNS, reachabilityOf } from '../support/cluster';

const SEED = 20261122;
const RUNS = 150;
const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const GRANT_PORTS = [80, 443, 8080];
const PROBE_PORTS = [Port.tcp(80), Port.tcp(443), Port.tcp(8080), Port.tcp(9999), Port.DNS_UDP];

interface App { readonly namespace: string; readonly app: string }
interface Grant { readonly from: number; readonly to: number; readonly port: number; readonly viaAllowTo: boolean }
interface Intent {
  readonly apps: App[];
  readonly denies: { namespace: string; directions: PolicyDirection[] }[];
  readonly grants: Grant[];
}

const intentArb: fc.Arbitrary<Intent> = fc.record({
  apps: fc.array(fc.constantFrom(...NAMESPACES), { minLength: 2, maxLength: 6 })
    .map((namespaces) => namespaces.map((namespace, i) => ({ namespace, app: `app${i}` }))),
  denies: fc.subarray(NAMESPACES).chain((namespaces) => fc.tuple(...namespaces.map((namespace) => fc.record({
    namespace: fc.constant(namespace),
    directions: fc.constantFrom([PolicyDirection.INGRESS], [PolicyDirection.EGRESS], [PolicyDirection.INGRESS, PolicyDirection.EGRESS]),
  })))),
  grants: fc.array(fc.record({
    from: fc.nat(5), to: fc.nat(5), port: fc.constantFrom(...GRANT_PORTS), viaAllowTo: fc.boolean(),
  }), { maxLength: 8 }),
}).map((intent) => ({
  ...intent,
  grants: intent.grants
    .map((g) => ({ ...g, from: g.from % intent.apps.length, to: g.to % intent.apps.length }))
    .filter((g) => g.from !== g.to),
}));

function build(intent: Intent) {
  const chart = chartIn('ns-a');
  const workload = (a: App) => Workload.fromLabels({ app: a.app }, { namespace: a.namespace });
  intent.denies.forEach((d, i) => new DefaultDeny(chart, `deny${i}`, { namespace: d.namespace, directions: d.directions }));
  intent.grants.forEach((g, i) => {
    const [from, to] = [intent.apps[g.from], intent.apps[g.to]];
    if (g.viaAllowTo) {
      new AllowTo(chart, `grant${i}`, { from: workload(from), to: [Peer.workload(workload(to))], ports: [Port.tcp(g.port)] });
    } else {
      new AllowFrom(chart, `grant${i}`, { to: workload(to), from: [Peer.workload(workload(from))], ports: [Port.tcp(g.port)] });
    }
  });
  const pods = [
    ...intent.apps.map((a) => ({ namespace: a.namespace, name: a.app, labels: { app: a.app } })),
    ...NAMESPACES.map((namespace) => ({ namespace, name: 'stranger', labels: { app: 'stranger' } })),
    KUBE_DNS,
  ];
  return { reach: reachabilityOf(chart, pods), pods };
}

function expected(intent: Intent, from: { namespace: string; name: string }, to: { namespace: string; name: string }, port: Port): boolean {
  if (from.namespace === to.namespace && from.name === to.name) return true;
  const index = (p: { namespace: string; name: string }) => intent.apps.findIndex((a) => a.namespace === p.namespace && a.app === p.name);
  const [src, dst] = [index(from), index(to)];
  const denied = (namespace: string, direction: PolicyDirection) =>
    intent.denies.some((d) => d.namespace === namespace && d.directions.includes(direction));
  const owned = new Set(['ns-a', ...intent.denies.map((d) => d.namespace), ...intent.grants.map((g) => intent.apps[g.viaAllowTo ? g.from : g.to].namespace)]);
  const egressIsolated = denied(from.namespace, PolicyDirection.EGRESS)
    || intent.grants.some((g) => g.from === src && (g.viaAllowTo || owned.has(from.namespace)));
  const ingressIsolated = denied(to.namespace, PolicyDirection.INGRESS)
    || intent.grants.some((g) => g.to === dst && (!g.viaAllowTo || owned.has(to.namespace)));
  const declared = src >= 0 && dst >= 0 && port.protocol === 'TCP' && intent.grants.some((g) => g.from === src && g.to === dst && g.port === port.number);
  const dns = to.name === 'coredns' && port.number === 53;
  return (declared || dns || !egressIsolated) && (declared || !ingressIsolated);
}

describe('constructs against their contract', () => {
  // Grants into namespaces the app does not own warn at synth; the oracle covers what they do.
  let stderr: jest.SpyInstance;
  beforeEach(() => { stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true); });
  afterEach(() => stderr.mockRestore());

  test(`${RUNS} random intents (namespaces, default denies, AllowFrom/AllowTo grants incl. repeats), every pod pair on ${PROBE_PORTS.length} ports (seed ${SEED})`, () => {
    let probes = 0;
    fc.assert(fc.property(intentArb, (intent) => {
      const { reach, pods } = build(intent);
      for (const from of pods) {
        for (const to of pods) {
          for (const port of PROBE_PORTS) {
            probes++;
            const want = expected(intent, from, to, port);
            const got = reach.isAllowed(`${from.namespace}/${from.name}`, `${to.namespace}/${to.name}`, port);
            if (got !== want) {
              throw new Error(`${from.namespace}/${from.name} -> ${to.namespace}/${to.name} on ${port}: analyzer says ${got}, intent says ${want}\n`
                + reach.explain(`${from.namespace}/${from.name}`, `${to.namespace}/${to.name}`, port).text);
            }
          }
        }
      }
    }), { seed: SEED, numRuns: RUNS });
    expect(probes).toBeGreaterThan(RUNS * 10);
  });
});
