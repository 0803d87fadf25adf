/**
 * Label selectors as the API server evaluates them: `matchLabels` AND every `matchExpressions`
 * requirement; an empty selector matches everything.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */

/** A label map, as on `metadata.labels`. @internal */
export type Labels = Readonly<Record<string, string>>;

/** One `matchExpressions` requirement. @internal */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

/** A label selector normalized from a manifest: missing fields are empty. @internal */
export interface Selector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly SelectorRequirement[];
}

/** The selector that matches everything (`{}`). @internal */
export const MATCH_ALL: Selector = { matchLabels: {}, matchExpressions: [] };

/**
 * Reads a selector from a manifest field; `undefined`/`null` give `undefined` (no selector),
 * `{}` gives the match-all selector. Assumes the object passed API-server validation.
 * @internal
 */
export function readSelector(raw: any): Selector | undefined {
  if (raw === undefined || raw === null) return undefined;
  const matchLabels: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw.matchLabels ?? {})) matchLabels[key] = String(value ?? '');
  const matchExpressions: SelectorRequirement[] = (raw.matchExpressions ?? []).map((e: any) => ({
    key: String(e.key),
    operator: e.operator,
    values: (e.values ?? []).map(String),
  }));
  return { matchLabels, matchExpressions };
}

/** Whether one requirement holds for a label map. NotIn holds when the key is absent. @internal */
export function requirementMatches(req: SelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In': return has && req.values.includes(labels[req.key]);
    case 'NotIn': return !has || !req.values.includes(labels[req.key]);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    default: return false;
  }
}

/** Whether a selector matches a label map. @internal */
export function selectorMatches(selector: Selector, labels: Labels): boolean {
  for (const key in selector.matchLabels) {
    if (!Object.prototype.hasOwnProperty.call(labels, key) || labels[key] !== selector.matchLabels[key]) return false;
  }
  for (const req of selector.matchExpressions) {
    if (!requirementMatches(req, labels)) return false;
  }
  return true;
}

/**
 * The parts of a selector a label map fails, as readable phrases
 * (`label app=web (has app=api)`, `label tier not in (db)`); empty when it matches.
 * @internal
 */
export function selectorMismatches(selector: Selector, labels: Labels): string[] {
  const out: string[] = [];
  const describe = (key: string): string => (Object.prototype.hasOwnProperty.call(labels, key) ? `has ${key}=${labels[key]}` : `no label ${key}`);
  for (const key of Object.keys(selector.matchLabels)) {
    if (labels[key] !== selector.matchLabels[key] || !Object.prototype.hasOwnProperty.call(labels, key)) {
      out.push(`needs ${key}=${selector.matchLabels[key]} (${describe(key)})`);
    }
  }
  for (const req of selector.matchExpressions) {
    if (requirementMatches(req, labels)) continue;
    switch (req.operator) {
      case 'In': out.push(`needs ${req.key} in (${req.values.join(', ')}) (${describe(req.key)})`); break;
      case 'NotIn': out.push(`needs ${req.key} not in (${req.values.join(', ')}) (${describe(req.key)})`); break;
      case 'Exists': out.push(`needs label ${req.key} (${describe(req.key)})`); break;
      case 'DoesNotExist': out.push(`needs no label ${req.key} (${describe(req.key)})`); break;
      default: out.push(`has an unknown operator '${String(req.operator)}'`);
    }
  }
  return out;
}

/** A short readable form of a selector: `{}` or `app=web, tier in (a, b)`. @internal */
export function formatSelector(selector: Selector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const req of selector.matchExpressions) {
    switch (req.operator) {
      case 'In': parts.push(`${req.key} in (${req.values.join(', ')})`); break;
      case 'NotIn': parts.push(`${req.key} notin (${req.values.join(', ')})`); break;
      case 'Exists': parts.push(req.key); break;
      case 'DoesNotExist': parts.push(`!${req.key}`); break;
      default: parts.push(`${req.key} ${String(req.operator)}`);
    }
  }
  return parts.length === 0 ? '{} (everything)' : parts.join(', ');
}

/** A canonical string for a selector: equal strings select the same label maps. @internal */
export function selectorKey(selector: Selector): string {
  const labels = Object.keys(selector.matchLabels).sort().map((k) => [k, selector.matchLabels[k]]);
  const exprs = selector.matchExpressions
    .map((r) => [r.key, r.operator, [...new Set(r.values)].sort()] as const)
    .map((r) => JSON.stringify(r))
    .sort();
  return JSON.stringify([labels, exprs]);
}

/**
 * A small label map a selector matches (`matchLabels`, the first value of each `In`, `Exists` keys
 * with `value`), or undefined when that simple choice does not match: labels for assumed pods and
 * namespaces that a selector describes and no manifest holds.
 * @internal
 */
export function labelsSatisfying(selector: Selector, value = 'assumed'): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...selector.matchLabels };
  for (const req of selector.matchExpressions) {
    if (Object.prototype.hasOwnProperty.call(labels, req.key)) continue;
    if (req.operator === 'In' && req.values.length > 0) labels[req.key] = req.values[0];
    else if (req.operator === 'Exists') labels[req.key] = value;
  }
  return selectorMatches(selector, labels) ? labels : undefined;
}

/** The label keys a selector looks at. @internal */
export function selectorLabelKeys(selector: Selector): string[] {
  return [...Object.keys(selector.matchLabels), ...selector.matchExpressions.map((r) => r.key)];
}
