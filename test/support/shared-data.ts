import * as fs from 'fs';
import * as path from 'path';

/**
 * The folder of data kept beside the project (`../shared`: other projects' test suites, CRDs), which
 * only the `*.shared.ts` tests read (`npx projen test:shared`). `CDK8S_NETPOL_SHARED` points elsewhere.
 */
export function sharedDir(...parts: string[]): string {
  const root = process.env.CDK8S_NETPOL_SHARED ?? path.resolve(__dirname, '..', '..', '..', 'shared');
  if (!fs.existsSync(root)) {
    throw new Error(`The shared data folder ${root} does not exist: these tests read ../shared beside the project (set CDK8S_NETPOL_SHARED to use another folder)`);
  }
  return path.join(root, ...parts);
}

/** Reads a JSON file of the shared folder. */
export function readSharedJson(...parts: string[]): any {
  return JSON.parse(fs.readFileSync(sharedDir(...parts), 'utf8'));
}
