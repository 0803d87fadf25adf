import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'yaml';
import { build } from '../../examples/three-tier/main';
import { CONTEXT_PODS, EXAMPLES, policiesYaml, reachabilityWithContext, synthExample } from '../support/examples';
import { expectFlowTable } from '../support/flow-table';

const OTHERS = ['frontend', 'backend', 'database'].map((namespace) => ({ namespace, name: 'other', labels: { app: 'other' } }));
const PODS = {
  front: 'frontend/frontend',
  back: 'backend/backend',
  db: 'database/database',
  fOther: 'frontend/other',
  bOther: 'backend/other',
  dOther: 'database/other',
  ...CONTEXT_PODS,
};

describe('examples/three-tier', () => {
  const manifests = synthExample(build);

  test('synthesizes schema-valid namespaces, workloads, services, a default deny per namespace and one policy per tier', () => {
    expect(manifests.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`)).toEqual([
      'Namespace /frontend',
      'NetworkPolicy frontend/all-pods-netpol', 'NetworkPolicy backend/all-pods-netpol', 'NetworkPolicy database/all-pods-netpol',
      'NetworkPolicy frontend/frontend-netpol', 'NetworkPolicy backend/backend-netpol', 'NetworkPolicy database/database-netpol',
      'Deployment frontend/frontend', 'Service frontend/frontend',
      'Namespace /backend', 'Deployment backend/backend', 'Service backend/backend',
      'Namespace /database', 'Deployment database/database', 'Service database/database',
    ]);
    expect(policiesYaml(manifests)).toMatchSnapshot();
  });

  test('allows ingress-nginx → frontend :80/:443 → backend :8080 → database :5432 and DNS, nothing else; other pods of the tier namespaces are isolated', () => {
    expectFlowTable(reachabilityWithContext(manifests, OTHERS), PODS, `
      from\\to  front   back  db    fOther  bOther  dOther  nginx  dns        agent  curl
      front     all     8080  -     -       -       -       -      53,53/udp  -      -
      back      -       all   5432  -       -       -       -      53,53/udp  -      -
      db        -       -     all   -       -       -       -      53,53/udp  -      -
      fOther    -       -     -     all     -       -       -      53,53/udp  -      -
      bOther    -       -     -     -       all     -       -      53,53/udp  -      -
      dOther    -       -     -     -       -       all     -      53,53/udp  -      -
      nginx     80,443  -     -     -       -       -       all    all        all    all
      dns       -       -     -     -       -       -       all    all        all    all
      agent     -       -     -     -       -       -       all    all        all    all
      curl      -       -     -     -       -       -       all    all        all    all
    `);
  });

  test('`npx cdk8s synth` writes the same manifests', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'three-tier-'));
    // The package's name resolves to src/, not lib/, so this passes before a compile too.
    const preload = `-r ${path.join(__dirname, '..', 'support', 'resolve-package-to-source.js')}`;
    const env = { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} ${preload}`.trim() };
    try {
      execFileSync('npx', ['cdk8s', 'synth', '--output', outdir, '--check-upgrade=false'], { cwd: path.join(EXAMPLES, 'three-tier'), stdio: 'pipe', timeout: 60_000, env });
      const written = yaml.parseAllDocuments(fs.readFileSync(path.join(outdir, 'three-tier.k8s.yaml'), 'utf-8')).map((d) => d.toJSON());
      expect(written).toEqual(manifests);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);
});
