import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Reachability } from '../../src/analyzer';
import { loadManifestFiles, parseManifestText } from '../../src/analyzer/manifest-loader';

const fixtures = path.join(__dirname, '..', 'fixtures', 'analyzer');

describe('loadManifestFiles', () => {
  test('reads directories recursively: multi-document YAML, JSON List objects', () => {
    const objects = loadManifestFiles([path.join(fixtures, 'shop')]);
    expect(objects.map((o) => `${path.basename(o.file!)}#${o.documentIndex ?? '-'}${o.item !== undefined ? `[${o.item}]` : ''} ${o.object.kind}/${o.object.metadata.name}`)).toEqual([
      'monitoring.json#-[0] Deployment/prometheus',
      'namespaces.yaml#0 Namespace/shop',
      'namespaces.yaml#1 Namespace/monitoring',
      'default-deny.yaml#0 NetworkPolicy/default-deny',
      'flows.yaml#0 NetworkPolicy/web',
      'flows.yaml#1 NetworkPolicy/api',
      'flows.yaml#2 NetworkPolicy/db',
      'workloads.yaml#0 Deployment/web',
      'workloads.yaml#1 Deployment/api',
      'workloads.yaml#2 StatefulSet/db',
      'workloads.yaml#3 Service/api',
    ]);
    expect(Reachability.fromFiles([path.join(fixtures, 'shop')]).pods).toEqual(['monitoring/prometheus', 'shop/web', 'shop/api', 'shop/db']);
  });

  test('items of a typed List (NetworkPolicyList, PodList) without kind take it from the list, as kubectl does', () => {
    // apimachinery's unstructured decodeToList: an item without kind and apiVersion gets the list's
    // kind minus "List" and the list's apiVersion.
    const text = [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicyList',
      'items:',
      '- metadata: {name: deny, namespace: a}',
      '  spec: {podSelector: {}, policyTypes: [Ingress]}',
      '---',
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- metadata: {name: x, namespace: a}',
      '  spec: {containers: [{name: c, image: i}]}',
      '- metadata: {name: y, namespace: a}',
      '  spec: {containers: [{name: c, image: i}]}',
    ].join('\n');
    const objects = parseManifestText(text, 'dump.yaml');
    expect(objects.map((o) => `${o.documentIndex}[${o.item}] ${o.object.apiVersion} ${o.object.kind}/${o.object.metadata.name}`)).toEqual([
      '0[0] networking.k8s.io/v1 NetworkPolicy/deny',
      '1[0] v1 Pod/x',
      '1[1] v1 Pod/y',
    ]);
    const r = Reachability.fromManifests(objects.map((o) => o.object));
    expect(r.pods).toEqual(['a/x', 'a/y']);
    expect(r.isolation('a/x').ingressPolicies).toEqual(['a/deny']);
  });

  test('skips empty documents but counts them', () => {
    const objects = parseManifestText('kind: Namespace\nmetadata: {name: a}\n---\n# nothing\n---\nkind: Namespace\nmetadata: {name: x}\n', 'x.yaml');
    expect(objects.map((o) => [o.documentIndex, o.object.metadata.name])).toEqual([[0, 'a'], [2, 'x']]);
  });

  test.each([
    ['bad-yaml.yaml', /bad-yaml\.yaml, document 1: is not valid YAML \(line \d+, column \d+\): /],
    ['bad-policy.yaml', /bad-policy\.yaml, document 1: NetworkPolicy 'fine\/bad-range' is invalid \(the API server would reject it\): .*endPort/],
    ['scalar.yaml', /scalar\.yaml, document 0: is not a Kubernetes object: expected a mapping with apiVersion and kind, got the string "just a string"/],
    ['bad.json', /bad\.json: is not valid JSON: /],
    ['missing.yaml', /missing\.yaml: no such file or directory/],
  ])('%s: the error names the file, the document and the problem', (file, message) => {
    expect(() => loadManifestFiles([path.join(fixtures, 'invalid', file)])).toThrow(message);
  });

  test('an object without kind is an error', () => {
    expect(() => parseManifestText('apiVersion: v1\nmetadata: {name: x}\n', 'k.yaml')).toThrow('k.yaml, document 0: has no kind');
  });

  test('only .yaml, .yml and .json files of a directory are read', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-loader-'));
    try {
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.writeFileSync(path.join(dir, 'sub', 'a.yml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n');
      fs.writeFileSync(path.join(dir, 'README.md'), '# not a manifest: [');
      expect(Reachability.fromFiles([dir]).pods).toEqual(['default/a']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
