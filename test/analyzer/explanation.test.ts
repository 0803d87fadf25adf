import * as path from 'path';
import { Reachability } from '../../src/analyzer';
import { Port } from '../../src/vocabulary/port';

const shop = Reachability.fromFiles([path.join(__dirname, '..', 'fixtures', 'analyzer', 'shop')]);

describe('explain', () => {
  test('names the rule that allows each side', () => {
    const e = shop.explain('web', 'api', Port.tcp(9000));
    expect(e.allowed).toBe(true);
    expect(e.egress.isolatingPolicies).toEqual(['shop/default-deny', 'shop/web']);
    const rule = (policy: string, direction: string) => ({ policy, direction, ruleIndex: 0, tier: 'NetworkPolicy', object: `NetworkPolicy ${policy}`, action: 'Allow' });
    expect(e.egress.allowingRules).toEqual([rule('shop/web', 'Egress')]);
    expect(e.ingress.allowingRules).toEqual([rule('shop/api', 'Ingress')]);
    expect(e.egress.tier).toBe('NetworkPolicy');
    expect(e.egress.decidedBy).toEqual(e.egress.allowingRules);
    expect(e.text).toBe([
      'ALLOWED: shop/web -> shop/api on 9000/TCP',
      '  ok   egress of shop/web: NetworkPolicy tier: isolated by shop/default-deny, shop/web; allowed by NetworkPolicy shop/web egress[0]',
      '  ok   ingress of shop/api: NetworkPolicy tier: isolated by shop/default-deny, shop/api; allowed by NetworkPolicy shop/api ingress[0]',
    ].join('\n'));
  });

  test('a wrong port is the nearest miss, with the named port resolved', () => {
    const e = shop.explain('web', 'api', Port.tcp(8080));
    expect(e.allowed).toBe(false);
    expect(e.egress.tier).toBe('NetworkPolicy');
    expect(e.egress.decidedBy).toEqual([]);
    expect(e.egress.nearestMiss).toEqual({
      policy: 'shop/web',
      direction: 'Egress',
      ruleIndex: 0,
      tier: 'NetworkPolicy',
      object: 'NetworkPolicy shop/web',
      action: 'Allow',
      reasons: ["wrong port: 8080/TCP is not among the rule's ports: 'http'/TCP (9000 on shop/api)"],
    });
  });

  test('prefers a rule that only misses the port over one that misses the namespace', () => {
    const e = shop.explain('monitoring/prometheus', 'api', Port.tcp(9000));
    expect(e.egress.isolated).toBe(false);
    expect(e.egress.tier).toBe('Default');
    expect(e.egress.summary).toBe('egress of monitoring/prometheus: not isolated (no NetworkPolicy selects it with Egress in policyTypes), so everything is allowed');
    expect(e.ingress.nearestMiss).toMatchObject({ policy: 'shop/api', ruleIndex: 1, reasons: ["wrong port: 9000/TCP is not among the rule's ports: 9090/TCP"] });
  });

  test('a namespace label mismatch says which label', () => {
    const r = Reachability.fromManifests([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', labels: { purpose: 'dev' } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'prometheus', namespace: 'dev', labels: { app: 'prometheus' } } },
      ...shopObjects(),
    ]);
    const e = r.explain('dev/prometheus', 'shop/api', Port.tcp(9090));
    expect(e.ingress.nearestMiss?.ruleIndex).toBe(1);
    expect(e.ingress.nearestMiss?.reasons).toEqual([
      "no peer matches the source: namespace 'dev' does not match namespaceSelector purpose=monitoring: needs purpose=monitoring (has purpose=dev)",
    ]);
  });

  test('a pod label mismatch says which label', () => {
    const e = shop.explain('web', 'db', Port.tcp(5432));
    expect(e.egress.allowed).toBe(false);
    expect(e.ingress.allowed).toBe(false);
    expect(e.ingress.nearestMiss?.reasons).toEqual([
      'no peer matches the source: pod labels do not match podSelector tier in (backend): needs tier in (backend) (has tier=frontend)',
    ]);
    expect(e.egress.nearestMiss?.reasons).toEqual([
      'no peer matches the destination: pod labels do not match podSelector app=api: needs app=api (has app=db)',
      "wrong port: 5432/TCP is not among the rule's ports: 'http'/TCP (not a TCP container port of shop/db)",
    ]);
  });

  test('isolation without rules denies everything', () => {
    const e = shop.explain('monitoring/prometheus', 'web', Port.tcp(8080));
    expect(e.ingress.nearestMiss).toBeUndefined();
    expect(e.ingress.summary).toBe('ingress of shop/web: NetworkPolicy tier: isolated by shop/default-deny, which have no ingress rules: everything is denied');
  });

  test('a pod to itself', () => {
    expect(shop.explain('db', 'db', Port.tcp(1)).text).toBe([
      'DENIED: shop/db -> shop/db on 1/TCP'.replace('DENIED', 'ALLOWED'),
      "  a pod may always reach itself (NetworkPolicy never applies to a pod's traffic to itself)",
    ].join('\n'));
  });
});

describe('the shop fixture', () => {
  test('allows exactly web->api:9000, api->db:5432 and prometheus->api:9090 between different pods', () => {
    const allowed: string[] = [];
    for (const port of [Port.tcp(8080), Port.tcp(9000), Port.tcp(9090), Port.tcp(5432), Port.udp(53)]) {
      const m = shop.matrix(port);
      for (const from of shop.pods) {
        for (const to of shop.pods) {
          expect(m.isAllowed(from, to)).toBe(shop.isAllowed(from, to, port));
          if (from !== to && m.isAllowed(from, to)) allowed.push(`${from}->${to}:${port.number}`);
        }
      }
    }
    expect(allowed).toEqual(['shop/web->shop/api:9000', 'monitoring/prometheus->shop/api:9090', 'shop/api->shop/db:5432']);
  });
});

function shopObjects(): any[] {
  // The shop's api policy alone, to combine with other namespaces.
  return [{
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'api', namespace: 'shop' },
    spec: {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] },
        { from: [{ namespaceSelector: { matchLabels: { purpose: 'monitoring' } }, podSelector: { matchLabels: { app: 'prometheus' } } }], ports: [{ port: 9090 }] },
      ],
    },
  }, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } },
  }];
}
