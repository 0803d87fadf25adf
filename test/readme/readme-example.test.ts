/** The README's testing example, verbatim apart from the imports, so that it keeps working. */
import { Chart, Testing } from 'cdk8s';
import { Port, Reachability, ThreeTierApp, Workload } from '../../src';
import '../../src/testing';

test('the frontend cannot reach the database', () => {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  new ThreeTierApp(chart, 'app', {
    frontend: Workload.fromLabels({ tier: 'frontend' }),
    backend: Workload.fromLabels({ tier: 'backend' }),
    database: Workload.fromLabels({ tier: 'database' }),
  });
  const reach = Reachability.fromChart(chart)
    .addPod({ namespace: 'shop', name: 'web', labels: { tier: 'frontend' } })
    .addPod({ namespace: 'shop', name: 'api', labels: { tier: 'backend' } })
    .addPod({ namespace: 'shop', name: 'db', labels: { tier: 'database' } });

  expect(reach).toAllow('web', 'api', Port.tcp(8080));
  expect(reach).toDeny('web', 'db', Port.POSTGRES);
  expect(reach).toAllowOnlyDestinations('api', Port.POSTGRES, ['db']); // outbound: on 5432, api reaches db and nothing else
  expect(reach).toAllowOnlySources('db', Port.POSTGRES, ['api']); // inbound: on 5432, only api reaches db
});
