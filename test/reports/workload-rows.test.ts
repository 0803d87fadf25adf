import { Reachability } from '../../src';
import { buildExposure, buildFlowGraph, diffFlows, renderMermaid, workloadRows } from '../../src/reports';
import { policy } from '../analyzer/helpers';

/** A pod as `kubectl get pods -o yaml` shows it: stamped by a controller, with an IP. */
function stamped(ns: string, name: string, owner: { kind: string; name: string } | undefined, labels: Record<string, string>, ip: string): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, controller: true, uid: 'x' }] } : {}) },
    spec: { containers: [{ name: 'main', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { podIP: ip },
  };
}

/** A dump: Deployment web (3 pods of ReplicaSet web-<hash>), StatefulSet db (2 pods), a Job's pod and a bare pod. */
function dump(hash: string): any[] {
  const web = (n: number): any => stamped('shop', `web-${hash}-${n}`, { kind: 'ReplicaSet', name: `web-${hash}` }, { 'app': 'web', 'pod-template-hash': hash }, `10.0.1.${n}`);
  return [
    web(1), web(2), web(3),
    stamped('shop', 'db-0', { kind: 'StatefulSet', name: 'db' }, { app: 'db' }, '10.0.2.1'),
    stamped('shop', 'db-1', { kind: 'StatefulSet', name: 'db' }, { app: 'db' }, '10.0.2.2'),
    stamped('shop', 'migrate-x7k2p', { kind: 'Job', name: 'migrate' }, { 'job-name': 'migrate' }, '10.0.3.1'),
    stamped('shop', 'debug', undefined, { app: 'debug' }, '10.0.4.1'),
  ];
}

const dbIngress = (port: number): any => policy('shop', 'db', {
  podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port }] }],
});

describe('workload rows: pods stamped from one template are one row', () => {
  const reach = Reachability.fromManifests([...dump('5d9c7b8f6c'), dbIngress(5432)]);

  test('by ownerReference; a ReplicaSet named <deployment>-<pod-template-hash> is its Deployment', () => {
    expect(workloadRows(reach).map((r) => `${r.id} ${r.kind} ${r.pods.length}`)).toEqual([
      'shop/web Deployment 3', 'shop/db StatefulSet 2', 'shop/migrate Job 1', 'shop/debug Pod 1',
    ]);
    expect(workloadRows(reach, { podLevel: true })).toHaveLength(7);
  });

  test('pictures and flows name the workloads', () => {
    const graph = buildFlowGraph(reach);
    expect(graph.edges.filter((e) => !e.open && !e.external).map((e) => `${e.from} -> ${e.to}: ${e.label}`)).toEqual(['shop/web -> shop/db: TCP 5432']);
    expect(renderMermaid(graph)).toContain('    shop__web["web"]\n    shop__db["db"]\n');
    // Pod by pod: each of web's three pods reaches each of db's two.
    expect(buildFlowGraph(reach, { podLevel: true }).edges.filter((e) => !e.open && !e.external)).toHaveLength(6);
  });

  test('pods of one workload the policies tell apart keep rows of their own', () => {
    const split = policy('shop', 'db-from-some-web', {
      podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '10.0.1.1/32' } }] }],
    });
    const rows = workloadRows(Reachability.fromManifests([...dump('5d9c7b8f6c'), split])).map((r) => r.id);
    expect(rows).toEqual(['shop/web-5d9c7b8f6c-1', 'shop/web-5d9c7b8f6c-2', 'shop/web-5d9c7b8f6c-3', 'shop/db', 'shop/migrate', 'shop/debug']);
  });

  test('diff compares workloads across a new ReplicaSet hash: only the policy change shows', () => {
    const before = Reachability.fromManifests([...dump('5d9c7b8f6c'), dbIngress(5432)]);
    const after = Reachability.fromManifests([...dump('7f8e9a0b1c'), dbIngress(5433)]);
    const diff = diffFlows(before, after);
    expect([...diff.opened, ...diff.closed].map((c) => `${c.from} -> ${c.to}: ${c.label}`)).toEqual(['shop/web -> shop/db: TCP 5433', 'shop/web -> shop/db: TCP 5432']);
    expect([diff.podsOnlyInOld, diff.podsOnlyInNew]).toEqual([[], []]);
  });

  test('exposure is per workload too', () => {
    expect(buildExposure(reach).map((w) => `${w.workload} (${w.kind}): ${w.ingress.entries.map((e) => e.peer).join('; ')}`)[1]).toBe('shop/db (StatefulSet): shop/web (Deployment)');
  });
});
