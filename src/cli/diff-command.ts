import { Reachability } from '../analyzer';
import { CommandIo } from './analyze-command';
import { ParsedArgs, UsageError, outputOption } from './cli-args';
import { noticeUnmodelled } from './input-notices';
import { readManifests } from './manifest-input';
import { Progress } from './progress';
import { writeJsonObject } from './streamed-output';
import { allVerdicts, checkInvariantsFile } from '../analyzer/invariant-check';
import { readInvariantsFile } from '../analyzer/invariant-file';
import { STDIN_PATH } from '../analyzer/manifest-loader';
import { diffFlows, renderDiffMarkdown, renderDiffText } from '../reports';
import { InvariantDiff, diffInvariants, renderInvariantDiff } from '../reports/invariant-report';

/**
 * `cdk8s-netpol diff OLD NEW`: which flows a change opens and which it closes, per pair of pods
 * and port, analyzing both versions with the union of their pods.
 */

/** The diff command's options. @internal */
export const DIFF_VALUE_OPTIONS = ['output', 'invariants'];

/** The diff command's boolean flags. @internal */
export const DIFF_FLAGS = ['help', 'fail-on-open', 'fail-on-change', 'strict', 'pods', 'progress'];

/** The diff command's options that may be repeated. @internal */
export const DIFF_LIST_OPTIONS = ['context'];

/**
 * Runs `diff` on parsed arguments.
 * @returns 1 when the change breaks an invariant of `--invariants`, `--fail-on-open` and a flow opens, or `--fail-on-change` and anything changes; else 0
 * @internal
 */
export function runDiff(args: ParsedArgs, io: CommandIo): number {
  const output = outputOption(args, ['text', 'json', 'markdown']);
  if (args.positional.length !== 2) {
    throw new UsageError(`give exactly two paths, the old and the new manifests (files or directories); got ${args.positional.length}`);
  }
  const [oldPath, newPath] = args.positional;
  if (oldPath === STDIN_PATH && newPath === STDIN_PATH) throw new UsageError(`'${STDIN_PATH}' (standard input) can be one version, not both`);
  const contextPaths = args.lists.get('context') ?? [];
  if ([oldPath, newPath, ...contextPaths].filter((p) => p === STDIN_PATH).length > 1) throw new UsageError(`'${STDIN_PATH}' (standard input) can be given once`);
  const progress = Progress.of('diff', args, io);
  progress.phase('reading manifests');
  // What both versions run among: cluster pods, namespaces and policies the app does not own.
  const context = contextPaths.length > 0 ? readManifests('diff', contextPaths, args, io) : [];
  const oldObjects = [...readManifests('diff', [oldPath], args, io), ...context];
  const newObjects = [...readManifests('diff', [newPath], args, io), ...context];
  progress.phase('building the models');
  const before = Reachability._fromLoaded(oldObjects);
  const after = Reachability._fromLoaded(newObjects);
  noticeUnmodelled('diff', args, io, [...before.unmodelled, ...after.unmodelled]);
  const diff = diffFlows(before, after, {
    podLevel: args.flags.has('pods'),
    onRow: (done, total) => {
      if (done === 0) progress.phase('flows', total, 'rows');
      progress.tick(done);
    },
  });
  const invariantsFile = args.options.get('invariants');
  let invariants: InvariantDiff | undefined;
  if (invariantsFile !== undefined) {
    const file = readInvariantsFile(invariantsFile);
    invariants = diffInvariants(allVerdicts(checkInvariantsFile(oldObjects, file)), allVerdicts(checkInvariantsFile(newObjects, file)));
  }
  if (output === 'json') {
    writeJsonObject(io.out, [
      ['opened', diff.opened], ['closed', diff.closed], ['podsOnlyInOld', diff.podsOnlyInOld], ['podsOnlyInNew', diff.podsOnlyInNew],
      ['unmodelled', { old: before.unmodelled, new: after.unmodelled }], ['invariants', invariants],
    ]);
  } else if (output === 'markdown') {io.out(renderDiffMarkdown(diff) + (invariants ? `\n${renderInvariantDiff(invariants, true)}` : ''));} else {io.out(renderDiffText(diff) + (invariants ? `\n${renderInvariantDiff(invariants)}` : ''));}
  const changed = diff.opened.length + diff.closed.length > 0;
  progress.done();
  const broken = (invariants?.broken.length ?? 0) > 0;
  return broken || (args.flags.has('fail-on-open') && diff.opened.length > 0) || (args.flags.has('fail-on-change') && changed) ? 1 : 0;
}
