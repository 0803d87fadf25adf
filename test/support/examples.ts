/**
 * Runs an example's `build()` in-process (no `cdk8s synth`, no files) and analyzes its manifests
 * together with the pods of examples/cluster-context.yaml, as examples/run.sh does.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { expectValidManifests, synthValid } from './validate-manifests';
import { PodDeclaration, Reachability } from '../../src/analyzer';

/** The examples folder. */
export const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

/** The pods of examples/cluster-context.yaml, validated like every other manifest. */
export function clusterContext(): any[] {
  const text = fs.readFileSync(path.join(EXAMPLES, 'cluster-context.yaml'), 'utf-8');
  const objects = yaml.parseAllDocuments(text).map((doc) => doc.toJSON());
  expectValidManifests(objects);
  return objects;
}

/** The manifests of an example, built in a test app; every one validated. */
export function synthExample(build: (app: App) => App): any[] {
  return synthValid(build(Testing.app()));
}

/** The NetworkPolicies among `manifests`, as YAML for a snapshot. */
export function policiesYaml(manifests: any[]): string {
  return yaml.stringify(manifests.filter((o) => o.kind === 'NetworkPolicy'));
}

/** What `manifests` allow, with the cluster context and `pods` (unrelated pods, say) added. */
export function reachabilityWithContext(manifests: any[], pods: PodDeclaration[] = []): Reachability {
  const reach = Reachability.fromManifests([...manifests, ...clusterContext()]);
  for (const pod of pods) reach.addPod(pod);
  return reach;
}

/** The aliases of the cluster context's pods, for flow tables. */
export const CONTEXT_PODS = {
  nginx: 'ingress-nginx/ingress-nginx-controller',
  dns: 'kube-system/coredns',
  agent: 'monitoring/agent',
  curl: 'default/curl',
};
