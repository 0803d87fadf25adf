import { Chart, Testing } from 'cdk8s';
import { DnsResolver, LabelSelector, Peer, Workload } from '../../src';

/** Renders a peer (one entry) as seen from a rule about pods in `context`, for a policy in `policyNamespace`. */
function render(peer: Peer, context = 'shop', policyNamespace = context): any {
  const entries = peer._resolve(context, new Chart(Testing.app(), 'c')).render(policyNamespace);
  expect(entries).toHaveLength(1);
  return entries[0];
}

const web = LabelSelector.matchLabels({ app: 'web' });

describe('Peer', () => {
  test('pods: a pod selector in the namespace of the rule', () => {
    expect(render(Peer.pods(web))).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
  });

  test('pods seen from a policy in another namespace select their namespace by name', () => {
    expect(render(Peer.pods(web), 'shop', 'data')).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
      podSelector: { matchLabels: { app: 'web' } },
    });
  });

  test('podsIn: pod and namespace selectors in ONE entry (AND)', () => {
    expect(render(Peer.podsIn('monitoring', LabelSelector.matchLabels({ app: 'prometheus' })))).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
      podSelector: { matchLabels: { app: 'prometheus' } },
    });
  });

  test('podsIn the policy\'s own namespace is a plain pod selector', () => {
    expect(render(Peer.podsIn('shop', web))).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
  });

  test('namespace by name uses kubernetes.io/metadata.name', () => {
    expect(render(Peer.namespace('ingress-nginx'))).toEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } });
    expect(render(Peer.namespace('shop'))).toEqual({ podSelector: {} });
  });

  test('namespaces by selector, all namespaces, and combined selectors', () => {
    const team = LabelSelector.matchLabels({ team: 'payments' });
    expect(render(Peer.namespaces(team))).toEqual({ namespaceSelector: { matchLabels: { team: 'payments' } } });
    expect(render(Peer.allNamespaces())).toEqual({ namespaceSelector: {} });
    expect(render(Peer.podsInNamespaces(web, team))).toEqual({ namespaceSelector: { matchLabels: { team: 'payments' } }, podSelector: { matchLabels: { app: 'web' } } });
  });

  test('workload peers carry their namespace and are in-cluster workloads', () => {
    const resolved = Peer.workload(Workload.fromLabels({ app: 'api' }, { namespace: 'backend' }))._resolve('shop', new Chart(Testing.app(), 'c'));
    expect(resolved.render('shop')[0]).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backend' } },
      podSelector: { matchLabels: { app: 'api' } },
    });
    expect(resolved.workload?.namespace).toBe('backend');
  });

  test('namespace and IP peers are not workloads (no other side is written for them)', () => {
    const chart = new Chart(Testing.app(), 'c');
    expect(Peer.namespace('x')._resolve('shop', chart).workload).toBeUndefined();
    expect(Peer.ipv4('10.0.0.0/8')._resolve('shop', chart).workload).toBeUndefined();
    expect(Peer.pods(web)._resolve('shop', chart).workload?.namespace).toBe('shop');
  });

  test('ipv4 and ipv6 blocks with except, canonical and sorted', () => {
    expect(render(Peer.ipv4('10.0.0.0/8', ['10.2.0.0/16', '10.1.0.0/16', '10.1.0.0/16']))).toEqual({ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.0.0/16'] } });
    expect(render(Peer.ipv6('2001:DB8::/32', ['2001:db8:1::/48']))).toEqual({ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } });
    expect(render(Peer.anyIpv4())).toEqual({ ipBlock: { cidr: '0.0.0.0/0' } });
    expect(render(Peer.anyIpv6())).toEqual({ ipBlock: { cidr: '::/0' } });
    expect(render(Peer.anyPublicIpv4())).toEqual({
      ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'] },
    });
  });

  describe('bad input', () => {
    test.each([
      ['10.0.0.0', "CIDR '10.0.0.0' must be in CIDR notation"],
      ['10.0.0.256/8', "CIDR '10.0.0.256/8' has an invalid IP address '10.0.0.256'"],
      ['10.0.0.0/33', "has an invalid prefix length '/33' (IPv4 allows /0 to /32)"],
      ['10.1.2.3/8', "CIDR '10.1.2.3/8' has host bits set beyond /8. Write '10.0.0.0/8' for the network, or /32 for one address"],
      ['fd00::/8', "CIDR 'fd00::/8' is IPv6. Use Peer.ipv6('fd00::/8')"],
      ['0.0.0.0/0', '0.0.0.0/0 is every IPv4 address, pods and nodes included. Say so with Peer.anyIpv4() if that is what you mean'],
    ])('ipv4(%p)', (cidr, message) => {
      expect(() => Peer.ipv4(cidr)).toThrow(message);
    });

    test('ipv6 checks the family and ::/0', () => {
      expect(() => Peer.ipv6('10.0.0.0/8')).toThrow("CIDR '10.0.0.0/8' is IPv4. Use Peer.ipv4('10.0.0.0/8')");
      expect(() => Peer.ipv6('::/0')).toThrow('Say so with Peer.anyIpv6()');
    });

    test.each([
      ['10.0.0.0/8', 'must be a strict subset of the cidr 10.0.0.0/8'],
      ['10.0.0.0/7', 'must be a strict subset of the cidr 10.0.0.0/8'],
      ['10.0.0.1/16', "CIDR '10.0.0.1/16' has host bits set"],
      ['11.0.0.0/16', 'must be a strict subset of the cidr 10.0.0.0/8'],
      ['fd00::/16', "is IPv6. Use Peer.ipv6('fd00::/16')"],
      ['nonsense', "CIDR 'nonsense' must be in CIDR notation"],
    ])('except %p', (except, message) => {
      expect(() => Peer.ipv4('10.0.0.0/8', [except])).toThrow(message);
    });

    test('namespace names', () => {
      expect(() => Peer.namespace('Shop')).toThrow("Peer.namespace('Shop'): namespace name 'Shop' must be a DNS-1123 label");
      expect(() => Peer.podsIn('x'.repeat(64), web)).toThrow('must be at most 63 characters (it has 64)');
    });
  });
});

describe('DnsResolver', () => {
  const rules = (dns: DnsResolver) => dns._rules().map((r) => ({ to: render(r.peer), ports: r.ports.map((p) => p.toString()) }));

  test('kubeDns: k8s-app=kube-dns in kube-system on 53/UDP and 53/TCP', () => {
    expect(rules(DnsResolver.kubeDns())).toEqual([{
      to: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
      ports: ['53/UDP', '53/TCP'],
    }]);
  });

  test('nodeLocal: the link-local address plus kube-dns', () => {
    expect(rules(DnsResolver.nodeLocal()).map((r) => r.to)).toEqual([
      { ipBlock: { cidr: '169.254.20.10/32' } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } },
    ]);
    expect(rules(DnsResolver.nodeLocal('fd00::10'))[0].to).toEqual({ ipBlock: { cidr: 'fd00::10/128' } });
  });

  test('openShift: openshift-dns pods on 5353', () => {
    expect(rules(DnsResolver.openShift())).toEqual([{
      to: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } }, podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } } },
      ports: ['5353/UDP', '5353/TCP'],
    }]);
  });

  test('custom and none', () => {
    expect(DnsResolver.none().isNone).toBe(true);
    expect(() => DnsResolver.custom([], [])).toThrow('DnsResolver.custom(): needs at least one peer and one port. Name them, or use DnsResolver.none() for no DNS at all');
  });
});
