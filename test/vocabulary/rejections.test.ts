import * as fs from 'fs';
import * as path from 'path';
import { MAX_SHOWN } from '../../src/vocabulary/errors';
import { BAD_INPUTS, LONG, reject } from '../support/bad-inputs';

/**
 * The conventions every rejection follows, checked over the whole table of bad inputs (the
 * `*-input.test.ts` files check what each says):
 * - `where: problem. Fix`, the fix a sentence that starts with what to do, one of FIX_VERBS;
 * - no value shown longer than MAX_SHOWN characters.
 */
const FIX_VERBS = ['Use', 'Pass', 'Give', 'Name', 'Write', 'Remove', 'Leave', 'List', 'Quote', 'Wrap', 'Make', 'Say', 'Select', 'Render', 'Build', 'Allow', 'Call'];
const FIX = new RegExp(`\\. (${FIX_VERBS.join('|')}) `);

const rejections = BAD_INPUTS.map((row) => ({ row, message: reject(row).message }));

describe('every rejection', () => {
  test(`each of the ${BAD_INPUTS.length} rejections in the table says how to fix the input`, () => {
    const withoutFix = rejections.filter(({ message }) => !FIX.test(message));
    expect(withoutFix.map(({ row, message }) => `${row.entry} ${row.input}: ${message}`)).toEqual([]);
  });

  test('no rejection shows more than MAX_SHOWN characters of a value', () => {
    const long = rejections.filter(({ row }) => row.call.toString().includes('LONG'));
    expect(long.length).toBeGreaterThanOrEqual(8);
    for (const { message } of rejections) {
      expect(message).not.toContain(LONG.slice(0, MAX_SHOWN + 1));
    }
    for (const { message } of long) expect(message).toMatch(/\(100\d{3} characters\)/);
  });

  test('every public entry of the vocabulary, constructs, guardrails and jest matchers has its bad inputs in the table', () => {
    const entries = new Set(BAD_INPUTS.map((row) => row.entry));
    const exported = ['vocabulary', 'constructs', 'guardrails'].flatMap((layer) => {
      const dir = path.join(__dirname, '..', '..', 'src', layer);
      const files = [...fs.readFileSync(path.join(dir, 'index.ts'), 'utf8').matchAll(/^export \* from '\.\/([\w-]+)';/gm)].map((m) => `${m[1]}.ts`);
      return files.flatMap((file) => [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^export class (\w+)/gm)].map((m) => m[1]));
    });
    expect(exported.filter((name) => !entries.has(name))).toEqual([]);
    expect(entries).toContain('reachabilityMatchers');
  });
});
