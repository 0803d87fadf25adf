export * from './label-selector';
export * from './port';
export * from './peer';
export * from './workload';
export * from './pod-workload';
export * from './dns-resolver';
export * from './invariant';
export * from './cluster-rule';
