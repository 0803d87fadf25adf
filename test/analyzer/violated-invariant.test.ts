import { describeViolatedInvariant } from '../../src/analyzer/invariant-check';

describe('describeViolatedInvariant', () => {
  const explanation = [
    'ALLOWED: shop/web -> shop/db on 5432/TCP',
    '  ok   egress of shop/web: allowed by AdminNetworkPolicy open egress[0] and CiliumNetworkPolicy shop/web egress[1]',
    '  ok   ingress of shop/db: allowed by NetworkPolicy shop/db-netpol ingress[0]',
  ].join('\n');
  const violation = { from: 'shop/web', to: 'shop/db', ports: 'TCP 5432', explanation };
  const result = { name: 'web never reaches db', allowed: 'never' as const, held: false, pairs: 1, violationCount: 1, violations: [violation], assumedPods: [] };

  test('asks who wrote each NetworkPolicy v1 rule, never a cluster-tier or Cilium rule that ends in the same words', () => {
    const asked: string[] = [];
    const text = describeViolatedInvariant(result, (rule) => { asked.push(rule); return 'ThreeTierApp shop/app'; });
    expect(asked).toEqual(['NetworkPolicy shop/db-netpol ingress[0]']);
    expect(text).toContain('    NetworkPolicy shop/db-netpol ingress[0] is written for ThreeTierApp shop/app');
  });
});
