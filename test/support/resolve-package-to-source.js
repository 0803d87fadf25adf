// Preloaded (`node -r`) into a child process that runs an example, so `import ... from 'cdk8s-netpol'`
// reads src/ (through the example's own sucrase hook) instead of the compiled lib/: the README's
// `npm ci && npx projen test` runs before any compile, as jest's moduleNameMapper does in-process.
const Module = require('module');
const path = require('path');

const source = path.join(__dirname, '..', '..', 'src', 'index.ts');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveToSource(request, ...rest) {
  return resolveFilename.call(this, request === 'cdk8s-netpol' ? source : request, ...rest);
};
