/** The README's 30-second tour: its YAML must be what its TypeScript synthesizes. */
import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { ThreeTierApp, Workload } from '../../src';

test('the tour\'s YAML is the real output of its code', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf-8');
  const tour = readme.slice(readme.indexOf('## The 30-second tour'));
  const yamlBlock = /```yaml\n([\s\S]*?)```/.exec(tour)![1];

  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  new ThreeTierApp(chart, 'app', {
    frontend: Workload.fromLabels({ tier: 'frontend' }),
    backend: Workload.fromLabels({ tier: 'backend' }),
    database: Workload.fromLabels({ tier: 'database' }),
  });
  expect(yamlBlock).toBe(Yaml.stringify(...Testing.synth(chart)));
});
