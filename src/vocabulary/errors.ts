/**
 * Builds the error every bad input gets: what was given, the rule it breaks and, where there is one,
 * the fix. `where` names the factory call or the construct path.
 * @internal
 */
export function invalid(where: string, problem: string, fix?: string): Error {
  return new Error(`${where}: ${problem}${fix ? `. ${fix}` : ''}`);
}

/**
 * A short, readable rendering of a value for error messages.
 * @internal
 */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}
