import * as fs from 'fs';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { sharedDir } from './shared-data';

/**
 * Validation against a CRD's `openAPIV3Schema`, as the API server applies it to a custom object
 * (structure, types, enums, patterns, ranges, required fields). Kubernetes' own keywords
 * (`x-kubernetes-*`) and formats such as `int32` are not JSON Schema: ajv skips them. For the
 * `*.shared.ts` tests only: the CRDs live in ../shared/crds.
 */

/** The schema problems of `object` against the CRD in `../shared/crds/<file>` (its only version). */
export function crdProblems(file: string, object: any): string[] {
  const validate = validator(file);
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
}

const validators = new Map<string, ReturnType<Ajv['compile']>>();

function validator(file: string): ReturnType<Ajv['compile']> {
  let validate = validators.get(file);
  if (!validate) {
    const crd = parse(fs.readFileSync(sharedDir('crds', file), 'utf8'));
    const [version] = crd.spec.versions;
    // Patterns are Go (RE2) regular expressions: `\PC` is the one-letter Unicode class JavaScript writes `\P{C}`.
    const regExp = (pattern: string, flags: string): RegExp => new RegExp(pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}'), flags.includes('u') ? flags : `${flags}u`);
    validate = new Ajv({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: true, code: { regExp: regExp as any } })
      .compile(version.schema.openAPIV3Schema);
    validators.set(file, validate);
  }
  return validate;
}
