import { Port, Protocol } from '../../src';

describe('Port', () => {
  test.each([
    [Port.tcp(8080), { protocol: 'TCP', port: 8080 }, '8080/TCP'],
    [Port.udp(53), { protocol: 'UDP', port: 53 }, '53/UDP'],
    [Port.sctp(3868), { protocol: 'SCTP', port: 3868 }, '3868/SCTP'],
    [Port.tcpRange(30000, 32767), { protocol: 'TCP', port: 30000, endPort: 32767 }, '30000-32767/TCP'],
    [Port.udpRange(5000, 5010), { protocol: 'UDP', port: 5000, endPort: 5010 }, '5000-5010/UDP'],
    [Port.sctpRange(1, 2), { protocol: 'SCTP', port: 1, endPort: 2 }, '1-2/SCTP'],
    [Port.allTcp(), { protocol: 'TCP' }, 'all TCP'],
    [Port.allUdp(), { protocol: 'UDP' }, 'all UDP'],
    [Port.allSctp(), { protocol: 'SCTP' }, 'all SCTP'],
    [Port.named('http'), { protocol: 'TCP', port: 'http' }, 'http/TCP'],
    [Port.named('dns-udp', Protocol.UDP), { protocol: 'UDP', port: 'dns-udp' }, 'dns-udp/UDP'],
  ])('%s renders as a NetworkPolicyPort with an explicit protocol', (port, json, text) => {
    expect(port.toJson()).toEqual(json);
    expect(port.toString()).toBe(text);
  });

  test('"every port of a protocol" never renders port 0', () => {
    for (const port of [Port.allTcp(), Port.allUdp(), Port.allSctp()]) {
      expect(port.toJson()).not.toHaveProperty('port');
    }
  });

  test('allPorts renders no entry at all (a rule without ports)', () => {
    expect(Port.allPorts().toJson()).toBeUndefined();
    expect(Port.allPorts().toString()).toBe('all ports');
  });

  test('a one-port range is just that port', () => {
    expect(Port.tcpRange(80, 80).toJson()).toEqual({ protocol: 'TCP', port: 80 });
  });

  test('well-known constants', () => {
    expect(Port.DNS_UDP.toJson()).toEqual({ protocol: 'UDP', port: 53 });
    expect(Port.DNS_TCP.toJson()).toEqual({ protocol: 'TCP', port: 53 });
    expect(Port.HTTP.toJson()).toEqual({ protocol: 'TCP', port: 80 });
    expect(Port.HTTPS.toJson()).toEqual({ protocol: 'TCP', port: 443 });
    expect(Port.POSTGRES.toJson()).toEqual({ protocol: 'TCP', port: 5432 });
    expect(Port.MYSQL.toJson()).toEqual({ protocol: 'TCP', port: 3306 });
    expect(Port.REDIS.toJson()).toEqual({ protocol: 'TCP', port: 6379 });
    expect(Port.MONGODB.toJson()).toEqual({ protocol: 'TCP', port: 27017 });
  });

  describe('bad input', () => {
    test.each([0, -1, 65536, 70000, 80.5, NaN])('port %p is out of range', (n) => {
      expect(() => Port.tcp(n)).toThrow(`Port.tcp(${n}): port ${n} is out of range: a port must be an integer in the range 1-65535. Use Port.allTcp() for every TCP port`);
    });

    test('range ends before it starts', () => {
      expect(() => Port.tcpRange(9000, 8000)).toThrow('Port.tcpRange(9000, 8000): the range ends (endPort 8000) before it starts (port 9000). Write Port.tcpRange(8000, 9000)');
    });

    test('range ends out of range', () => {
      expect(() => Port.udpRange(1000, 70000)).toThrow('Port.udpRange(1000, 70000): port 70000 is out of range');
    });

    test.each([
      ['', 'must not be empty'],
      ['http-metrics-port', 'must be at most 15 characters (it has 17)'],
      ['HTTP', "must be lowercase letters, digits and '-'"],
      ['-http', "must be lowercase letters, digits and '-', not starting or ending with '-'"],
      ['http-', "must be lowercase letters, digits and '-', not starting or ending with '-'"],
      ['my--port', "must not contain '--'"],
      ['8080', 'must contain at least one letter'],
      ['web_port', "must be lowercase letters, digits and '-'"],
    ])('invalid port name %p', (name, rule) => {
      expect(() => Port.named(name)).toThrow(`Port.named('${name}'): port name '${name}' ${rule}`);
    });
  });

  describe('isCoveredBy', () => {
    test.each([
      [Port.tcp(80), Port.allTcp(), true],
      [Port.tcp(80), Port.allUdp(), false],
      [Port.tcp(80), Port.allPorts(), true],
      [Port.tcp(8080), Port.tcpRange(8000, 8100), true],
      [Port.tcpRange(8000, 8200), Port.tcpRange(8000, 8100), false],
      [Port.named('http'), Port.named('http'), true],
      [Port.named('http'), Port.tcp(80), false],
      [Port.tcp(80), Port.named('http'), false],
      [Port.allTcp(), Port.tcp(80), false],
      [Port.allPorts(), Port.allTcp(), false],
    ])('%s covered by %s: %p', (a, b, expected) => {
      expect(a.isCoveredBy(b)).toBe(expected);
    });
  });
});
