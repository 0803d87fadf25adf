export * from './allowed-ports';
export * from './explanation';
export * from './reachability';
export * from './reachability-matrix';
