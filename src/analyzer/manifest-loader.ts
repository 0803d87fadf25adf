import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { LoadedObject, ManifestError, SourceRef } from './cluster-model';
import { isModelledNetworkPolicy } from './policy-kinds';
import { validateNetworkPolicy } from './validate-network-policy';

/**
 * Reads Kubernetes objects from YAML and JSON files and directories, the way `kubectl apply -f`
 * would take them: multi-document YAML, `List` objects flattened, NetworkPolicies validated as the
 * API server would. Every problem is a ManifestError naming the file and document.
 *
 * YAML is read with js-yaml, which accepts the shapes kubectl's reader (go-yaml) accepts and
 * stricter readers refuse — a tab-indented line inside a flow sequence, a multi-line quoted scalar
 * whose closing line sits at its key's indentation — and parses about ten times faster than the
 * `yaml` package's document API (bench/yaml-readers.ts).
 */

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The path that names standard input. @internal */
export const STDIN_PATH = '-';

/** A file of a directory that holds no Kubernetes object, left out. @internal */
export interface SkippedFile {
  readonly file: string;
  /** What it holds instead, e.g. `a list, not a Kubernetes object`. */
  readonly reason: string;
}

/** How to load manifests. @internal */
export interface LoadOptions {
  /**
   * Called for each file found in a directory that holds no Kubernetes object (a saved JSON
   * result, a Helm values file); the file is then left out. Without it, such a file is an error.
   * A file given by name is always an error.
   */
  readonly onSkippedFile?: (skipped: SkippedFile) => void;
  /**
   * Called for each folder found inside a directory; `true` leaves the folder out (the callback says
   * so where it should). A folder given by name is always read.
   * @default - every folder is read
   */
  readonly skipFolder?: (folder: string) => boolean;
  /** Reads standard input, for the path `-`. @default - the process's standard input */
  readonly readStdin?: () => string;
}

/**
 * Loads every object from files and directories (recursively, `.yaml`, `.yml` and `.json` files,
 * in sorted order); `-` is standard input (YAML or JSON). File names in errors are the paths as
 * given.
 * @internal
 */
export function loadManifestFiles(paths: readonly string[], options: LoadOptions = {}): LoadedObject[] {
  const out: LoadedObject[] = [];
  for (const p of paths) {
    if (p === STDIN_PATH) {
      out.push(...parseManifestText((options.readStdin ?? readStdin)(), '<stdin>'));
      continue;
    }
    for (const { file, found } of expand(p, options.skipFolder ?? (() => false))) {
      const values = parseValues(readText(file), file);
      const stray = found && options.onSkippedFile ? strayReason(values) : undefined;
      if (stray !== undefined) options.onSkippedFile!({ file, reason: stray });
      else out.push(...objectsOf(values, file));
    }
  }
  return out;
}

function readStdin(): string {
  try {
    return fs.readFileSync(0, 'utf8');
  } catch (e: any) {
    throw new ManifestError({ file: '<stdin>' }, `cannot read it (${e?.message ?? e})`);
  }
}

/** The files of a path: itself, or the manifest files under a directory (`found`). */
function expand(p: string, skipFolder: (folder: string) => boolean): { file: string; found: boolean }[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e: any) {
    throw new ManifestError({ file: p }, e?.code === 'ENOENT' ? 'no such file or directory' : `cannot read it (${e?.message ?? e})`);
  }
  if (!stat.isDirectory()) return [{ file: p, found: false }];
  const files: { file: string; found: boolean }[] = [];
  for (const entry of fs.readdirSync(p).sort()) {
    const child = path.join(p, entry);
    if (fs.statSync(child).isDirectory()) {
      if (!skipFolder(child)) files.push(...expand(child, skipFolder));
    } else if (MANIFEST_EXTENSIONS.includes(path.extname(entry).toLowerCase())) {
      files.push({ file: child, found: true });
    }
  }
  return files;
}

/**
 * Why a file holds no Kubernetes object, when it parses and none of its documents is a mapping
 * with a kind (a file with some objects and something else is read, and its error reported).
 */
function strayReason(documents: readonly ParsedDocument[]): string | undefined {
  const values = documents.map((d) => d.value).filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return undefined;
  const objects = values.filter((v: any) => typeof v === 'object' && !Array.isArray(v) && typeof v.kind === 'string' && v.kind !== '');
  if (objects.length > 0) return undefined;
  const shapes = [...new Set(values.map((v: any) => (Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'a mapping without kind' : `a ${typeof v}`)))];
  return `it holds ${shapes.join(' and ')}, not Kubernetes objects`;
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
  return objectsOf(parseValues(text, file), file);
}

function objectsOf(values: readonly ParsedDocument[], file?: string): LoadedObject[] {
  const out: LoadedObject[] = [];
  for (const { value, documentIndex, line } of values) {
    if (value === null || value === undefined) continue;
    out.push(...flatten(value, { file, documentIndex, line: line ?? 1 }));
  }
  checkObjects(out);
  return out;
}

/** A document of a file, parsed. */
interface ParsedDocument {
  readonly value: any;
  /** Its index in a YAML file; undefined for a JSON file. */
  readonly documentIndex?: number;
  /** The line (from 1) where it starts. */
  readonly line?: number;
}

/** The documents of a file: one JSON value for a `.json` file, else every YAML document. */
function parseValues(text: string, file?: string): ParsedDocument[] {
  if (file !== undefined && path.extname(file).toLowerCase() === '.json') {
    try {
      return [{ value: JSON.parse(text) }];
    } catch (e: any) {
      throw new ManifestError({ file }, `is not valid JSON: ${e?.message ?? e}`);
    }
  }
  try {
    const values = loadAll(text);
    const lines = documentLines(text);
    return values.map((value, documentIndex) => ({ value, documentIndex, line: lines[documentIndex] }));
  } catch (e: any) {
    const mark = e?.mark;
    if (!mark) throw e;
    const documentIndex = documentAtLine(text, mark.line);
    throw new ManifestError({ file, documentIndex }, `is not valid YAML (line ${mark.line + 1}, column ${mark.column + 1}): ${e.reason ?? e.message}`);
  }
}

/**
 * Walks the lines of a YAML text, telling each document's index as it goes: each `---` after a
 * document's start begins the next one.
 */
function walkDocuments(lines: readonly string[], visit: (index: number, line: number, content: boolean) => void): void {
  let index = 0;
  let started = false;
  lines.forEach((l, i) => {
    if (l.startsWith('---') && /^---(\s|$)/.test(l)) {
      if (started) index++;
      started = true;
      visit(index, i, /^---\s+[^\s#]/.test(l));
    } else if (!/^\s*(#.*)?$/.test(l) && !l.startsWith('%')) {
      started = true;
      visit(index, i, true);
    }
  });
}

/** The index of the YAML document holding a line (from 0). */
function documentAtLine(text: string, line: number): number {
  let at = 0;
  walkDocuments(text.split(/\r?\n/, line + 1), (index) => { at = index; });
  return at;
}

/** The first line (from 1) with content of each YAML document, for reports that point into files. */
function documentLines(text: string): number[] {
  const lines: number[] = [];
  walkDocuments(text.split(/\r?\n/), (index, line, content) => {
    if (content && lines[index] === undefined) lines[index] = line + 1;
  });
  return lines;
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
