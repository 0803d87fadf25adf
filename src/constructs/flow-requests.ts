import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { IConstruct } from 'constructs';
import { firstThisSynth, warnOncePerSynth } from './once-per-synth';
import { PolicyDirection } from './policy-direction';
import { Port } from '../vocabulary/port';
import { ResolvedWorkload } from '../vocabulary/workload';

/**
 * A flow whose other side belongs in a namespace the app does not own: the policy it needs there is
 * not written into the app's manifests but handed over to that namespace's owner.
 * @internal
 */
export interface FlowRequest {
  /** The grant that declared the flow. */
  readonly requester: IConstruct;
  /** The workload whose policy is requested, in the namespace the app does not own. */
  readonly workload: ResolvedWorkload;
  /** The direction the requested policy allows. */
  readonly direction: PolicyDirection;
  readonly from: ResolvedWorkload;
  readonly to: ResolvedWorkload;
  readonly ports: Port[];
}

/** The folder of the outdir that holds the flow requests, one file per namespace. @internal */
export const FLOW_REQUESTS_DIR = 'flow-requests';

/**
 * Warns once per synth for each flow of `requests`, and writes `flow-requests/<namespace>.yaml` in the
 * app's outdir: the requested policies (`manifests`, by namespace) under a header that lists the flows.
 * The folder is not applied by `kubectl apply -f dist/` (which does not descend into folders).
 * @internal
 */
export function reportFlowRequests(root: IConstruct, requests: readonly FlowRequest[], manifests: ReadonlyMap<string, any[]>): void {
  const outdir = root instanceof App ? root.outdir : 'dist';
  for (const request of requests) {
    const namespace = request.workload.namespace;
    const file = path.join(outdir, FLOW_REQUESTS_DIR, `${namespace}.yaml`);
    const side = request.direction === PolicyDirection.INGRESS ? 'ingress' : 'egress';
    warnOncePerSynth(root, `[warning] ${describeRequester(request.requester)}: the flow ${describeFlow(request)} needs ${side} allowed in namespace '${namespace}', `
      + 'which this app does not own (no chart has it as namespace, no construct targets it). That policy is not written: it would isolate '
      + `${workloadId(request.workload)} and cut off its other ${request.direction === PolicyDirection.INGRESS ? 'clients' : 'destinations'}. `
      + `It is requested in ${file} for the namespace's owner to apply. To write it anyway, set writeUnownedNamespaces: true on the grant, `
      + 'or declare the namespace with OwnedNamespaces');
  }
  const text = [...manifests.keys()].sort().map((namespace) => ({ namespace, yaml: requestFile(namespace, requests, manifests.get(namespace)!) }));
  if (!firstThisSynth(root, `flow-requests|${JSON.stringify(text)}`)) return;
  for (const { namespace, yaml } of text) {
    const file = path.join(outdir, FLOW_REQUESTS_DIR, `${namespace}.yaml`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, yaml);
  }
}

function requestFile(namespace: string, requests: readonly FlowRequest[], manifests: any[]): string {
  const flows = requests.filter((r) => r.workload.namespace === namespace)
    .map((r) => `#   - ${describeRequester(r.requester)}: ${describeFlow(r)}`);
  return [
    `# Flow requests for namespace '${namespace}', written by cdk8s-netpol for an app that does not own it.`,
    '#',
    '# The app allows its own side of the flows below in its manifests. For the traffic to pass when',
    `# the pods of '${namespace}' are isolated, the owner of '${namespace}' has to allow the other side:`,
    '# these NetworkPolicies are what the app would have written there. Applied as they are, each one',
    '# isolates the pods it selects for the directions in its policyTypes, so that only what its rules',
    "# allow gets through: merge their rules into the namespace's own policies unless that is intended.",
    '#',
    '# Flows:',
    ...[...new Set(flows)],
    Yaml.stringify(...manifests.map(sortKeys)),
  ].join('\n');
}

/** `value` with the keys of every object sorted, as cdk8s writes the manifests. */
function sortKeys(value: any): any {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys(value[key])]));
}

/** `AllowTo 'payments/worker-to-kafka'`. */
function describeRequester(requester: IConstruct): string {
  return `${requester.constructor.name} '${requester.node.path}'`;
}

/** `payments/worker -> kafka/kafka on 9092/TCP`. */
function describeFlow(request: FlowRequest): string {
  return `${workloadId(request.from)} -> ${workloadId(request.to)} on ${request.ports.map(String).join(', ')}`;
}

function workloadId(workload: ResolvedWorkload): string {
  return `${workload.namespace}/${workload.name}`;
}
