import { ParsedArgs } from './cli-args';

/**
 * A progress line on stderr for long runs: on by `--progress`, or when stderr is a terminal. On a
 * terminal one line is rewritten in place and cleared at the end; elsewhere (a CI log) each phase
 * starts a line and long phases add one every few seconds.
 */

/** The help line of `--progress`. @internal */
export const PROGRESS_HELP = `  --progress          a progress line on stderr (on by default when stderr is a terminal)
`;

/** Where progress goes. @internal */
export interface ProgressIo {
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal. @default false */
  readonly errIsTty?: boolean;
}

/** Milliseconds between two lines of one phase: a terminal redraws often, a log gets few lines. */
const TTY_INTERVAL = 200;
const LOG_INTERVAL = 5000;

/** Reports phases and counts; does nothing when off. @internal */
export class Progress {
  /** The progress of a command, on when `--progress` is given or stderr is a terminal. */
  public static of(command: string, args: ParsedArgs, io: ProgressIo): Progress {
    return new Progress(command, io, args.flags.has('progress') || io.errIsTty === true);
  }

  private readonly started = Date.now();
  private phaseName = '';
  private total?: number;
  private unit = '';
  private lastLine = 0;
  private drawn = false;

  private constructor(private readonly command: string, private readonly io: ProgressIo, public readonly enabled: boolean) {}

  /**
   * Starts a phase, e.g. `flows` over 10,000 `workloads`; shown at once.
   * @param total how many items the phase goes through, when known
   */
  public phase(name: string, total?: number, unit = ''): void {
    this.phaseName = name;
    this.total = total;
    this.unit = unit;
    this.show(0, true);
  }

  /** Reports how many items of the phase are done; shown when the last line is old enough. */
  public tick(done: number): void {
    if (this.enabled) this.show(done, false);
  }

  /** Clears the line on a terminal (the output follows), or says the run is done in a log. */
  public done(): void {
    if (!this.enabled) return;
    if (this.io.errIsTty) {
      if (this.drawn) this.io.err('\r\x1b[K');
    } else {
      this.io.err(`cdk8s-netpol ${this.command}: done in ${this.elapsed()}\n`);
    }
  }

  private show(done: number, force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastLine < (this.io.errIsTty ? TTY_INTERVAL : LOG_INTERVAL)) return;
    this.lastLine = now;
    const count = this.total === undefined ? ''
      : ` ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}${this.unit ? ` ${this.unit}` : ''}${this.total > 0 ? ` (${Math.floor((done / this.total) * 100)}%)` : ''}`;
    const line = `cdk8s-netpol ${this.command}: ${this.phaseName}${count}, ${this.elapsed()}`;
    if (this.io.errIsTty) {
      this.io.err(`\r\x1b[K${line}`);
      this.drawn = true;
    } else {
      this.io.err(`${line}\n`);
    }
  }

  private elapsed(): string {
    return `${((Date.now() - this.started) / 1000).toFixed(1)} s`;
  }
}
