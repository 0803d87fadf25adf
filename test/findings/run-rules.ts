import { ClusterModel, LoadedObject } from '../../src/analyzer/cluster-model';
import { Finding, FindingOptions } from '../../src/findings';
import { analyzeFindings } from '../../src/findings/finding-rules';

/** Runs some rules over plain objects, as the guardrails do. */
export function findings(rules: string[], objects: any[], options: FindingOptions = {}): Finding[] {
  const loaded: LoadedObject[] = objects.map((object, item) => ({ object, item }));
  return analyzeFindings(ClusterModel.fromObjects(loaded), { ...options, rules }, objects);
}

/** `ID subject` for each finding. */
export function run(rules: string[], objects: any[], options: FindingOptions = {}): string[] {
  return findings(rules, objects, options).map((f) => `${f.id} ${f.subject}`);
}
