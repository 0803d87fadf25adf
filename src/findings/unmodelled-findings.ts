import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition } from './finding-context';
import { describeLocation } from '../analyzer/cluster-model';

/**
 * Input the analyzer does not model (the model's `unmodelled` list): every verdict, finding and
 * report ignores it, so the proof has a blind spot there and says so.
 */

function unmodelled(context: FindingContext): FindingDraft[] {
  return context.model.unmodelled.map((u) => {
    const object = `${u.kind} ${u.name}`;
    const source = describeLocation(u.source);
    const what = u.field === undefined ? object : `${u.field} of ${object}`;
    return {
      subject: u.name,
      objects: [object],
      message: `${what}${source && u.source?.file !== undefined ? ` (${source})` : ''} is not modelled, so every verdict ignores it: ${u.reason}`,
    };
  });
}

/** @internal */
export const UNMODELLED_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP021',
    rule: 'input-not-modelled',
    severity: FindingSeverity.WARNING,
    summary: 'A policy object (a Calico NetworkPolicy, an Antrea policy, …) or a field the analyzer does not model (a Cilium L7 rule, …): what is reported allowed or denied ignores it.',
    fix: 'Check what it allows and denies with the tooling of its CNI or tier, then suppress this finding with the reason; or leave it out of the analyzed input.',
    check: unmodelled,
  },
];
