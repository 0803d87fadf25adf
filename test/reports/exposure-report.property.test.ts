import * as fc from 'fast-check';
import { Reachability } from '../../src/analyzer';
import { formatPortRanges } from '../../src/analyzer/allowed-ports';
import { Direction } from '../../src/analyzer/cluster-model';
import { ruleName, ruleReference } from '../../src/analyzer/explanation';
import { isExternal } from '../../src/analyzer/external-nodes';
import { MatrixEngine } from '../../src/analyzer/matrix-engine';
import { PortSet } from '../../src/analyzer/port-range-set';
import { SideWalk, WalkDecision, hasPolicies, walkSide } from '../../src/analyzer/verdict-walk';
import { buildExposure } from '../../src/reports/exposure-report';
import { exposureSpace } from '../../src/reports/exposure-space';
import { workloadRows } from '../../src/reports/workload-rows';

/**
 * `buildExposure` walks one side once per group of peer classes that the side's rules treat alike.
 * The reference here walks it once per peer class, and lists peers class by class: on random
 * namespaces, pods, NetworkPolicies, Admin and Baseline policies and Cilium policies, both give
 * the same exposure, entry by entry.
 */

const SEED = 20261202;
const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const KEYS = ['app', 'tier'];
const VALUES = ['x', 'y', 'z'];
const PORT_NAMES = ['http', 'metrics'];
const PROTOCOLS = ['TCP', 'UDP'];
const IPS = ['10.0.0.5', '10.0.1.7', '192.168.1.1', 'fd00::5'];
const BLOCKS: [string, string[]][] = [['10.0.0.0/16', ['10.0.1.0/24']], ['0.0.0.0/0', ['10.0.0.0/8']], ['203.0.113.0/24', ['203.0.113.7/32']], ['fd00::/64', []]];

const labels = fc.dictionary(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES), { maxKeys: 2 });
const selector = fc.oneof(
  fc.record({ matchLabels: labels }),
  fc.record({ matchExpressions: fc.tuple(fc.record({ key: fc.constantFrom(...KEYS), operator: fc.constantFrom('In', 'NotIn'), values: fc.constant(['x']) })) }),
  fc.record({ matchLabels: fc.record({ 'kubernetes.io/metadata.name': fc.constantFrom(...NAMESPACES, 'ns-other') }) }),
);
const peer = fc.oneof(
  fc.record({ podSelector: selector }),
  fc.record({ namespaceSelector: selector }),
  fc.record({ podSelector: selector, namespaceSelector: selector }),
  fc.constantFrom(...BLOCKS).map(([cidr, except]) => ({ ipBlock: { cidr, except } })),
);
const ports = fc.array(fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(80, 443, 8080) }),
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(...PORT_NAMES) }),
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constant(79), endPort: fc.constant(443) }),
), { maxLength: 2 });
const npRule = (key: string) => fc.record({ [key]: fc.array(peer, { maxLength: 2 }), ports }, { requiredKeys: [] });
const npRules = (key: string) => fc.option(fc.array(npRule(key), { maxLength: 3 }), { nil: undefined });
const networkPolicy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selector,
  policyTypes: fc.constantFrom(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: npRules('from'),
  egress: npRules('to'),
}).map(({ namespace, ...spec }) => ({ namespace, spec }));

const anpPeer = fc.oneof(fc.record({ namespaces: selector }), fc.record({ pods: fc.record({ namespaceSelector: selector, podSelector: selector }) }));
const anpPorts = fc.array(fc.oneof(
  fc.record({ portNumber: fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: fc.constantFrom(80, 443, 8080) }) }),
  fc.record({ namedPort: fc.constantFrom(...PORT_NAMES) }),
), { maxLength: 2 });
const anpRules = (key: string, actions: string[]) => fc.array(fc.oneof(
  fc.record({ name: fc.constant('pods'), action: fc.constantFrom(...actions), [key]: fc.array(anpPeer, { minLength: 1, maxLength: 2 }), ports: anpPorts }),
  ...(key === 'to' ? [fc.record({ name: fc.constant('internet'), action: fc.constantFrom(...actions), to: fc.constant([{ networks: ['0.0.0.0/0'] }]) })] : []),
), { maxLength: 2 });
const admin = fc.record({ priority: fc.integer({ min: 1, max: 3 }), subject: fc.record({ namespaces: selector }), ingress: anpRules('from', ['Allow', 'Deny', 'Pass']), egress: anpRules('to', ['Allow', 'Deny', 'Pass']) });
const baseline = fc.record({ subject: fc.record({ namespaces: selector }), ingress: anpRules('from', ['Allow', 'Deny']), egress: anpRules('to', ['Allow', 'Deny']) });

const ciliumPorts = fc.array(fc.record({ ports: fc.array(fc.record({ port: fc.constantFrom('80', '443', 'http'), protocol: fc.constantFrom(...PROTOCOLS) }), { minLength: 1, maxLength: 2 }) }), { maxLength: 1 });
const ciliumIngress = fc.oneof(
  fc.record({ fromEndpoints: fc.array(selector, { minLength: 1, maxLength: 2 }), toPorts: ciliumPorts }),
  fc.record({ fromEntities: fc.constantFrom(['world'], ['cluster']), toPorts: ciliumPorts }),
  fc.record({ fromCIDR: fc.constant(['203.0.113.0/24']) }),
);
const ciliumEgress = fc.oneof(
  fc.record({ toEndpoints: fc.array(selector, { minLength: 1, maxLength: 2 }), toPorts: ciliumPorts }),
  fc.record({ toEntities: fc.constantFrom(['world'], ['cluster']), toPorts: ciliumPorts }),
  fc.record({ toFQDNs: fc.constant([{ matchName: 'api.example.com' }]), toPorts: ciliumPorts }),
);
const cilium = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  endpointSelector: selector,
  ingress: fc.array(ciliumIngress, { maxLength: 2 }),
  ingressDeny: fc.array(ciliumIngress, { maxLength: 1 }),
  egress: fc.array(ciliumEgress, { maxLength: 2 }),
  egressDeny: fc.array(ciliumEgress, { maxLength: 1 }),
}).map(({ namespace, ...spec }) => ({ namespace, spec }));

const podArb = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  labels,
  ports: fc.uniqueArray(
    fc.record({ name: fc.constantFrom(...PORT_NAMES), containerPort: fc.constantFrom(80, 8080), protocol: fc.constantFrom(...PROTOCOLS) }),
    { selector: (p) => p.name, maxLength: 2 },
  ),
  ips: fc.oneof(fc.constant([] as string[]), fc.subarray(IPS, { minLength: 1, maxLength: 1 })),
  owner: fc.constantFrom(undefined, 'db', 'cache'),
});

const clusterArb = fc.record({
  namespaceLabels: fc.tuple(...NAMESPACES.map(() => labels)),
  pods: fc.array(podArb, { minLength: 1, maxLength: 16 }),
  policies: fc.array(networkPolicy, { maxLength: 5 }),
  admins: fc.array(admin, { maxLength: 2 }),
  baseline: fc.option(baseline, { nil: undefined }),
  cilium: fc.array(cilium, { maxLength: 2 }),
});

function manifests(gen: any): any[] {
  return [
    ...NAMESPACES.map((name, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: gen.namespaceLabels[i] } })),
    ...gen.pods.map((p: any, i: number) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: p.owner ? `${p.owner}-${i}` : `pod-${i}`,
        namespace: p.namespace,
        labels: p.labels,
        ...(p.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: p.owner, uid: p.owner, controller: true }] } : {}),
      },
      spec: { containers: [{ name: 'main', image: 'x', ports: p.ports }] },
      ...(p.ips.length ? { status: { podIP: p.ips[0], podIPs: p.ips.map((ip: string) => ({ ip })) } } : {}),
    })),
    ...gen.policies.map((p: any, i: number) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np-${i}`, namespace: p.namespace }, spec: p.spec })),
    ...gen.admins.map((spec: any, i: number) => ({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `anp-${i}` }, spec })),
    ...(gen.baseline ? [{ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: gen.baseline }] : []),
    ...gen.cilium.map((p: any, i: number) => ({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `cnp-${i}`, namespace: p.namespace }, spec: p.spec })),
  ];
}

const listed = (names: readonly string[], max = 3): string => (names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`);
const portText = (set: PortSet): string => (set.isAll() ? 'every port' : formatPortRanges(set.toRanges()));

/** Every workload's sides as `[peer, scope, ports, rule]` lines, walking every peer class on its own. */
function reference(reach: Reachability): string[] {
  const space = exposureSpace(reach._model);
  const engine = new MatrixEngine(space.model);
  const rows = workloadRows(reach);
  const rowText = new Map(rows.flatMap((row) => row.pods.map((p) => [p, `${row.id} (${row.kind})`] as const)));
  const text: Set<string>[] = Array.from({ length: engine.classCount }, () => new Set());
  const byNamespace = new Map<string, number[]>(space.namespaces.map((n) => [n.name, []]));
  const addresses: number[] = [];
  const named: number[] = [];
  engine.endpoints.forEach((endpoint, i) => {
    const c = engine.classOfEndpoint[i];
    const first = text[c].size === 0;
    if (isExternal(endpoint)) {
      text[c].add(endpoint.named === 'kube-apiserver' ? 'the API server' : endpoint.named ? `DNS name ${endpoint.id}` : `addresses ${endpoint.id}`);
      if (first) (endpoint.named ? named : addresses).push(c);
    } else {
      text[c].add(space.hypothetical.get(endpoint.id) ?? rowText.get(endpoint.id) ?? endpoint.id);
      if (first) byNamespace.get(endpoint.namespace)!.push(c);
    }
  });
  const classText = text.map((t) => listed([...t], 5));
  const side = (subject: number, direction: Direction): string[] => {
    const program = engine.program(subject, direction);
    const walks: SideWalk[] = [];
    for (let c = 0; c < engine.classCount; c++) {
      walks.push(walkSide(program, (rule) => engine.ruleClasses(rule).has(c), engine.representative(direction === 'Ingress' ? subject : c), PortSet.ALL, true));
    }
    const remaining = walks.map((w) => w.allowed);
    const decider = (d: WalkDecision): string => (d.rule ? ruleName(ruleReference(d.rule)) : hasPolicies(program) ? 'no rule decides, so the default allows' : 'no policy applies');
    const lines: string[] = [];
    const take = (classes: readonly number[], peerText: string, scope: string): void => {
      if (classes.length === 0) return;
      const common = classes.reduce((acc, c) => acc.intersect(remaining[c]), PortSet.ALL);
      if (common.isEmpty()) return;
      for (const c of classes) remaining[c] = remaining[c].subtract(common);
      const rules = new Set(classes.flatMap((c) => walks[c].decisions.filter((d) => d.allowed && !d.ports.intersect(common).isEmpty()).map(decider)));
      lines.push(`${direction} ${peerText} | ${scope} | ${portText(common)} | ${listed([...rules])}`);
    };
    const each = (classes: readonly number[], scope: (c: number) => string): void => {
      const groups = new Map<string, number[]>();
      for (const c of classes) {
        if (remaining[c].isEmpty()) continue;
        const key = `${scope(c)} ${portText(remaining[c])}`;
        groups.set(key, [...(groups.get(key) ?? []), c]);
      }
      for (const group of groups.values()) take(group, listed(group.map((c) => classText[c]), 5), scope(group[0]));
    };
    const pods = space.namespaces.flatMap((n) => byNamespace.get(n.name)!);
    take([...pods, ...addresses, ...named], 'everything: every pod of every namespace and every address outside the cluster', 'everything');
    take(pods, 'every pod of every namespace', 'cluster');
    for (const n of space.namespaces) {
      take(byNamespace.get(n.name)!, `every pod of ${n.text}`, 'namespaces');
      each(byNamespace.get(n.name)!, () => 'pods');
    }
    take(addresses, 'every address outside the cluster', 'internet');
    each(addresses, (c) => ((engine.representative(c) as { cidr: { prefix: number } }).cidr.prefix === 0 ? 'internet' : 'addresses'));
    each(named, () => 'addresses');
    const denied = new Set(walks.flatMap((w) => w.decisions.filter((d) => !d.allowed)
      .map((d) => (d.rule ? `denied by ${ruleName(ruleReference(d.rule))}` : `isolated by ${d.policies.map((p) => p.object).join(', ')}`))));
    return [...lines, `${direction} ${[...denied].join('; ')}`];
  };
  return rows.flatMap((row) => [row.id, ...side(engine.classOfPod[row.pod], 'Ingress'), ...side(engine.classOfPod[row.pod], 'Egress')]);
}

function actual(reach: Reachability): string[] {
  return buildExposure(reach).flatMap((w) => [w.workload, ...(['ingress', 'egress'] as const).flatMap((key) => {
    const direction = key === 'ingress' ? 'Ingress' : 'Egress';
    const side = w[key];
    return [...side.entries.map((e) => `${direction} ${e.peer} | ${e.scope} | ${e.ports} | ${e.rule}`), `${direction} ${side.deniedBy.join('; ')}`];
  })]);
}

describe('exposure agrees with a walk per peer class', () => {
  const RUNS = 150;

  test(`${RUNS} random clusters of up to 16 pods with NetworkPolicies, Admin, Baseline and Cilium policies (seed ${SEED})`, () => {
    const seen = { entries: 0, denied: 0, admin: 0, cilium: 0, grouped: 0 };
    fc.assert(fc.property(clusterArb, (gen) => {
      const reach = Reachability.fromManifests(manifests(gen));
      const lines = actual(reach);
      expect(lines).toEqual(reference(reach));
      seen.entries += lines.filter((l) => l.includes(' | ')).length;
      seen.denied += lines.filter((l) => l.includes('denied by')).length;
      seen.admin += lines.filter((l) => l.includes('AdminNetworkPolicy')).length;
      seen.cilium += lines.filter((l) => l.includes('CiliumNetworkPolicy')).length;
      seen.grouped += lines.filter((l) => / and \d+ more \|/.test(l)).length;
    }), { seed: SEED, numRuns: RUNS });
    // Not vacuous: the clusters exercise every tier, denials, and peers listed together.
    for (const count of Object.values(seen)) expect(count).toBeGreaterThan(RUNS / 10);
  });
});
