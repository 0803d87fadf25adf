import * as path from 'path';
import { ParsedArgs, UsageError } from './cli-args';
import { StrictInputError } from './input-notices';
import { LoadedObject } from '../analyzer/cluster-model';
import { STDIN_PATH, loadManifestFiles } from '../analyzer/manifest-loader';
import { FLOW_REQUESTS_DIR } from '../constructs/flow-requests';

/**
 * How every command reads its PATHs: files, directories (recursively) and `-` for standard input.
 * A file found in a directory that holds no Kubernetes object (a saved JSON result, a Helm values
 * file) is skipped with a warning naming it, or is an input error under `--strict`; the file of
 * `--invariants` is skipped without a word (`NetworkPolicyInvariants.writeFile` puts it beside the
 * manifests, in `dist/invariants/`). A `flow-requests` folder found in a directory is left out with a
 * warning: it holds the policies synth asks the owners of other namespaces to apply, which are not
 * applied (`kubectl apply -f dist/` does not read it either); given by name, it is read.
 */

/** Where a command reads and warns. @internal */
export interface InputIo {
  readonly err: (text: string) => void;
  /** Reads standard input, for the path `-`. @default - the process's standard input */
  readonly stdin?: () => string;
}

/**
 * Reads the manifests of some paths.
 * @param command the command's name, for the messages
 * @internal
 */
export function readManifests(command: string, paths: readonly string[], args: ParsedArgs, io: InputIo): LoadedObject[] {
  if (paths.filter((p) => p === STDIN_PATH).length > 1) throw new UsageError(`'${STDIN_PATH}' (standard input) can be given once`);
  const strict = args.flags.has('strict');
  const invariants = args.options.get('invariants');
  return loadManifestFiles(paths, {
    readStdin: io.stdin,
    onSkippedFile: ({ file, reason }) => {
      if (invariants !== undefined && path.resolve(file) === path.resolve(invariants)) return;
      if (strict) throw new StrictInputError(`--strict: ${file} is not a manifest: ${reason}`);
      io.err(`cdk8s-netpol ${command}: warning: skipped ${file}: ${reason}\n`);
    },
    skipFolder: (folder) => {
      if (path.basename(folder) !== FLOW_REQUESTS_DIR) return false;
      io.err(`cdk8s-netpol ${command}: warning: skipped ${folder}/: flow requests, the policies other namespaces' owners `
        + 'are asked to apply, so not applied; give the folder as a PATH to analyze them as applied\n');
      return true;
    },
  });
}
