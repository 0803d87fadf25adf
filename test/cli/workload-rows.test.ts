import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** `kubectl get pods -o json` of a Deployment's two pods, and a policy. */
const podList = {
  apiVersion: 'v1',
  kind: 'List',
  items: [1, 2].map((n) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-6b8f9c-${n}`,
      namespace: 'shop',
      labels: { 'app': 'web', 'pod-template-hash': '6b8f9c' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-6b8f9c', controller: true, uid: 'u' }],
    },
    spec: { containers: [{ name: 'web', image: 'nginx' }] },
  })),
};
const deny = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };

describe('workload rows on the command line', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netpol-rows-'));
  fs.writeFileSync(path.join(dir, 'pods.json'), JSON.stringify(podList));
  fs.writeFileSync(path.join(dir, 'deny.json'), JSON.stringify(deny));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('analyze: one row per workload by default, one per pod with --pods', async () => {
    const rows = (await run('analyze', dir, '--fail-on', 'never')).out;
    expect(rows).toMatch(/^Workloads: 1 \(2 pods\), NetworkPolicies: 1\n\nIsolation:\n {2}shop\/web \(2 pods\)\n/);
    expect(rows).toContain('Allowed flows between different workloads:\n  (0 flows)\n');
    const pods = (await run('analyze', dir, '--fail-on', 'never', '--pods')).out;
    expect(pods).toMatch(/^Pods: 2, NetworkPolicies: 1\n\nIsolation:\n {2}shop\/web-6b8f9c-1\n/);
    expect(JSON.parse((await run('analyze', dir, '--output', 'json')).out).pods[0]).toMatchObject({ pod: 'shop/web', pods: ['shop/web-6b8f9c-1', 'shop/web-6b8f9c-2'] });
  });

  test('diff and exposure take --pods too', async () => {
    const open = path.join(dir, 'pods.json');
    // The two pods are one row, so no flow between them is listed.
    expect((await run('diff', open, dir)).out).toBe('Flows opened: 0\nFlows closed: 1, 1 of them with addresses outside the cluster\n'
      + '  - 0.0.0.0/0 -> shop/web (outside the cluster, 4,294,967,296 addresses): all ports\n');
    expect((await run('diff', open, dir, '--pods')).out).toContain('shop/web-6b8f9c-1 -> shop/web-6b8f9c-2: all ports');
    expect((await run('exposure', dir, '--pods')).out).toContain('shop/web-6b8f9c-2 (Pod)');
  });
});
