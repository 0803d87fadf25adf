import { Reachability } from '../analyzer';
import { STDIN_PATH } from '../analyzer/manifest-loader';
import { diffFlows, renderDiffMarkdown, renderDiffText } from '../reports';
import { CommandIo } from './analyze-command';
import { ParsedArgs, UsageError, outputOption } from './cli-args';
import { noticeUnmodelled } from './input-notices';
import { readManifests } from './manifest-input';

/**
 * `cdk8s-netpol diff OLD NEW`: which flows a change opens and which it closes, per pair of pods
 * and port, analyzing both versions with the union of their pods.
 */

/** The diff command's options. @internal */
export const DIFF_VALUE_OPTIONS = ['output'];

/** The diff command's boolean flags. @internal */
export const DIFF_FLAGS = ['help', 'fail-on-open', 'fail-on-change', 'strict'];

/**
 * Runs `diff` on parsed arguments.
 * @returns 1 when `--fail-on-open` and a flow opens, or `--fail-on-change` and anything changes; else 0
 * @internal
 */
export function runDiff(args: ParsedArgs, io: CommandIo): number {
  const output = outputOption(args, ['text', 'json', 'markdown']);
  if (args.positional.length !== 2) {
    throw new UsageError(`give exactly two paths, the old and the new manifests (files or directories); got ${args.positional.length}`);
  }
  const [oldPath, newPath] = args.positional;
  if (oldPath === STDIN_PATH && newPath === STDIN_PATH) throw new UsageError(`'${STDIN_PATH}' (standard input) can be one version, not both`);
  const before = Reachability._fromLoaded(readManifests('diff', [oldPath], args, io));
  const after = Reachability._fromLoaded(readManifests('diff', [newPath], args, io));
  noticeUnmodelled('diff', args, io, [...before.unmodelled, ...after.unmodelled]);
  const diff = diffFlows(before, after);
  if (output === 'json') io.out(`${JSON.stringify({ ...diff, unmodelled: { old: before.unmodelled, new: after.unmodelled } }, undefined, 2)}\n`);
  else if (output === 'markdown') io.out(renderDiffMarkdown(diff));
  else io.out(renderDiffText(diff));
  const changed = diff.opened.length + diff.closed.length > 0;
  return (args.flags.has('fail-on-open') && diff.opened.length > 0) || (args.flags.has('fail-on-change') && changed) ? 1 : 0;
}
