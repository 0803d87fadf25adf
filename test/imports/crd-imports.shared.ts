import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { sharedDir } from '../support/shared-data';

/**
 * The committed classes in src/imports are exactly what the `import:crds` task generates from the CRDs in
 * ../shared/crds: the task's own steps are run again into a scratch folder and the files compared.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const IMPORTS = path.join(ROOT, 'src', 'imports');
const steps: string[] = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf8'))
  .tasks['import:crds'].steps.map((step: any) => step.exec)
  .filter((command: string) => command.startsWith('cdk8s import '));

describe('generated CRD classes', () => {
  test('the task imports each CRD into src/imports', () => {
    expect(steps.length).toBeGreaterThanOrEqual(4);
    for (const command of steps) expect(command).toContain('--output src/imports');
  });

  test('src/imports is what the task generates from ../shared/crds', () => {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-imports-'));
    try {
      for (const command of steps) {
        execFileSync('bash', ['-c', command.replace('--output src/imports', `--output ${JSON.stringify(scratch)}`)], {
          cwd: ROOT,
          env: { ...process.env, CDK8S_NETPOL_SHARED: sharedDir(), PATH: `${path.join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
          stdio: 'pipe',
        });
      }
      const generated = fs.readdirSync(scratch).sort();
      const committed = fs.readdirSync(IMPORTS).filter((f) => f.endsWith('.ts')).sort();
      expect(committed).toEqual(generated);
      const stale = generated.filter((f) => fs.readFileSync(path.join(scratch, f), 'utf8') !== fs.readFileSync(path.join(IMPORTS, f), 'utf8'));
      expect(stale).toEqual([]);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  }, 120_000);
});
