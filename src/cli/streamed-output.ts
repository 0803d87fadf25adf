/**
 * Output written as it is produced, in chunks, so that a report of a million flows never sits in
 * memory as one string: JSON objects whose lists are written item by item (one item a line), and
 * text written line by line.
 */

/** Characters gathered before a write. */
const CHUNK = 65536;

/** Gathers text into chunks and writes each when full. @internal */
export class ChunkedWriter {
  private buffer: string[] = [];
  private length = 0;

  public constructor(private readonly out: (text: string) => void) {}

  public write(text: string): void {
    this.buffer.push(text);
    this.length += text.length;
    if (this.length >= CHUNK) this.flush();
  }

  public line(text: string): void {
    this.write(`${text}\n`);
  }

  public flush(): void {
    if (this.length === 0) return;
    this.out(this.buffer.join(''));
    this.buffer = [];
    this.length = 0;
  }
}

/** Whether a value is written as a list: arrays and generators; strings are not. */
function isList(value: unknown): value is Iterable<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as any)[Symbol.iterator] === 'function';
}

/**
 * Writes a JSON object field by field: a field whose value is an array or another iterable (a
 * generator of flows) is a list written item by item, each item compact on its own line; other
 * values are written whole. Fields whose value is undefined are left out, as JSON.stringify does.
 * @internal
 */
export function writeJsonObject(out: (text: string) => void, fields: readonly (readonly [string, unknown])[]): void {
  const w = new ChunkedWriter(out);
  w.write('{');
  let first = true;
  for (const [key, value] of fields) {
    if (value === undefined) continue;
    w.write(`${first ? '' : ','}\n${JSON.stringify(key)}: `);
    first = false;
    if (!isList(value)) {
      w.write(JSON.stringify(value));
      continue;
    }
    w.write('[');
    let firstItem = true;
    for (const item of value) {
      w.write(`${firstItem ? '' : ','}\n  ${JSON.stringify(item)}`);
      firstItem = false;
    }
    w.write(firstItem ? ']' : '\n]');
  }
  w.write('\n}\n');
  w.flush();
}
