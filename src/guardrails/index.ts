export * from './network-policy-guardrails';
