import { Construct } from 'constructs';
import { invalid, isPlain, show } from './errors';
import { checkDns1123Label } from './k8s-rules';

/**
 * The run-time checks every public entry makes of its arguments and props, for callers no type system
 * stops (JavaScript, or values built at run time): types, enum values, required props, unknown props.
 * Each rejection names the value, the entry (construct path or factory call) and the fix.
 *
 * An entry describes what it expects with {@link Is} and checks with {@link checkArg} or
 * {@link checkProps}; a props spec lists every prop of its interface (the compiler holds it to that),
 * so a prop added later is checked too.
 */

/**
 * What one input must be.
 * @internal
 */
export interface Expected {
  /** In words, after "must be": `a Port`, `a list of Peers`. */
  readonly what: string;
  /** A value that fits, as code: `Port.tcp(8080)`. */
  readonly example: string;
  /** Whether the prop or argument must be given. */
  readonly required?: boolean;
  /** Throws, naming `where` and `name`, when the given (not undefined) `value` does not fit. */
  readonly check: (where: string, name: string, value: unknown) => void;
}

/**
 * A props spec: what each prop of `T` must be, every prop listed.
 * @internal
 */
export type PropsSpec<T> = { readonly [K in keyof Required<T>]: Expected };

/**
 * Throws, naming `where`, when the argument `name` does not fit `expected` (or is missing when required).
 * @internal
 */
export function checkArg(where: string, name: string, value: unknown, expected: Expected): void {
  if (value === undefined) {
    if (expected.required) throw invalid(where, `${name} is missing: it must be ${expected.what}`, `Pass ${name}, e.g. ${expected.example}`);
    return;
  }
  expected.check(where, name, value);
}

/**
 * Throws, naming `where`, when `props` is not an object, misses a required prop, has a prop the spec
 * does not know (a typo: the nearest known prop is named) or a prop that does not fit.
 * @internal
 */
export function checkProps<T>(where: string, props: T | undefined, spec: PropsSpec<T>, name: string = 'props'): void {
  checkStruct(where, name, '', props, spec as unknown as Record<string, Expected>);
}

function checkStruct(where: string, name: string, prefix: string, value: unknown, spec: Record<string, Expected>): void {
  const needed = requiredKeys(spec);
  if (value === null && needed.length === 0) {
    // A default of `{}` applies to undefined only: null would reach the code that reads the props.
    throw invalid(where, `${name} is null`, `Pass ${structExample(spec)}, or leave ${name} out`);
  }
  if (value === undefined || value === null) {
    if (needed.length === 0) return;
    throw invalid(where, `${value === null ? `${name} is null` : `no ${name} given`}, but ${list(needed.map((key) => `${prefix}${key}`))} ${needed.length === 1 ? 'is' : 'are'} required`,
      `Pass ${structExample(spec)}`);
  }
  if (!isPlain(value) || Array.isArray(value)) {
    throw invalid(where, `${name} must be an object with ${list(Object.keys(spec))}, got ${show(value)}`, `Pass ${structExample(spec)}`);
  }
  const given = value as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (Object.prototype.hasOwnProperty.call(spec, key) || given[key] === undefined) continue;
    const near = nearest(key, Object.keys(spec));
    throw invalid(where, `${prefix}${key} (${show(given[key])}) is not a prop of ${name}`,
      near ? `Use '${prefix}${near}'` : `Use one of ${list(Object.keys(spec).map((k) => `'${prefix}${k}'`))}`);
  }
  for (const [key, expected] of Object.entries(spec)) checkArg(where, `${prefix}${key}`, given[key], expected);
}

/**
 * The expectations entries combine.
 * @internal
 */
export class Is {
  /** A string. */
  public static string(example: string): Expected {
    return simple('a string', example, (v) => typeof v === 'string', (name, v) => (typeof v === 'number' || typeof v === 'boolean'
      ? `Quote it: ${name} '${v}'`
      : `Pass a string, e.g. ${example}`));
  }

  /** A number. */
  public static number(example: string): Expected {
    return simple('a number', example, (v) => typeof v === 'number', (_name, v) => (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))
      ? `Pass the number ${Number(v)}, without quotes`
      : `Pass a number, e.g. ${example}`));
  }

  /** `true` or `false`. */
  public static boolean(): Expected {
    return simple('true or false', 'true', (v) => typeof v === 'boolean', () => 'Pass true or false');
  }

  /** A value of a string enum: `Protocol.TCP`, `PolicyDirection.INGRESS`. */
  public static enumOf(enumName: string, values: Record<string, string>): Expected {
    const keys = Object.keys(values);
    const choices = list(keys.map((key) => `${enumName}.${key}`), 'or');
    return simple(`one of ${choices}`, `${enumName}.${keys[0]}`, (v) => Object.values(values).includes(v as string), (_name, v) => {
      const text = typeof v === 'string' ? v.toLowerCase().replace(/[^a-z]/g, '') : undefined;
      const normal = (key: string): string => key.toLowerCase().replace(/[^a-z]/g, '');
      const match = keys.find((key) => normal(key) === text || normal(values[key]) === text)
        ?? (text && text.length >= 3 ? keys.find((key) => normal(key).startsWith(text)) : undefined);
      return match ? `Use ${enumName}.${match}` : `Use ${choices}`;
    });
  }

  /** An instance of one of this library's classes, made with its static factories. */
  public static instanceOf(type: Function, example: string): Expected {
    const what = `${/^[AEIOU]/.test(type.name) ? 'an' : 'a'} ${type.name}`;
    return simple(what, example, (v) => v instanceof type, () => `Make one with ${example}`);
  }

  /** A construct (anything with a construct node). */
  public static construct(what: string, example: string): Expected {
    return simple(what, example, (v) => Construct.isConstruct(v), () => `Pass ${what}, e.g. ${example}`);
  }

  /** A namespace's name: a string and a DNS-1123 label, as the API server holds it to. */
  public static namespaceName(): Expected {
    const fix = "Use the namespace's name as Kubernetes has it, e.g. 'shop-prod'";
    const text = Is.string("'shop-prod'");
    return {
      what: 'a namespace name',
      example: "'shop-prod'",
      check: (where, name, value) => {
        text.check(where, name, value);
        const problem = checkDns1123Label(value as string);
        if (problem) throw invalid(where, `${name} ${show(value)} ${problem}`, fix);
      },
    };
  }

  /** An object of label keys and values. */
  public static labels(example: string): Expected {
    return simple('an object of label keys and string values', example, (v) => isPlain(v) && !Array.isArray(v), () => `Pass e.g. ${example}`);
  }

  /** A list of `item`. */
  public static listOf(item: Expected): Expected {
    const what = `a list of ${item.what.replace(/^(a|an|one of) /, '')}${/^(a|an) /.test(item.what) ? 's' : ''}`;
    return {
      what,
      example: `[${item.example}]`,
      check: (where, name, value) => {
        if (!Array.isArray(value)) {
          const single = fits(item, value);
          const wrapped = typeof value === 'object' ? `, e.g. [${item.example}]` : `: [${show(value)}]`;
          throw invalid(where, `${name} must be ${what}, got ${show(value)}`, single ? `Wrap it in a list${wrapped}` : `Pass e.g. [${item.example}]`);
        }
        value.forEach((v, i) => checkArg(where, `${name}[${i}]`, v, { ...item, required: true }));
      },
    };
  }

  /** An object with these props. */
  public static struct<T>(spec: PropsSpec<T>): Expected {
    const fields = spec as unknown as Record<string, Expected>;
    return {
      what: 'an object',
      example: structExample(fields),
      check: (where, name, value) => checkStruct(where, name, `${name}.`, value, fields),
    };
  }
}

/**
 * `expected`, required.
 * @internal
 */
export function required(expected: Expected): Expected {
  return { ...expected, required: true };
}

function requiredKeys(spec: Record<string, Expected>): string[] {
  return Object.keys(spec).filter((key) => spec[key].required);
}

/** `{ to: Workload.fromLabels(...), ports: [Port.tcp(8080)] }`: the required props, else the first. */
function structExample(spec: Record<string, Expected>): string {
  const needed = requiredKeys(spec);
  return `{ ${(needed.length > 0 ? needed : Object.keys(spec).slice(0, 1)).map((key) => `${key}: ${spec[key].example}`).join(', ')} }`;
}

function simple(what: string, example: string, test: (value: unknown) => boolean, fix: (name: string, value: unknown) => string): Expected {
  return {
    what,
    example,
    check: (where, name, value) => {
      if (!test(value)) throw invalid(where, `${name} must be ${what}, got ${show(value)}`, fix(name, value));
    },
  };
}

function fits(expected: Expected, value: unknown): boolean {
  try {
    expected.check('', '', value);
    return true;
  } catch {
    return false;
  }
}

/** `a, b and c`. */
function list(items: string[], last: string = 'and'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** The known name a typo most likely meant: same letters ignoring case, or at most two edits away. */
function nearest(typo: string, known: string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = name.toLowerCase() === typo.toLowerCase() ? 0 : editDistance(typo, name);
    if (distance <= 2 && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
