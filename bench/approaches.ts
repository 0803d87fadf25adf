/**
 * The same intent built five ways. Each `build` returns what `synth` needs; only those two calls are
 * timed by `synth.ts`. The intent itself is generated before the clock starts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IntOrString, KubeNetworkPolicy, NetworkPolicySpec } from 'cdk8s-plus-28/lib/imports/k8s';
import * as YAML from 'yaml';
import { handWrittenPolicies, Intent, Manifest, WorkloadSpec } from './intent';
import { AllowFrom, DefaultDeny, NetworkPolicyGuardrails, Peer, Port, Workload } from '../src';

/** Charts: one for the whole app, or one per namespace (each namespace's file). */
export type Layout = 'one-chart' | 'chart-per-namespace';

export interface Built {
  /** Writes the manifests to `outdir`. */
  synth(): void;
}

export interface Approach {
  readonly name: string;
  readonly description: string;
  build(intent: Intent, outdir: string, layout: Layout): Built;
}

/** Charts by namespace, created on first use. */
function charts(app: App, layout: Layout): (namespace: string) => Chart {
  const made = new Map<string, Chart>();
  return (namespace) => {
    const key = layout === 'one-chart' ? 'netpol' : namespace;
    let chart = made.get(key);
    if (!chart) {
      chart = new Chart(app, key);
      made.set(key, chart);
    }
    return chart;
  };
}

function id(w: WorkloadSpec): string {
  return `${w.namespace}-${w.name}`;
}

/** Our constructs: DefaultDeny per namespace, one AllowFrom per grant. */
const ours: Approach = {
  name: 'ours',
  description: 'cdk8s-netpol: `DefaultDeny` per namespace, `AllowFrom` per grant',
  build: (intent, outdir, layout) => buildOurs(intent, outdir, layout, {}),
};

/** Ours with a Deployment per workload (plain `ApiObject`s): the app the guardrails look at. */
const oursApp: Approach = {
  name: 'ours-app',
  description: 'ours plus a Deployment per workload',
  build: (intent, outdir, layout) => buildOurs(intent, outdir, layout, { deployments: true }),
};

/** The same app with `NetworkPolicyGuardrails`: the analyzer's findings at every synth. */
const oursAppGuarded: Approach = {
  name: 'ours-app-guardrails',
  description: 'ours plus a Deployment per workload, with `NetworkPolicyGuardrails` (findings checked at synth)',
  build: (intent, outdir, layout) => buildOurs(intent, outdir, layout, { deployments: true, guardrails: true }),
};

function buildOurs(intent: Intent, outdir: string, layout: Layout, extra: { deployments?: boolean; guardrails?: boolean }): Built {
  const app = new App({ outdir });
  const chartOf = charts(app, layout);
  if (extra.guardrails) new NetworkPolicyGuardrails(chartOf(intent.namespaces[0]), 'guardrails');
  for (const w of extra.deployments ? intent.workloads : []) {
    const labels = { app: w.name };
    new ApiObject(chartOf(w.namespace), `deploy-${id(w)}`, {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: w.name, namespace: w.namespace },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x', ports: [{ containerPort: w.port }] }] } } },
    });
  }
  const workloads = new Map<WorkloadSpec, Workload>();
  for (const w of intent.workloads) workloads.set(w, Workload.fromLabels({ app: w.name }, { namespace: w.namespace }));
  for (const namespace of intent.namespaces) new DefaultDeny(chartOf(namespace), `deny-${namespace}`, { namespace });
  for (const { from, to } of intent.grants) {
    new AllowFrom(chartOf(to.namespace), `${id(to)}-from-${id(from)}`, {
      to: workloads.get(to)!,
      from: [Peer.workload(workloads.get(from)!)],
      ports: [Port.tcp(to.port)],
    });
  }
  return { synth: () => app.synth() };
}

/** Raw cdk8s: the hand-written policies as generated `KubeNetworkPolicy` objects. */
const rawKube: Approach = {
  name: 'raw-kube',
  description: 'cdk8s `KubeNetworkPolicy` (cdk8s-plus-28 imports) per hand-merged policy',
  build(intent, outdir, layout) {
    const app = new App({ outdir });
    const chartOf = charts(app, layout);
    for (const m of handWrittenPolicies(intent)) {
      new KubeNetworkPolicy(chartOf(m.metadata.namespace), `${m.metadata.namespace}-${m.metadata.name}`, { metadata: m.metadata, spec: typed(m.spec) });
    }
    return { synth: () => app.synth() };
  },
};

/**
 * The spec in the generated types: ports must be `IntOrString`, since the generated `toJson` reads
 * `port.value` and silently drops a plain number.
 */
function typed(spec: any): NetworkPolicySpec {
  const ports = (rule: any) => ({ ...rule, ports: rule.ports?.map((p: any) => ({ ...p, port: IntOrString.fromNumber(p.port) })) });
  return { ...spec, ingress: spec.ingress?.map(ports), egress: spec.egress?.map(ports) };
}

/** Raw cdk8s without the generated types: `ApiObject` with the same manifest. */
const rawApiObject: Approach = {
  name: 'raw-apiobject',
  description: 'cdk8s `ApiObject` per hand-merged policy',
  build(intent, outdir, layout) {
    const app = new App({ outdir });
    const chartOf = charts(app, layout);
    for (const m of handWrittenPolicies(intent)) {
      new ApiObject(chartOf(m.metadata.namespace), `${m.metadata.namespace}-${m.metadata.name}`, m);
    }
    return { synth: () => app.synth() };
  },
};

/**
 * cdk8s-plus-28: per namespace a `NetworkPolicy` denying both directions with a DNS egress rule; per
 * grant the two policies `pod.connections.allowFrom` writes (ingress on the destination, egress on the
 * source), built with `NetworkPolicy` and `Pods.select` since the intent has no Deployments.
 */
const plus: Approach = {
  name: 'cdk8s-plus',
  description: 'cdk8s-plus-28 `NetworkPolicy` per namespace and two per grant (what `pod.connections` writes)',
  build(intent, outdir, layout) {
    const app = new App({ outdir });
    const chartOf = charts(app, layout);
    const local = new Map<WorkloadSpec, kplus.Pods>();
    const qualified = new Map<WorkloadSpec, kplus.Pods>();
    const namespaces = new Map<string, kplus.Namespaces>();
    for (const namespace of intent.namespaces) {
      const chart = chartOf(namespace);
      namespaces.set(namespace, kplus.Namespaces.select(chart, `ns-${namespace}`, { names: [namespace] }));
      const kubeDns = kplus.Pods.select(chart, `kube-dns-${namespace}`, {
        labels: { 'k8s-app': 'kube-dns' },
        namespaces: kplus.Namespaces.select(chart, `kube-system-${namespace}`, { names: ['kube-system'] }),
      });
      new kplus.NetworkPolicy(chart, `deny-${namespace}`, {
        metadata: { namespace },
        selector: kplus.Pods.all(chart, `all-${namespace}`),
        ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
        egress: {
          default: kplus.NetworkPolicyTrafficDefault.DENY,
          rules: [{ peer: kubeDns, ports: [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)] }],
        },
      });
    }
    for (const w of intent.workloads) {
      const chart = chartOf(w.namespace);
      local.set(w, kplus.Pods.select(chart, `pods-${id(w)}`, { labels: { app: w.name } }));
      qualified.set(w, kplus.Pods.select(chart, `pods-q-${id(w)}`, { labels: { app: w.name }, namespaces: namespaces.get(w.namespace)! }));
    }
    const peer = (w: WorkloadSpec, seenFrom: string) => (w.namespace === seenFrom ? local : qualified).get(w)!;
    for (const { from, to } of intent.grants) {
      const ports = [kplus.NetworkPolicyPort.tcp(to.port)];
      new kplus.NetworkPolicy(chartOf(to.namespace), `allow-ingress-${id(to)}-from-${id(from)}`, {
        metadata: { namespace: to.namespace },
        selector: local.get(to)!,
        ingress: { rules: [{ peer: peer(from, to.namespace), ports }] },
      });
      new kplus.NetworkPolicy(chartOf(from.namespace), `allow-egress-${id(from)}-to-${id(to)}`, {
        metadata: { namespace: from.namespace },
        selector: local.get(from)!,
        egress: { rules: [{ peer: peer(to, from.namespace), ports }] },
      });
    }
    return { synth: () => app.synth() };
  },
};

/**
 * The floor: the hand-written policies serialized with the `yaml` package (same options as cdk8s)
 * into the same files, with no construct tree.
 */
const floor: Approach = {
  name: 'floor',
  description: 'plain objects + `yaml` stringify, same files and options as cdk8s, no constructs',
  build(intent, outdir, layout) {
    const files = new Map<string, Manifest[]>();
    for (const m of handWrittenPolicies(intent)) {
      const file = layout === 'one-chart' ? 'netpol' : m.metadata.namespace;
      const list = files.get(file);
      if (list) list.push(m);
      else files.set(file, [m]);
    }
    return {
      synth: () => {
        fs.mkdirSync(outdir, { recursive: true });
        for (const [file, docs] of files) {
          const text = docs.map((d) => YAML.stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
          fs.writeFileSync(path.join(outdir, `${file}.k8s.yaml`), text, 'utf8');
        }
      },
    };
  },
};

export const APPROACHES: Approach[] = [ours, rawKube, rawApiObject, plus, floor];

/** Measured on their own, not in the comparison tables (`cli-bench.ts`). */
const EXTRA: Approach[] = [oursApp, oursAppGuarded];

export function approach(name: string): Approach {
  const found = [...APPROACHES, ...EXTRA].find((a) => a.name === name);
  if (!found) throw new Error(`unknown approach '${name}': one of ${APPROACHES.map((a) => a.name).join(', ')}`);
  return found;
}
