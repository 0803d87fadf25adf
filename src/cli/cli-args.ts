/**
 * A small argv parser: positional arguments, `--flag value`, `--flag=value` and boolean flags.
 * Anything unexpected is a UsageError, which the CLI turns into exit code 2.
 */

/** A mistake in how the CLI was called. @internal */
export class UsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Parsed arguments. @internal */
export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string>;
  readonly flags: Set<string>;
  /** Options that may be given several times (`--context a --context b`), in order. */
  readonly lists: Map<string, string[]>;
}

/**
 * Parses `argv` given the options that take a value, the boolean flags and the options that take
 * a value and may be repeated the command knows.
 * @internal
 */
export function parseArgs(argv: readonly string[], valueOptions: readonly string[], booleanFlags: readonly string[],
  repeatableOptions: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string>();
  const flags = new Set<string>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (arg === '-h') { flags.add('help'); continue; }
    if (!arg.startsWith('--') || arg === '-') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'`);
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (booleanFlags.includes(name)) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
      flags.add(name);
    } else if (valueOptions.includes(name) || repeatableOptions.includes(name)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`option --${name} needs a value`);
      if (repeatableOptions.includes(name)) {
        lists.set(name, [...(lists.get(name) ?? []), value]);
        continue;
      }
      if (options.has(name)) throw new UsageError(`option --${name} is given twice`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option '--${name}'`);
    }
  }
  return { positional, options, flags, lists };
}

/** Reads `--port`: an integer 1-65535. @internal */
export function portOption(args: ParsedArgs, required: boolean): number | undefined {
  const text = args.options.get('port');
  if (text === undefined) {
    if (required) throw new UsageError('--port is required, e.g. --port 8080');
    return undefined;
  }
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--port '${text}' must be a port number from 1 to 65535`);
  return port;
}

/** Reads `--protocol` (case-insensitive), defaulting to TCP. @internal */
export function protocolOption(args: ParsedArgs): string {
  const text = args.options.get('protocol') ?? 'TCP';
  const protocol = text.toUpperCase();
  if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new UsageError(`--protocol '${text}' must be TCP, UDP or SCTP`);
  return protocol;
}

/** Reads `--output` among the allowed formats; the first is the default. @internal */
export function outputOption(args: ParsedArgs, formats: readonly string[]): string {
  const text = args.options.get('output') ?? formats[0];
  if (!formats.includes(text)) throw new UsageError(`--output '${text}' must be one of: ${formats.join(', ')}`);
  return text;
}
