export * from './flow-graph';
export * from './mermaid-diagram';
export * from './dot-graph';
export * from './markdown-report';
export * from './flow-diff';
export * from './sarif-report';
export * from './exposure-report';
export * from './workload-rows';
