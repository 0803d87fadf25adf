import { Finding, FindingSeverity } from './finding';

/** Ordering and parsing of severities, for thresholds and reports. */

const RANK: Record<FindingSeverity, number> = {
  [FindingSeverity.INFO]: 0,
  [FindingSeverity.WARNING]: 1,
  [FindingSeverity.ERROR]: 2,
};

/** Whether `severity` is at or above `threshold`. @internal */
export function atLeast(severity: FindingSeverity, threshold: FindingSeverity): boolean {
  return RANK[severity] >= RANK[threshold];
}

/** Parses `error`, `warning` or `info` (any case). @internal */
export function parseSeverity(text: string): FindingSeverity | undefined {
  return Object.values(FindingSeverity).find((s) => s === text.toLowerCase());
}

/** Sorts findings: most severe first, then by id, then by subject. @internal */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[b.severity] - RANK[a.severity]
    || a.id.localeCompare(b.id) || a.subject.localeCompare(b.subject) || a.message.localeCompare(b.message));
}
