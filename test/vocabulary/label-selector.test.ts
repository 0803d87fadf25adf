import { LabelExpression, LabelOperator, LabelSelector } from '../../src';

describe('LabelSelector', () => {
  test('matchLabels renders sorted matchLabels', () => {
    expect(LabelSelector.matchLabels({ tier: 'web', app: 'shop' }).toJson()).toEqual({ matchLabels: { app: 'shop', tier: 'web' } });
  });

  test('expressions of every operator', () => {
    const selector = LabelSelector.of({
      labels: { app: 'shop' },
      expressions: [
        LabelExpression.in('tier', ['web', 'api', 'web']),
        LabelExpression.notIn('track', ['canary']),
        LabelExpression.exists('team'),
        LabelExpression.doesNotExist('legacy'),
      ],
    });
    expect(selector.toJson()).toEqual({
      matchLabels: { app: 'shop' },
      matchExpressions: [
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'team', operator: 'Exists' },
        { key: 'tier', operator: 'In', values: ['api', 'web'] },
        { key: 'track', operator: 'NotIn', values: ['canary'] },
      ],
    });
    expect(selector.toString()).toBe('app=shop,!legacy,team,tier in (api,web),track notin (canary)');
    expect(selector.expressions.map((e) => e.operator))
      .toEqual([LabelOperator.DOES_NOT_EXIST, LabelOperator.EXISTS, LabelOperator.IN, LabelOperator.NOT_IN]);
  });

  test('prefixed keys and empty values are valid', () => {
    expect(LabelSelector.matchLabels({ 'app.kubernetes.io/name': 'web', 'example.com/flag': '' }).toJson())
      .toEqual({ matchLabels: { 'app.kubernetes.io/name': 'web', 'example.com/flag': '' } });
  });

  describe('bad input', () => {
    test('an empty selector would select everything', () => {
      expect(() => LabelSelector.matchLabels({})).toThrow(
        'LabelSelector.matchLabels({}): an empty selector matches every pod or namespace, which would silently widen access. Give at least one label or expression');
      expect(() => LabelSelector.of({})).toThrow('LabelSelector.of(): an empty selector');
    });

    test.each([
      ['-app', "must be alphanumerics, '-', '_' or '.'"],
      ['a'.repeat(64), 'has a name part of 64 characters; the limit is 63'],
      ['Example.com/app', "has a prefix 'Example.com' that must be a DNS-1123 subdomain"],
      ['example.com/', 'must have a name part'],
      ['app name', "must be alphanumerics, '-', '_' or '.'"],
    ])('label key %p', (key, rule) => {
      expect(() => LabelSelector.matchLabels({ [key]: 'x' })).toThrow(`label key '${key}' ${rule}`);
    });

    test.each([
      ['web app', "must be alphanumerics, '-', '_' or '.'"],
      ['-web', "must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"],
      ['v'.repeat(64), 'must be at most 63 characters (it has 64)'],
    ])('label value %p', (value, rule) => {
      expect(() => LabelSelector.matchLabels({ app: value })).toThrow(`label value '${value}' (key 'app') ${rule}`);
    });

    test('a non-string value', () => {
      expect(() => LabelSelector.matchLabels({ replicas: 3 as any })).toThrow("label 'replicas' has the value 3, which is not a string. Quote numbers and booleans");
    });

    test('In and NotIn need values', () => {
      expect(() => LabelExpression.in('tier', [])).toThrow("LabelExpression.in('tier', []): In needs at least one value. Use LabelExpression.exists('tier') if any value will do");
      expect(() => LabelExpression.notIn('tier', [])).toThrow('NotIn needs at least one value');
    });

    test('expression keys and values are checked', () => {
      expect(() => LabelExpression.exists('bad key')).toThrow("LabelExpression.exists('bad key'): label key 'bad key'");
      expect(() => LabelExpression.in('tier', ['bad value'])).toThrow("label value 'bad value'");
    });
  });
});
