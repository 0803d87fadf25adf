import * as path from 'path';
import * as ts from 'typescript';

const IMPORTS = `
import { Chart, Testing } from 'cdk8s';
import * as plus28 from 'cdk8s-plus-28';
import * as plus34 from 'cdk8s-plus-34';
import { Workload } from '../../src/vocabulary/workload';
const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
`;

const KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'];

/** Files type-checked together, as files of this folder with the project's compiler options. */
const SOURCES: Record<string, string> = {
  'mixed-lines.ts': `${IMPORTS}
    export const pod: plus28.AbstractPod = new plus34.Deployment(chart, 'api', { containers: [{ image: 'api' }] });`,
  'any-line.ts': `${IMPORTS}
    ${['plus28', 'plus34'].flatMap((line) => KINDS.map((kind) => `Workload.of(new ${line}.${kind}(chart, '${line}-${kind}', { containers: [{ image: 'api' }] }), { name: 'x' });`)).join('\n')}`,
  'no-pods.ts': `${IMPORTS}
    Workload.of(new plus34.ConfigMap(chart, 'settings'));`,
};

/**
 * The type errors of each of SOURCES, by file name: jest only transpiles, so whether a cdk8s-plus
 * object is an IPodWorkload is checked here, in one program for all of them.
 */
function typeErrors(): Record<string, string[]> {
  const files = new Map(Object.entries(SOURCES).map(([name, source]) => [path.join(__dirname, name), source]));
  const tsconfig = ts.readConfigFile(path.join(__dirname, '..', '..', 'tsconfig.json'), ts.sys.readFile).config.compilerOptions;
  const compilerOptions = { ...tsconfig, rootDir: undefined, noEmit: true, noUnusedLocals: false, types: [] };
  const { options } = ts.parseJsonConfigFileContent({ compilerOptions }, ts.sys, __dirname);
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    (files.has(name) ? ts.createSourceFile(name, files.get(name)!, language) : getSourceFile(name, language, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => files.has(name) || fileExists(name);
  const program = ts.createProgram([...files.keys()], options, host);
  const errors: Record<string, string[]> = Object.fromEntries(Object.keys(SOURCES).map((name) => [name, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const name = d.file ? path.basename(d.file.fileName) : 'global';
    (errors[name] ??= []).push(`TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }
  return errors;
}

describe('IPodWorkload', () => {
  let errors: Record<string, string[]>;
  beforeAll(() => {
    errors = typeErrors();
  });

  test('the classes of two cdk8s-plus lines do not mix, which is why Workload.of reads a shape', () => {
    expect(errors['mixed-lines.ts']).toEqual([expect.stringMatching(/^TS2322: .*private/)]);
  });

  test('every kind of cdk8s-plus-28 and cdk8s-plus-34 pod and workload type-checks as one', () => {
    expect(errors['any-line.ts']).toEqual([]);
    expect(errors.global).toBeUndefined();
  });

  test('an object without pods does not', () => {
    expect(errors['no-pods.ts']).toEqual([expect.stringMatching(/^TS2345: .*'podMetadata' is missing/)]);
  });
});
