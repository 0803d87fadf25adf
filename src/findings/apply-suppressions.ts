import { Finding } from './finding';
import { findRule } from './finding-rules';
import { FindingSuppression } from './finding-suppression';
import { invalid, show } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';

/**
 * What a suppression must be.
 * @internal
 */
export const SUPPRESSION: PropsSpec<FindingSuppression> = {
  id: required(Is.string("'NP003'")),
  subject: required(Is.string("'shop/web'")),
  reason: required(Is.string("'retired next quarter'")),
};

/** A finding and the suppression that matched it. @internal */
export interface SuppressedFinding {
  readonly finding: Finding;
  readonly suppression: FindingSuppression;
}

/** Findings split by suppressions, and the suppressions that matched nothing. @internal */
export interface SuppressionResult {
  readonly active: Finding[];
  readonly suppressed: SuppressedFinding[];
  readonly unused: FindingSuppression[];
}

/** Checks a suppression: a known rule and a reason. Throws an Error that says how to fix it. @internal */
export function checkSuppression(where: string, suppression: FindingSuppression): void {
  checkProps(where, suppression, SUPPRESSION, 'the suppression');
  if (!findRule(suppression.id)) throw invalid(where, `no finding rule ${show(suppression.id)} to suppress`, "Use an id such as 'NP003' (see NetworkPolicyFindings.rules())");
  if (suppression.subject.trim() === '') throw invalid(where, `suppression of ${suppression.id} needs a subject`, "Give one, e.g. 'shop/web', or '*' for every subject");
  if (suppression.reason.trim() === '') {
    throw invalid(where, `suppression of ${suppression.id} for ${show(suppression.subject)} needs a reason, so reviewers know why it is accepted`, 'Say why the finding is acceptable');
  }
}

/** Applies suppressions to findings. @internal */
export function applySuppressions(findings: readonly Finding[], suppressions: readonly FindingSuppression[]): SuppressionResult {
  const active: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const used = new Set<FindingSuppression>();
  for (const finding of findings) {
    const match = suppressions.find((s) => findRule(s.id)?.id === finding.id && (s.subject === '*' || s.subject === finding.subject));
    if (match) {
      used.add(match);
      suppressed.push({ finding, suppression: match });
    } else {
      active.push(finding);
    }
  }
  return { active, suppressed, unused: suppressions.filter((s) => !used.has(s)) };
}
