/**
 * YAML readers on manifests: the time to parse a generated multi-document file (pods and
 * policies of `analyzer.ts`'s generator, written by the `yaml` package) with js-yaml's `loadAll`
 * (what the manifest loader uses) and with the `yaml` package's `parseAllDocuments`, best of 3
 * runs each, in one process.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/yaml-readers.ts [PODS]
 */
import * as jsyaml from 'js-yaml';
import * as YAML from 'yaml';
import { generateCluster } from './analyzer';

const pods = Number(process.argv[2] ?? 10000);
const text = generateCluster(pods, pods).map((o) => YAML.stringify(o)).join('---\n');
const best = (run: () => unknown): number => {
  let fastest = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return fastest;
};
const jsYaml = best(() => jsyaml.loadAll(text));
const yamlPackage = best(() => YAML.parseAllDocuments(text).map((d) => d.toJS()));
console.log(`| ${(text.length / 1048576).toFixed(1)} MiB (${pods} pods + ${pods} policies) | js-yaml loadAll ${(jsYaml / 1000).toFixed(2)} s | yaml parseAllDocuments ${(yamlPackage / 1000).toFixed(2)} s | ${(yamlPackage / jsYaml).toFixed(1)}x |`);
