import { pod, policy } from './helpers';
import { Reachability } from '../../src/analyzer';
import { splitAddressSpace } from '../../src/analyzer/external-nodes';
import { ParsedCidr, parseCidr } from '../../src/vocabulary/k8s-rules';
import { Port } from '../../src/vocabulary/port';

const cidrs = (...texts: string[]): ParsedCidr[] => texts.map((t) => parseCidr(t) as ParsedCidr);
const ids = (...texts: string[]): string[] => splitAddressSpace(cidrs(...texts)).map((n) => n.id);

describe('splitting the address space into external nodes', () => {
  test('without CIDRs the IPv4 space is one node, and IPv6 is left out', () => {
    expect(ids()).toEqual(['0.0.0.0/0']);
  });

  test('each node is the smallest mentioned CIDR holding it, except the largest ones inside', () => {
    expect(ids('203.0.113.0/24', '203.0.113.7/32', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24')).toEqual([
      '0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24',
      '10.0.0.0/8 except 10.1.0.0/16',
      '10.1.0.0/16 except 10.1.2.0/24',
      '10.1.2.0/24',
      '203.0.113.0/24 except 203.0.113.7/32',
      '203.0.113.7/32',
    ]);
  });

  test('repeated CIDRs and host bits count once, in canonical form', () => {
    expect(ids('10.0.0.0/8', '10.1.2.3/8', '10.0.0.0/8')).toEqual(['0.0.0.0/0 except 10.0.0.0/8', '10.0.0.0/8']);
  });

  test('a CIDR its inner CIDRs cover entirely is no node', () => {
    expect(ids('10.0.0.0/8', '10.0.0.0/9', '10.128.0.0/9')).toEqual(['0.0.0.0/0 except 10.0.0.0/8', '10.0.0.0/9', '10.128.0.0/9']);
  });

  test('an IPv6 CIDR brings in the IPv6 space, split the same way', () => {
    expect(ids('fd00::/8', '0.0.0.0/0')).toEqual(['0.0.0.0/0', '::/0 except fd00::/8', 'fd00::/8']);
  });

  test('sizes add up to the whole space', () => {
    const nodes = splitAddressSpace(cidrs('203.0.113.0/24', '203.0.113.7/32', '10.0.0.0/8', '10.1.0.0/16'));
    expect(nodes.reduce((sum, n) => sum + n.size, 0n)).toBe(2n ** 32n);
  });
});

describe('Reachability: external nodes as endpoints', () => {
  const objects = [
    pod('shop', 'web', { labels: { app: 'web' }, ips: ['10.0.0.5'], ports: [{ name: 'http', containerPort: 8080 }] }),
    pod('shop', 'api', { labels: { app: 'api' }, ips: ['10.0.0.6'] }),
    policy('shop', 'web', {
      podSelector: { matchLabels: { app: 'web' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 'http' }] }],
      egress: [{ to: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.7/32'] } }], ports: [{ port: 443 }] }],
    }),
  ];
  const reach = Reachability.fromManifests(objects);

  test('lists the nodes the policies split the space into', () => {
    expect(reach.externals).toEqual([
      '0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24',
      '10.0.0.0/8',
      '203.0.113.0/24 except 203.0.113.7/32',
      '203.0.113.7/32',
    ]);
  });

  test('an IP address names the pod that has it, else the node holding it', () => {
    expect(reach.resolve('10.0.0.6')).toBe('shop/api');
    expect(reach.resolve('10.9.9.9')).toBe('10.0.0.0/8');
    expect(reach.resolve('203.0.113.7')).toBe('203.0.113.7/32');
    expect(reach.resolve('8.8.8.8')).toBe('0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24');
    // No policy mentions IPv6: its whole space is one node.
    expect(reach.resolve('2001:db8::1')).toBe('::/0');
    expect(reach.resolve('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(() => reach.resolve('203.0.113.0/24')).toThrow("'203.0.113.0/24' is not an external node. External nodes: 0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24; 10.0.0.0/8;");
  });

  test('egress to addresses: only what an ipBlock (or a rule without peers) covers', () => {
    expect(reach.isAllowed('shop/web', '203.0.113.10', Port.tcp(443))).toBe(true);
    expect(reach.isAllowed('shop/web', '203.0.113.7', Port.tcp(443))).toBe(false);
    expect(reach.isAllowed('shop/web', '8.8.8.8', Port.tcp(443))).toBe(false);
    expect(reach.allowedPorts('shop/web', '203.0.113.0/24 except 203.0.113.7/32')).toEqual([{ protocol: 'TCP', startPort: 443, endPort: 443 }]);
    // api is not isolated for egress: every address, every port.
    expect(reach.allowedPorts('shop/api', '8.8.8.8')).toHaveLength(3);
  });

  test('ingress from addresses, with named ports resolved on the destination pod', () => {
    expect(reach.allowedPorts('8.8.8.8', 'shop/web')).toEqual([{ protocol: 'TCP', startPort: 8080, endPort: 8080 }]);
    expect(reach.isAllowed('10.1.1.1', 'shop/web', Port.tcp(8080))).toBe(false);
    // The pod with that IP is judged as the pod (the ipBlock matches pod IPs too).
    expect(reach.isAllowed('10.0.0.6', 'shop/web', Port.tcp(8080))).toBe(false);
  });

  test('a named port towards an address outside the cluster is refused', () => {
    expect(() => reach.isAllowed('shop/web', '8.8.8.8', Port.named('http'))).toThrow('a named port resolves on the destination pod\'s container ports, and 0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24 is outside the cluster; use a numeric port');
  });

  test('explain says the node, the address and that nothing outside the cluster enforces', () => {
    const e = reach.explain('shop/web', '8.8.8.8', Port.tcp(443));
    expect(e.to).toBe('0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24');
    expect(e.toAddress).toBe('8.8.8.8');
    expect(e.toExternal).toBe(true);
    expect(e.ingress.external).toBe(true);
    expect(e.text).toBe([
      'DENIED: shop/web -> 8.8.8.8 (external node 0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24) on 443/TCP',
      '  deny egress of shop/web: NetworkPolicy tier: isolated by shop/web; no rule allows it. Nearest miss: NetworkPolicy shop/web egress[0]: no peer matches the destination: ipBlock 203.0.113.0/24 except 203.0.113.7/32: 0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24 is outside it',
      '  ok   ingress of 0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24: outside the cluster, where no policy is enforced, so everything is allowed',
    ].join('\n'));
    const byPodIp = reach.explain('10.0.0.6', 'shop/web', Port.tcp(8080));
    expect(byPodIp.from).toBe('shop/api');
    expect(byPodIp.text.split('\n')[0]).toBe('DENIED: 10.0.0.6 (pod shop/api) -> shop/web on 8080/TCP');
    expect(byPodIp.ingress.nearestMiss?.reasons).toEqual(['no peer matches the source: ipBlock 0.0.0.0/0 except 10.0.0.0/8: shop/api has IP 10.0.0.6, outside it']);
  });

  test('a selector peer never matches an address, a rule without peers always does', () => {
    const r = Reachability.fromManifests([
      pod('a', 'x', { labels: { app: 'x' } }),
      policy('a', 'x', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }, { ports: [{ port: 53, protocol: 'UDP' }] }] }),
    ]);
    expect(r.isAllowed('a/x', '1.1.1.1', Port.tcp(443))).toBe(false);
    expect(r.isAllowed('a/x', '1.1.1.1', Port.udp(53))).toBe(true);
    // The nearest miss is the rule that only lacks the port; the selector rule misses the peer.
    expect(r.explain('a/x', '1.1.1.1', Port.tcp(443)).egress.nearestMiss?.ruleIndex).toBe(1);
    const selectorOnly = Reachability.fromManifests([pod('a', 'x'), policy('a', 'x', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {} }] }] })]);
    expect(selectorOnly.explain('a/x', '1.1.1.1', Port.tcp(443)).egress.nearestMiss?.reasons).toEqual([
      'no peer matches the destination: a pod or namespace selector matches pods only, and 0.0.0.0/0 is outside the cluster',
    ]);
  });

  test('one IP on several pods (host network) is ambiguous', () => {
    const r = Reachability.fromManifests([pod('a', 'x', { ips: ['192.168.0.1'] }), pod('a', 'y', { ips: ['192.168.0.1'] })]);
    expect(() => r.resolve('192.168.0.1')).toThrow('IP 192.168.0.1 is the address of several pods (a/x, a/y; host-network pods share their node\'s IP). Name the pod as namespace/name');
  });

  test('externalsOverlapping: the nodes sharing an address with a CIDR', () => {
    expect(reach.externalsOverlapping('0.0.0.0/0')).toEqual(reach.externals);
    expect(reach.externalsOverlapping('203.0.0.0/8')).toEqual(['0.0.0.0/0 except 10.0.0.0/8, 203.0.113.0/24', '203.0.113.0/24 except 203.0.113.7/32', '203.0.113.7/32']);
    expect(reach.externalsOverlapping('203.0.113.7/32')).toEqual(['203.0.113.7/32']);
    expect(reach.externalsOverlapping('10.1.0.0/16')).toEqual(['10.0.0.0/8']);
    expect(reach.externalsOverlapping('fd00::/8')).toEqual(['::/0']);
  });

  test('the matrix answers for external nodes and addresses too', () => {
    const m = reach.matrix(Port.tcp(443));
    expect(m.isAllowed('shop/web', '203.0.113.10')).toBe(true);
    expect(m.isAllowed('shop/web', '203.0.113.7/32')).toBe(false);
    expect(m.isAllowed('8.8.8.8', 'shop/api')).toBe(true);
    expect(() => m.isAllowed('shop/web', '2001:db8::1')).toThrow('no policy mentions an IPv6 CIDR');
    expect(m.pods).toEqual(['shop/web', 'shop/api']);
  });
});
