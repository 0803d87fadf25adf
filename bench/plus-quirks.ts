/**
 * What cdk8s-plus-28 does with intents the synth benchmark avoids (its generated intent never
 * repeats a grant), next to what our constructs do with the same intent. Prints a markdown table.
 *
 *   node bench/.cache/build/bench/plus-quirks.js
 */
import { App, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowFrom, Peer, Port, Workload } from '../src';

interface Row { intent: string; plus: string; ours: string }

function outcome(run: () => any[]): string {
  try {
    const docs = run().filter((d) => d.kind === 'NetworkPolicy');
    const ports = docs.flatMap((d) => [...(d.spec.ingress ?? []), ...(d.spec.egress ?? [])]).flatMap((r: any) => r.ports ?? []);
    const zero = ports.filter((p: any) => p.port === 0).length;
    return `${docs.length} policies${zero ? `, ${zero} with \`port: 0\` (the API server rejects it: port must be 1-65535)` : ''}`;
  } catch (e) {
    return `crash: ${(e as Error).message.split('\n')[0]}`;
  }
}

function deployments(chart: Chart) {
  const web = new kplus.Deployment(chart, 'web', { containers: [{ image: 'web', portNumber: 8080 }] });
  const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
  return { web, api };
}

const rows: Row[] = [
  {
    intent: 'the same grant twice (web may reach api; declared by two teams)',
    plus: outcome(() => {
      const chart = Testing.chart();
      const { web, api } = deployments(chart);
      api.connections.allowFrom(web);
      api.connections.allowFrom(web);
      return Testing.synth(chart);
    }),
    ours: outcome(() => {
      const chart = new Chart(new App(), 'c', { namespace: 'shop' });
      const { web, api } = deployments(chart);
      for (const id of ['a', 'b']) new AllowFrom(chart, id, { to: Workload.of(api), from: [Peer.workload(Workload.of(web))], ports: [Port.tcp(8080)] });
      return Testing.synth(chart);
    }),
  },
  {
    intent: 'every TCP port (`NetworkPolicyPort.allTcp()` / `Port.allTcp()`)',
    plus: outcome(() => {
      const chart = Testing.chart();
      const { web, api } = deployments(chart);
      api.connections.allowFrom(web, { ports: [kplus.NetworkPolicyPort.allTcp()] });
      return Testing.synth(chart);
    }),
    ours: outcome(() => {
      const chart = new Chart(new App(), 'c', { namespace: 'shop' });
      const { web, api } = deployments(chart);
      new AllowFrom(chart, 'a', { to: Workload.of(api), from: [Peer.workload(Workload.of(web))], ports: [Port.allTcp()] });
      return Testing.synth(chart);
    }),
  },
];

process.stdout.write('| intent | cdk8s-plus-28 (`pod.connections`) | ours (`AllowFrom`) |\n|---|---|---|\n');
for (const r of rows) process.stdout.write(`| ${r.intent} | ${r.plus} | ${r.ours} |\n`);
