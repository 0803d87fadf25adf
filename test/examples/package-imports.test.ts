/**
 * The examples are written as users write their apps: they import the library by its package name,
 * which Node resolves through package.json "exports" (the package's own name, after a build) and jest
 * through its moduleNameMapper (the source).
 */
import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES } from '../support/examples';

const ROOT = path.join(EXAMPLES, '..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** Every TypeScript file of the examples, relative to examples/. */
function exampleFiles(): string[] {
  return fs.readdirSync(EXAMPLES, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.split(path.sep).includes('dist') && !f.split(path.sep).includes('node_modules'));
}

/** The module specifiers a file imports. */
function imports(file: string): string[] {
  const text = fs.readFileSync(path.join(EXAMPLES, file), 'utf8');
  return [...text.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

describe('examples import cdk8s-netpol by its package name', () => {
  test('no example reaches outside its folder; the library comes from cdk8s-netpol', () => {
    const files = exampleFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) {
      for (const specifier of imports(file)) {
        if (specifier.startsWith('.')) expect(`${file}: ${path.dirname(path.join(path.dirname(file), specifier))}`).toBe(`${file}: ${path.dirname(file)}`);
      }
    }
    expect(files.filter((f) => imports(f).includes('cdk8s-netpol')).sort()).toEqual([
      path.join('cluster-guardrails', 'main.ts'),
      path.join('e-commerce', 'main.ts'),
      path.join('platform-construct', 'main.ts'),
      path.join('platform-construct', 'standard-service.ts'),
      path.join('three-tier', 'main.ts'),
      path.join('zero-trust-namespace', 'main.ts'),
    ]);
  });

  test('package.json exports the API and the jest matchers, each built from a source file', () => {
    expect(PACKAGE.name).toBe('cdk8s-netpol');
    expect(PACKAGE.exports['.']).toEqual({ types: './lib/index.d.ts', default: './lib/index.js' });
    expect(PACKAGE.main).toBe('lib/index.js');
    for (const [subpath, target] of Object.entries<any>(PACKAGE.exports)) {
      if (typeof target === 'string') {
        expect([subpath, target]).toEqual([target, target]);
        continue;
      }
      const source = target.default.replace(/^\.\/lib\//, 'src/').replace(/\.js$/, '.ts');
      expect(`${subpath}: ${source} ${fs.existsSync(path.join(ROOT, source))}`).toBe(`${subpath}: ${source} true`);
      expect(target.types).toBe(target.default.replace(/\.js$/, '.d.ts'));
    }
  });

  test('jest maps each exported name to its source', () => {
    const mapper: Record<string, string> = PACKAGE.jest.moduleNameMapper;
    for (const [subpath, target] of Object.entries<any>(PACKAGE.exports)) {
      if (typeof target === 'string') continue;
      const name = subpath === '.' ? 'cdk8s-netpol' : `cdk8s-netpol/${subpath.slice(2)}`;
      const source = target.default.replace(/^\.\/lib\//, '<rootDir>/src/').replace(/\.js$/, '.ts');
      expect(mapper[`^${name}$`]).toBe(source);
    }
  });
});
