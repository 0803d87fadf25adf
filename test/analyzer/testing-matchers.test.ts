import * as path from 'path';
import { ApiObject, Testing } from 'cdk8s';
import { pod, policy } from './helpers';
import { Reachability } from '../../src/analyzer';
import { reachabilityMatchers } from '../../src/testing';
import { Port } from '../../src/vocabulary/port';

const shop = Reachability.fromFiles([path.join(__dirname, '..', 'fixtures', 'analyzer', 'shop')]);

describe('jest matchers', () => {
  test('toAllow and toDeny, plain and negated', () => {
    expect(shop).toAllow('web', 'api', Port.tcp(9000));
    expect(shop).toDeny('web', 'db', Port.POSTGRES);
    expect(shop).not.toAllow('web', 'db', Port.POSTGRES);
    expect(shop).not.toDeny('shop/api', 'shop/db', Port.POSTGRES);
  });

  test('a failed toAllow explains why it is denied', () => {
    expect(() => expect(shop).toAllow('monitoring/prometheus', 'api', Port.tcp(9000))).toThrow([
      'expected monitoring/prometheus -> shop/api on 9000/TCP to be allowed, but it is denied:',
      '  DENIED: monitoring/prometheus -> shop/api on 9000/TCP',
    ].join('\n'));
    expect(() => expect(shop).toAllow('monitoring/prometheus', 'api', Port.tcp(9000))).toThrow("Nearest miss: NetworkPolicy shop/api ingress[1]: wrong port: 9000/TCP is not among the rule's ports: 9090/TCP");
  });

  test('a failed toDeny names the rules that allow it', () => {
    expect(() => expect(shop).toDeny('web', 'api', Port.tcp(9000)))
      .toThrow(/expected shop\/web -> shop\/api on 9000\/TCP to be denied, but it is allowed:\n.*\n.*allowed by NetworkPolicy shop\/web egress\[0\]\n.*allowed by NetworkPolicy shop\/api ingress\[0\]/);
    expect(() => expect(shop).not.toAllow('web', 'api', Port.tcp(9000))).toThrow('to be denied, but it is allowed');
  });

  test('toAllowOnly: exactly these destinations besides the source itself', () => {
    expect(shop).toAllowOnly('web', Port.tcp(9000), ['api']);
    expect(shop).toAllowOnly('monitoring/prometheus', Port.tcp(9090), ['shop/api']);
    expect(shop).toAllowOnly('db', Port.tcp(9000), []);
    let message = '';
    try {
      expect(shop).toAllowOnly('web', Port.tcp(9000), ['db']);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('expected shop/web to reach exactly ["shop/db"] on 9000/TCP, but it reaches ["shop/api"].');
    expect(message).toContain('unexpectedly allowed:\n  ALLOWED: shop/web -> shop/api on 9000/TCP');
    expect(message).toContain('unexpectedly denied:\n  DENIED: shop/web -> shop/db on 9000/TCP');
  });

  test('a cdk8s Chart is analyzed as it synthesizes', () => {
    const chart = Testing.chart();
    for (const obj of [pod('n', 'a', { labels: { app: 'a' } }), pod('n', 'b', { labels: { app: 'b' } }),
      policy('n', 'b', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 80 }] }] })]) {
      new ApiObject(chart, `${obj.kind}-${obj.metadata.name}`, obj);
    }
    expect(chart).toAllow('a', 'b', Port.HTTP);
    expect(chart).toDeny('a', 'b', Port.HTTPS);
    expect(chart).toAllow('b', 'a', Port.tcp(81)); // a is not isolated
  });

  test('anything else is a clear error', () => {
    expect(() => reachabilityMatchers.toAllow({}, 'a', 'b', Port.HTTP)).toThrow('toAllow: expected a Reachability or a cdk8s Chart, got object');
  });
});
