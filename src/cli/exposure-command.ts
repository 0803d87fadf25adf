import { Reachability } from '../analyzer';
import { CommandIo } from './analyze-command';
import { ParsedArgs, UsageError, outputOption } from './cli-args';
import { noticeUnmodelled } from './input-notices';
import { readManifests } from './manifest-input';
import { buildExposure, renderExposureMarkdown, renderExposureText } from '../reports/exposure-report';

/**
 * `cdk8s-netpol exposure`: per workload, who may connect to it and where it may connect (every pod
 * of namespace X, every namespace, the internet), as every tier of policies decides, flagging
 * workloads open to the internet or to the whole cluster.
 */

/** The exposure command's options. @internal */
export const EXPOSURE_VALUE_OPTIONS = ['output'];

/** The exposure command's boolean flags. @internal */
export const EXPOSURE_FLAGS = ['help', 'strict', 'fail-on-flagged', 'pods'];

/**
 * Runs `exposure` on parsed arguments.
 * @returns 1 when `--fail-on-flagged` and some workload is flagged; else 0
 * @internal
 */
export function runExposure(args: ParsedArgs, io: CommandIo): number {
  const output = outputOption(args, ['text', 'json', 'markdown']);
  if (args.positional.length === 0) throw new UsageError('give at least one manifest file or directory');
  const reach = Reachability._fromLoaded(readManifests('exposure', args.positional, args, io));
  const unmodelled = reach.unmodelled;
  noticeUnmodelled('exposure', args, io, unmodelled);
  const exposure = buildExposure(reach, { podLevel: args.flags.has('pods') });
  if (output === 'json') io.out(`${JSON.stringify({ workloads: exposure, unmodelled }, undefined, 2)}\n`);
  else if (output === 'markdown') io.out(renderExposureMarkdown(exposure));
  else io.out(renderExposureText(exposure));
  return args.flags.has('fail-on-flagged') && exposure.some((w) => w.flags.length > 0) ? 1 : 0;
}
