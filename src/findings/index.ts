export * from './finding';
export * from './finding-options';
export * from './finding-suppression';
export * from './network-policy-findings';
