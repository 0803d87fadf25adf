import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { LoadedObject, ManifestError, SourceRef } from './cluster-model';
import { isModelledNetworkPolicy } from './policy-kinds';
import { validateNetworkPolicy } from './validate-network-policy';

/**
 * Reads Kubernetes objects from YAML and JSON files and directories, the way `kubectl apply -f`
 * would take them: multi-document YAML, `List` objects flattened, NetworkPolicies validated as the
 * API server would. Every problem is a ManifestError naming the file and document.
 */

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Loads every object from files and directories (recursively, `.yaml`, `.yml` and `.json` files,
 * in sorted order). File names in errors are the paths as given.
 * @internal
 */
export function loadManifestFiles(paths: readonly string[]): LoadedObject[] {
  const out: LoadedObject[] = [];
  for (const p of paths) {
    for (const file of expand(p)) out.push(...parseManifestText(readText(file), file));
  }
  return out;
}

function expand(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e: any) {
    throw new ManifestError({ file: p }, e?.code === 'ENOENT' ? 'no such file or directory' : `cannot read it (${e?.message ?? e})`);
  }
  if (!stat.isDirectory()) return [p];
  const files: string[] = [];
  for (const entry of fs.readdirSync(p).sort()) {
    const child = path.join(p, entry);
    if (fs.statSync(child).isDirectory()) files.push(...expand(child));
    else if (MANIFEST_EXTENSIONS.includes(path.extname(entry).toLowerCase())) files.push(child);
  }
  return files;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e: any) {
    throw new ManifestError({ file }, `cannot read it (${e?.message ?? e})`);
  }
}

/**
 * Parses the text of one file: JSON when it is a `.json` file, else (multi-document) YAML.
 * Empty documents are skipped; `List` objects are flattened.
 * @internal
 */
export function parseManifestText(text: string, file?: string): LoadedObject[] {
  const values: { value: any; documentIndex?: number }[] = [];
  if (file !== undefined && path.extname(file).toLowerCase() === '.json') {
    try {
      values.push({ value: JSON.parse(text) });
    } catch (e: any) {
      throw new ManifestError({ file }, `is not valid JSON: ${e?.message ?? e}`);
    }
  } else {
    parseAllDocuments(text).forEach((doc: any, documentIndex) => {
      if (doc.errors?.length) {
        const first = doc.errors[0];
        const where = first.linePos?.[0] ? ` (line ${first.linePos[0].line}, column ${first.linePos[0].col})` : '';
        throw new ManifestError({ file, documentIndex }, `is not valid YAML${where}: ${String(first.message).split('\n')[0]}`);
      }
      values.push({ value: doc.toJS(), documentIndex });
    });
  }
  const out: LoadedObject[] = [];
  for (const { value, documentIndex } of values) {
    if (value === null || value === undefined) continue;
    out.push(...flatten(value, { file, documentIndex }));
  }
  checkObjects(out);
  return out;
}

function flatten(value: any, source: SourceRef): LoadedObject[] {
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ManifestError(source, `is not a Kubernetes object: expected a mapping with apiVersion and kind, got ${Array.isArray(value) ? 'a list' : `the ${typeof value} ${JSON.stringify(value)}`}`);
  }
  if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
    // The items of a typed list (`NetworkPolicyList` from the API) have no kind: like kubectl,
    // give them the list's kind without "List" and the list's apiVersion.
    const itemKind = value.kind.slice(0, -'List'.length);
    return value.items.map((item: any, index: number) => {
      const itemSource = { ...source, item: index };
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw new ManifestError(itemSource, `is not a Kubernetes object: expected a mapping with apiVersion and kind, got ${JSON.stringify(item)}`);
      }
      const typed = !item.kind && !item.apiVersion && itemKind !== '' ? { ...item, apiVersion: value.apiVersion, kind: itemKind } : item;
      return { ...itemSource, object: typed };
    });
  }
  return [{ ...source, object: value }];
}

/**
 * Checks objects that did not come from files (or came from them): each has a `kind`, and each
 * `networking.k8s.io/v1` NetworkPolicy passes the API server's validation.
 * @internal
 */
export function checkObjects(objects: readonly LoadedObject[]): void {
  for (const loaded of objects) {
    const obj = loaded.object;
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new ManifestError(loaded, `is not a Kubernetes object: expected a mapping with apiVersion and kind, got ${JSON.stringify(obj)}`);
    }
    if (typeof obj.kind !== 'string' || obj.kind === '') {
      throw new ManifestError(loaded, 'has no kind: every Kubernetes object needs apiVersion and kind');
    }
    if (isModelledNetworkPolicy(obj)) {
      const problems = validateNetworkPolicy(obj);
      if (problems.length) {
        const name = `NetworkPolicy '${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name ?? '?'}'`;
        throw new ManifestError(loaded, `${name} is invalid (the API server would reject it): ${problems.join('; ')}`);
      }
    }
  }
}
