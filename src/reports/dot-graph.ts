import { DrawOptions, FlowGraph, drawnEdges, drawnExternals } from './flow-graph';

/**
 * A Graphviz DOT graph of the allowed flows: a cluster per namespace, a node per pod, a cluster of
 * the external nodes (addresses outside the cluster) that a drawn flow reaches, one edge per pair
 * labelled with its ports. Pods isolated in neither direction are drawn dashed, and the
 * flows no policy restricts (the source not isolated for egress, the destination not for ingress)
 * are left out unless asked for. Render with
 * `dot -Tsvg`.
 */

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Renders the graph as DOT. @internal */
export function renderDot(graph: FlowGraph, options: DrawOptions = {}): string {
  const lines = [
    'digraph netpol {',
    '  // Allowed flows between pods, and between pods and addresses outside the cluster (one edge per',
    '  // pair, with its ports). A pod always reaches itself.',
    '  // Dashed pods are isolated in neither direction. Flows no policy restricts (source not isolated for egress, destination not for ingress) are not drawn.',
    '  rankdir=LR;',
    '  node [shape=box, style=rounded];',
  ];
  graph.namespaces.forEach((ns, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(`namespace ${ns}`)};`);
    for (const node of graph.nodes.filter((n) => n.namespace === ns)) {
      const open = !node.ingressIsolated && !node.egressIsolated;
      lines.push(`    ${quote(node.id)} [label=${quote(node.name)}${open ? ', style="rounded,dashed"' : ''}];`);
    }
    lines.push('  }');
  });
  const edges = drawnEdges(graph, options);
  const externals = drawnExternals(graph, edges);
  if (externals.length > 0) {
    lines.push('  subgraph cluster_outside {', `    label=${quote('outside the cluster')};`);
    for (const external of externals) lines.push(`    ${quote(external)} [shape=ellipse];`);
    lines.push('  }');
  }
  for (const edge of edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)} [label=${quote(edge.label)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
