export * from './policy-direction';
export * from './default-deny';
export * from './allow-from';
export * from './allow-to';
export * from './allow-dns-egress';
export * from './three-tier-app';
export * from './zero-trust-namespace';
export * from './owned-namespaces';
