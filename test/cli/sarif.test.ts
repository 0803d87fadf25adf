import '@microsoft/jest-sarif';
import * as path from 'path';
import { main } from '../../src/cli/main';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeValidSarifLog(): R;
    }
  }
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

const fixtures = path.join(__dirname, '..', 'fixtures');
const shop = path.relative(process.cwd(), path.join(fixtures, 'analyzer', 'shop'));

describe('cdk8s-netpol analyze --output sarif', () => {
  test('is a valid SARIF 2.1.0 log (checked against the SARIF 2.1.0 JSON schema)', async () => {
    const { code, out } = await run('analyze', shop, '--output', 'sarif');
    expect(code).toBe(1);
    const log = JSON.parse(out);
    expect(log).toBeValidSarifLog();
    expect(log.version).toBe('2.1.0');
  });

  test('the schema check can fail: a result without a message is refused', async () => {
    const log = JSON.parse((await run('analyze', shop, '--output', 'sarif')).out);
    delete log.runs[0].results[0].message;
    expect(log).not.toBeValidSarifLog();
  });

  test('one result per finding, at the manifest line of the object it names, the others related', async () => {
    const log = JSON.parse((await run('analyze', shop, '--output', 'sarif', '--rules', 'NP008')).out);
    const run0 = log.runs[0];
    expect(run0.tool.driver.rules.map((r: any) => r.id)).toContain('NP008');
    expect(run0.results.map((r: any) => `${r.ruleId} ${r.level} ${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}`)).toEqual([
      `NP008 error ${shop}/workloads.yaml:19`,
      `NP008 error ${shop}/workloads.yaml:38`,
      `NP008 error ${shop}/workloads.yaml:1`,
    ]);
    const api = run0.results[0];
    expect(run0.tool.driver.rules[api.ruleIndex].id).toBe('NP008');
    expect(api.message.text).toMatch(/^Deployment shop\/api is isolated for egress .* Fix: Allow egress to the cluster DNS/);
    expect(api.relatedLocations.map((l: any) => `${l.message.text} ${l.physicalLocation.artifactLocation.uri}:${l.physicalLocation.region.startLine}`)).toEqual([
      `NetworkPolicy shop/default-deny ${shop}/policies/default-deny.yaml:1`,
      `NetworkPolicy shop/api ${shop}/policies/flows.yaml:18`,
    ]);
    expect(api.partialFingerprints).toEqual({ 'findingSubject/v1': 'NP008:shop/api' });
  });

  test('accepted findings stay, suppressed with their reason; unmodelled input is a notification', async () => {
    const suppressions = path.join(fixtures, 'analyzer', 'sarif-suppressions.yaml');
    const unmodelled = path.join(fixtures, 'analyzer', 'unmodelled');
    const log = JSON.parse((await run('analyze', unmodelled, '--output', 'sarif', '--rules', 'NP001', '--suppressions', suppressions)).out);
    expect(log).toBeValidSarifLog();
    const suppressed = log.runs[0].results.filter((r: any) => r.suppressions);
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed[0].suppressions).toEqual([{ kind: 'external', justification: 'The shop accepts open ingress while it migrates' }]);
    expect(log.runs[0].invocations[0].toolExecutionNotifications[0].message.text).toMatch(/^The verdicts ignore GlobalNetworkPolicy /);
  });
});
