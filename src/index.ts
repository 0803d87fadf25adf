export * from './vocabulary';
export * from './constructs';
export * from './analyzer';
