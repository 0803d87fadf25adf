import { build } from '../../examples/zero-trust-namespace/main';
import { CONTEXT_PODS, policiesYaml, reachabilityWithContext, synthExample } from '../support/examples';
import { expectFlowTable } from '../support/flow-table';

describe('examples/zero-trust-namespace', () => {
  const manifests = synthExample(build);

  test('synthesizes schema-valid manifests: a policy per team namespace, for the cross-namespace flow and for the scraper', () => {
    expect(manifests.filter((o) => o.kind === 'NetworkPolicy').map((o) => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'team-a/all-pods-netpol', 'team-b/all-pods-netpol', 'team-a/web-netpol', 'team-b/api-netpol', 'monitoring/prometheus-netpol',
    ]);
    expect(policiesYaml(manifests)).toMatchSnapshot();
  });

  test('teams locked down but within themselves, web → api on 8080, Prometheus scrapes the ports named metrics and answers its namespace on 9090', () => {
    // team-a/other names its metrics port on 9100: the named port resolves per pod; team-b/other has none.
    const reach = reachabilityWithContext(manifests, [
      { namespace: 'team-a', name: 'other', labels: { app: 'other' }, ports: [{ name: 'metrics', containerPort: 9100 }] },
      { namespace: 'team-b', name: 'other', labels: { app: 'other' } },
    ]);
    const pods = { web: 'team-a/web', api: 'team-b/api', prom: 'monitoring/prometheus', aOther: 'team-a/other', bOther: 'team-b/other', ...CONTEXT_PODS };
    expectFlowTable(reach, pods, `
      from\\to  web   api   prom  aOther  bOther  nginx  dns        agent  curl
      web       all   8080  -     all     -       -      53,53/udp  -      -
      api       -     all   -     -       all     -      53,53/udp  -      -
      prom      9090  9090  all   9100    -       -      53,53/udp  -      -
      aOther    all   -     -     all     -       -      53,53/udp  -      -
      bOther    -     all   -     -       all     -      53,53/udp  -      -
      nginx     -     -     -     -       -       all    all        all    all
      dns       -     -     -     -       -       all    all        all    all
      agent     -     -     9090  -       -       all    all        all    all
      curl      -     -     -     -       -       all    all        all    all
    `);
  });
});
