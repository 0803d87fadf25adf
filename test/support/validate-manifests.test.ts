import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { expectValidManifests, manifestProblems, schemaProblems, synthValid } from './validate-manifests';

function policy(spec: any, metadata: any = { name: 'allow-web', namespace: 'shop' }): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

describe('schemaProblems (kubernetes-models JSON schema)', () => {
  test('accepts a valid NetworkPolicy', () => {
    expect(schemaProblems(policy({ podSelector: {}, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] }))).toEqual([]);
  });

  test('rejects a port of the wrong type', () => {
    const problems = schemaProblems(policy({ podSelector: {}, ingress: [{ ports: [{ port: true }] }] }));
    expect(problems).toContain('spec.ingress[0].ports[0].port: must be string (got true)');
    expect(problems).toContain('spec.ingress[0].ports[0].port: must be integer (got true)');
  });

  test('rejects an unknown protocol', () => {
    expect(schemaProblems(policy({ podSelector: {}, egress: [{ ports: [{ protocol: 'ICMP' }] }] }))).toEqual([
      'spec.egress[0].ports[0].protocol: must be equal to one of the allowed values "SCTP", "TCP", "UDP" (got "ICMP")',
    ]);
  });

  test('rejects a missing required field', () => {
    expect(schemaProblems(policy({ policyTypes: ['Ingress'] }))).toEqual([
      'spec: must have required property podSelector (got {"policyTypes":["Ingress"]})',
    ]);
  });

  test('rejects spec fields of the wrong type', () => {
    expect(schemaProblems(policy({ podSelector: {}, ingress: { from: [] }, policyTypes: 'Ingress' }))).toEqual([
      'spec.ingress: must be array (got {"from":[]})',
      'spec.policyTypes: must be array (got "Ingress")',
    ]);
  });

  test('validates other kinds by their own schema', () => {
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: {} })).toEqual([
      'spec: must have required property containers (got {})',
    ]);
    expect(schemaProblems({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 7 } } })).toEqual([
      'metadata.labels.team: must be string (got 7)',
    ]);
  });

  test('fails loudly on a kind it has no schema for', () => {
    const problems = schemaProblems({ apiVersion: 'crd.antrea.io/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'x' } });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('no schema for apiVersion "crd.antrea.io/v1beta1" kind "NetworkPolicy"');
  });

  test('a CiliumNetworkPolicy gets its name, namespace and spec checked here, its schema by the shared CRD tests', () => {
    expect(schemaProblems({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'x' } })).toEqual(['metadata.namespace: missing', 'spec: missing']);
  });
});

describe('manifestProblems', () => {
  test('adds the API server rules the schema cannot express', () => {
    const schemaValid = policy({ podSelector: {}, ingress: [{ ports: [{ port: 'a b' }] }] });
    expect(schemaProblems(schemaValid)).toEqual([]);
    expect(manifestProblems(schemaValid)).toEqual([
      'spec.ingress[0].ports[0].port: Invalid value: "a b": port name must be lowercase letters, digits and \'-\', not starting or ending with \'-\'',
    ]);
  });

  test('requires a namespace on NetworkPolicies unless told otherwise', () => {
    const noNamespace = policy({ podSelector: {} }, { name: 'deny' });
    expect(manifestProblems(noNamespace)).toEqual(['metadata.namespace: Required value: every policy we write must name its namespace']);
    expect(manifestProblems(noNamespace, { allowMissingNamespace: true })).toEqual([]);
  });
});

describe('expectValidManifests', () => {
  test('accepts valid manifests of several kinds', () => {
    expect(() => expectValidManifests([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      policy({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
      },
    ])).not.toThrow();
  });

  test('lists every problem under the kind, namespace and name of its object', () => {
    expect(() => expectValidManifests([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      policy({ podSelector: {}, policyTypes: ['Ingress', 'Sideways'] }, { name: 'allow-web', namespace: 'shop' }),
      policy({ podSelector: {}, ingress: [{ ports: [{ port: 70000 }] }] }, { name: 'Bad_Name', namespace: 'shop' }),
    ])).toThrow([
      '2 of 3 manifests are invalid for Kubernetes 1.28:',
      'manifest #1 NetworkPolicy shop/allow-web:',
      '  - spec.policyTypes[1]: must be equal to one of the allowed values "Egress", "Ingress" (got "Sideways")',
      '  - spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
      'manifest #2 NetworkPolicy shop/Bad_Name:',
      '  - metadata.name: Invalid value: "Bad_Name": must be a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
      '  - spec.ingress[0].ports[0].port: Invalid value: 70000: must be an integer in the range 1-65535',
    ].join('\n'));
  });

  test('rejects two manifests for the same object', () => {
    const same = policy({ podSelector: {} });
    expect(() => expectValidManifests([same, same])).toThrow('duplicate of manifest #0: both are networking.k8s.io/v1 NetworkPolicy shop/allow-web');
  });
});

describe('synthValid', () => {
  test('returns the manifests of a valid chart, cdk8s-plus workloads included', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'web', { containers: [{ image: 'nginx', portNumber: 8080 }] });
    new ApiObject(chart, 'policy', policy({ podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] }));
    const manifests = synthValid(chart);
    expect(manifests.map((m) => m.kind)).toEqual(['Deployment', 'NetworkPolicy']);
  });

  test('validates every chart of an app', () => {
    const app = Testing.app();
    new kplus.Namespace(new Chart(app, 'first'), 'shop');
    new ApiObject(new Chart(app, 'second'), 'bad', policy({ podSelector: {} }, { name: 'x', namespace: 'Shop' }));
    expect(() => synthValid(app)).toThrow('metadata.namespace: Invalid value: "Shop"');
  });

  test('throws on an invalid chart', () => {
    const chart = Testing.chart();
    new ApiObject(chart, 'policy', policy({ podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['11.0.0.0/16'] } }] }] }));
    expect(() => synthValid(chart)).toThrow('spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of the cidr 10.0.0.0/8');
  });
});
