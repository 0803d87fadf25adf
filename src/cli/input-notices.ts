import { ParsedArgs } from './cli-args';
import { UnmodelledInput } from '../analyzer';

/**
 * What every command says about input its analysis ignores: a warning per object on stderr, or,
 * with `--strict`, an input error (exit code 2) before any output.
 */

/** The help line of `--strict`. @internal */
export const STRICT_HELP = `  --strict            exit 2 (an input error) instead of warning when the input holds policy
                      objects the analysis does not model, or a directory holds a YAML or JSON
                      file that is no Kubernetes manifest
`;

/** Where warnings go. @internal */
export interface Warner {
  readonly err: (text: string) => void;
}

/** Input the analysis ignores, refused because of `--strict`. @internal */
export class StrictInputError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'StrictInputError';
  }
}

/** `GlobalNetworkPolicy deny-all (calico.yaml, document 0): <reason>`. @internal */
export function describeUnmodelled(u: UnmodelledInput): string {
  const object = `${u.kind} ${u.name}`;
  const what = u.field === undefined ? object : `${u.field} of ${object}`;
  return `${what}${u.source ? ` (${u.source})` : ''}: ${u.reason}`;
}

/**
 * Warns on stderr about every unmodelled object, or throws StrictInputError under `--strict`.
 * @param command the command's name, for the messages
 * @internal
 */
export function noticeUnmodelled(command: string, args: ParsedArgs, io: Warner, unmodelled: readonly UnmodelledInput[]): void {
  if (unmodelled.length === 0) return;
  const lines = unmodelled.map(describeUnmodelled);
  const count = `${lines.length} object${lines.length === 1 ? '' : 's'}`;
  if (args.flags.has('strict')) {
    throw new StrictInputError(`--strict: the input holds ${count} the analysis does not model:\n${lines.map((l) => `  ${l}`).join('\n')}`);
  }
  io.err(`cdk8s-netpol ${command}: warning: the verdicts ignore ${count} the analysis does not model:\n${lines.map((l) => `  ${l}\n`).join('')}`);
}
