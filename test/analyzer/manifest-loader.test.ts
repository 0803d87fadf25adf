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

describe('YAML that kubectl reads', () => {
  const pod = (spec: string[]): string => ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: p', '  namespace: a', ...spec].join('\n');

  test('a line starting with a tab inside a flow sequence', () => {
    const text = pod(['spec:', '  containers:', '  - name: c', '    image: x', '    args: [', '\t"--port=8080",', '      "--verbose"', '    ]']);
    const [loaded] = parseManifestText(text, 'tab.yaml');
    expect(loaded.object.spec.containers[0].args).toEqual(['--port=8080', '--verbose']);
  });

  test('a multi-line single-quoted scalar whose closing line sits at its key\'s indentation (CRLF line ends too)', () => {
    const text = pod(['  annotations:', "    config: '{ \"type\": \"macvlan\",", '      \"mode\": \"bridge\"', "    }'", 'spec:', '  containers: [{name: c, image: x}]']).replace(/\n/g, '\r\n');
    const [loaded] = parseManifestText(text, 'quote.yaml');
    expect(loaded.object.metadata.annotations.config).toBe('{ "type": "macvlan", "mode": "bridge" }');
    expect(Reachability.fromManifests([loaded.object]).pods).toEqual(['a/p']);
  });

  test('an error names the document it is in and the line', () => {
    const text = ['kind: Namespace', 'metadata: {name: a}', '---', '# second', '---', 'kind: Namespace', 'metadata: {name: [b}'].join('\n');
    expect(() => parseManifestText(text, 'x.yaml')).toThrow(/^x\.yaml, document 2: is not valid YAML \(line 7, column \d+\): /);
  });
});

describe('files of a directory that are not manifests', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-stray-'));
    fs.writeFileSync(path.join(dir, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n');
    fs.writeFileSync(path.join(dir, 'connlist_output.json'), JSON.stringify([{ src: 'a', dst: 'b', conn: 'All Connections' }]));
    fs.writeFileSync(path.join(dir, 'values.yaml'), 'replicas: 3\nimage: {tag: v1}\n');
    fs.writeFileSync(path.join(dir, 'empty.yaml'), '# nothing yet\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('are reported and left out when the caller asks for it', () => {
    const skipped: string[] = [];
    const objects = loadManifestFiles([dir], { onSkippedFile: (s) => skipped.push(`${path.basename(s.file)}: ${s.reason}`) });
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['a']);
    expect(skipped).toEqual([
      'connlist_output.json: it holds a list, not Kubernetes objects',
      'values.yaml: it holds a mapping without kind, not Kubernetes objects',
    ]);
  });

  test('are an error otherwise, and so is such a file given by name', () => {
    expect(() => loadManifestFiles([dir])).toThrow(/connlist_output\.json: is not a Kubernetes object: expected a mapping with apiVersion and kind, got a list/);
    expect(() => loadManifestFiles([path.join(dir, 'values.yaml')], { onSkippedFile: () => undefined })).toThrow(/values\.yaml, document 0: has no kind/);
  });

  test('a file with objects and something else is read, and the something else is the error', () => {
    fs.writeFileSync(path.join(dir, 'mixed.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: b}\n---\n[1, 2]\n');
    expect(() => loadManifestFiles([dir], { onSkippedFile: () => undefined })).toThrow(/mixed\.yaml, document 1: is not a Kubernetes object/);
  });
});

describe('standard input', () => {
  test("'-' reads YAML or JSON from the reader given", () => {
    const objects = loadManifestFiles(['-'], { readStdin: () => '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "s"}}' });
    expect(objects.map((o) => `${o.file} ${o.object.metadata.name}`)).toEqual(['<stdin> s']);
  });
});

describe('objects the API server keeps one of per name', () => {
  test('two Namespaces with one name are an input error naming both', () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: b}}\n';
    expect(() => Reachability._fromLoaded(parseManifestText(text, 'ns.yaml'))).toThrow(
      "ns.yaml, document 1: there are two Namespaces named 'shop' (ns.yaml, document 0 and ns.yaml, document 1); the API server keeps one object per name",
    );
  });
});

describe('a container port without a port number', () => {
  test('is left out and named as unmodelled; the rest of the pod is read', () => {
    const text = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web, namespace: a}', 'spec:', '  template:', '    metadata: {labels: {app: web}}', '    spec:',
      '      containers:', '      - name: c', '        ports:', '        - {name: http, containerPort: 8080}', '        - {name: udps, containerport: 3535, protocol: UDP}',
    ].join('\n');
    const reach = Reachability._fromLoaded(parseManifestText(text, 'web.yaml'));
    expect(reach.pods).toEqual(['a/web']);
    expect(reach.unmodelled).toEqual([expect.objectContaining({
      kind: 'Deployment', name: 'a/web', field: 'spec.template.spec.containers[0].ports[1]', source: 'web.yaml, document 0',
    })]);
    expect(reach.unmodelled[0].reason).toContain("containerPort undefined is not a port number 1-65535 (the API server would reject the object), so the port 'udps' is left out");
    expect(reach._model.pods[0].ports.map((p) => p.name)).toEqual(['http']);
  });
});
