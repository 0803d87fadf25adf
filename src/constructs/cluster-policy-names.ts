import { createHash } from 'crypto';

/**
 * A DNS-1123 name of at most 60 characters made of a construct path, with a hash when cut.
 * @internal
 */
export function nameFromPath(path: string): string {
  const stem = path.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '') || 'guardrail';
  if (stem.length <= 60) return stem;
  return `${stem.slice(0, 51).replace(/-+$/, '')}-${createHash('sha256').update(path).digest('hex').slice(0, 8)}`;
}

/**
 * The name of the `k`th object of a split intent: its own name, then `-2`, `-3`...
 * @internal
 */
export function partName(name: string, k: number): string {
  return k === 0 ? name : `${name}-${k + 1}`;
}
