import { InvariantResult, describeViolatedInvariant } from '../analyzer/invariant-check';
import { Finding, FindingRuleInfo, FindingSeverity } from '../findings/finding';

/**
 * Invariant verdicts in each output format of the CLI: text, Markdown, and comments in the
 * pictures (Mermaid, DOT); and what a change does to them (`diff --invariants`).
 */

/** `the frontend never reaches the database (declared by shop/app/Invariants)`. */
function title(result: InvariantResult): string {
  return `${result.name}${result.declaredBy ? ` (declared by ${result.declaredBy})` : ''}`;
}

/** The pods assumed for selectors that matched none, over all invariants. */
function assumed(results: readonly InvariantResult[]): string[] {
  return [...new Set(results.flatMap((r) => r.assumedPods))];
}

/** `Invariants: 6 (5 held, 1 violated)`. @internal */
export function invariantsHeadline(results: readonly InvariantResult[]): string {
  const violated = results.filter((r) => !r.held).length;
  return `Invariants: ${results.length} (${results.length - violated} held, ${violated} violated)`;
}

/**
 * Every invariant, held or violated; violations with their pairs and explanations.
 * @internal
 */
export function renderInvariantsText(results: readonly InvariantResult[]): string {
  const lines = [invariantsHeadline(results)];
  for (const r of results) {
    if (r.held) lines.push(`  held      ${r.allowed} allowed: ${title(r)}, ${r.pairs} ${r.pairs === 1 ? 'pair' : 'pairs'}`);
    else lines.push(`  VIOLATED  ${describeViolatedInvariant(r).split('\n').join('\n    ')}`);
  }
  const pods = assumed(results);
  if (pods.length > 0) lines.push(`  Assumed pods (selectors no pod of the manifests matches are checked on a pod that would): ${pods.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The invariants as a Markdown section. @internal */
export function renderInvariantsMarkdown(results: readonly InvariantResult[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = [`## ${invariantsHeadline(results)}`, '', '| Invariant | Kind | Declared by | Pairs | Result |', '|---|---|---|---|---|'];
  for (const r of results) {
    lines.push(`| ${cell(r.name)} | ${r.allowed} allowed | ${cell(r.declaredBy ?? '')} | ${r.pairs} | ${r.held ? 'held' : `**violated** (${r.violationCount})`} |`);
  }
  for (const r of results.filter((x) => !x.held)) lines.push('', `### Violated: ${cell(r.name)}`, '', '```', describeViolatedInvariant(r), '```');
  const pods = assumed(results);
  if (pods.length > 0) lines.push('', `Assumed pods (selectors no pod of the manifests matches are checked on a pod that would): ${pods.join(', ')}`);
  return `${lines.join('\n')}\n`;
}

/** The invariants as comment lines of a picture (`%% ` for Mermaid, `// ` for DOT). @internal */
export function renderInvariantsComment(results: readonly InvariantResult[], prefix: string): string {
  const lines = [invariantsHeadline(results), ...results.filter((r) => !r.held).flatMap((r) => describeViolatedInvariant(r).split('\n'))];
  return lines.map((l) => `${prefix}${l}\n`).join('');
}

/** What a change does to the invariants. @internal */
export interface InvariantDiff {
  /** Held before, violated after. */
  readonly broken: InvariantResult[];
  /** Violated before, held after. */
  readonly restored: InvariantResult[];
  /** Violated in both versions. */
  readonly stillViolated: InvariantResult[];
}

/** Compares the verdicts on the same invariants (same order) for two versions. @internal */
export function diffInvariants(before: readonly InvariantResult[], after: readonly InvariantResult[]): InvariantDiff {
  const pairs = after.map((a, i) => ({ before: before[i], after: a }));
  return {
    broken: pairs.filter((p) => p.before.held && !p.after.held).map((p) => p.after),
    restored: pairs.filter((p) => !p.before.held && p.after.held).map((p) => p.before),
    stillViolated: pairs.filter((p) => !p.before.held && !p.after.held).map((p) => p.after),
  };
}

/** The invariant diff as text (or Markdown, with `markdown`). @internal */
export function renderInvariantDiff(diff: InvariantDiff, markdown: boolean = false): string {
  const head = (text: string): string => (markdown ? `## ${text}` : text);
  const block = (text: string): string => (markdown ? `\`\`\`\n${text}\n\`\`\`` : text.split('\n').map((l) => `  ${l}`).join('\n'));
  const lines = [
    head(`Invariants the change breaks: ${diff.broken.length}`),
    ...diff.broken.map((r) => block(describeViolatedInvariant(r))),
    head(`Invariants the change restores: ${diff.restored.length}`),
    ...diff.restored.map((r) => (markdown ? `- ${title(r)}` : `  ${title(r)}`)),
    head(`Invariants violated before and after: ${diff.stillViolated.length}`),
    ...diff.stillViolated.map((r) => (markdown ? `- ${title(r)}` : `  ${title(r)}`)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The rule violated invariants are reported under where findings are (SARIF). @internal */
export const INVARIANT_RULE: FindingRuleInfo = {
  id: 'INV001',
  rule: 'invariant-violated',
  severity: FindingSeverity.ERROR,
  summary: 'An invariant of the --invariants file does not hold: a flow that must never be allowed is allowed, or one that must stay allowed is denied.',
  fix: 'Remove or narrow the rule that opens the flow, or allow the flow that must stay allowed; change the invariant only if the intent changed.',
};

/**
 * Violated invariants as findings of INV001, for outputs made of findings (SARIF): the subject is
 * the invariant's name, the objects the policies its explanations name.
 * @internal
 */
export function invariantFindings(results: readonly InvariantResult[]): Finding[] {
  return results.filter((r) => !r.held).map((r) => {
    const policies = [...new Set(r.violations.flatMap((v) => [...v.explanation.matchAll(/NetworkPolicy ([a-z0-9-]+\/[a-z0-9.-]*[a-z0-9])/g)].map((m) => `NetworkPolicy ${m[1]}`)))];
    const first = r.violations[0];
    return {
      id: INVARIANT_RULE.id,
      rule: INVARIANT_RULE.rule,
      severity: INVARIANT_RULE.severity,
      subject: r.name,
      objects: policies,
      message: `${describeViolatedInvariant(r).split('\n')[0]}; first: ${first.from} -> ${first.to} on ${first.ports}: ${first.explanation.split('\n').slice(1).map((l) => l.trim()).join(' / ')}`,
      fix: INVARIANT_RULE.fix,
    };
  });
}
