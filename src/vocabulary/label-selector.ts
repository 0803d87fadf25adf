import { invalid, show } from './errors';
import { checkArg, checkProps, Expected, Is, PropsSpec, required } from './input-checks';
import { checkLabelKey, checkLabelValue } from './k8s-rules';

/**
 * The operator of a label selector requirement.
 *
 * @example
 * LabelExpression.in('tier', ['web']).operator; // LabelOperator.IN
 */
export enum LabelOperator {
  /** The label is present and its value is one of the values. */
  IN = 'In',
  /** The label is absent, or present with a value not among the values. */
  NOT_IN = 'NotIn',
  /** The label is present, whatever its value. */
  EXISTS = 'Exists',
  /** The label is absent. */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/**
 * One `matchExpressions` requirement of a label selector.
 *
 * @example
 * LabelExpression.in('tier', ['frontend', 'backend']);
 */
export class LabelExpression {
  /**
   * Matches when label `key` has one of `values`.
   * @param key the label key
   * @param values the values, at least one
   */
  public static in(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.IN, values);
  }

  /**
   * Matches when label `key` is absent or has none of `values`.
   * @param key the label key
   * @param values the values, at least one
   */
  public static notIn(key: string, values: string[]): LabelExpression {
    return new LabelExpression(key, LabelOperator.NOT_IN, values);
  }

  /**
   * Matches when label `key` is present.
   * @param key the label key
   */
  public static exists(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.EXISTS);
  }

  /**
   * Matches when label `key` is absent.
   * @param key the label key
   */
  public static doesNotExist(key: string): LabelExpression {
    return new LabelExpression(key, LabelOperator.DOES_NOT_EXIST);
  }

  /** The label key. */
  public readonly key: string;
  /** The operator. */
  public readonly operator: LabelOperator;
  /**
   * The values, sorted and de-duplicated (only for In and NotIn).
   * @default - none
   */
  public readonly values?: string[];

  private constructor(key: string, operator: LabelOperator, values?: string[]) {
    const where = `LabelExpression.${operatorFactory(operator)}(${show(key)}${values ? `, ${show(values)}` : ''})`;
    checkArg(where, 'key', key, A_LABEL_KEY);
    const keyProblem = checkLabelKey(key);
    if (keyProblem) throw invalid(where, `label key ${show(key)} ${keyProblem}`, LABEL_KEY_FIX);
    if (operator === LabelOperator.IN || operator === LabelOperator.NOT_IN) {
      checkArg(where, 'values', values, A_LABEL_VALUE_LIST);
      if (values!.length === 0) {
        throw invalid(where, `${operator} needs at least one value`, `Use LabelExpression.${operator === LabelOperator.IN ? 'exists' : 'doesNotExist'}(${show(key)}) if any value will do`);
      }
      for (const value of values!) {
        const problem = checkLabelValue(value);
        if (problem) throw invalid(where, `label value ${show(value)} ${problem}`, LABEL_VALUE_FIX);
      }
    }
    this.key = key;
    this.operator = operator;
    this.values = values ? [...new Set(values)].sort() : undefined;
  }

  /** The requirement as Kubernetes writes it. */
  public toJson(): any {
    return { key: this.key, operator: this.operator, ...(this.values ? { values: [...this.values] } : {}) };
  }

  /** A readable form, e.g. `tier in (backend,frontend)`. */
  public toString(): string {
    switch (this.operator) {
      case LabelOperator.IN: return `${this.key} in (${this.values!.join(',')})`;
      case LabelOperator.NOT_IN: return `${this.key} notin (${this.values!.join(',')})`;
      case LabelOperator.EXISTS: return this.key;
      default: return `!${this.key}`;
    }
  }
}

function operatorFactory(operator: LabelOperator): string {
  switch (operator) {
    case LabelOperator.IN: return 'in';
    case LabelOperator.NOT_IN: return 'notIn';
    case LabelOperator.EXISTS: return 'exists';
    default: return 'doesNotExist';
  }
}

/**
 * Options of a label selector. At least one label or expression is required: an empty selector
 * selects everything, which is only ever written through an explicit, named choice such as
 * `Peer.namespace()` or `Workload.allPods()`.
 *
 * @example
 * { labels: { app: 'web' }, expressions: [LabelExpression.notIn('track', ['canary'])] }
 */
export interface LabelSelectorOptions {
  /**
   * Labels that must all be present with these exact values (`matchLabels`).
   * @default - no label requirements
   */
  readonly labels?: { [key: string]: string };

  /**
   * Requirements that must all hold (`matchExpressions`).
   * @default - no expressions
   */
  readonly expressions?: LabelExpression[];
}

/**
 * Selects pods or namespaces by their labels: `matchLabels` and `matchExpressions`, all of which
 * must hold.
 *
 * @example
 * LabelSelector.matchLabels({ app: 'web' });
 * LabelSelector.of({ labels: { app: 'web' }, expressions: [LabelExpression.notIn('track', ['canary'])] });
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export class LabelSelector {
  /**
   * Selects what carries all of these labels.
   * @param labels label keys and values, at least one
   */
  public static matchLabels(labels: { [key: string]: string }): LabelSelector {
    const where = () => `LabelSelector.matchLabels(${show(labels)})`;
    checkArg(where(), 'labels', labels, required(A_LABELS));
    return LabelSelector.create(where, { labels });
  }

  /**
   * Selects what satisfies all of these labels and expressions.
   * @param options labels and expressions, at least one in all
   */
  public static of(options: LabelSelectorOptions): LabelSelector {
    checkProps('LabelSelector.of()', options, OPTIONS, 'options');
    return LabelSelector.create(() => 'LabelSelector.of()', options ?? {});
  }

  /**
   * The empty selector, which matches everything. Only the named choices that mean "all" use it.
   * @internal
   */
  public static _everything(): LabelSelector {
    return new LabelSelector({}, []);
  }

  private static create(where: () => string, options: LabelSelectorOptions): LabelSelector {
    const labels = options.labels ?? {};
    const expressions = options.expressions ?? [];
    for (const [key, value] of Object.entries(labels)) {
      const keyProblem = checkLabelKey(key);
      if (keyProblem) throw invalid(where(), `label key ${show(key)} ${keyProblem}`, LABEL_KEY_FIX);
      if (typeof value !== 'string') throw invalid(where(), `label ${show(key)} has the value ${show(value)}, which is not a string`, 'Quote numbers and booleans');
      const valueProblem = checkLabelValue(value);
      if (valueProblem) throw invalid(where(), `label value ${show(value)} (key ${show(key)}) ${valueProblem}`, LABEL_VALUE_FIX);
    }
    if (Object.keys(labels).length === 0 && expressions.length === 0) {
      throw invalid(where(), 'an empty selector matches every pod or namespace, which would silently widen access',
        'Give at least one label or expression; to mean "all" say so with Peer.namespace(name), Peer.allNamespaces() or Workload.allPods(namespace)');
    }
    return new LabelSelector(labels, expressions);
  }

  /** The required labels, sorted by key. */
  public readonly labels: { [key: string]: string };
  /** The required expressions, in canonical order. */
  public readonly expressions: LabelExpression[];

  private key?: string;

  private constructor(labels: { [key: string]: string }, expressions: LabelExpression[]) {
    this.labels = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => compare(a, b)));
    const unique = new Map(expressions.map((e) => [JSON.stringify(e.toJson()), e]));
    this.expressions = [...unique.entries()].sort(([a], [b]) => compare(a, b)).map(([, e]) => e);
  }

  /**
   * The canonical JSON of the selector, computed once: equal selectors have equal keys.
   * @internal
   */
  public get _key(): string {
    this.key ??= JSON.stringify(this.toJson());
    return this.key;
  }

  /** Whether this selector matches everything (no labels, no expressions). */
  public get isEmpty(): boolean {
    return Object.keys(this.labels).length === 0 && this.expressions.length === 0;
  }

  /** The selector as Kubernetes writes it (`{}` for the empty selector). */
  public toJson(): any {
    return {
      ...(Object.keys(this.labels).length > 0 ? { matchLabels: { ...this.labels } } : {}),
      ...(this.expressions.length > 0 ? { matchExpressions: this.expressions.map((e) => e.toJson()) } : {}),
    };
  }

  /** A readable form in kubectl's syntax, e.g. `app=web,tier in (a,b)`; `<all>` when empty. */
  public toString(): string {
    const parts = [
      ...Object.entries(this.labels).map(([k, v]) => `${k}=${v}`),
      ...this.expressions.map((e) => e.toString()),
    ];
    return parts.length > 0 ? parts.join(',') : '<all>';
  }
}

const LABEL_KEY_FIX = "Use a key such as 'app' or 'app.kubernetes.io/name'";
const LABEL_VALUE_FIX = "Use a value such as 'web' or 'v1.2', or LabelExpression.exists(key) for any value";
const A_LABEL_KEY = required(Is.string("'app'"));
const A_LABEL_VALUE_LIST = required(Is.listOf(Is.string("'web'")));

/**
 * Labels, as entries that take them expect them.
 * @internal
 */
export const A_LABELS: Expected = Is.labels("{ app: 'web' }");

/**
 * A label selector, as entries that take one expect it.
 * @internal
 */
export const A_LABEL_SELECTOR: Expected = Is.instanceOf(LabelSelector, "LabelSelector.matchLabels({ app: 'web' })");

const OPTIONS: PropsSpec<LabelSelectorOptions> = {
  labels: A_LABELS,
  expressions: Is.listOf(Is.instanceOf(LabelExpression, "LabelExpression.in('tier', ['web'])")),
};

/**
 * A locale-independent string order, so that output never depends on the machine.
 * @internal
 */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
