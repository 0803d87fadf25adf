import * as fs from 'fs';
import * as path from 'path';
import { ClusterModel } from '../../src/analyzer/cluster-model';
import { loadManifestFiles } from '../../src/analyzer/manifest-loader';
import { analyzeFindings } from '../../src/findings/finding-rules';

/**
 * Every finding on our re-expressions of the "Kubernetes Network Policy Recipes" collection
 * (test/fixtures/recipes), checked by hand against each recipe: `ID subject`, sorted.
 */

const RECIPES = path.join(__dirname, '..', 'fixtures', 'recipes');

function findingsOf(file: string): string[] {
  const objects = loadManifestFiles([path.join(RECIPES, file)]);
  return analyzeFindings(ClusterModel.fromObjects(objects), {}, objects).map((f) => `${f.id} ${f.subject}`).sort();
}

const EXPECTED: Record<string, string[]> = {
  '01-deny-all-to-app.yaml': [
    'NP001 default/client',
    'NP002 default/client', 'NP002 default/web',
    'NP003 default', 'NP004 default',
  ],
  '02-limit-to-app.yaml': [
    'NP001 default/frontend', 'NP001 default/other',
    'NP002 default/api', 'NP002 default/frontend', 'NP002 default/other',
    'NP003 default', 'NP004 default',
  ],
  '02a-allow-all-to-app.yaml': [
    'NP001 default/client',
    'NP002 default/client', 'NP002 default/web',
    'NP003 default', 'NP004 default',
    'NP015 default/web-allow-all',
  ],
  '03-default-deny-namespace.yaml': [
    'NP002 default/db', 'NP002 default/web',
    'NP004 default',
  ],
  '04-deny-from-other-namespaces.yaml': [
    'NP001 default/client',
    'NP002 default/client', 'NP002 secondary/web',
    'NP003 default', 'NP004 default', 'NP004 secondary',
    'NP013 secondary/deny-from-other-namespaces',
  ],
  '05-allow-from-all-namespaces.yaml': [
    'NP001 default/client',
    'NP002 default/client', 'NP002 secondary/web',
    'NP003 default', 'NP003 secondary', 'NP004 default', 'NP004 secondary',
    'NP012 secondary/web-allow-all-namespaces',
  ],
  '06-allow-from-a-namespace.yaml': [
    'NP001 dev/client', 'NP001 prod/client',
    'NP002 default/web', 'NP002 dev/client', 'NP002 prod/client',
    'NP003 default', 'NP003 dev', 'NP003 prod', 'NP004 default', 'NP004 dev', 'NP004 prod',
  ],
  '07-allow-from-some-pods-in-namespace.yaml': [
    'NP001 ops/monitor', 'NP001 ops/worker',
    'NP002 default/web', 'NP002 ops/monitor', 'NP002 ops/worker',
    'NP003 default', 'NP003 ops', 'NP004 default', 'NP004 ops',
  ],
  '07a-selectors-split-by-mistake.yaml': [
    'NP001 ops/monitor', 'NP001 ops/worker',
    'NP002 default/web', 'NP002 ops/monitor', 'NP002 ops/worker',
    'NP003 default', 'NP003 ops', 'NP004 default', 'NP004 ops',
    'NP006 default/web-allow-ops-monitoring-split',
    'NP014 default/web-allow-ops-monitoring-split',
  ],
  '08-allow-external.yaml': [
    'NP002 default/web',
    'NP003 default', 'NP004 default',
    'NP015 default/web-allow-external',
  ],
  '09-allow-one-port.yaml': [
    'NP001 default/monitor',
    'NP002 default/apiserver', 'NP002 default/monitor',
    'NP003 default', 'NP004 default',
  ],
  '10-multiple-selectors.yaml': [
    'NP001 default/api', 'NP001 default/inventory', 'NP001 default/search',
    'NP002 default/api', 'NP002 default/db', 'NP002 default/inventory', 'NP002 default/search',
    'NP003 default', 'NP004 default',
  ],
  '11-deny-egress-from-app.yaml': [
    'NP001 default/foo', 'NP001 default/web',
    'NP002 default/web',
    'NP003 default', 'NP004 default',
    'NP008 default/foo', 'NP009 default/foo',
  ],
  '11a-deny-egress-except-dns.yaml': [
    'NP001 default/foo', 'NP001 default/web',
    'NP002 default/web',
    'NP003 default', 'NP004 default',
    'NP015 default/foo-deny-egress',
  ],
  '12-default-deny-egress-namespace.yaml': [
    'NP001 default/db', 'NP001 default/web',
    'NP003 default',
    'NP008 default/db', 'NP008 default/web', 'NP009 default/db', 'NP009 default/web',
  ],
  '13-egress-to-pods-in-namespace-on-port.yaml': [
    'NP001 backend/api', 'NP001 default/foo',
    'NP002 backend/api',
    'NP003 backend', 'NP003 default', 'NP004 backend', 'NP004 default',
  ],
  '14-deny-external-egress.yaml': [
    'NP001 default/foo', 'NP001 default/web',
    'NP002 default/web',
    'NP003 default', 'NP004 default',
    'NP012 default/foo-deny-external-egress',
    'NP015 default/foo-deny-external-egress',
  ],
};

describe('findings on the network policy recipes', () => {
  test.each(Object.keys(EXPECTED))('%s', (file) => {
    expect(findingsOf(file)).toEqual(EXPECTED[file]);
  });

  test('every recipe fixture has an expected table', () => {
    const files = fs.readdirSync(RECIPES).filter((f: string) => f.endsWith('.yaml')).sort();
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });
});
