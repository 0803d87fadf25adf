import { readFileSync } from 'fs';
import * as path from 'path';
import { findings, run } from './run-rules';
import { ClusterModel, LoadedObject } from '../../src/analyzer/cluster-model';
import { FindingSeverity, NetworkPolicyFindings } from '../../src/findings';
import { analyzeFindings } from '../../src/findings/finding-rules';
import { namespace, pod, policy } from '../analyzer/helpers';

const web = pod('shop', 'web', { labels: { app: 'web' }, ports: [{ name: 'http', containerPort: 8080 }] });
const api = pod('shop', 'api', { labels: { app: 'api' }, ports: [{ name: 'http', containerPort: 9000 }] });
const DNS_EGRESS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};
const denyAll = policy('shop', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [DNS_EGRESS] });

describe('NP001/NP002 pods without isolation', () => {
  test('fire per direction for pods no policy isolates', () => {
    const ingressOnly = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    expect(run(['NP001', 'NP002'], [web, api, ingressOnly])).toEqual(['NP001 shop/api', 'NP002 shop/web', 'NP002 shop/api']);
  });

  test('do not fire when a default deny isolates both directions', () => {
    expect(run(['NP001', 'NP002'], [web, api, denyAll])).toEqual([]);
  });

  test('name the workload kind and what is open', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } } };
    expect(findings(['NP001'], [deployment])[0]).toMatchObject({
      severity: FindingSeverity.WARNING,
      objects: ['Deployment shop/web'],
      message: "Deployment shop/web is not isolated for ingress: no NetworkPolicy in 'shop' selects it with Ingress in policyTypes, so every pod and address may connect to it",
    });
  });
});

describe('NP003/NP004 namespaces without a default deny', () => {
  test('fire for namespaces with pods or declared, per missing direction', () => {
    const ingressDeny = policy('shop', 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(run(['NP003', 'NP004'], [web, namespace('empty'), ingressDeny])).toEqual(['NP003 empty', 'NP004 empty', 'NP004 shop']);
  });

  test('a namespace-wide deny with exceptions (DNS) counts; a namespace-wide allow-all does not', () => {
    expect(run(['NP003', 'NP004'], [web, denyAll])).toEqual([]);
    const allowAll = policy('shop', 'allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
    expect(run(['NP003', 'NP004'], [web, allowAll])).toEqual(['NP003 shop', 'NP004 shop']);
  });

  test('a deny that selects some pods only is not a default deny', () => {
    const webOnly = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'] });
    expect(run(['NP003', 'NP004'], [web, webOnly])).toEqual(['NP003 shop', 'NP004 shop']);
  });
});

describe('NP005 policies that select no pod', () => {
  test('fires for a podSelector that matches no pod, naming the pods there', () => {
    const typo = policy('shop', 'wbe', { podSelector: { matchLabels: { app: 'wbe' } }, policyTypes: ['Ingress'] });
    const [f] = findings(['NP005'], [web, typo]);
    expect(f).toMatchObject({ id: 'NP005', subject: 'shop/wbe', objects: ['NetworkPolicy shop/wbe'] });
    expect(f.message).toBe("NetworkPolicy 'shop/wbe': spec.podSelector (app=wbe) matches no pod in namespace 'shop' (its pods: web {app=web}), so the policy does nothing");
  });

  test('in a namespace whose pods the manifests do not hold, says the policy may isolate pods deployed there', () => {
    const kafka = policy('kafka', 'kafka-netpol', { podSelector: { matchLabels: { app: 'kafka' } }, policyTypes: ['Ingress'] });
    const [f] = findings(['NP005'], [web, namespace('kafka'), kafka]);
    expect(f).toMatchObject({ id: 'NP005', subject: 'kafka/kafka-netpol', objects: ['NetworkPolicy kafka/kafka-netpol'] });
    expect(f.message).toBe("NetworkPolicy 'kafka/kafka-netpol': spec.podSelector (app=kafka) matches no pod of the manifests: it may isolate pods of namespace 'kafka', which the manifests do not hold");
    expect(f.fix).toMatch(/^If the policy is meant for pods deployed elsewhere, make sure the owner of 'kafka' wants it \(its other clients are cut off\)/);
  });

  test('does not fire when it matches, nor for podSelector {} in an empty namespace', () => {
    const ok = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] });
    const wide = policy('empty', 'deny', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(run(['NP005'], [web, ok, wide])).toEqual([]);
  });
});

describe('NP006/NP007 peers that match nothing', () => {
  const from = (peer: any) => policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [peer] }] });

  test('NP006: a pod label typo in the policy namespace', () => {
    const [f] = findings(['NP006', 'NP007'], [web, api, from({ podSelector: { matchLabels: { app: 'wbe' } } })]);
    expect(f).toMatchObject({ id: 'NP006', severity: FindingSeverity.WARNING, subject: 'shop/api' });
    expect(f.message).toBe("NetworkPolicy 'shop/api': spec.ingress[0].from[0] (podSelector app=wbe) matches no pod in namespace 'shop', so the rule allows nothing through it");
  });

  test('NP006: a namespace named by kubernetes.io/metadata.name that the manifests hold', () => {
    const peer = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'nope' } } };
    expect(run(['NP006', 'NP007'], [web, api, from(peer)])).toEqual(['NP006 shop/api']);
  });

  test('NP007: a namespace the manifests do not hold, or one selected by other labels', () => {
    const named = { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } };
    const labelled = { namespaceSelector: { matchLabels: { team: 'ops' } } };
    const fs = findings(['NP006', 'NP007'], [web, api, from(named), policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ from: [labelled] }] })]);
    expect(fs.map((f) => `${f.id} ${f.subject} ${f.severity}`)).toEqual(['NP007 shop/api info', 'NP007 shop/web info']);
    expect(fs[0].message).toContain("may match pods in namespace 'monitoring', which the manifests do not hold");
  });

  test('neither fires for a matching peer, an ipBlock, or the cluster DNS', () => {
    const objects = [web, api,
      from({ podSelector: { matchLabels: { app: 'web' } } }),
      policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [DNS_EGRESS, { to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] })];
    expect(run(['NP006', 'NP007'], objects)).toEqual([]);
  });
});

describe('NP008/NP009 egress isolation that blocks DNS', () => {
  const isolate = (egress: any[]) => policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress });

  test('fire for UDP and TCP separately', () => {
    expect(run(['NP008', 'NP009'], [web, api, isolate([])])).toEqual(['NP008 shop/web', 'NP009 shop/web']);
    const udpOnly = { ...DNS_EGRESS, ports: [{ port: 53, protocol: 'UDP' }] };
    const [f] = findings(['NP008', 'NP009'], [web, isolate([udpOnly])]);
    expect(f).toMatchObject({ id: 'NP009', severity: FindingSeverity.WARNING, objects: ['Pod shop/web', 'NetworkPolicy shop/web'] });
    expect(f.message).toBe("Pod shop/web is isolated for egress by shop/web and no egress rule reaches the cluster DNS (pods k8s-app=kube-dns in 'kube-system') on 53/TCP, so DNS answers too large for UDP fail");
    expect(findings(['NP008'], [web, isolate([])])[0].severity).toBe(FindingSeverity.ERROR);
  });

  test('do not fire when DNS is reached, by selectors, named ports, or port only; nor for unisolated pods', () => {
    expect(run(['NP008', 'NP009'], [web, api, isolate([DNS_EGRESS])])).toEqual([]);
    expect(run(['NP008', 'NP009'], [web, isolate([{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'dns-tcp' }] }])])).toEqual([]);
    expect(run(['NP008', 'NP009'], [web, isolate([{ ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }])])).toEqual([]);
  });

  test('a rule to kube-dns in the wrong namespace does not count', () => {
    const wrong = { ...DNS_EGRESS, to: [{ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] };
    expect(run(['NP008', 'NP009'], [web, isolate([wrong])])).toEqual(['NP008 shop/web', 'NP009 shop/web']);
  });

  test('clusterDns: NodeLocal DNSCache reached by its address, OpenShift on 5353', () => {
    const nodeLocal = isolate([{ to: [{ ipBlock: { cidr: '169.254.20.10/32' } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53 }] }]);
    expect(run(['NP008', 'NP009'], [web, nodeLocal])).toEqual(['NP008 shop/web', 'NP009 shop/web']);
    expect(run(['NP008', 'NP009'], [web, nodeLocal], { clusterDns: { ips: ['169.254.20.10'] } })).toEqual([]);
    const openShift = isolate([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'openshift-dns' } }, podSelector: { matchLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' } } }],
      ports: [{ port: 5353, protocol: 'UDP' }, { port: 5353 }],
    }]);
    const options = { clusterDns: { namespace: 'openshift-dns', podLabels: { 'dns.operator.openshift.io/daemonset-dns': 'default' }, port: 5353 } };
    expect(run(['NP008', 'NP009'], [web, openShift], options)).toEqual([]);
    expect(run(['NP008', 'NP009'], [web, openShift])).toEqual(['NP008 shop/web', 'NP009 shop/web']);
  });

  test('the DNS pods themselves are not checked', () => {
    const coredns = pod('kube-system', 'coredns', { labels: { 'k8s-app': 'kube-dns' } });
    const deny = policy('kube-system', 'deny', { podSelector: {}, policyTypes: ['Egress'] });
    expect(run(['NP008', 'NP009'], [coredns, deny])).toEqual([]);
  });
});

describe('NP010/NP011 policyTypes surprises', () => {
  test('NP010: egress rules under policyTypes [Ingress], ingress rules under [Egress]', () => {
    const ignored = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], egress: [{ to: [{ podSelector: {} }] }] });
    const [f] = findings(['NP010'], [web, ignored]);
    expect(f).toMatchObject({ id: 'NP010', severity: FindingSeverity.ERROR, subject: 'shop/web' });
    expect(f.message).toBe("NetworkPolicy 'shop/web' has 1 egress rule but policyTypes [Ingress] does not list Egress, so Kubernetes ignores it");
    const ignoredIngress = policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Egress'], ingress: [{}, {}] });
    expect(findings(['NP010'], [api, ignoredIngress])[0].message).toContain('has 2 ingress rules but policyTypes [Egress] does not list Ingress, so Kubernetes ignores them');
  });

  test('NP010 does not fire when the direction is listed or defaulted', () => {
    const listed = policy('shop', 'web', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
    const defaulted = policy('shop', 'api', { podSelector: {}, egress: [{}] });
    expect(run(['NP010'], [web, listed, defaulted])).toEqual([]);
  });

  test('NP011: egress rules without policyTypes also isolate ingress', () => {
    const defaulted = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, egress: [DNS_EGRESS] });
    expect(run(['NP011'], [web, defaulted])).toEqual(['NP011 shop/web']);
  });

  test('NP011: policyTypes [] is defaulted like a missing one, so it fires too', () => {
    const empty = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: [], egress: [DNS_EGRESS] });
    expect(run(['NP011'], [web, empty])).toEqual(['NP011 shop/web']);
  });

  test('NP011 does not fire with explicit policyTypes, with ingress rules, or without egress rules', () => {
    const explicit = policy('shop', 'a', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], egress: [DNS_EGRESS] });
    const both = policy('shop', 'b', { podSelector: {}, ingress: [{}], egress: [DNS_EGRESS] });
    const ingressOnly = policy('shop', 'c', { podSelector: {} });
    expect(run(['NP011'], [web, explicit, both, ingressOnly])).toEqual([]);
  });
});

describe('NP012-NP015 peers wider than they look', () => {
  const ingress = (name: string, rules: any[]) => policy('shop', name, { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: rules });

  test('NP012: an empty namespaceSelector, alone or with pod labels', () => {
    const fs = findings(['NP012'], [api, ingress('all', [{ from: [{ namespaceSelector: {} }] }]), ingress('labelled', [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } }] }])]);
    expect(fs.map((f) => f.message)).toEqual([
      "NetworkPolicy 'shop/all': spec.ingress[0].from[0] has an empty namespaceSelector {}, which admits every pod in every namespace of the cluster",
      "NetworkPolicy 'shop/labelled': spec.ingress[0].from[0] has an empty namespaceSelector {}, which admits pods labelled app=web in every namespace of the cluster",
    ]);
  });

  test('NP013: podSelector {} alone, info', () => {
    const fs = findings(['NP012', 'NP013'], [api, ingress('ns', [{ from: [{ podSelector: {} }] }])]);
    expect(fs.map((f) => `${f.id} ${f.severity}`)).toEqual(['NP013 info']);
  });

  test('NP012/NP013 do not fire for named namespaces and labelled pods', () => {
    const objects = [api, ingress('ok', [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: {} }, { podSelector: { matchLabels: { app: 'web' } } }] }])];
    expect(run(['NP012', 'NP013'], objects)).toEqual([]);
  });

  test('NP014: namespaceSelector and podSelector as two peers of one rule', () => {
    const split = ingress('split', [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }, { podSelector: { matchLabels: { role: 'monitoring' } } }] }]);
    const [f] = findings(['NP014'], [api, split]);
    expect(f.message).toBe("NetworkPolicy 'shop/split': spec.ingress[0] lists namespaceSelector team=ops (spec.ingress[0].from[0]) and podSelector role=monitoring (spec.ingress[0].from[1]) as separate peers, which are ORed: every pod in the matching namespaces, or pods role=monitoring in 'shop'");
    expect(f.fix).toContain("remove the '-' before podSelector");
  });

  test('NP014 does not fire for one combined peer, or for the two in separate rules', () => {
    const combined = ingress('one', [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { role: 'monitoring' } } }] }]);
    const separate = ingress('two', [{ from: [{ namespaceSelector: { matchLabels: { team: 'ops' } } }] }, { from: [{ podSelector: { matchLabels: { role: 'monitoring' } } }] }]);
    expect(run(['NP014'], [api, combined, separate])).toEqual([]);
  });

  test('NP015: a rule without peers; not for a rule with peers', () => {
    expect(findings(['NP015'], [api, ingress('open', [{ ports: [{ port: 9000 }] }])]).map((f) => f.message)).toEqual([
      "NetworkPolicy 'shop/open': spec.ingress[0] has no from, so it admits every source, in and outside the cluster, on its ports",
    ]);
    expect(run(['NP015'], [api, ingress('closed', [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }])])).toEqual([]);
  });
});

describe('NP016 ipBlocks over the cluster ranges', () => {
  const egress = (block: any) => policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: block }] }] });
  const cidrs = { podCidrs: ['10.244.0.0/16'], serviceCidrs: ['10.96.0.0/12'] };

  test('fires for 0.0.0.0/0, naming every range it covers', () => {
    const [f] = findings(['NP016'], [web, egress({ cidr: '0.0.0.0/0' })], cidrs);
    expect(f.message).toBe("NetworkPolicy 'shop/web': spec.egress[0].to[0] ipBlock 0.0.0.0/0 covers the cluster's pod range 10.244.0.0/16 and Service range 10.96.0.0/12");
    expect(f.fix).toContain('Exclude 10.244.0.0/16 and 10.96.0.0/12 with ipBlock.except');
  });

  test('fires for a block inside the pod range, and when except leaves a range uncovered', () => {
    expect(run(['NP016'], [web, egress({ cidr: '10.244.3.0/24' })], cidrs)).toEqual(['NP016 shop/web']);
    const [f] = findings(['NP016'], [web, egress({ cidr: '10.0.0.0/8', except: ['10.244.0.0/16'] })], cidrs);
    expect(f.message).toContain('covers the cluster\'s Service range 10.96.0.0/12');
  });

  test('does not fire when except excludes the ranges, for other addresses, or without CIDRs', () => {
    expect(run(['NP016'], [web, egress({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] })], cidrs)).toEqual([]);
    expect(run(['NP016'], [web, egress({ cidr: '203.0.113.0/24' })], cidrs)).toEqual([]);
    expect(run(['NP016'], [web, egress({ cidr: '0.0.0.0/0' })])).toEqual([]);
    expect(run(['NP016'], [web, egress({ cidr: '::/0' })], cidrs)).toEqual([]);
  });

  test('IPv6 pod ranges', () => {
    expect(run(['NP016'], [web, egress({ cidr: '::/0' })], { podCidrs: ['fd00:10:244::/56'] })).toEqual(['NP016 shop/web']);
  });

  test('a bad CIDR option is an error naming the option', () => {
    expect(() => run(['NP016'], [web], { podCidrs: ['10.244.0.0/33'] })).toThrow(/^FindingOptions.podCidrs: '10.244.0.0\/33' /);
  });
});

describe('NP017-NP019 ports', () => {
  test('NP017: a named port no selected pod declares (ingress) or no destination declares (egress)', () => {
    const ingress = policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'metrics' }] }] });
    const egress = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'grpc' }] }] });
    const fs = findings(['NP017'], [web, api, ingress, egress]);
    expect(fs.map((f) => f.message)).toEqual([
      "NetworkPolicy 'shop/api': spec.ingress[0] names port 'metrics'/TCP, but no selected pod declares a TCP container port of that name (shop/api), so it allows nothing",
      "NetworkPolicy 'shop/web': spec.egress[0] names port 'grpc'/TCP, but no destination pod declares a TCP container port of that name (shop/api), so it allows nothing",
    ]);
  });

  test('NP017 does not fire when a destination declares it, for another protocol match, or with no known destination', () => {
    const declared = policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http' }] }] });
    const unknown = policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { team: 'x' } } }], ports: [{ port: 'grpc' }] }] });
    expect(run(['NP017'], [web, api, declared, unknown])).toEqual([]);
    const udp = policy('shop', 'api2', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 'http', protocol: 'UDP' }] }] });
    expect(run(['NP017'], [api, udp])).toEqual(['NP017 shop/api2']);
  });

  test('NP018 endPort and NP019 SCTP, once per rule', () => {
    const ranges = policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9000, endPort: 9010 }, { port: 7000, protocol: 'SCTP' }] }] });
    const fs = findings(['NP018', 'NP019'], [api, ranges]);
    expect(fs.map((f) => f.message)).toEqual([
      "NetworkPolicy 'shop/api': spec.ingress[0] uses a port range (9000-9010/TCP); CNIs that do not support endPort treat it as the first port only",
      "NetworkPolicy 'shop/api': spec.ingress[0] uses SCTP (7000/SCTP); some CNIs do not support SCTP and ignore or reject the rule",
    ]);
  });

  test('NP018/NP019 do not fire for single TCP and UDP ports', () => {
    const plain = policy('shop', 'api', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 9000 }, { port: 53, protocol: 'UDP' }] }] });
    expect(run(['NP018', 'NP019'], [api, plain])).toEqual([]);
  });
});

describe('NP020 flows allowed at one side only', () => {
  const apiIngress = (ports: any[]) => policy('shop', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports }] });
  const webEgress = (rules: any[]) => policy('shop', 'web-out', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [DNS_EGRESS, ...rules] });
  const toApi = (ports: any[]) => ({ to: [{ podSelector: { matchLabels: { app: 'api' } } }], ports });

  test('fires when ingress admits A but A\'s egress is isolated without it', () => {
    const [f] = findings(['NP020'], [web, api, apiIngress([{ port: 9000 }]), webEgress([])]);
    expect(f).toMatchObject({ subject: 'shop/api-in', objects: ['Pod shop/web', 'Pod shop/api', 'NetworkPolicy shop/api-in', 'NetworkPolicy shop/web-out'] });
    expect(f.message).toBe("shop/api's ingress (shop/api-in) admits shop/web on TCP 9000, but shop/web is isolated for egress by shop/web-out and may not connect to shop/api there, so the flow is blocked");
  });

  test('fires when egress names B but B\'s ingress does not admit A', () => {
    const deny = policy('shop', 'api-deny', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'] });
    const [f] = findings(['NP020'], [web, api, deny, webEgress([toApi([{ port: 9000 }])])]);
    expect(f.message).toBe("shop/web's egress (shop/web-out) allows connecting to shop/api on TCP 9000, but shop/api is isolated for ingress by shop/api-deny and does not admit shop/web there, so the flow is blocked");
  });

  test('fires for the ports only one side allows', () => {
    const fs = findings(['NP020'], [web, api, apiIngress([{ port: 9000 }, { port: 9090 }]), webEgress([toApi([{ port: 'http' }])])]);
    expect(fs.map((f) => f.message)).toEqual([expect.stringContaining('admits shop/web on TCP 9090, but')]);
  });

  test('one finding per granting policy: the pairs it grants in vain are counted and the first five listed', () => {
    const clients = Array.from({ length: 8 }, (_, i) => pod('shop', `client-${i}`, { labels: { role: 'client', n: `${i}` } }));
    const fromClients = policy('shop', 'api-in', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 9000 }] }] });
    // client-0 may connect: its egress allows it. The other seven are isolated without a rule.
    const client0 = policy('shop', 'client-0-out', { podSelector: { matchLabels: { n: '0' } }, policyTypes: ['Egress'], egress: [toApi([{ port: 9000 }])] });
    const others = policy('shop', 'clients-out', { podSelector: { matchLabels: { role: 'client' } }, policyTypes: ['Egress'], egress: [DNS_EGRESS] });
    const all = findings(['NP020'], [api, ...clients, fromClients, client0, others]);
    expect(all).toHaveLength(1);
    const [f] = all;
    expect(f.subject).toBe('shop/api-in');
    expect(f.message).toBe("shop/api-in's ingress admits 7 pairs of pods whose source is isolated for egress without a rule towards the destination, so these flows are blocked: "
      + [1, 2, 3, 4, 5].map((i) => `shop/client-${i} -> shop/api on TCP 9000 (shop/client-${i}'s egress isolated by shop/clients-out)`).join('; ')
      + '; and 2 more');
    expect(f.objects).toEqual(['NetworkPolicy shop/api-in', 'Pod shop/client-1', 'Pod shop/api', 'Pod shop/client-2', 'Pod shop/client-3', 'Pod shop/client-4', 'Pod shop/client-5', 'NetworkPolicy shop/clients-out']);
  });

  test('counts pairs of different pods among replicas a policy grants to each other', () => {
    const replicas = Array.from({ length: 3 }, (_, i) => pod('shop', `web-${i}`, { labels: { app: 'web' } }));
    const peers = policy('shop', 'web-peers', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 7946 }] }] });
    const [f, ...rest] = findings(['NP020'], [...replicas, peers, webEgress([])]);
    expect(rest).toEqual([]);
    // Three pods, each granted the two others: six pairs, a pod to itself is no pair.
    expect(f.message).toBe("shop/web-peers's ingress admits 6 pairs of pods whose source is isolated for egress without a rule towards the destination, so these flows are blocked: "
      + [[0, 1], [0, 2], [1, 0], [1, 2], [2, 0]].map(([a, b]) => `shop/web-${a} -> shop/web-${b} on TCP 7946 (shop/web-${a}'s egress isolated by shop/web-out)`).join('; ')
      + '; and 1 more');
  });

  test('does not fire when both sides allow, when a side is not isolated, or for wildcard peers', () => {
    expect(run(['NP020'], [web, api, apiIngress([{ port: 9000 }]), webEgress([toApi([{ port: 9000 }])])])).toEqual([]);
    expect(run(['NP020'], [web, api, apiIngress([{ port: 9000 }])])).toEqual([]);
    const anyone = policy('shop', 'api-any', { podSelector: { matchLabels: { app: 'api' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: {} }] }, {}] });
    expect(run(['NP020'], [web, api, anyone, webEgress([])])).toEqual([]);
  });
});

describe('rule selection and the public API', () => {
  test('rules by id or name; skipRules; unknown rules are errors listing the known ones', () => {
    const objects = [web];
    expect(run(['NP001', 'pod-without-egress-policy'], objects)).toEqual(['NP001 shop/web', 'NP002 shop/web']);
    const loaded = objects.map((object) => ({ object }));
    expect(analyzeFindings(ClusterModel.fromObjects(loaded), { skipRules: ['NP001', 'NP003', 'NP004'] }).map((f) => f.id)).toEqual(['NP002']);
    expect(() => run(['NP999'], objects)).toThrow(/^FindingOptions.rules: no finding rule 'NP999'. Use a rule's id or name: NP001 \(pod-without-ingress-policy\), /);
  });

  test('NetworkPolicyFindings.rules() lists twenty-seven rules with unique ids and names', () => {
    const rules = NetworkPolicyFindings.rules();
    expect(rules.map((r) => r.id)).toEqual(Array.from({ length: 27 }, (_, i) => `NP${String(i + 1).padStart(3, '0')}`));
    expect(new Set(rules.map((r) => r.rule)).size).toBe(27);
    for (const r of rules) expect(r.summary.length * r.fix.length).toBeGreaterThan(0);
  });

  test('the README\'s findings table is NetworkPolicyFindings.rules(), row for row', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const table = readme.split('\n').filter((line) => /^\| NP\d{3} \|/.test(line));
    expect(table).toEqual(NetworkPolicyFindings.rules().map((r) => `| ${r.id} | \`${r.rule}\` | ${r.severity} | ${r.summary} | ${r.fix} |`));
  });

  test('NetworkPolicyFindings.ofManifests sorts errors first and validates policies', () => {
    const fs = NetworkPolicyFindings.ofManifests([web, policy('shop', 'web', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(fs.map((f) => f.id)).toEqual(['NP008', 'NP001', 'NP003', 'NP009']);
    expect(() => NetworkPolicyFindings.ofManifests([policy('shop', 'bad', { podSelector: {}, policyTypes: ['Sideways'] })])).toThrow(/NetworkPolicy 'shop\/bad' is invalid/);
  });
});

describe('NP021 input the analyzer does not model', () => {
  const antrea = { apiVersion: 'crd.antrea.io/v1beta1', kind: 'NetworkPolicy', metadata: { name: 'l7', namespace: 'shop' }, spec: {} };

  test('fires per unmodelled object, and per unmodelled field, naming it and why', () => {
    const hostNet = { ...web, spec: { ...web.spec, hostNetwork: true } };
    const [object, field] = findings(['NP021'], [antrea, hostNet]);
    expect(object).toMatchObject({
      severity: FindingSeverity.WARNING,
      subject: 'shop/l7',
      objects: ['NetworkPolicy shop/l7'],
      message: 'NetworkPolicy shop/l7 is not modelled, so every verdict ignores it: an Antrea policy: Antrea enforces it in its own tiers, before or after NetworkPolicies, so it can deny or allow flows the verdicts do not show',
    });
    expect(field.message).toMatch(/^spec.hostNetwork of Pod shop\/web is not modelled, so every verdict ignores it: a host-network pod/);
  });

  test('does not fire for v1 NetworkPolicies, pods and other kinds', () => {
    expect(run(['NP021'], [web, api, denyAll, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }])).toEqual([]);
  });

  test('NetworkPolicyFindings.ofManifests reports it', () => {
    expect(NetworkPolicyFindings.ofManifests([web, antrea], { rules: ['NP021'] }).map((f) => `${f.id} ${f.subject}`)).toEqual(['NP021 shop/l7']);
  });
});
