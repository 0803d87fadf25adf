/** The README's cluster-guardrail proof: every command of its console block prints what the README says. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, Yaml } from 'cdk8s';
import * as yaml from 'yaml';
import { build } from '../../examples/cluster-guardrails/main';
import { main } from '../../src/cli/main';
import { EXAMPLES } from '../support/examples';

test('the cluster-guardrail commands print what the README shows', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## Cluster guardrails'));
  const block = /```console\n([\s\S]*?)```/.exec(section)![1];
  const commands = block.split(/^\$ /m).filter((c) => c !== '');
  expect(commands.length).toBe(6);

  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-guardrails-'));
  const app = build(Testing.app());
  for (const chart of app.charts) fs.writeFileSync(path.join(dist, `${chart.node.id}.k8s.yaml`), Yaml.stringify(...Testing.synth(chart)));
  for (const command of commands) {
    const [line, ...printed] = command.split('\n');
    const argv = line.replace(/^npx cdk8s-netpol /, '').split(/\s+/)
      .map((arg) => (arg === 'dist/' ? dist : arg === '../cluster-context.yaml' ? path.join(EXAMPLES, 'cluster-context.yaml') : arg));
    let out = '';
    const code = await main(argv, { out: (t) => { out += t; }, err: () => undefined });
    expect([line, code, out]).toEqual([line, 0, printed.join('\n')]);
  }
  fs.rmSync(dist, { recursive: true });
});

test('the ClusterNetworkPolicies the README shows are the ones the example writes', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const section = readme.slice(readme.indexOf('## Cluster guardrails'));
  const shown = yaml.parseAllDocuments(/```yaml\n([\s\S]*?)```/.exec(section)![1]).map((d) => d.toJSON());
  const written = build(Testing.app()).charts.flatMap((chart) => Testing.synth(chart));
  expect(shown.map((o) => o.metadata.name)).toEqual(['platform-baseline', 'platform-metadata']);
  for (const object of shown) expect(object).toEqual(written.find((o) => o.metadata.name === object.metadata.name));
});
