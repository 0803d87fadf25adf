export * from './reachability-matchers';
