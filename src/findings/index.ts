export * from './finding';
export * from './finding-options';
export * from './network-policy-findings';
