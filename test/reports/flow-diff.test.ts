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
      'shop/a->shop/b: all ports',
      'shop/c->shop/b: TCP 1-79, 81-65535; UDP all; SCTP all',
    ]);
  });
});
