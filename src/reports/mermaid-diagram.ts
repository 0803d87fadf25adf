import { DrawOptions, FlowGraph, PICTURE_LEGEND, drawnEdges, drawnExternals, isUnpoliced } from './flow-graph';

/**
 * A Mermaid flowchart of the allowed flows: a subgraph per namespace, a node per pod, a subgraph
 * of the external nodes (addresses outside the cluster) that a drawn flow reaches, one edge per
 * pair labelled with its ports. Pods no policy of any tier applies to are drawn dashed, and the
 * flows no policy of any tier restricts are left out unless asked for.
 */

function ids(graph: FlowGraph): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  const add = (key: string, text: string): void => {
    const base = text.replace(/[^A-Za-z0-9_]/g, '_');
    let id = base;
    for (let i = 2; used.has(id); i++) id = `${base}_${i}`;
    used.add(id);
    out.set(key, id);
  };
  for (const node of graph.nodes) add(node.id, `${node.namespace}__${node.name}`);
  for (const external of graph.externals) add(external, `ext__${external}`);
  return out;
}

const quote = (text: string): string => `"${text.replace(/"/g, '#quot;')}"`;

/** Renders the graph as a Mermaid flowchart (without the ``` fence). @internal */
export function renderMermaid(graph: FlowGraph, options: DrawOptions = {}): string {
  const id = ids(graph);
  const lines = [
    'flowchart LR',
    ...PICTURE_LEGEND.map((line) => `  %% ${line}`),
  ];
  graph.namespaces.forEach((ns, i) => {
    lines.push(`  subgraph ns${i}[${quote(`namespace ${ns}`)}]`);
    for (const node of graph.nodes.filter((n) => n.namespace === ns)) lines.push(`    ${id.get(node.id)}[${quote(node.name)}]`);
    lines.push('  end');
  });
  const edges = drawnEdges(graph, options);
  const externals = drawnExternals(graph, edges);
  if (externals.length > 0) {
    lines.push(`  subgraph outside[${quote('outside the cluster')}]`);
    for (const external of externals) lines.push(`    ${id.get(external)}[${quote(external)}]`);
    lines.push('  end');
  }
  for (const edge of edges) lines.push(`  ${id.get(edge.from)} -->|${quote(edge.label)}| ${id.get(edge.to)}`);
  const open = graph.nodes.filter(isUnpoliced);
  if (open.length > 0) {
    lines.push('  classDef unisolated stroke-dasharray: 5 5');
    lines.push(`  class ${open.map((n) => id.get(n.id)).join(',')} unisolated`);
  }
  return `${lines.join('\n')}\n`;
}
