export * from './vocabulary';
export * from './constructs';
