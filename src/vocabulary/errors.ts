import { Construct } from 'constructs';

/**
 * The most characters of a value a message shows: a longer value is cut, and its length said, so a
 * 100,000-character string never fills a terminal.
 * @internal
 */
export const MAX_SHOWN = 64;

/**
 * Builds the error every bad input gets: `where: problem. Fix`. `where` names the construct path or
 * the factory call, `problem` the value given (through {@link show}) and the rule it breaks, `fix`
 * how to correct it, as a sentence that starts with what to do ("Use …", "Pass …", "Give …").
 * @internal
 */
export function invalid(where: string, problem: string, fix: string): Error {
  return new Error(`${where}: ${problem}. ${fix}`);
}

/**
 * A short, readable rendering of a value for error messages: strings quoted, objects as JSON,
 * constructs by path, instances of classes by name and `toString()`; cut after {@link MAX_SHOWN}
 * characters.
 * @internal
 */
export function show(value: unknown): string {
  const text = render(value);
  if (text.length <= MAX_SHOWN + 2) return text;
  const quote = typeof value === 'string' ? "'" : '';
  const length = typeof value === 'string' ? value.length : text.length;
  return `${text.slice(0, MAX_SHOWN - 16)}…${quote} (${length} characters)`;
}

function render(value: unknown): string {
  switch (typeof value) {
    case 'string': return `'${value}'`;
    case 'undefined': return 'undefined';
    case 'function': return value.name ? `the function ${value.name}` : 'a function';
    case 'bigint': return `${value}n`;
    case 'symbol': return value.toString();
    case 'number':
    case 'boolean': return String(value);
    default:
  }
  if (value === null) return 'null';
  if (!isPlain(value)) return describeObject(value as object);
  try {
    // Objects inside (a Port in a list, a chart in props) read as themselves, not as their fields.
    return JSON.stringify(value, (key, v) => (key !== '' && v !== null && typeof v === 'object' && !isPlain(v) ? describeObject(v) : v));
  } catch {
    return Array.isArray(value) ? 'a list' : 'an object';
  }
}

/**
 * Whether `value` is a plain object or array (what a struct or list is), not an instance of a class.
 * @internal
 */
export function isPlain(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `Chart 'shop'`, `Port 8080/TCP`, `a Date`. */
function describeObject(value: object): string {
  const name = value.constructor?.name || 'object';
  if (Construct.isConstruct(value)) return `${name} '${value.node.path}'`;
  const text = value.toString === Object.prototype.toString ? undefined : String(value);
  return text ? `${name} ${text}` : `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name}`;
}
