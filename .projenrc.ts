import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-netpol',
  description: 'Kubernetes NetworkPolicy as typed cdk8s constructs, with an analyzer that proves what they allow.',
  author: 'cdk8s-netpol developers',
  authorAddress: 'cdk8s-netpol@example.com',
  repositoryUrl: 'https://github.com/cdk8s-netpol/cdk8s-netpol.git',
  keywords: ['cdk8s', 'kubernetes', 'networkpolicy', 'security', 'zero-trust'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // Versions that install from this registry (see DEVELOPERS notes in README).
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.3.0',
  jsiiVersion: '~5.9.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],
  // Non-jsii runtime dependencies are bundled and stay out of the public API.
  bundledDeps: ['yaml@^2.3.4'],
  devDeps: [
    'cdk8s-plus-28@2.5.6',
    'cdk8s-cli@^2.200.0',
    'fast-check@^3.23.0',
    'kubernetes-models@4.5.1',
    // Runs the examples' TypeScript without a type check in a quarter of ts-node's time (pure JS).
    'sucrase@^3.35.0',
  ],
  bin: { 'cdk8s-netpol': 'bin/cdk8s-netpol.js' },

  github: false,
  release: false,
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/dist/'],
    },
  },
  gitignore: ['examples/*/dist/', 'bench/results/*.tmp'],
});
// projen adds its own typescript and resolver versions; these pins must win (see README, Developing).
for (const dep of ['typescript', '@types/node', 'eslint-import-resolver-typescript']) {
  project.deps.removeDependency(dep);
}
project.addDevDeps('typescript@~5.9.0', '@types/node@^20', 'eslint-import-resolver-typescript@~3.6.3');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/.ci/');

// The main job: synthesize every example with `cdk8s synth` and print what its policies allow.
const examples = project.addTask('examples', { description: 'Synthesize the examples and print what they allow' });
examples.spawn(project.compileTask);
examples.exec('bash examples/run.sh');

// Tests over data kept beside the project in ../shared (other projects' suites, CRD schemas): named
// `*.shared.ts`, so the README's `npx projen test` never needs ../shared; `.ci/run` runs both.
const sharedTests = project.addTask('test:shared', {
  description: 'Run the tests that read ../shared (peer suites, CRD schemas); set CDK8S_NETPOL_SHARED to use another folder',
  env: { JEST_JUNIT_OUTPUT_NAME: 'junit-shared.xml' },
});
sharedTests.exec('jest --ci --testMatch \'<rootDir>/test/**/*.shared.ts\' --coverage=false', { receiveArgs: true });

// Benchmarks are scripts, never timed tests.
const bench = project.addTask('bench', { description: 'Run the benchmarks and print their tables' });
bench.spawn(project.compileTask);
bench.exec('bash bench/run.sh');

// API.md is committed: in CI a stale one fails the build.
project.tasks.tryFind('post-compile')!.exec('[ -z "$CI" ] || git diff --exit-code -- API.md || (echo "API.md is stale: run npx projen build and commit API.md" >&2; exit 1)');

project.synth();
