import { Reachability } from '../../src';
import { diffFlows, renderDiffMarkdown, renderDiffText } from '../../src/reports';
import { pod, policy } from '../analyzer/helpers';
import { threeTier } from '../support/three-tier-versions';

describe('diffFlows', () => {
  test('three-tier v1 -> v2: the backend port moves, monitoring may scrape it', () => {
    const diff = diffFlows(Reachability.fromManifests(threeTier(1)), Reachability.fromManifests(threeTier(2)));
    expect(renderDiffText(diff)).toBe([
      'Flows opened: 2',
      '  + frontend/frontend -> backend/backend: TCP 8443',
      '  + monitoring/agent -> backend/backend: TCP 9090',
      'Flows closed: 1',
      '  - frontend/frontend -> backend/backend: TCP 8080',
      '',
    ].join('\n'));
    expect(renderDiffMarkdown(diff)).toMatchSnapshot();
  });

  test('the reverse diff swaps opened and closed', () => {
    const diff = diffFlows(Reachability.fromManifests(threeTier(2)), Reachability.fromManifests(threeTier(1)));
    expect(diff.opened.map((c) => `${c.from} ${c.label}`)).toEqual(['frontend/frontend TCP 8080']);
    expect(diff.closed.map((c) => `${c.from} ${c.label}`)).toEqual(['frontend/frontend TCP 8443', 'monitoring/agent TCP 9090']);
  });

  test('no change, no flows', () => {
    const diff = diffFlows(Reachability.fromManifests(threeTier(1)), Reachability.fromManifests(threeTier(1)));
    expect([diff.opened, diff.closed, diff.podsOnlyInOld, diff.podsOnlyInNew]).toEqual([[], [], [], []]);
  });

  test('pods of one version are analyzed in the other as they are; a new default deny closes flows both ways', () => {
    const a = pod('shop', 'a', { labels: { app: 'a' } });
    const b = pod('shop', 'b', { labels: { app: 'b' } });
    const c = pod('shop', 'c', { labels: { app: 'c' } });
    const deny = policy('shop', 'deny', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'c' } } }], ports: [{ port: 80 }] }] });
    const diff = diffFlows(Reachability.fromManifests([a, b]), Reachability.fromManifests([b, c, deny]));
    expect(diff.podsOnlyInOld).toEqual(['shop/a']);
    expect(diff.podsOnlyInNew).toEqual(['shop/c']);
    expect(diff.opened).toEqual([]);
    expect(diff.closed.map((x) => `${x.from}->${x.to}: ${x.label}`)).toEqual([
      // Addresses outside the cluster first: b's ingress is now isolated from them too.
      '0.0.0.0/0->shop/b: all ports',
      'shop/a->shop/b: all ports',
      'shop/c->shop/b: TCP 1-79, 81-65535; UDP all; SCTP all',
    ]);
  });

  describe('addresses outside the cluster', () => {
    const web = pod('shop', 'web', { labels: { app: 'web' } });
    const egress = (...rules: any[]): any => policy('shop', 'web', { podSelector: {}, policyTypes: ['Egress'], egress: rules });
    const to = (cidr: string, except: string[], port: number): any => ({ to: [{ ipBlock: { cidr, except } }], ports: [{ port }] });
    const lines = (before: any[], after: any[]): string[] => {
      const diff = diffFlows(Reachability.fromManifests(before), Reachability.fromManifests(after));
      return [...diff.opened.map((c) => `+ ${c.from} -> ${c.to}: ${c.label}${c.unchangedWithin ? ` (not ${c.unchangedWithin.join('; ')})` : ''}`),
        ...diff.closed.map((c) => `- ${c.from} -> ${c.to}: ${c.label}${c.unchangedWithin ? ` (not ${c.unchangedWithin.join('; ')})` : ''}`)];
    };

    test('the two versions split the addresses differently: compared range by range, named after each version\'s node', () => {
      // The new node 0.0.0.0/0 except 10.0.0.0/8 holds 203.0.113.0/24, which was allowed already.
      expect(lines([web, egress(to('203.0.113.0/24', [], 443))], [web, egress(to('0.0.0.0/0', ['10.0.0.0/8'], 443))])).toEqual([
        '+ shop/web -> 0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24: TCP 443',
      ]);
      expect(lines([web, egress(to('203.0.113.0/24', ['203.0.113.7/32'], 443))], [web, egress(to('0.0.0.0/0', ['10.0.0.0/8'], 443))])).toEqual([
        '+ shop/web -> 0.0.0.0/0 except 10.0.0.0/8: TCP 443 (not 203.0.113.0/24 except 203.0.113.7/32)',
      ]);
      // Most of the old node 10.0.0.0/8 is unchanged: the part that changed is named.
      expect(lines([web, egress(to('10.0.0.0/8', [], 443))], [web, egress(to('10.0.0.0/8', ['10.1.0.0/16'], 443))])).toEqual([
        '- shop/web -> 10.1.0.0/16: TCP 443',
      ]);
    });

    test('parts of one node changing differently are listed part by part', () => {
      expect(lines([web, egress(to('10.0.0.0/8', [], 443))], [web, egress(to('10.0.0.0/8', ['10.1.0.0/16'], 80), to('10.1.0.0/16', [], 443))])).toEqual([
        '+ shop/web -> 10.0.0.0/8 except 10.1.0.0/16: TCP 80',
        '- shop/web -> 10.0.0.0/8 except 10.1.0.0/16: TCP 443',
      ]);
    });

    test('isolating ingress closes it to every address outside the cluster; an IPv6 CIDR in one version only is compared too', () => {
      const isolated = policy('shop', 'in', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ ipBlock: { cidr: '2001:db8::/32' } }] }] });
      expect(lines([web], [web, isolated])).toEqual([
        '- 0.0.0.0/0 -> shop/web: all ports',
        '- ::/0 except 2001:db8::/32 -> shop/web: all ports',
      ]);
    });

    test('the same policies, no change', () => {
      expect(lines([web, egress(to('0.0.0.0/0', ['10.0.0.0/8'], 443))], [web, egress(to('0.0.0.0/0', ['10.0.0.0/8'], 443))])).toEqual([]);
    });
  });
});
