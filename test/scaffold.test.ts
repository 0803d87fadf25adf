import * as netpol from '../src';

test('the package loads', () => {
  expect(typeof netpol).toBe('object');
});
