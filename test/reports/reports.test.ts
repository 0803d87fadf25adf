import { Reachability } from '../../src';
import { NetworkPolicyFindings } from '../../src/findings';
import { applySuppressions } from '../../src/findings/apply-suppressions';
import { buildFlowGraph, renderDot, renderMarkdownReport, renderMermaid } from '../../src/reports';
import { pod, policy } from '../analyzer/helpers';
import { threeTier } from '../support/three-tier-versions';

describe('pictures and reports of the three-tier app', () => {
  const manifests = threeTier(1);
  const graph = buildFlowGraph(Reachability.fromManifests(manifests));

  test('one edge per pair of different pods with all its ports; the flows policies shape', () => {
    const drawn = graph.edges.filter((e) => !e.open).map((e) => `${e.from} -> ${e.to}: ${e.label}`);
    expect(drawn).toEqual([
      'frontend/frontend -> backend/backend: TCP 8080',
      'frontend/frontend -> kube-system/coredns: TCP 53; UDP 53',
      'backend/backend -> database/database: TCP 5432',
      'backend/backend -> kube-system/coredns: TCP 53; UDP 53',
      'database/database -> kube-system/coredns: TCP 53; UDP 53',
      'ingress-nginx/ingress-nginx-controller -> frontend/frontend: TCP 80, 443',
    ]);
    expect(graph.edges.filter((e) => e.from === e.to)).toEqual([]);
    expect(graph.edges.filter((e) => e.open && !e.external).map((e) => e.label)).toEqual(Array(6).fill('all ports'));
    // The three pods no policy isolates reach every address outside the cluster, and back.
    expect(graph.externals).toEqual(['0.0.0.0/0']);
    expect(graph.edges.filter((e) => e.external).map((e) => `${e.from} -> ${e.to}: ${e.label}${e.open ? ' (open)' : ''}`)).toEqual([
      'ingress-nginx/ingress-nginx-controller -> 0.0.0.0/0: all ports (open)',
      'kube-system/coredns -> 0.0.0.0/0: all ports (open)',
      'monitoring/agent -> 0.0.0.0/0: all ports (open)',
      '0.0.0.0/0 -> ingress-nginx/ingress-nginx-controller: all ports (open)',
      '0.0.0.0/0 -> kube-system/coredns: all ports (open)',
      '0.0.0.0/0 -> monitoring/agent: all ports (open)',
    ]);
  });

  test('Mermaid flowchart', () => {
    expect(renderMermaid(graph)).toMatchSnapshot();
  });

  test('Graphviz DOT', () => {
    expect(renderDot(graph)).toMatchSnapshot();
  });

  test('openFlows draws the flows no policy restricts too', () => {
    const all = renderMermaid(graph, { openFlows: true });
    // 12 flows between pods, and 6 between the unisolated pods and the addresses outside the cluster.
    expect(all.split('\n').filter((l) => l.includes('-->'))).toHaveLength(18);
    expect(all).toContain('monitoring__agent -->|"all ports"| kube_system__coredns');
    expect(all).toContain('  subgraph outside["outside the cluster"]\n    ext__0_0_0_0_0["0.0.0.0/0"]\n  end\n');
    expect(all).toContain('ext__0_0_0_0_0 -->|"all ports"| monitoring__agent');
    expect(renderMermaid(graph)).not.toContain('outside the cluster"]');
    expect(renderDot(graph, { openFlows: true }).split('\n').filter((l) => l.includes(' -> '))).toHaveLength(18);
  });

  test('Markdown report with findings and suppressions', () => {
    const suppressions = [
      { id: 'NP003', subject: '*', reason: 'The platform team owns the policies of the shared namespaces' },
      { id: 'NP004', subject: '*', reason: 'Same as NP003' },
      { id: 'NP008', subject: 'shop/legacy', reason: 'Resolves nothing' },
    ];
    const { active, suppressed } = applySuppressions(NetworkPolicyFindings.ofManifests(manifests), suppressions);
    const report = renderMarkdownReport({ graph, findings: active, suppressed, suppressions });
    expect(report).toContain('6 pods, 12 allowed flows between different pods, 6 with addresses outside the cluster, findings: 0 errors, 6 warnings, 0 info (6 suppressed).');
    expect(report).toContain('| NP008 | shop/legacy | Resolves nothing | 0 (matches nothing; remove it?) |');
    expect(report).toMatchSnapshot();
  });
});

describe('rendering details', () => {
  test('node ids stay unique and labels are quoted', () => {
    const reach = Reachability.fromManifests([pod('a-b', 'c', { labels: { x: '1' } }), pod('a', 'b-c', { labels: { x: '1' } }), policy('a-b', 'deny', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] })]);
    const mermaid = renderMermaid(buildFlowGraph(reach));
    expect(mermaid).toContain('a_b__c["c"]');
    expect(mermaid).toContain('a__b_c["b-c"]');
    expect(mermaid).toContain('a_b__c -->|"all ports"| a__b_c');
  });

  test('an empty cluster renders without edges, and the Markdown report says so', () => {
    const graph = buildFlowGraph(Reachability.fromManifests([]));
    expect(renderMermaid(graph)).not.toContain('-->');
    expect(renderMarkdownReport({ graph, findings: [], diagram: false })).toBe([
      '# NetworkPolicy report', '', '0 pods, 0 allowed flows between different pods, 0 with addresses outside the cluster, findings: 0 errors, 0 warnings, 0 info.', '',
      '## Isolation', '', '| Pod | Kind | Ingress | Egress |', '| --- | --- | --- | --- |', '',
      '## Allowed flows', '', 'No flows between different pods.', '',
      '## Flows with addresses outside the cluster', '', 'None.', '', '## Findings', '', 'None.', '',
    ].join('\n'));
  });
});
