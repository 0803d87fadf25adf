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
    expect(() => reachabilityMatchers.toAllow({}, 'a', 'b', Port.HTTP)).toThrow('toAllow: expected a Reachability or a cdk8s Chart, got {}');
  });
});

describe('toAllowOnlyDestinations and toAllowOnlySources: each direction', () => {
  // shop/api's ingress admits shop/web on 9000 (and monitoring on 9090); shop/db admits shop/api on 5432.
  test('outbound: the destinations a source reaches, pods and addresses outside the cluster', () => {
    expect(shop).toAllowOnlyDestinations('shop/api', Port.POSTGRES, ['shop/db']);
    expect(shop).not.toAllowOnlyDestinations('shop/api', Port.POSTGRES, []);
    expect(() => expect(shop).toAllowOnlyDestinations('shop/api', Port.POSTGRES, []))
      .toThrow('expected shop/api to reach exactly [] on 5432/TCP, but it reaches ["shop/db"].\nunexpectedly allowed:\n  ALLOWED: shop/api -> shop/db on 5432/TCP');
  });

  test('inbound: the sources that reach a destination, not the destinations it reaches', () => {
    expect(shop).toAllowOnlySources('shop/db', Port.POSTGRES, ['shop/api']);
    // Read inbound, shop/db is reached by shop/api only; read outbound (the other matcher), shop/db reaches nothing.
    expect(shop).toAllowOnlyDestinations('shop/db', Port.POSTGRES, []);
    expect(shop).not.toAllowOnlySources('shop/db', Port.POSTGRES, []);
    let message = '';
    try {
      expect(shop).toAllowOnlySources('shop/db', Port.POSTGRES, ['shop/web']);
    } catch (e: any) {
      message = e.message;
    }
    expect(message).toContain('expected exactly ["shop/web"] to reach shop/db on 5432/TCP, but ["shop/api"] reach it.');
    expect(message).toContain('unexpectedly allowed:\n  ALLOWED: shop/api -> shop/db on 5432/TCP');
    expect(message).toContain('unexpectedly denied:\n  DENIED: shop/web -> shop/db on 5432/TCP');
  });

  test('addresses outside the cluster count as sources: a pod open to everything is reached from 0.0.0.0/0', () => {
    const reach = Reachability.fromManifests([pod('n', 'a', { labels: { app: 'a' } }), pod('n', 'b', { labels: { app: 'b' } })]);
    expect(reach).toAllowOnlySources('n/b', Port.HTTP, ['n/a', '0.0.0.0/0']);
    expect(() => expect(reach).toAllowOnlySources('n/b', Port.HTTP, ['n/a'])).toThrow('unexpectedly allowed:\n  ALLOWED: 0.0.0.0/0 -> n/b on 80/TCP');
  });
});
