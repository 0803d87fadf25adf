import { SuppressedFinding } from '../findings/apply-suppressions';
import { Finding, FindingRuleInfo, FindingSeverity } from '../findings/finding';

/**
 * The guardrails' findings as a SARIF 2.1.0 log, the format GitHub code scanning (and other code
 * review tools) reads: one rule per finding rule, one result per finding located at the manifest
 * of the first object it names, the other objects as related locations, and accepted (suppressed)
 * findings kept with their reason as an external suppression.
 *
 * @see https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */

/** Where an object of the input was read: a URI (relative to the repository root when it can be) and a line. @internal */
export interface SarifLocation {
  readonly uri: string;
  /** From 1. */
  readonly line: number;
}

/** What the SARIF log holds. @internal */
export interface SarifInput {
  readonly toolVersion: string;
  readonly rules: readonly FindingRuleInfo[];
  readonly findings: readonly Finding[];
  readonly suppressed?: readonly SuppressedFinding[];
  /** Warnings about the input (unmodelled objects, skipped files), as tool notifications. */
  readonly notices?: readonly string[];
  /** Where an object named in a finding (`Deployment shop/web`) was read, if known. */
  readonly locate: (object: string) => SarifLocation | undefined;
  /** Where a finding whose objects have no location points (e.g. the first manifest read). */
  readonly fallback: SarifLocation;
}

const LEVEL: Record<FindingSeverity, string> = {
  [FindingSeverity.ERROR]: 'error',
  [FindingSeverity.WARNING]: 'warning',
  [FindingSeverity.INFO]: 'note',
};

function physical(location: SarifLocation, text?: string): object {
  return {
    physicalLocation: { artifactLocation: { uri: location.uri }, region: { startLine: location.line } },
    ...(text !== undefined ? { message: { text } } : {}),
  };
}

/** Renders the SARIF log (JSON, one run). @internal */
export function renderSarif(input: SarifInput): string {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const result = (finding: Finding, suppression?: string): object => {
    const located = finding.objects.map((o) => ({ object: o, at: input.locate(o) })).filter((x) => x.at !== undefined);
    const primary = located[0]?.at ?? input.fallback;
    return {
      ruleId: finding.id,
      ...(ruleIndex.has(finding.id) ? { ruleIndex: ruleIndex.get(finding.id) } : {}),
      level: LEVEL[finding.severity],
      message: { text: `${finding.message}. Fix: ${finding.fix}` },
      locations: [physical(primary, located[0]?.object)],
      ...(located.length > 1 ? { relatedLocations: located.slice(1).map((x, i) => ({ id: i + 1, ...physical(x.at!, x.object) })) } : {}),
      // Stable across runs and line moves, so code scanning follows a finding rather than a line.
      partialFingerprints: { 'findingSubject/v1': `${finding.id}:${finding.subject}` },
      properties: { subject: finding.subject, objects: finding.objects },
      ...(suppression !== undefined ? { suppressions: [{ kind: 'external', justification: suppression }] } : {}),
    };
  };
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-netpol',
          version: input.toolVersion,
          informationUri: 'https://github.com/cdk8s-netpol/cdk8s-netpol',
          rules: input.rules.map((r) => ({
            id: r.id,
            name: r.rule,
            shortDescription: { text: r.summary },
            help: { text: r.fix },
            defaultConfiguration: { level: LEVEL[r.severity] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: (input.notices ?? []).map((text) => ({ level: 'warning', message: { text } })),
      }],
      results: [
        ...input.findings.map((f) => result(f)),
        ...(input.suppressed ?? []).map((s) => result(s.finding, s.suppression.reason)),
      ],
    }],
  };
  return `${JSON.stringify(log, undefined, 2)}\n`;
}
