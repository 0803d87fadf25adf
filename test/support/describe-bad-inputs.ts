import { BAD_INPUTS, reject } from './bad-inputs';

/**
 * The input tests of one class: each of its bad inputs is rejected with a message that names where
 * (construct path or factory call), the value and the fix, in that order, and the app writes no
 * policy for it (the objects a row makes to pass in, a Service or a Deployment, stay).
 */
export function describeBadInputs(entry: string): void {
  const rows = BAD_INPUTS.filter((row) => row.entry === entry);
  describe(`${entry}, called as JavaScript would`, () => {
    test('has bad inputs in the table', () => {
      expect(rows.length).toBeGreaterThan(0);
    });

    test.each(rows.map((row) => [row.input, row] as const))('%s is rejected naming where, the value and the fix', (_input, row) => {
      const { message, manifests } = reject(row);
      // cdk8s wraps what fails at synth in its own 'Failed serializing construct at path ...'.
      if (!row.atSynth) expect(message.startsWith(row.says[0])).toBe(true);
      let from = 0;
      for (const fragment of row.says) {
        const at = message.indexOf(fragment, from);
        if (at < 0) throw new Error(`expected ${JSON.stringify(fragment)} after position ${from} in:\n${message}`);
        from = at + fragment.length;
      }
      if (!row.atSynth && !row.writesBefore) expect(manifests().filter((o) => /NetworkPolicy$/.test(o.kind))).toEqual([]);
    });
  });
}
