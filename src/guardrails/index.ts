export * from './network-policy-guardrails';
export * from './invariant-guard';
