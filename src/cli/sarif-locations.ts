import * as path from 'path';
import { pathToFileURL } from 'url';
import { LoadedObject } from '../analyzer/cluster-model';
import { SarifInput, SarifLocation } from '../reports/sarif-report';

/**
 * Where the objects a finding names were read, as SARIF locations: the path relative to the
 * current folder (the repository root in a pipeline, which is what code scanning expects), or a
 * file URI for a file outside it, and the line where the object's document starts.
 */

/** `Deployment shop/web` (`Namespace shop`, `AdminNetworkPolicy deny-all` for cluster-scoped objects). */
function objectKeys(object: any): string[] {
  const name = object?.metadata?.name;
  if (typeof name !== 'string') return [];
  const namespaced = `${object.kind} ${object.metadata?.namespace ?? 'default'}/${name}`;
  return object.metadata?.namespace === undefined ? [namespaced, `${object.kind} ${name}`] : [namespaced];
}

function uriOf(file: string): string {
  const relative = path.relative(process.cwd(), file);
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return relative.split(path.sep).join('/');
  return pathToFileURL(path.resolve(file)).href;
}

/**
 * The locator of the objects read, and where findings without a located object point: the first
 * manifest read.
 * @internal
 */
export function sarifLocations(objects: readonly LoadedObject[], paths: readonly string[]): Pick<SarifInput, 'locate' | 'fallback'> {
  const index = new Map<string, SarifLocation>();
  for (const loaded of objects) {
    if (loaded.file === undefined || loaded.file === '<stdin>') continue;
    const at = { uri: uriOf(loaded.file), line: loaded.line ?? 1 };
    for (const key of objectKeys(loaded.object)) if (!index.has(key)) index.set(key, at);
  }
  const first = objects.find((o) => o.file !== undefined && o.file !== '<stdin>');
  const fallback = first ? { uri: uriOf(first.file!), line: 1 } : { uri: uriOf(paths.find((p) => p !== '-') ?? '.'), line: 1 };
  return { locate: (object) => index.get(object), fallback };
}
