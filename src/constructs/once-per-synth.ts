import { IConstruct } from 'constructs';

/** What was done for each app in the current synchronous run, by key. */
const DONE = new WeakMap<IConstruct, Set<string>>();

/**
 * Whether `key` is new for the app of `scope` in this synth. cdk8s validates the whole app once per
 * `app.synth()` and again for every chart it writes (`chart.toJson()`), all in one synchronous run:
 * keys are remembered until the run ends, so what depends on them (a warning, a file) happens once.
 * @internal
 */
export function firstThisSynth(scope: IConstruct, key: string): boolean {
  const root = scope.node.root;
  let done = DONE.get(root);
  if (!done) {
    done = new Set();
    DONE.set(root, done);
    queueMicrotask(() => DONE.delete(root));
  }
  if (done.has(key)) return false;
  done.add(key);
  return true;
}

/**
 * Prints `message` (one line) to stderr, once per synth of the app of `scope`.
 * @internal
 */
export function warnOncePerSynth(scope: IConstruct, message: string): void {
  if (firstThisSynth(scope, `warn|${message}`)) process.stderr.write(`${message}\n`);
}
