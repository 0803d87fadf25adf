/**
 * The README compares us with cdk8s-plus-28's NetworkPolicy support. These tests pin each claim on
 * the version we depend on, so the comparison stays honest when either side changes.
 */
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AllowTo, Peer, Port, Workload } from '../../src';
import { validateNetworkPolicy } from '../../src/analyzer/validate-network-policy';
import { chartIn, policiesOf } from '../support/cluster';

function twoDeployments(chart: any) {
  return {
    web: new kplus.Deployment(chart, 'web', { containers: [{ image: 'web', portNumber: 80 }] }),
    api: new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] }),
  };
}

describe('cdk8s-plus-28 2.5.6', () => {
  test('"all TCP" is written as port 0, which the API server rejects', () => {
    const chart = Testing.chart();
    const { web, api } = twoDeployments(chart);
    web.connections.allowTo(api, { ports: [kplus.NetworkPolicyPort.allTcp()] });
    const policies = Testing.synth(chart).filter((o) => o.kind === 'NetworkPolicy');
    expect(policies[0].spec.egress[0].ports).toEqual([{ port: 0, endPort: 65535, protocol: 'TCP' }]);
    expect(validateNetworkPolicy(policies[0]).join('\n')).toContain('spec.egress[0].ports[0].port');
  });

  test('a repeated grant crashes', () => {
    const chart = Testing.chart();
    const { web, api } = twoDeployments(chart);
    web.connections.allowTo(api, { ports: [kplus.NetworkPolicyPort.tcp(8080)] });
    expect(() => web.connections.allowTo(api, { ports: [kplus.NetworkPolicyPort.tcp(8080)] })).toThrow(/There is already a Construct with name/);
  });

  test('policies carry no namespace and no DNS rule', () => {
    const chart = Testing.chart();
    const { web, api } = twoDeployments(chart);
    web.connections.allowTo(api, { ports: [kplus.NetworkPolicyPort.tcp(8080)] });
    const egress = Testing.synth(chart).find((o) => o.kind === 'NetworkPolicy' && o.spec.policyTypes.includes('Egress'));
    expect(egress.metadata.namespace).toBeUndefined();
    expect(JSON.stringify(egress.spec.egress)).not.toContain('kube-dns');
  });
});

describe('cdk8s-netpol, for the same intents', () => {
  test('all TCP is a protocol without a port; a repeated grant is a no-op; namespace and DNS are there', () => {
    const chart = chartIn('shop');
    const { web, api } = twoDeployments(chart);
    new AllowTo(chart, 'a', { from: Workload.of(web), to: [Peer.workload(Workload.of(api))], ports: [Port.allTcp()] });
    new AllowTo(chart, 'b', { from: Workload.of(web), to: [Peer.workload(Workload.of(api))], ports: [Port.allTcp()] });
    const policies = policiesOf(chart); // validated against the schema and the API server's rules
    const egress = policies.find((p) => p.spec.policyTypes.includes('Egress'));
    expect(egress.metadata.namespace).toBe('shop');
    expect(egress.spec.egress).toContainEqual(expect.objectContaining({ ports: [{ protocol: 'TCP' }] }));
    expect(JSON.stringify(egress.spec.egress)).toContain('kube-dns');
    expect(policies).toHaveLength(2);
  });
});
