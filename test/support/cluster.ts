import { App, Chart, Testing } from 'cdk8s';
import { synthValid } from './validate-manifests';
import { PodDeclaration, Reachability } from '../../src/analyzer';

/** A chart with this namespace, in `app` or a fresh app. */
export function chartIn(namespace: string, app: App = Testing.app()): Chart {
  return new Chart(app, namespace, { namespace });
}

/** A chart without a namespace, in a fresh app. */
export function chartWithoutNamespace(): Chart {
  return new Chart(Testing.app(), 'no-namespace');
}

/** The NetworkPolicies the whole app of `scope` synthesizes, each validated against the schema and the API server's rules. */
export function policiesOf(scope: Chart): any[] {
  return synthValid(scope.node.root as App).filter((o) => o.kind === 'NetworkPolicy');
}

/** What the app of `scope` allows between the given pods (plus any pods its workloads synthesize). */
export function reachabilityOf(scope: Chart, pods: PodDeclaration[]): Reachability {
  const reach = Reachability.fromManifests(synthValid(scope.node.root as App));
  for (const pod of pods) reach.addPod(pod);
  return reach;
}

/** A cluster DNS pod as kube-dns runs it, and NodeLocal DNSCache's listen address as a pod IP. */
export const KUBE_DNS: PodDeclaration = { namespace: 'kube-system', name: 'coredns', labels: { 'k8s-app': 'kube-dns' } };
export const NODE_LOCAL_DNS: PodDeclaration = { namespace: 'kube-system', name: 'node-local-dns', labels: { 'k8s-app': 'node-local-dns' }, ips: ['169.254.20.10'] };

/**
 * Every ordered pair of distinct pods among `pods` that `reach` allows on `port`, as `from -> to`,
 * sorted: the allowed half of a truth table, to compare with a hand-written list.
 */
export function allowedFlows(reach: Reachability, pods: string[], port: import('../../src').Port): string[] {
  const flows: string[] = [];
  for (const from of pods) {
    for (const to of pods) {
      if (from !== to && reach.isAllowed(from, to, port)) flows.push(`${from} -> ${to}`);
    }
  }
  return flows.sort();
}
