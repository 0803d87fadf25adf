export * from './vocabulary';
export * from './constructs';
export * from './analyzer';
export * from './findings';
export * from './guardrails';
