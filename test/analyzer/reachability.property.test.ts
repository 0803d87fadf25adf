import * as fc from 'fast-check';
import { RefAddress, RefCluster, RefPod, referenceAllows } from './reference-evaluator';
import { Reachability } from '../../src/analyzer';
import { Port } from '../../src/vocabulary/port';

/**
 * The analyzer (both the per-probe evaluator behind isAllowed and the class-based truth tables
 * behind matrix) against the naive reference evaluator, on random namespaces, pods and policies.
 */

const SEED = 20240611;
const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const LABEL_KEYS = ['app', 'tier', 'team'];
const LABEL_VALUES = ['x', 'y'];
const PORT_NAMES = ['http', 'metrics'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const PROBES: [number, string][] = [[80, 'TCP'], [8080, 'TCP'], [8080, 'UDP'], [443, 'SCTP']];
const IPS = ['10.0.0.5', '10.0.1.7', '10.1.0.9', '192.168.1.1', 'fd00::5', 'fd00::1:5', 'fd01::5'];
/** Addresses no pod has, inside and outside the blocks below and their exceptions. */
const ADDRESSES = ['10.0.0.77', '10.0.1.77', '10.0.200.1', '10.1.0.77', '10.200.0.1', '192.168.1.77', '172.16.0.1', '8.8.8.8',
  'fd00::77', 'fd00::1:77', 'fd00::2:1', 'fd01::77', 'fd02::1', '2001:db8::1'];
const IP_BLOCKS: [string, string[]][] = [
  ['10.0.0.0/16', ['10.0.1.0/24']],
  ['10.0.0.0/8', []],
  ['10.0.1.0/24', []],
  ['0.0.0.0/0', ['10.0.0.0/16', '192.168.0.0/16']],
  ['fd00::/64', ['fd00::1:0/112']],
  ['fd00::/15', []],
  ['::/0', ['fd00::/16']],
];

const labels = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 3 });

const expression = fc.oneof(
  fc.record({ key: fc.constantFrom(...LABEL_KEYS, 'kubernetes.io/metadata.name'), operator: fc.constantFrom('In', 'NotIn'), values: fc.uniqueArray(fc.constantFrom(...LABEL_VALUES, ...NAMESPACES), { minLength: 1, maxLength: 2 }) }),
  fc.record({ key: fc.constantFrom(...LABEL_KEYS), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);

const selector = fc.record({ matchLabels: labels, matchExpressions: fc.array(expression, { maxLength: 2 }) }, { requiredKeys: [] });
const namespaceSelector = fc.oneof(
  selector,
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES, 'ns-undeclared') }) }),
);

const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector }),
  fc.record({ podSelector: selector, namespaceSelector }),
  fc.constantFrom(...IP_BLOCKS).map(([cidr, except]) => ({ ipBlock: except.length ? { cidr, except } : { cidr } })),
);

const portEntry = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS) }),
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(80, 443, 8080) }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(...PORT_NAMES) }, { requiredKeys: ['port'] }),
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(79, 443), endPort: fc.constantFrom(443, 8080) }, { requiredKeys: ['port', 'endPort'] })
    .filter((e) => e.endPort >= e.port),
);

const rule = (peersKey: 'from' | 'to') => fc.record({ [peersKey]: fc.array(peer, { maxLength: 2 }), ports: fc.array(portEntry, { maxLength: 2 }) }, { requiredKeys: [] });
const rules = (peersKey: 'from' | 'to') => fc.option(fc.array(rule(peersKey), { maxLength: 2 }), { nil: undefined });

const policyArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selector,
  policyTypes: fc.option(fc.constantFrom([] as string[], ['Ingress'], ['Egress'], ['Ingress', 'Egress']), { nil: undefined }),
  ingress: rules('from'),
  egress: rules('to'),
});

const podArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES, 'ns-undeclared'),
  labels,
  ports: fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...PORT_NAMES), containerPort: fc.constantFrom(80, 8080, 443), protocol: fc.constantFrom(...PROTOCOLS) }),
    { selector: (p) => p.name, maxLength: 2 },
  ),
  ips: fc.oneof(fc.constant([] as string[]), fc.subarray(IPS, { minLength: 1, maxLength: 2 })),
});

const clusterArb = (maxPods: number) => fc.record({
  namespaceLabels: fc.tuple(...NAMESPACES.map(() => fc.option(labels, { nil: undefined }))),
  pods: fc.array(podArb, { minLength: 1, maxLength: maxPods }),
  policies: fc.array(policyArb, { maxLength: 5 }),
});

type Generated = fc.Arbitrary<any> extends fc.Arbitrary<infer T> ? T : never;

function toCluster(gen: Generated): { cluster: RefCluster; manifests: any[] } {
  const namespaces: Record<string, Record<string, string>> = {};
  const manifests: any[] = [];
  NAMESPACES.forEach((name, i) => {
    if (gen.namespaceLabels[i] === undefined) return;
    namespaces[name] = gen.namespaceLabels[i];
    manifests.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: gen.namespaceLabels[i] } });
  });
  const pods: RefPod[] = gen.pods.map((p: any, i: number) => ({ ...p, name: `pod-${i}` }));
  for (const p of pods) {
    manifests.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: p.name, namespace: p.namespace, labels: p.labels },
      spec: { containers: [{ name: 'main', image: 'x', ports: p.ports }] },
      ...(p.ips.length ? { status: { podIP: p.ips[0], podIPs: p.ips.map((ip) => ({ ip })) } } : {}),
    });
  }
  const policies = gen.policies.map((p: any, i: number) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `policy-${i}`, namespace: p.namespace },
    spec: {
      podSelector: p.podSelector,
      ...(p.policyTypes ? { policyTypes: p.policyTypes } : {}),
      ...(p.ingress ? { ingress: p.ingress } : {}),
      ...(p.egress ? { egress: p.egress } : {}),
    },
  }));
  manifests.push(...policies);
  return { cluster: { namespaces, pods, policies }, manifests };
}

function portOf(port: number, protocol: string): Port {
  return protocol === 'TCP' ? Port.tcp(port) : protocol === 'UDP' ? Port.udp(port) : Port.sctp(port);
}

describe('the analyzer agrees with a naive reference evaluator', () => {
  const SMALL_RUNS = 1000;
  const LARGE_RUNS = 200;

  test(`isAllowed and matrix, ${SMALL_RUNS} random clusters of up to 6 pods and 5 policies, ${PROBES.length} ports each (seed ${SEED})`, () => {
    const counts = { clusters: 0, probes: 0, allowed: 0, denied: 0 };
    fc.assert(fc.property(clusterArb(6), (gen) => {
      const { cluster, manifests } = toCluster(gen);
      const reach = Reachability.fromManifests(manifests);
      counts.clusters++;
      for (const [port, protocol] of PROBES) {
        const matrix = reach.matrix(portOf(port, protocol));
        for (const from of cluster.pods) {
          for (const to of cluster.pods) {
            const expected = referenceAllows(cluster, from, to, port, protocol);
            const id = (p: RefPod) => `${p.namespace}/${p.name}`;
            const actual = reach.isAllowed(id(from), id(to), portOf(port, protocol));
            const fromMatrix = matrix.isAllowed(id(from), id(to));
            if (actual !== expected || fromMatrix !== expected) {
              throw new Error(`${id(from)} -> ${id(to)} on ${port}/${protocol}: reference ${expected}, isAllowed ${actual}, matrix ${fromMatrix}\n${reach.explain(id(from), id(to), portOf(port, protocol)).text}`);
            }
            counts.probes++;
            if (from !== to) counts[expected ? 'allowed' : 'denied']++;
          }
        }
      }
    }), { seed: SEED, numRuns: SMALL_RUNS });
    expect(counts.clusters).toBe(SMALL_RUNS);
    // Not vacuous: both verdicts are common among pairs of different pods.
    expect(counts.allowed).toBeGreaterThan(counts.probes / 20);
    expect(counts.denied).toBeGreaterThan(counts.probes / 20);
  });

  test(`matrix on ${LARGE_RUNS} random clusters of up to 25 pods (many sharing labels), ${PROBES.length} ports each (seed ${SEED})`, () => {
    let probes = 0;
    fc.assert(fc.property(clusterArb(25), (gen) => {
      const { cluster, manifests } = toCluster(gen);
      const reach = Reachability.fromManifests(manifests);
      for (const [port, protocol] of PROBES) {
        const matrix = reach.matrix(portOf(port, protocol));
        cluster.pods.forEach((from, i) => cluster.pods.forEach((to, j) => {
          const expected = referenceAllows(cluster, from, to, port, protocol);
          if (matrix.allowedAt(i, j) !== expected) throw new Error(`pod-${i} -> pod-${j} on ${port}/${protocol}: reference ${expected}, matrix ${!expected}`);
          probes++;
        }));
        let count = 0;
        cluster.pods.forEach((from) => cluster.pods.forEach((to) => { if (referenceAllows(cluster, from, to, port, protocol)) count++; }));
        expect(matrix.countAllowed()).toBe(count);
      }
    }), { seed: SEED, numRuns: LARGE_RUNS });
    expect(probes).toBeGreaterThan(LARGE_RUNS * PROBES.length * 25);
  });

  test(`external nodes: pod <-> address verdicts and ports, ${LARGE_RUNS} random clusters of up to 8 pods (seed ${SEED})`, () => {
    const counts = { probes: 0, allowed: 0, denied: 0, nodes: 0 };
    fc.assert(fc.property(clusterArb(8), (gen) => {
      const { cluster, manifests } = toCluster(gen);
      const reach = Reachability.fromManifests(manifests);
      const ids = reach.pods;
      const externals = reach.externals;
      const engine = reach._engine;
      const table = reach._portTable;
      const addresses: RefAddress[] = ADDRESSES.map((address) => ({ address }));
      // Every address lies in a node named after mentioned CIDRs (IPv6 ones: ::/0 when none is mentioned).
      const nodeOf = new Map(addresses.map((a) => [a, reach.resolve(a.address)]));
      const mentioned = new Set(['0.0.0.0/0', '::/0', ...IP_BLOCKS.flatMap(([cidr, except]) => [cidr, ...except])]);
      for (const node of nodeOf.values()) {
        expect([...externals, '::/0']).toContain(node);
        for (const cidr of node.replace(' except ', ', ').split(', ')) expect(mentioned).toContain(cidr);
      }
      const v6Mentioned = gen.policies.some((p: any) => JSON.stringify(p).includes('fd0') || JSON.stringify(p).includes('::/0'));
      expect(externals.some((e) => e.includes(':'))).toBe(v6Mentioned);
      counts.nodes += externals.length;
      for (const [port, protocol] of PROBES) {
        const matrix = reach.matrix(portOf(port, protocol));
        // Addresses in one node get one verdict from the reference: the split is fine enough.
        const verdictOfNode = new Map<string, string>();
        cluster.pods.forEach((pod, i) => {
          for (const address of addresses) {
            const out = referenceAllows(cluster, pod, address, port, protocol);
            const into = referenceAllows(cluster, address, pod, port, protocol);
            const node = nodeOf.get(address)!;
            const key = `${i}|${node}`;
            const verdicts = `${out}/${into}`;
            if (verdictOfNode.has(key) && verdictOfNode.get(key) !== verdicts) throw new Error(`${address} and another address of node ${node} differ for pod-${i} on ${port}/${protocol}`);
            verdictOfNode.set(key, verdicts);
            const probe = portOf(port, protocol);
            const ours = [reach.isAllowed(ids[i], address.address, probe), reach.isAllowed(address.address, ids[i], probe)];
            if (ours[0] !== out || ours[1] !== into) {
              const why = [reach.explain(ids[i], address.address, probe).text, reach.explain(address.address, ids[i], probe).text].join('\n');
              throw new Error(`pod-${i} <-> ${address.address} (${node}) on ${port}/${protocol}: reference ${out}/${into}, isAllowed ${ours.join('/')}\n${why}`);
            }
            const v6WithoutNode = address.address.includes(':') && !externals.some((e) => e.includes(':'));
            if (!v6WithoutNode) {
              expect([matrix.isAllowed(ids[i], address.address), matrix.isAllowed(address.address, ids[i])]).toEqual([out, into]);
              const e = engine.endpoints.findIndex((x) => x.id === node);
              const inRanges = (ranges: readonly { protocol: string; startPort: number; endPort: number }[]) =>
                ranges.some((r) => r.protocol === protocol && r.startPort <= port && port <= r.endPort);
              expect([inRanges(table.allowedAt(i, e)), inRanges(table.allowedAt(e, i))]).toEqual([out, into]);
              expect(table.allowedAt(i, e)).toEqual(reach.allowedPorts(ids[i], address.address));
            }
            counts.probes += 2;
            counts[out ? 'allowed' : 'denied']++;
            counts[into ? 'allowed' : 'denied']++;
          }
        });
      }
    }), { seed: SEED, numRuns: LARGE_RUNS });
    // Not vacuous: both verdicts are common, and policies split the space.
    expect(counts.allowed).toBeGreaterThan(counts.probes / 20);
    expect(counts.denied).toBeGreaterThan(counts.probes / 20);
    expect(counts.nodes).toBeGreaterThan(LARGE_RUNS * 2);
  });

  test(`allowed port ranges, per pair and per class pair, on ${LARGE_RUNS / 2} random clusters of up to 25 pods (seed ${SEED})`, () => {
    let checked = 0;
    fc.assert(fc.property(clusterArb(25), (gen) => {
      const { cluster, manifests } = toCluster(gen);
      const reach = Reachability.fromManifests(manifests);
      const ids = reach.pods;
      cluster.pods.forEach((from, i) => cluster.pods.forEach((to, j) => {
        const fromTable = reach._portTable.allowedAt(i, j);
        // The class-level table gives what the per-pair computation gives.
        expect(fromTable).toEqual(reach.allowedPorts(ids[i], ids[j]));
        for (const [port, protocol] of PROBES) {
          const expected = referenceAllows(cluster, from, to, port, protocol);
          const inRanges = fromTable.some((r) => r.protocol === protocol && r.startPort <= port && port <= r.endPort);
          if (inRanges !== expected) throw new Error(`pod-${i} -> pod-${j} on ${port}/${protocol}: reference ${expected}, allowed ranges ${JSON.stringify(fromTable)}`);
          checked++;
        }
      }));
    }), { seed: SEED, numRuns: LARGE_RUNS / 2 });
    expect(checked).toBeGreaterThan((LARGE_RUNS / 2) * PROBES.length * 25);
  });

  test(`whole reports walk only the pairs some rule may connect, and miss none: ${LARGE_RUNS / 2} random clusters of up to 25 pods (seed ${SEED})`, () => {
    const counts = { reached: 0, unreached: 0 };
    fc.assert(fc.property(clusterArb(25), (gen) => {
      const { manifests } = toCluster(gen);
      const reach = Reachability.fromManifests(manifests);
      const engine = reach._engine;
      const table = reach._portTable;
      const endpoints = [...reach.pods, ...reach.externals];
      endpoints.forEach((from, i) => {
        // What reachable() lists for the source's class, endpoint by endpoint (a pod not to itself).
        const listed = table.reachable(engine.classOfEndpoint[i]);
        endpoints.forEach((to, j) => {
          if (i === j && i < reach.pods.length) return;
          const ports = reach.allowedPorts(from, to);
          expect([from, to, listed.get(engine.classOfEndpoint[j])?.ports ?? []]).toEqual([from, to, ports]);
          counts[ports.length > 0 ? 'reached' : 'unreached']++;
        });
      });
    }), { seed: SEED, numRuns: LARGE_RUNS / 2 });
    expect(counts.reached).toBeGreaterThan(counts.unreached / 20);
    expect(counts.unreached).toBeGreaterThan(counts.reached / 20);
  });
});
