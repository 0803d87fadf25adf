import { DrawOptions, FlowGraph, PICTURE_LEGEND, drawnEdges, drawnExternals, isUnpoliced } from './flow-graph';

/**
 * A Graphviz DOT graph of the allowed flows: a cluster per namespace, a node per pod, a cluster of
 * the external nodes (addresses outside the cluster) that a drawn flow reaches, one edge per pair
 * labelled with its ports. Pods no policy of any tier applies to are drawn dashed, and the
 * flows no policy of any tier restricts are left out unless asked for. Render with
 * `dot -Tsvg`.
 */

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Renders the graph as DOT. @internal */
export function renderDot(graph: FlowGraph, options: DrawOptions = {}): string {
  const lines = [
    'digraph netpol {',
    ...PICTURE_LEGEND.map((line) => `  // ${line}`),
    '  rankdir=LR;',
    '  node [shape=box, style=rounded];',
  ];
  graph.namespaces.forEach((ns, i) => {
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(`namespace ${ns}`)};`);
    for (const node of graph.nodes.filter((n) => n.namespace === ns)) {
      lines.push(`    ${quote(node.id)} [label=${quote(node.name)}${isUnpoliced(node) ? ', style="rounded,dashed"' : ''}];`);
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
