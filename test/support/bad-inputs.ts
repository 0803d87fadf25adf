import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { chartIn } from './cluster';
import {
  AllowDnsEgress, AllowFrom, AllowTo, AlwaysAllowDns, AlwaysAllowMonitoring, AlwaysDenyMetadataEndpoint, BaselineDefaultDeny, ClusterGuardrail,
  ClusterPolicyBackend, ClusterRule, DefaultDeny, DnsResolver, Invariant, LabelExpression, LabelSelector, NetworkPolicyFindings,
  NetworkPolicyGuardrails, NetworkPolicyInvariants, OwnedNamespaces, Peer, PolicyBackend, PolicyDirection, Port,
  Reachability, TenantIsolation, ThreeTierApp, Tier, Workload, ZeroTrustNamespace,
} from '../../src';
import { reachabilityMatchers } from '../../src/testing';

/**
 * Bad inputs as a JavaScript caller writes them (no types to stop them), each with what its
 * rejection must say: the entry (construct path or factory call), the value given and the fix.
 * Each class's `*-input.test.ts` checks its rows; `rejections.test.ts` checks every row's message
 * against the conventions.
 */
export interface BadInput {
  /** The class whose entry is called. */
  readonly entry: string;
  /** What the caller wrote. */
  readonly input: string;
  /** Makes the call in the chart `shop` (namespace `shop`) of a fresh app; synthesizes when the rejection comes at synth. */
  readonly call: (chart: Chart) => unknown;
  /** Fragments of the message, in order: where, the value or rule, the fix. */
  readonly says: string[];
  /** Whether the rejection comes at synth (no manifest check then: synth is what fails). */
  readonly atSynth?: boolean;
  /** Whether the row makes a valid construct before the bad call: its policies are written. */
  readonly writesBefore?: boolean;
}

/** A 100,000-character value. */
export const LONG = 'x'.repeat(100_000);

const js = (value: unknown): any => value;
const web = LabelSelector.matchLabels({ app: 'web' });
const api = Workload.fromLabels({ app: 'api' });
const WORKLOAD_FIX = "Make one with Workload.fromLabels({ app: 'api' })";
const PEER_FIX = "Make one with Peer.pods(LabelSelector.matchLabels({ app: 'web' }))";
const NAMESPACE_FIX = "Use the namespace's name as Kubernetes has it, e.g. 'shop-prod'";
const CIDR_FIX = "Write it as 'address/prefix', e.g. '203.0.113.0/24' or '2001:db8::/32'";
const PROTOCOLS = 'one of Protocol.TCP, Protocol.UDP or Protocol.SCTP';
const flow = { to: api, from: [Peer.pods(web)], ports: [Port.HTTP] };
const tiers = { frontend: Workload.fromLabels({ tier: 'frontend' }), backend: Workload.fromLabels({ tier: 'backend' }), database: Workload.fromLabels({ tier: 'database' }) };
const reach = Reachability.fromManifests([]);
const deny = ClusterRule.deny([Peer.anyIpv4()]);

export const BAD_INPUTS: BadInput[] = [
  // Port
  { entry: 'Port', input: "Port.tcp('80')", call: () => Port.tcp(js('80')), says: ["Port.tcp('80'): ", "port must be a number, got '80'", 'Pass the number 80, without quotes'] },
  { entry: 'Port', input: 'Port.udp()', call: () => js(Port).udp(), says: ['Port.udp(undefined): ', 'port is missing: it must be a number', 'Pass port, e.g. 8080'] },
  { entry: 'Port', input: 'Port.sctp(70000)', call: () => Port.sctp(70000), says: ['Port.sctp(70000): ', 'port 70000 is out of range', 'Use Port.allSctp() for every SCTP port'] },
  { entry: 'Port', input: "Port.tcpRange('1000', 2000)", call: () => Port.tcpRange(js('1000'), 2000), says: ["Port.tcpRange('1000', 2000): ", "from must be a number, got '1000'", 'Pass the number 1000, without quotes'] },
  { entry: 'Port', input: 'Port.udpRange(1000, 70000)', call: () => Port.udpRange(1000, 70000), says: ['Port.udpRange(1000, 70000): ', 'port 70000 is out of range', 'Use Port.allUdp() for every UDP port'] },
  { entry: 'Port', input: 'Port.sctpRange(9000, 8000)', call: () => Port.sctpRange(9000, 8000), says: ['Port.sctpRange(9000, 8000): ', 'the range ends (endPort 8000) before it starts (port 9000)', 'Write Port.sctpRange(8000, 9000)'] },
  { entry: 'Port', input: "Port.named('')", call: () => Port.named(''), says: ["Port.named(''): ", "port name '' must not be empty", "Use the container port's name as written in its spec"] },
  { entry: 'Port', input: 'Port.named(8080)', call: () => Port.named(js(8080)), says: ['Port.named(8080): ', 'name must be a string, got 8080', "Quote it: name '8080'"] },
  { entry: 'Port', input: "Port.named('http', 'tcp')", call: () => Port.named('http', js('tcp')), says: ["Port.named('http'): ", `protocol must be ${PROTOCOLS}, got 'tcp'`, 'Use Protocol.TCP'] },
  { entry: 'Port', input: "Port.named('http', 'QUIC')", call: () => Port.named('http', js('QUIC')), says: ["Port.named('http'): ", "got 'QUIC'", 'Use Protocol.TCP, Protocol.UDP or Protocol.SCTP'] },
  { entry: 'Port', input: 'Port.named(LONG)', call: () => Port.named(LONG), says: ["Port.named('xxx", "…' (100000 characters)): ", 'must be at most 15 characters (it has 100000)', "Use the container port's name"] },
  { entry: 'Port', input: 'Port.tcp(LONG)', call: () => Port.tcp(js(LONG)), says: ["Port.tcp('xxx", "…' (100000 characters)): port must be a number", 'Pass a number, e.g. 8080'] },

  // LabelExpression
  { entry: 'LabelExpression', input: "LabelExpression.in('tier', 'web')", call: () => LabelExpression.in('tier', js('web')), says: ["LabelExpression.in('tier', 'web'): ", "values must be a list of strings, got 'web'", "Wrap it in a list: ['web']"] },
  { entry: 'LabelExpression', input: "LabelExpression.in('tier', [])", call: () => LabelExpression.in('tier', []), says: ["LabelExpression.in('tier', []): ", 'In needs at least one value', "Use LabelExpression.exists('tier') if any value will do"] },
  { entry: 'LabelExpression', input: 'LabelExpression.exists(42)', call: () => LabelExpression.exists(js(42)), says: ['LabelExpression.exists(42): ', 'key must be a string, got 42', "Quote it: key '42'"] },
  { entry: 'LabelExpression', input: "LabelExpression.notIn('bad key', ['x'])", call: () => LabelExpression.notIn('bad key', ['x']), says: ["LabelExpression.notIn('bad key', [\"x\"]): ", "label key 'bad key' must be", "Use a key such as 'app'"] },
  { entry: 'LabelExpression', input: "LabelExpression.in('tier', [LONG])", call: () => LabelExpression.in('tier', [LONG]), says: ["LabelExpression.in('tier', [\"xxx", "label value 'xxx", "…' (100000 characters) must be at most 63 characters", "Use a value such as 'web'"] },

  // LabelSelector
  { entry: 'LabelSelector', input: 'LabelSelector.matchLabels()', call: () => js(LabelSelector).matchLabels(), says: ['LabelSelector.matchLabels(undefined): ', 'labels is missing', "Pass labels, e.g. { app: 'web' }"] },
  { entry: 'LabelSelector', input: "LabelSelector.matchLabels('app=web')", call: () => LabelSelector.matchLabels(js('app=web')), says: ["LabelSelector.matchLabels('app=web'): ", "labels must be an object of label keys and string values, got 'app=web'", "Pass e.g. { app: 'web' }"] },
  { entry: 'LabelSelector', input: 'LabelSelector.matchLabels({ replicas: 3 })', call: () => LabelSelector.matchLabels(js({ replicas: 3 })), says: ['LabelSelector.matchLabels({"replicas":3}): ', "label 'replicas' has the value 3, which is not a string", 'Quote numbers and booleans'] },
  { entry: 'LabelSelector', input: 'LabelSelector.matchLabels({})', call: () => LabelSelector.matchLabels({}), says: ['LabelSelector.matchLabels({}): ', 'an empty selector matches every pod or namespace', 'Give at least one label or expression'] },
  { entry: 'LabelSelector', input: "LabelSelector.matchLabels({ 'bad key': 'x' })", call: () => LabelSelector.matchLabels({ 'bad key': 'x' }), says: ['LabelSelector.matchLabels({"bad key":"x"}): ', "label key 'bad key'", "Use a key such as 'app'"] },
  { entry: 'LabelSelector', input: 'LabelSelector.matchLabels({ app: LONG })', call: () => LabelSelector.matchLabels({ app: LONG }), says: ['LabelSelector.matchLabels({"app":"xxx', "… (100010 characters)): label value 'xxx", "Use a value such as 'web'"] },
  { entry: 'LabelSelector', input: "LabelSelector.of({ label: { app: 'web' } })", call: () => LabelSelector.of(js({ label: { app: 'web' } })), says: ['LabelSelector.of(): ', 'label ({"app":"web"}) is not a prop of options', "Use 'labels'"] },
  { entry: 'LabelSelector', input: "LabelSelector.of({ expressions: 'tier in (web)' })", call: () => LabelSelector.of(js({ expressions: 'tier in (web)' })), says: ['LabelSelector.of(): ', "expressions must be a list of LabelExpressions, got 'tier in (web)'", "Pass e.g. [LabelExpression.in('tier', ['web'])]"] },
  { entry: 'LabelSelector', input: "LabelSelector.of({ expressions: [{ key: 'tier', operator: 'In', values: ['web'] }] })", call: () => LabelSelector.of(js({ expressions: [{ key: 'tier', operator: 'In', values: ['web'] }] })), says: ['LabelSelector.of(): ', 'expressions[0] must be a LabelExpression, got {"key":"tier","operator":"In","values":["web"]}', "Make one with LabelExpression.in('tier', ['web'])"] },
  { entry: 'LabelSelector', input: "LabelSelector.of('app=web')", call: () => LabelSelector.of(js('app=web')), says: ['LabelSelector.of(): ', "options must be an object with labels and expressions, got 'app=web'", "Pass { labels: { app: 'web' } }"] },

  // Peer
  { entry: 'Peer', input: "Peer.pods({ app: 'web' })", call: () => Peer.pods(js({ app: 'web' })), says: ['Peer.pods(): ', 'selector must be a LabelSelector, got {"app":"web"}', "Make one with LabelSelector.matchLabels({ app: 'web' })"] },
  { entry: 'Peer', input: 'Peer.pods()', call: () => js(Peer).pods(), says: ['Peer.pods(): ', 'selector is missing: it must be a LabelSelector', "Pass selector, e.g. LabelSelector.matchLabels({ app: 'web' })"] },
  { entry: 'Peer', input: "Peer.podsIn('shop')", call: () => js(Peer).podsIn('shop'), says: ["Peer.podsIn('shop'): ", 'selector is missing', 'Pass selector, e.g.'] },
  { entry: 'Peer', input: "Peer.podsIn('Shop', selector)", call: () => Peer.podsIn('Shop', web), says: ["Peer.podsIn('Shop'): ", "namespace name 'Shop' must be a DNS-1123 label", NAMESPACE_FIX] },
  { entry: 'Peer', input: 'Peer.namespace()', call: () => js(Peer).namespace(), says: ['Peer.namespace(undefined): ', 'namespace name is missing: it must be a namespace name', "Pass namespace name, e.g. 'shop-prod'"] },
  { entry: 'Peer', input: 'Peer.namespace(LONG)', call: () => Peer.namespace(LONG), says: ["Peer.namespace('xxx", "namespace name 'xxx", 'must be at most 63 characters (it has 100000)', NAMESPACE_FIX] },
  { entry: 'Peer', input: "Peer.workload({ app: 'web' })", call: () => Peer.workload(js({ app: 'web' })), says: ['Peer.workload(): ', 'workload must be a Workload, got {"app":"web"}', WORKLOAD_FIX] },
  { entry: 'Peer', input: "Peer.namespaces('prod')", call: () => Peer.namespaces(js('prod')), says: ['Peer.namespaces(): ', "selector must be a LabelSelector, got 'prod'", 'Make one with LabelSelector.matchLabels'] },
  { entry: 'Peer', input: 'Peer.podsInNamespaces(selector)', call: () => js(Peer).podsInNamespaces(web), says: ['Peer.podsInNamespaces(): ', 'namespaces is missing: it must be a LabelSelector', 'Pass namespaces, e.g.'] },
  { entry: 'Peer', input: "Peer.ipv4('10.0.0.0')", call: () => Peer.ipv4('10.0.0.0'), says: ["Peer.ipv4('10.0.0.0'): ", "CIDR '10.0.0.0' must be in CIDR notation", CIDR_FIX] },
  { entry: 'Peer', input: "Peer.ipv4(['10.0.0.0/8'])", call: () => Peer.ipv4(js(['10.0.0.0/8'])), says: ['Peer.ipv4(["10.0.0.0/8"]): ', 'cidr must be a string, got ["10.0.0.0/8"]', "Pass a string, e.g. '203.0.113.0/24'"] },
  { entry: 'Peer', input: "Peer.ipv4('10.0.0.0/8', '10.1.0.0/16')", call: () => Peer.ipv4('10.0.0.0/8', js('10.1.0.0/16')), says: ["Peer.ipv4('10.0.0.0/8'): ", "except must be a list of strings, got '10.1.0.0/16'", "Wrap it in a list: ['10.1.0.0/16']"] },
  { entry: 'Peer', input: "Peer.ipv4('10.0.0.0/8', ['192.168.0.0/16'])", call: () => Peer.ipv4('10.0.0.0/8', ['192.168.0.0/16']), says: ["Peer.ipv4('10.0.0.0/8'): ", "except entry '192.168.0.0/16' must be a strict subset of the cidr 10.0.0.0/8", 'Give except blocks strictly inside 10.0.0.0/8'] },
  { entry: 'Peer', input: "Peer.ipv4('10.0.0.1/8')", call: () => Peer.ipv4('10.0.0.1/8'), says: ["Peer.ipv4('10.0.0.1/8'): ", "CIDR '10.0.0.1/8' has host bits set beyond /8", "Write '10.0.0.0/8' for the network"] },
  { entry: 'Peer', input: "Peer.ipv6('10.0.0.0/8')", call: () => Peer.ipv6('10.0.0.0/8'), says: ["Peer.ipv6('10.0.0.0/8'): ", "CIDR '10.0.0.0/8' is IPv4", "Use Peer.ipv4('10.0.0.0/8')"] },
  { entry: 'Peer', input: "Peer.ipv4('0.0.0.0/0')", call: () => Peer.ipv4('0.0.0.0/0'), says: ["Peer.ipv4('0.0.0.0/0'): ", '0.0.0.0/0 is every IPv4 address', 'Say so with Peer.anyIpv4() if that is what you mean'] },
  { entry: 'Peer', input: "Peer.anyIpv4('10.0.0.0/8')", call: () => Peer.anyIpv4(js('10.0.0.0/8')), says: ['Peer.anyIpv4(): ', "except must be a list of strings, got '10.0.0.0/8'", "Wrap it in a list: ['10.0.0.0/8']"] },
  { entry: 'Peer', input: 'Peer.ipv4(LONG)', call: () => Peer.ipv4(LONG), says: ["Peer.ipv4('xxx", "CIDR 'xxx", "…' (100000 characters) must be in CIDR notation", CIDR_FIX] },
  { entry: 'Peer', input: 'Peer.service({})', call: () => Peer.service(js({})), says: ['Peer.service(): ', 'service must be a Service construct, got {}', 'Pass a Service construct, e.g. a cdk8s-plus Service, a KubeService or an ApiObject of kind Service'] },
  { entry: 'Peer', input: 'Peer.fqdn(42)', call: () => Peer.fqdn(js(42)), says: ['Peer.fqdn(42): ', 'name must be a string, got 42', "Quote it: name '42'"] },
  { entry: 'Peer', input: "Peer.fqdn('api.*.com')", call: () => Peer.fqdn('api.*.com'), says: ["Peer.fqdn('api.*.com'): ", "'*' may only start a name", "Write an exact name ('api.stripe.com')"] },
  { entry: 'Peer', input: "Peer.fqdn('exa_mple.com')", call: () => Peer.fqdn('exa_mple.com'), says: ["Peer.fqdn('exa_mple.com'): ", "the name 'exa_mple.com' must be a DNS-1123 subdomain", "Write a DNS name such as 'api.stripe.com'"] },
  { entry: 'Peer', input: "Peer.fqdn('api.stripe.com', { fallbackCidr: ['203.0.113.0/24'] })", call: () => Peer.fqdn('api.stripe.com', js({ fallbackCidr: ['203.0.113.0/24'] })), says: ["Peer.fqdn('api.stripe.com'): ", 'fallbackCidr (["203.0.113.0/24"]) is not a prop of options', "Use 'fallbackCidrs'"] },
  { entry: 'Peer', input: "Peer.fqdn('api.stripe.com', { fallbackCidrs: ['nope'] })", call: () => Peer.fqdn('api.stripe.com', { fallbackCidrs: ['nope'] }), says: ["Peer.fqdn('api.stripe.com'): ", "fallback CIDR 'nope' must be in CIDR notation", CIDR_FIX] },
  { entry: 'Peer', input: "Peer.kubeApiServer({ port: '6443' })", call: () => Peer.kubeApiServer(js({ port: '6443' })), says: ['Peer.kubeApiServer(): ', "port must be a number, got '6443'", 'Pass the number 6443, without quotes'] },
  { entry: 'Peer', input: 'Peer.kubeApiServer({ port: 0 })', call: () => Peer.kubeApiServer({ port: 0 }), says: ['Peer.kubeApiServer(): ', 'port 0 must be an integer in the range 1-65535', 'Give the port the endpoints listen on'] },
  { entry: 'Peer', input: "Peer.kubeApiServer({ endpoints: '10.0.0.1' })", call: () => Peer.kubeApiServer(js({ endpoints: '10.0.0.1' })), says: ['Peer.kubeApiServer(): ', "endpoints must be a list of strings, got '10.0.0.1'", "Wrap it in a list: ['10.0.0.1']"] },
  { entry: 'Peer', input: "Peer.kubeApiServer({ endpoints: ['10.0.0'] })", call: () => Peer.kubeApiServer({ endpoints: ['10.0.0'] }), says: ['Peer.kubeApiServer(): ', "endpoint '10.0.0' has an invalid IP address '10.0.0'", "Give the API server's endpoint IPs"] },

  // Workload
  { entry: 'Workload', input: "Workload.fromLabels('app=web')", call: () => Workload.fromLabels(js('app=web')), says: ['Workload.fromLabels(): ', "labels must be an object of label keys and string values, got 'app=web'", "Pass e.g. { app: 'web' }"] },
  { entry: 'Workload', input: "Workload.fromLabels({ app: 'web' }, { namespace: 'Shop' })", call: () => Workload.fromLabels({ app: 'web' }, { namespace: 'Shop' }), says: ["Workload.fromSelector('app=web'): ", "namespace 'Shop' must be a DNS-1123 label", NAMESPACE_FIX] },
  { entry: 'Workload', input: "Workload.fromLabels({ app: 'web' }, { namepsace: 'shop' })", call: () => Workload.fromLabels({ app: 'web' }, js({ namepsace: 'shop' })), says: ["Workload.fromSelector('app=web'): ", "namepsace ('shop') is not a prop of options", "Use 'namespace'"] },
  { entry: 'Workload', input: "Workload.fromLabels({ app: 'web' }, { name: 42 })", call: () => Workload.fromLabels({ app: 'web' }, js({ name: 42 })), says: ["Workload.fromSelector('app=web'): ", 'name must be a string, got 42', "Quote it: name '42'"] },
  { entry: 'Workload', input: "Workload.fromSelector({ app: 'web' })", call: () => Workload.fromSelector(js({ app: 'web' })), says: ['Workload.fromSelector(): ', 'selector must be a LabelSelector, got {"app":"web"}', 'Make one with LabelSelector.matchLabels'] },
  { entry: 'Workload', input: 'Workload.allPods(42)', call: () => Workload.allPods(js(42)), says: ['Workload.allPods(42): ', 'namespace must be a string, got 42', "Quote it: namespace '42'"] },
  { entry: 'Workload', input: 'Workload.allPods(LONG)', call: () => Workload.allPods(LONG), says: ["Workload.allPods('xxx", "namespace 'xxx", 'must be at most 63 characters (it has 100000)', NAMESPACE_FIX] },
  { entry: 'Workload', input: "Workload.fromService('api')", call: () => Workload.fromService(js('api')), says: ['Workload.fromService(): ', "service must be a Service construct, got 'api'", 'Pass a Service construct, e.g. a cdk8s-plus Service'] },
  { entry: 'Workload', input: 'Workload.fromService(configMap)', call: (chart) => Workload.fromService(new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap' })), says: ['Workload.fromService(shop/cm): ', 'shop/cm is a ConfigMap (v1), not a v1 Service', 'Pass a cdk8s-plus Service, a KubeService or an ApiObject of kind Service'] },
  { entry: 'Workload', input: "Workload.of('api')", call: () => Workload.of(js('api')), says: ["Workload.of('api'): ", 'the argument is not a cdk8s-plus Pod or workload', 'Pass a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job or Pod'] },
  { entry: 'Workload', input: 'Workload.of(deployment, null)', call: (chart) => Workload.of(deployment(chart), js(null)), says: ['Workload.of(shop/api): ', 'options is null', 'or leave options out'] },
  { entry: 'Workload', input: "Workload.of(deployment, { nmae: 'api' })", call: (chart) => Workload.of(deployment(chart), js({ nmae: 'api' })), says: ['Workload.of(shop/api): ', "nmae ('api') is not a prop of options", "Use 'name'"] },
  { entry: 'Workload', input: "Workload.fromService(service, { name: ['db'] })", call: (chart) => Workload.fromService(service(chart, 'TCP'), js({ name: ['db'] })), says: ['Workload.fromService(shop/db): ', 'name must be a string, got ["db"]', "Pass a string, e.g. 'checkout-api'"] },
  { entry: 'Workload', input: 'DefaultDeny in a chart without a namespace', call: () => new DefaultDeny(new Chart(Testing.app(), 'no-namespace'), 'deny'), says: ['no-namespace/deny: ', 'Workload.allPods() has no namespace', "Pass { namespace: 'my-ns' } to the workload"] },

  // DnsResolver
  { entry: 'DnsResolver', input: "DnsResolver.nodeLocal('node-local')", call: () => DnsResolver.nodeLocal('node-local'), says: ["DnsResolver.nodeLocal('node-local'): ", "address 'node-local' is not an IP address", "Give the node-local listen address, e.g. '169.254.20.10'"] },
  { entry: 'DnsResolver', input: 'DnsResolver.nodeLocal(169)', call: () => DnsResolver.nodeLocal(js(169)), says: ['DnsResolver.nodeLocal(169): ', 'address must be a string, got 169', "Quote it: address '169'"] },
  { entry: 'DnsResolver', input: 'DnsResolver.custom(peer, [Port.DNS_UDP])', call: () => DnsResolver.custom(js(Peer.namespace('dns')), [Port.DNS_UDP]), says: ['DnsResolver.custom(): ', 'peers must be a list of Peers, got Peer namespace dns', "Wrap it in a list, e.g. [Peer.pods(LabelSelector.matchLabels({ app: 'web' }))]"] },
  { entry: 'DnsResolver', input: 'DnsResolver.custom([peer], [53])', call: () => DnsResolver.custom([Peer.namespace('dns')], js([53])), says: ['DnsResolver.custom(): ', 'ports[0] must be a Port, got 53', 'Make one with Port.tcp(8080)'] },
  { entry: 'DnsResolver', input: 'DnsResolver.custom([], [])', call: () => DnsResolver.custom([], []), says: ['DnsResolver.custom(): ', 'needs at least one peer and one port', 'Name them, or use DnsResolver.none() for no DNS at all'] },

  // Invariant
  { entry: 'Invariant', input: 'Invariant.neverAllowed()', call: () => js(Invariant).neverAllowed(), says: ['Invariant.neverAllowed(undefined): ', 'no props given, but name is required', "Pass { name: 'the frontend never reaches the database' }"] },
  { entry: 'Invariant', input: "Invariant.neverAllowed({ name: 'x', from: peer })", call: () => Invariant.neverAllowed(js({ name: 'x', from: Peer.namespace('a') })), says: ["Invariant.neverAllowed('x'): ", 'from must be a list of Peers, got Peer namespace a', 'Wrap it in a list, e.g. [Peer.pods('] },
  { entry: 'Invariant', input: "Invariant.neverAllowed({ name: 'x', except: [{ form: [peer] }] })", call: () => Invariant.neverAllowed(js({ name: 'x', except: [{ form: [Peer.namespace('a')] }] })), says: ["Invariant.neverAllowed('x'): ", 'except[0].form (["Peer namespace a"]) is not a prop of except[0]', "Use 'except[0].from'"] },
  { entry: 'Invariant', input: "Invariant.alwaysAllowed({ name: 'x', from: [peer], to: [peer] })", call: () => Invariant.alwaysAllowed(js({ name: 'x', from: [Peer.namespace('a')], to: [Peer.namespace('b')] })), says: ["Invariant.alwaysAllowed('x'): ", 'ports is missing: it must be a list of Ports', 'Pass ports, e.g. [Port.tcp(8080)]'] },
  { entry: 'Invariant', input: "Invariant.neverAllowed({ name: ' ' })", call: () => Invariant.neverAllowed({ name: ' ' }), says: ["Invariant.neverAllowed(' '): ", 'the name is empty', 'Say what the invariant guarantees'] },
  { entry: 'Invariant', input: 'Invariant.neverAllowed({ name: LONG, from: [] })', call: () => Invariant.neverAllowed({ name: LONG, from: [] }), says: ["Invariant.neverAllowed('xxx", "…' (100000 characters)): 'from' is empty", "Leave 'from' out for anything"] },

  // DefaultDeny
  { entry: 'DefaultDeny', input: "directions: ['ingress']", call: (chart) => new DefaultDeny(chart, 'deny', { directions: js(['ingress']) }), says: ['shop/deny: ', "directions[0] must be one of PolicyDirection.INGRESS or PolicyDirection.EGRESS, got 'ingress'", 'Use PolicyDirection.INGRESS'] },
  { entry: 'DefaultDeny', input: "directions: 'Egress'", call: (chart) => new DefaultDeny(chart, 'deny', { directions: js('Egress') }), says: ['shop/deny: ', "directions must be a list of PolicyDirection.INGRESS or PolicyDirection.EGRESS, got 'Egress'", "Wrap it in a list: ['Egress']"] },
  { entry: 'DefaultDeny', input: 'direction: [PolicyDirection.EGRESS]', call: (chart) => new DefaultDeny(chart, 'deny', js({ direction: [PolicyDirection.EGRESS] })), says: ['shop/deny: ', 'direction (["Egress"]) is not a prop of props', "Use 'directions'"] },
  { entry: 'DefaultDeny', input: "namespace: 'Shop_Prod'", call: (chart) => new DefaultDeny(chart, 'deny', { namespace: 'Shop_Prod' }), says: ['shop/deny: ', "namespace 'Shop_Prod' must be a DNS-1123 label", NAMESPACE_FIX] },
  { entry: 'DefaultDeny', input: "dns: 'kube-dns'", call: (chart) => new DefaultDeny(chart, 'deny', { dns: js('kube-dns') }), says: ['shop/deny: ', "dns must be a DnsResolver, got 'kube-dns'", 'Make one with DnsResolver.kubeDns()'] },
  { entry: 'DefaultDeny', input: "workload: { app: 'web' }", call: (chart) => new DefaultDeny(chart, 'deny', { workload: js({ app: 'web' }) }), says: ['shop/deny: ', 'workload must be a Workload, got {"app":"web"}', WORKLOAD_FIX] },
  { entry: 'DefaultDeny', input: 'directions: []', call: (chart) => new DefaultDeny(chart, 'deny', { directions: [] }), says: ['shop/deny: ', 'directions is empty, so nothing would be denied', 'Leave it out to deny both directions'] },
  { entry: 'DefaultDeny', input: 'ingress only, with dns', call: (chart) => new DefaultDeny(chart, 'deny', { directions: [PolicyDirection.INGRESS], dns: DnsResolver.openShift() }), says: ['shop/deny: ', 'dns is set to openshift-dns but egress is not denied', 'Remove dns, or add PolicyDirection.EGRESS to directions'] },
  { entry: 'DefaultDeny', input: 'a namespace and a workload in another', call: (chart) => new DefaultDeny(chart, 'deny', { namespace: 'shop', workload: Workload.fromLabels({ app: 'x' }, { namespace: 'data' }) }), says: ['shop/deny: ', "namespace 'shop' conflicts with the workload's namespace 'data'", 'Give the namespace on one of them only'] },

  // AllowFrom
  { entry: 'AllowFrom', input: 'no props', call: (chart) => new AllowFrom(chart, 'x', js(undefined)), says: ['shop/x: ', 'no props given, but to, from and ports are required', "Pass { to: Workload.fromLabels({ app: 'api' }), from: [Peer.pods("] },
  { entry: 'AllowFrom', input: 'no to', call: (chart) => new AllowFrom(chart, 'x', js({ from: flow.from, ports: flow.ports })), says: ['shop/x: ', 'to is missing: it must be a Workload', "Pass to, e.g. Workload.fromLabels({ app: 'api' })"] },
  { entry: 'AllowFrom', input: 'ports: [8080]', call: (chart) => new AllowFrom(chart, 'x', js({ ...flow, ports: [8080] })), says: ['shop/x: ', 'ports[0] must be a Port, got 8080', 'Make one with Port.tcp(8080)'] },
  { entry: 'AllowFrom', input: "ports: 'http'", call: (chart) => new AllowFrom(chart, 'x', js({ ...flow, ports: 'http' })), says: ['shop/x: ', "ports must be a list of Ports, got 'http'", 'Pass e.g. [Port.tcp(8080)]'] },
  { entry: 'AllowFrom', input: 'from: Peer.pods(web)', call: (chart) => new AllowFrom(chart, 'x', js({ ...flow, from: Peer.pods(web) })), says: ['shop/x: ', 'from must be a list of Peers, got Peer pods app=web', 'Wrap it in a list, e.g. [Peer.pods('] },
  { entry: 'AllowFrom', input: "allowSourceEgress: 'false'", call: (chart) => new AllowFrom(chart, 'x', js({ ...flow, allowSourceEgress: 'false' })), says: ['shop/x: ', "allowSourceEgress must be true or false, got 'false'", 'Pass true or false'] },
  { entry: 'AllowFrom', input: "to: 'shop/api'", call: (chart) => new AllowFrom(chart, 'x', js({ ...flow, to: 'shop/api' })), says: ['shop/x: ', "to must be a Workload, got 'shop/api'", WORKLOAD_FIX] },
  { entry: 'AllowFrom', input: 'from: []', call: (chart) => new AllowFrom(chart, 'x', { ...flow, from: [] }), says: ['shop/x: ', "'from' is empty, so nothing would be allowed", 'Name at least one peer; to deny everything use DefaultDeny'] },
  { entry: 'AllowFrom', input: 'ports: []', call: (chart) => new AllowFrom(chart, 'x', { ...flow, ports: [] }), says: ['shop/x: ', "'ports' is empty", 'List the ports, or use Port.allPorts()'] },
  { entry: 'AllowFrom', input: 'dns without source egress', call: (chart) => new AllowFrom(chart, 'x', { ...flow, allowSourceEgress: false, dns: DnsResolver.openShift() }), says: ['shop/x: ', 'dns is set to openshift-dns but allowSourceEgress is false', 'Remove dns, or leave allowSourceEgress out'] },
  { entry: 'AllowFrom', input: 'from: [Peer.fqdn(...)]', call: (chart) => new AllowFrom(chart, 'x', { ...flow, from: [Peer.fqdn('api.stripe.com')] }), says: ['shop/x: ', 'fqdn api.stripe.com can only be a destination', 'Allow egress to it with AllowTo'] },

  // AllowTo
  { entry: 'AllowTo', input: 'no from', call: (chart) => new AllowTo(chart, 'x', js({ to: [Peer.anyPublicIpv4()], ports: [Port.HTTPS] })), says: ['shop/x: ', 'from is missing: it must be a Workload', "Pass from, e.g. Workload.fromLabels({ app: 'api' })"] },
  { entry: 'AllowTo', input: "to: ['10.0.0.0/8']", call: (chart) => new AllowTo(chart, 'x', js({ from: api, to: ['10.0.0.0/8'], ports: [Port.HTTPS] })), says: ['shop/x: ', "to[0] must be a Peer, got '10.0.0.0/8'", PEER_FIX] },
  { entry: 'AllowTo', input: 'allowDestinationIngres: false', call: (chart) => new AllowTo(chart, 'x', js({ from: api, to: [Peer.pods(web)], ports: [Port.HTTPS], allowDestinationIngres: false })), says: ['shop/x: ', 'allowDestinationIngres (false) is not a prop of props', "Use 'allowDestinationIngress'"] },
  { entry: 'AllowTo', input: "writeUnownedNamespaces: 'yes'", call: (chart) => new AllowTo(chart, 'x', js({ from: api, to: [Peer.pods(web)], ports: [Port.HTTPS], writeUnownedNamespaces: 'yes' })), says: ['shop/x: ', "writeUnownedNamespaces must be true or false, got 'yes'", 'Pass true or false'] },
  { entry: 'AllowTo', input: 'Peer.fqdn without the Cilium backend', atSynth: true, call: (chart) => { new AllowTo(chart, 'x', { from: api, to: [Peer.fqdn('api.stripe.com')], ports: [Port.HTTPS] }); return Testing.synth(chart); }, says: ['shop/x: ', "Peer.fqdn('api.stripe.com'): NetworkPolicy v1 cannot select a DNS name", 'Render with the Cilium backend'] },
  { entry: 'AllowTo', input: 'Peer.kubeApiServer on port 80', call: (chart) => new AllowTo(chart, 'x', { from: api, to: [Peer.kubeApiServer({ endpoints: ['10.0.0.1'] })], ports: [Port.HTTP] }), says: ['shop/x: ', "the API server serves 443/TCP (as the 'kubernetes' Service's 443), not 80/TCP", 'Use Port.HTTPS'] },
  { entry: 'AllowTo', input: 'a Service port it does not expose', call: (chart) => new AllowTo(chart, 'x', { from: api, to: [Peer.service(service(chart, 'TCP'))], ports: [Port.tcp(8080)] }), says: ['shop/x: ', "Service 'shop/db' exposes no port matching 8080/TCP (it exposes 5432/TCP)", 'Name a port of the Service'] },
  { entry: 'AllowTo', input: "a Service with protocol 'tcp'", call: (chart) => new AllowTo(chart, 'x', { from: api, to: [Peer.service(service(chart, 'tcp'))], ports: [Port.POSTGRES] }), says: ['Peer.service(shop/db): ', `Service 'shop/db' spec.ports[0].protocol must be ${PROTOCOLS}, got 'tcp'`, 'Use Protocol.TCP'] },

  // AllowDnsEgress
  { entry: 'AllowDnsEgress', input: "resolver: 'coredns'", call: (chart) => new AllowDnsEgress(chart, 'dns', { resolver: js('coredns') }), says: ['shop/dns: ', "resolver must be a DnsResolver, got 'coredns'", 'Make one with DnsResolver.kubeDns()'] },
  { entry: 'AllowDnsEgress', input: 'resolver: DnsResolver.none()', call: (chart) => new AllowDnsEgress(chart, 'dns', { resolver: DnsResolver.none() }), says: ['shop/dns: ', 'resolver is DnsResolver.none(), so nothing would be allowed', 'Remove this construct, or name a resolver'] },

  // ThreeTierApp
  { entry: 'ThreeTierApp', input: 'no database', call: (chart) => new ThreeTierApp(chart, 'app', js({ frontend: tiers.frontend, backend: tiers.backend })), says: ['shop/app: ', 'database is missing: it must be a Workload', "Pass database, e.g. Workload.fromLabels({ app: 'api' })"] },
  { entry: 'ThreeTierApp', input: "extraIngress tier 'api'", call: (chart) => new ThreeTierApp(chart, 'app', js({ ...tiers, extraIngress: [{ tier: 'api', from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] }] })), says: ['shop/app: ', "extraIngress[0].tier must be one of Tier.FRONTEND, Tier.BACKEND or Tier.DATABASE, got 'api'", 'Use Tier.FRONTEND, Tier.BACKEND or Tier.DATABASE'] },
  { entry: 'ThreeTierApp', input: "extraIngress tier 'Backend'", call: (chart) => new ThreeTierApp(chart, 'app', js({ ...tiers, extraIngress: [{ tier: 'Backend', from: [Peer.namespace('monitoring')], ports: [Port.tcp(9090)] }] })), says: ['shop/app: ', "extraIngress[0].tier must be one of Tier.FRONTEND, Tier.BACKEND or Tier.DATABASE, got 'Backend'", 'Use Tier.BACKEND'] },
  { entry: 'ThreeTierApp', input: 'extraIngress without ports', call: (chart) => new ThreeTierApp(chart, 'app', js({ ...tiers, extraIngress: [{ tier: Tier.BACKEND, from: [Peer.namespace('monitoring')] }] })), says: ['shop/app: ', 'extraIngress[0].ports is missing: it must be a list of Ports', 'Pass extraIngress[0].ports, e.g. [Port.tcp(8080)]'] },
  { entry: 'ThreeTierApp', input: 'backendExternalEgress.to not a list', call: (chart) => new ThreeTierApp(chart, 'app', js({ ...tiers, backendExternalEgress: { to: Peer.anyPublicIpv4() } })), says: ['shop/app: ', 'backendExternalEgress.to must be a list of Peers, got Peer 0.0.0.0/0 except', 'Wrap it in a list, e.g. [Peer.pods('] },
  { entry: 'ThreeTierApp', input: 'frontendPorts: [80, 443]', call: (chart) => new ThreeTierApp(chart, 'app', js({ ...tiers, frontendPorts: [80, 443] })), says: ['shop/app: ', 'frontendPorts[0] must be a Port, got 80', 'Make one with Port.tcp(8080)'] },
  { entry: 'ThreeTierApp', input: "ingressControllerNamespace: 'Ingress Nginx'", call: (chart) => new ThreeTierApp(chart, 'app', { ...tiers, ingressControllerNamespace: 'Ingress Nginx' }), says: ['shop/app: ', "ingressControllerNamespace 'Ingress Nginx' must be a DNS-1123 label", NAMESPACE_FIX] },
  { entry: 'ThreeTierApp', input: 'ingressControllerNamespace and ingressPeers', call: (chart) => new ThreeTierApp(chart, 'app', { ...tiers, ingressControllerNamespace: 'traefik', ingressPeers: [Peer.namespace('haproxy')] }), says: ['shop/app: ', "ingressControllerNamespace 'traefik' and ingressPeers are both set", 'Give one of them'] },
  { entry: 'ThreeTierApp', input: 'two tiers on the same pods', call: (chart) => new ThreeTierApp(chart, 'app', { ...tiers, database: tiers.backend }), says: ['shop/app: ', 'backend and database are the same pods (shop/tier=backend)', 'Give each tier its own labels or workload'] },
  { entry: 'ThreeTierApp', input: 'a tier that is every pod', call: (chart) => new ThreeTierApp(chart, 'app', { ...tiers, frontend: Workload.allPods() }), says: ['shop/app: ', "frontend is every pod of namespace 'shop'", 'Give frontend its own labels, or move it to a namespace of its own'] },

  // ZeroTrustNamespace
  { entry: 'ZeroTrustNamespace', input: "allowWithinNamespace: 'yes'", call: (chart) => new ZeroTrustNamespace(chart, 'zt', js({ allowWithinNamespace: 'yes' })), says: ['shop/zt: ', "allowWithinNamespace must be true or false, got 'yes'", 'Pass true or false'] },
  { entry: 'ZeroTrustNamespace', input: "allowFrom('ingress-nginx', [Port.HTTPS])", writesBefore: true, call: (chart) => new ZeroTrustNamespace(chart, 'zt').allowFrom(js('ingress-nginx'), [Port.HTTPS]), says: ['shop/zt.allowFrom(): ', "peer must be a Peer, got 'ingress-nginx'", PEER_FIX] },
  { entry: 'ZeroTrustNamespace', input: 'allowTo(peer, Port.HTTPS)', writesBefore: true, call: (chart) => new ZeroTrustNamespace(chart, 'zt').allowTo(Peer.anyPublicIpv4(), js(Port.HTTPS)), says: ['shop/zt.allowTo(): ', 'ports must be a list of Ports, got Port 443/TCP', 'Wrap it in a list, e.g. [Port.tcp(8080)]'] },
  { entry: 'ZeroTrustNamespace', input: "allowFrom(peer, ports, { workload: 'gateway' })", writesBefore: true, call: (chart) => new ZeroTrustNamespace(chart, 'zt').allowFrom(Peer.namespace('ingress-nginx'), [Port.HTTPS], js({ workload: 'gateway' })), says: ['shop/zt.allowFrom(): ', "workload must be a Workload, got 'gateway'", WORKLOAD_FIX] },
  { entry: 'ZeroTrustNamespace', input: 'no namespace anywhere', call: () => new ZeroTrustNamespace(new Chart(Testing.app(), 'no-namespace'), 'zt'), says: ['no-namespace/zt: ', "no namespace given, and the chart 'no-namespace' has none either", "Pass { namespace: 'my-ns' }"] },

  // OwnedNamespaces
  { entry: 'OwnedNamespaces', input: "namespaces: 'kafka'", call: (chart) => new OwnedNamespaces(chart, 'owned', js({ namespaces: 'kafka' })), says: ['shop/owned: ', "namespaces must be a list of namespace names, got 'kafka'", "Wrap it in a list: ['kafka']"] },
  { entry: 'OwnedNamespaces', input: 'no props', call: (chart) => new OwnedNamespaces(chart, 'owned', js(undefined)), says: ['shop/owned: ', 'no props given, but namespaces is required', "Pass { namespaces: ['shop-prod'] }"] },
  { entry: 'OwnedNamespaces', input: "namespaces: ['Kafka']", call: (chart) => new OwnedNamespaces(chart, 'owned', { namespaces: ['Kafka'] }), says: ['shop/owned: ', "namespaces[0] 'Kafka' must be a DNS-1123 label", NAMESPACE_FIX] },
  { entry: 'OwnedNamespaces', input: 'namespaces: []', call: (chart) => new OwnedNamespaces(chart, 'owned', { namespaces: [] }), says: ['shop/owned: ', 'namespaces is empty, so it would declare nothing', "Name the namespaces, e.g. ['kafka'], or remove the construct"] },

  // NetworkPolicyInvariants
  { entry: 'NetworkPolicyInvariants', input: "invariants: [{ name: 'x' }]", call: (chart) => new NetworkPolicyInvariants(chart, 'inv', js({ invariants: [{ name: 'x' }] })), says: ['shop/inv: ', 'invariants[0] must be an Invariant, got {"name":"x"}', 'Make one with Invariant.neverAllowed({'] },
  { entry: 'NetworkPolicyInvariants', input: "add('web never reaches db')", call: (chart) => new NetworkPolicyInvariants(chart, 'inv').add(js('web never reaches db')), says: ['shop/inv.add(): ', "invariants[0] must be an Invariant, got 'web never reaches db'", 'Make one with Invariant.neverAllowed({'] },
  { entry: 'NetworkPolicyInvariants', input: 'Peer.pods in a chart without a namespace', call: () => new NetworkPolicyInvariants(new Chart(Testing.app(), 'no-namespace'), 'inv', { invariants: [Invariant.neverAllowed({ name: 'x', to: [Peer.pods(web)] })] }), says: ['no-namespace/inv: ', "pods app=web selects pods in the chart's namespace, and the chart 'no-namespace' has none", 'Name the namespace with Peer.podsIn() or Peer.workload(), or give the chart a namespace'] },

  // PolicyBackend
  { entry: 'PolicyBackend', input: "PolicyBackend.use(app, 'cilium')", call: (chart) => PolicyBackend.use(chart.node.root, js('cilium')), says: ['PolicyBackend.use(app): ', "backends must be a list of PolicyBackends, got 'cilium'", 'Pass e.g. [PolicyBackend.CILIUM]'] },
  { entry: 'PolicyBackend', input: 'PolicyBackend.use(undefined, [PolicyBackend.CILIUM])', call: () => PolicyBackend.use(js(undefined), [PolicyBackend.CILIUM]), says: ['PolicyBackend.use(): ', 'scope is missing: it must be the app or a construct in it', 'Pass scope, e.g. PolicyBackend.use(app, [PolicyBackend.CILIUM])'] },
  { entry: 'PolicyBackend', input: 'PolicyBackend.use(app, [])', call: (chart) => PolicyBackend.use(chart.node.root, []), says: ['PolicyBackend.use(app): ', 'no backend given', 'Name PolicyBackend.NETWORK_POLICY, PolicyBackend.CILIUM or both'] },
  { entry: 'PolicyBackend', input: 'PolicyBackend.use after a policy', writesBefore: true, call: (chart) => { new DefaultDeny(chart, 'deny'); return PolicyBackend.use(chart, [PolicyBackend.CILIUM]); }, says: ['PolicyBackend.use(shop): ', '1 policies already exist', 'Call PolicyBackend.use(app, ...) right after creating the App'] },

  // NetworkPolicyGuardrails
  { entry: 'NetworkPolicyGuardrails', input: "failOn: 'warn'", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ failOn: 'warn' })), says: ['shop/g: ', "failOn must be one of FindingSeverity.ERROR, FindingSeverity.WARNING or FindingSeverity.INFO, got 'warn'", 'Use FindingSeverity.WARNING'] },
  { entry: 'NetworkPolicyGuardrails', input: "rules: 'NP001'", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ rules: 'NP001' })), says: ['shop/g: ', "rules must be a list of strings, got 'NP001'", "Wrap it in a list: ['NP001']"] },
  { entry: 'NetworkPolicyGuardrails', input: "rules: ['NP404']", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', { rules: ['NP404'] }), says: ['FindingOptions.rules: ', "no finding rule 'NP404'", "Use a rule's id or name: NP001 (pod-without-ingress-policy)"] },
  { entry: 'NetworkPolicyGuardrails', input: "podCidrs: ['10.0.0.0']", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', { podCidrs: ['10.0.0.0'] }), says: ['FindingOptions.podCidrs: ', "'10.0.0.0' must be in CIDR notation", "Give CIDRs such as '10.244.0.0/16'"] },
  { entry: 'NetworkPolicyGuardrails', input: 'a suppression without a reason', call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ suppressions: [{ id: 'NP003', subject: 'shop' }] })), says: ['shop/g: ', 'suppressions[0].reason is missing: it must be a string', "Pass suppressions[0].reason, e.g. 'retired next quarter'"] },
  { entry: 'NetworkPolicyGuardrails', input: "pods: [{ namespace: 'monitoring' }]", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ pods: [{ namespace: 'monitoring' }] })), says: ['shop/g: ', 'pods[0].name is missing: it must be a string', "Pass pods[0].name, e.g. 'prometheus'"] },
  { entry: 'NetworkPolicyGuardrails', input: "a declared pod's containerPort '9090'", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ pods: [{ name: 'p', ports: [{ containerPort: '9090' }] }] })), says: ['shop/g: ', "pods[0].ports[0].containerPort must be a number, got '9090'", 'Pass the number 9090, without quotes'] },
  { entry: 'NetworkPolicyGuardrails', input: "clusterDns: { port: '53' }", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ clusterDns: { port: '53' } })), says: ['shop/g: ', "clusterDns.port must be a number, got '53'", 'Pass the number 53, without quotes'] },
  { entry: 'NetworkPolicyGuardrails', input: "reportfile: 'report.md'", call: (chart) => new NetworkPolicyGuardrails(chart, 'g', js({ reportfile: 'report.md' })), says: ['shop/g: ', "reportfile ('report.md') is not a prop of props", "Use 'reportFile'"] },
  { entry: 'NetworkPolicyGuardrails', input: "suppress('NP008', 'shop/web', ' ')", call: (chart) => new NetworkPolicyGuardrails(chart, 'g').suppress('NP008', 'shop/web', ' '), says: ["NetworkPolicyGuardrails 'shop/g': ", "suppression of NP008 for 'shop/web' needs a reason", 'Say why the finding is acceptable'] },
  { entry: 'NetworkPolicyGuardrails', input: "suppress(8, 'x', 'y')", call: (chart) => new NetworkPolicyGuardrails(chart, 'g').suppress(js(8), 'x', 'y'), says: ["NetworkPolicyGuardrails 'shop/g': ", 'id must be a string, got 8', "Quote it: id '8'"] },
  { entry: 'NetworkPolicyGuardrails', input: "suppress('NP999', 'x', 'y')", call: (chart) => new NetworkPolicyGuardrails(chart, 'g').suppress('NP999', 'x', 'y'), says: ["NetworkPolicyGuardrails 'shop/g': ", "no finding rule 'NP999' to suppress", "Use an id such as 'NP003'"] },
  { entry: 'NetworkPolicyGuardrails', input: "suppress('NP003', '', 'y')", call: (chart) => new NetworkPolicyGuardrails(chart, 'g').suppress('NP003', '', 'y'), says: ["NetworkPolicyGuardrails 'shop/g': ", 'suppression of NP003 needs a subject', "Give one, e.g. 'shop/web', or '*' for every subject"] },

  // NetworkPolicyFindings
  { entry: 'NetworkPolicyFindings', input: "ofManifests([], { rule: ['NP001'] })", call: () => NetworkPolicyFindings.ofManifests([], js({ rule: ['NP001'] })), says: ['NetworkPolicyFindings: ', 'rule (["NP001"]) is not a prop of options', "Use 'rules'"] },

  // ClusterRule
  { entry: 'ClusterRule', input: 'ClusterRule.allow()', call: () => js(ClusterRule).allow(), says: ['ClusterRule.allow(): ', 'peers is missing: it must be a list of Peers', 'Pass peers, e.g. [Peer.pods('] },
  { entry: 'ClusterRule', input: "ClusterRule.deny(Peer.ipv4('192.0.2.0/24'))", call: () => ClusterRule.deny(js(Peer.ipv4('192.0.2.0/24'))), says: ['ClusterRule.deny(): ', 'peers must be a list of Peers, got Peer 192.0.2.0/24', 'Wrap it in a list, e.g. [Peer.pods('] },
  { entry: 'ClusterRule', input: 'ClusterRule.pass([])', call: () => ClusterRule.pass([]), says: ['ClusterRule.pass(): ', 'no peers given, and the API requires at least one', 'Name the peers; for every pod use Peer.allNamespaces()'] },
  { entry: 'ClusterRule', input: 'ClusterRule.deny(peers, { ports: [443] })', call: () => ClusterRule.deny([Peer.allNamespaces()], js({ ports: [443] })), says: ['ClusterRule.deny(): ', 'ports[0] must be a Port, got 443', 'Make one with Port.tcp(8080)'] },
  { entry: 'ClusterRule', input: 'ClusterRule.deny(peers, { port: [Port.HTTPS] })', call: () => ClusterRule.deny([Peer.allNamespaces()], js({ port: [Port.HTTPS] })), says: ['ClusterRule.deny(): ', 'port (["Port 443/TCP"]) is not a prop of options', "Use 'ports'"] },
  { entry: 'ClusterRule', input: 'ClusterRule.allow(peers, { ports: [] })', call: () => ClusterRule.allow([Peer.allNamespaces()], { ports: [] }), says: ['ClusterRule.allow(): ', "'ports' is empty", 'Leave ports out to match every port, or list them'] },
  { entry: 'ClusterRule', input: 'ClusterRule.allow(peers, null)', call: () => ClusterRule.allow([Peer.allNamespaces()], js(null)), says: ['ClusterRule.allow(): ', 'options is null', 'or leave options out'] },
  { entry: 'ClusterRule', input: 'ClusterRule.allow(peers, { name: 42 })', call: () => ClusterRule.allow([Peer.allNamespaces()], js({ name: 42 })), says: ['ClusterRule.allow(): ', 'name must be a string, got 42', "Quote it: name '42'"] },
  { entry: 'ClusterRule', input: 'ClusterRule.deny(peers, { name: LONG })', call: () => ClusterRule.deny([Peer.allNamespaces()], { name: LONG }), says: ['ClusterRule.deny(): ', "name 'xxx", "…' (100000 characters) has 100000 characters", 'Give the rule a name of 1 to 100 characters'] },

  // ClusterPolicyBackend
  { entry: 'ClusterPolicyBackend', input: "ClusterPolicyBackend.use(app, 'AdminNetworkPolicy')", call: (chart) => ClusterPolicyBackend.use(chart.node.root, js('AdminNetworkPolicy')), says: ['ClusterPolicyBackend.use(app): ', "backends must be a list of ClusterPolicyBackends, got 'AdminNetworkPolicy'", 'Pass e.g. [ClusterPolicyBackend.ADMIN_NETWORK_POLICY]'] },
  { entry: 'ClusterPolicyBackend', input: 'ClusterPolicyBackend.use(undefined, [...])', call: () => ClusterPolicyBackend.use(js(undefined), [ClusterPolicyBackend.ADMIN_NETWORK_POLICY]), says: ['ClusterPolicyBackend.use(): ', 'scope is missing: it must be the app or a construct in it', 'Pass scope, e.g. ClusterPolicyBackend.use(app, [ClusterPolicyBackend.ADMIN_NETWORK_POLICY])'] },
  { entry: 'ClusterPolicyBackend', input: 'ClusterPolicyBackend.use(app, [])', call: (chart) => ClusterPolicyBackend.use(chart.node.root, []), says: ['ClusterPolicyBackend.use(app): ', 'no backend given', 'Name ClusterPolicyBackend.CLUSTER_NETWORK_POLICY, ClusterPolicyBackend.ADMIN_NETWORK_POLICY or both'] },
  { entry: 'ClusterPolicyBackend', input: 'ClusterPolicyBackend.use after a guardrail', writesBefore: true, call: (chart) => { new ClusterGuardrail(chart, 'g', { egress: [ClusterRule.deny([Peer.anyIpv4()])] }); return ClusterPolicyBackend.use(chart, [ClusterPolicyBackend.ADMIN_NETWORK_POLICY]); }, says: ['ClusterPolicyBackend.use(shop): ', '1 guardrails already exist', 'Call ClusterPolicyBackend.use(app, ...) right after creating the App'] },

  // ClusterGuardrail
  { entry: 'ClusterGuardrail', input: 'no props', call: (chart) => new ClusterGuardrail(chart, 'g', js(undefined)), says: ['shop/g: ', 'no ingress or egress rule given, so the guardrail would decide nothing', 'Give at least one rule'] },
  { entry: 'ClusterGuardrail', input: "tier: 'baseline'", call: (chart) => new ClusterGuardrail(chart, 'g', js({ tier: 'baseline', egress: [deny] })), says: ['shop/g: ', "tier must be one of ClusterTier.ADMIN or ClusterTier.BASELINE, got 'baseline'", 'Use ClusterTier.BASELINE'] },
  { entry: 'ClusterGuardrail', input: 'egress: ClusterRule.deny(...)', call: (chart) => new ClusterGuardrail(chart, 'g', js({ egress: deny })), says: ['shop/g: ', 'egress must be a list of ClusterRules, got ClusterRule Deny', "Wrap it in a list, e.g. [ClusterRule.deny([Peer.ipv4('169.254.169.254/32')])]"] },
  { entry: 'ClusterGuardrail', input: "namespaces: { team: 'a' }", call: (chart) => new ClusterGuardrail(chart, 'g', js({ namespaces: { team: 'a' }, egress: [deny] })), says: ['shop/g: ', 'namespaces must be a LabelSelector, got {"team":"a"}', "Make one with LabelSelector.matchLabels({ app: 'web' })"] },
  { entry: 'ClusterGuardrail', input: "priority: '10'", call: (chart) => new ClusterGuardrail(chart, 'g', js({ priority: '10', egress: [deny] })), says: ['shop/g: ', "priority must be a number, got '10'", 'Pass the number 10, without quotes'] },
  { entry: 'ClusterGuardrail', input: 'priority: 1001', call: (chart) => new ClusterGuardrail(chart, 'g', { priority: 1001, egress: [deny] }), says: ['shop/g: ', 'priority 1001 is not an integer from 0 to 1000', 'Give one in that range, or leave it out to have one allocated'] },
  { entry: 'ClusterGuardrail', input: "name: 'Deny_All'", call: (chart) => new ClusterGuardrail(chart, 'g', { name: 'Deny_All', egress: [deny] }), says: ['shop/g: ', "name 'Deny_All' must", "Give a lower-case name of letters, digits and '-', e.g. 'deny-metadata'"] },
  { entry: 'ClusterGuardrail', input: 'ingres: [...]', call: (chart) => new ClusterGuardrail(chart, 'g', js({ ingres: [deny] })), says: ['shop/g: ', 'ingres (["ClusterRule Deny 0.0.0.0/0 on all ports"]) is not a prop of props', "Use 'ingress'"] },

  // BaselineDefaultDeny
  { entry: 'BaselineDefaultDeny', input: "namespaces: 'shop'", call: (chart) => new BaselineDefaultDeny(chart, 'b', js({ namespaces: 'shop' })), says: ['shop/b: ', "namespaces must be a list of namespace names, got 'shop'", "Wrap it in a list: ['shop']"] },
  { entry: 'BaselineDefaultDeny', input: "namespaces: ['Shop']", call: (chart) => new BaselineDefaultDeny(chart, 'b', { namespaces: ['Shop'] }), says: ['shop/b: ', "namespaces[0] 'Shop' must be a DNS-1123 label", NAMESPACE_FIX] },
  { entry: 'BaselineDefaultDeny', input: 'namespaces: []', call: (chart) => new BaselineDefaultDeny(chart, 'b', { namespaces: [] }), says: ['shop/b: ', 'namespaces is empty, so nothing would be denied', "Name at least one, or leave it out for the chart's"] },
  { entry: 'BaselineDefaultDeny', input: 'directions: []', call: (chart) => new BaselineDefaultDeny(chart, 'b', { directions: [] }), says: ['shop/b: ', 'directions is empty, so nothing would be denied', 'Leave it out to deny both directions'] },
  { entry: 'BaselineDefaultDeny', input: "directions: ['Ingress']", call: (chart) => new BaselineDefaultDeny(chart, 'b', js({ directions: ['ingress'] })), says: ['shop/b: ', "directions[0] must be one of PolicyDirection.INGRESS or PolicyDirection.EGRESS, got 'ingress'", 'Use PolicyDirection.INGRESS'] },
  { entry: 'BaselineDefaultDeny', input: 'dns without egress', call: (chart) => new BaselineDefaultDeny(chart, 'b', { directions: [PolicyDirection.INGRESS], dns: DnsResolver.openShift() }), says: ['shop/b: ', 'dns is set to openshift-dns but egress is not denied', 'Remove dns, or add PolicyDirection.EGRESS to directions'] },
  { entry: 'BaselineDefaultDeny', input: "priority: 'high'", call: (chart) => new BaselineDefaultDeny(chart, 'b', js({ priority: 'high' })), says: ['shop/b: ', "priority must be a number, got 'high'", 'Pass a number, e.g. 100'] },
  { entry: 'BaselineDefaultDeny', input: 'in a chart without a namespace', call: () => new BaselineDefaultDeny(new Chart(Testing.app(), 'no-namespace'), 'b'), says: ['no-namespace/b: ', 'no namespaces given, and the chart has no namespace', "Name them: { namespaces: ['shop'] }"] },

  // AlwaysAllowDns
  { entry: 'AlwaysAllowDns', input: "dns: 'kube-dns'", call: (chart) => new AlwaysAllowDns(chart, 'dns', js({ dns: 'kube-dns' })), says: ['shop/dns: ', "dns must be a DnsResolver, got 'kube-dns'", 'Make one with DnsResolver.kubeDns()'] },
  { entry: 'AlwaysAllowDns', input: 'dns: DnsResolver.none()', call: (chart) => new AlwaysAllowDns(chart, 'dns', { dns: DnsResolver.none() }), says: ['shop/dns: ', 'dns is DnsResolver.none(), so there is nothing to allow', 'Name the resolver, or leave dns out for kube-dns'] },
  { entry: 'AlwaysAllowDns', input: "namespaces: ['shop']", call: (chart) => new AlwaysAllowDns(chart, 'dns', js({ namespaces: ['shop'] })), says: ['shop/dns: ', 'namespaces must be a LabelSelector, got ["shop"]', "Make one with LabelSelector.matchLabels({ app: 'web' })"] },

  // AlwaysAllowMonitoring
  { entry: 'AlwaysAllowMonitoring', input: 'no props', call: (chart) => new AlwaysAllowMonitoring(chart, 'm', js(undefined)), says: ['shop/m: ', 'no props given, but scrapers and ports are required', "Pass { scrapers: Workload.fromLabels({ app: 'api' }), ports: [Port.tcp(8080)] }"] },
  { entry: 'AlwaysAllowMonitoring', input: "scrapers: 'prometheus'", call: (chart) => new AlwaysAllowMonitoring(chart, 'm', js({ scrapers: 'prometheus', ports: [Port.tcp(9090)] })), says: ['shop/m: ', "scrapers must be a Workload, got 'prometheus'", WORKLOAD_FIX] },
  { entry: 'AlwaysAllowMonitoring', input: 'ports: [9090]', call: (chart) => new AlwaysAllowMonitoring(chart, 'm', js({ scrapers: api, ports: [9090] })), says: ['shop/m: ', 'ports[0] must be a Port, got 9090', 'Make one with Port.tcp(8080)'] },
  { entry: 'AlwaysAllowMonitoring', input: 'ports: []', call: (chart) => new AlwaysAllowMonitoring(chart, 'm', { scrapers: api, ports: [] }), says: ['shop/m: ', "'ports' is empty, so no scrape would be allowed", "List the scrape ports, e.g. Port.named('metrics')"] },

  // AlwaysDenyMetadataEndpoint
  { entry: 'AlwaysDenyMetadataEndpoint', input: "endpoints: ['169.254.169.254/32']", call: (chart) => new AlwaysDenyMetadataEndpoint(chart, 'md', js({ endpoints: ['169.254.169.254/32'] })), says: ['shop/md: ', "endpoints[0] must be a Peer, got '169.254.169.254/32'", PEER_FIX] },
  { entry: 'AlwaysDenyMetadataEndpoint', input: 'endpoints: []', call: (chart) => new AlwaysDenyMetadataEndpoint(chart, 'md', { endpoints: [] }), says: ['shop/md: ', 'endpoints is empty, so nothing would be denied', 'Leave it out to deny the cloud metadata addresses'] },
  { entry: 'AlwaysDenyMetadataEndpoint', input: 'namespace: LabelSelector', call: (chart) => new AlwaysDenyMetadataEndpoint(chart, 'md', js({ namespace: web })), says: ['shop/md: ', 'namespace (', 'is not a prop of props', "Use 'namespaces'"] },

  // TenantIsolation
  { entry: 'TenantIsolation', input: 'no props', call: (chart) => new TenantIsolation(chart, 't', js(undefined)), says: ['shop/t: ', 'no props given, but labelKey and tenants are required', "Pass { labelKey: 'tenant', tenants: ['acme'] }"] },
  { entry: 'TenantIsolation', input: "tenants: 'acme'", call: (chart) => new TenantIsolation(chart, 't', js({ labelKey: 'tenant', tenants: 'acme' })), says: ['shop/t: ', "tenants must be a list of strings, got 'acme'", "Wrap it in a list: ['acme']"] },
  { entry: 'TenantIsolation', input: "tenants: ['acme', '']", call: (chart) => new TenantIsolation(chart, 't', { labelKey: 'tenant', tenants: ['acme', ''] }), says: ['shop/t: ', "tenant '' is empty, which names no tenant", "Use the tenant's label value as the namespaces have it"] },
  { entry: 'TenantIsolation', input: 'tenants: []', call: (chart) => new TenantIsolation(chart, 't', { labelKey: 'tenant', tenants: [] }), says: ['shop/t: ', 'tenants is empty, so nobody would be isolated', "List the tenants, e.g. { tenants: ['acme', 'globex'] }"] },
  { entry: 'TenantIsolation', input: "labelKey: 'tenant name'", call: (chart) => new TenantIsolation(chart, 't', { labelKey: 'tenant name', tenants: ['acme'] }), says: ['shop/t: ', "labelKey 'tenant name' must", "Use the namespaces' label key, e.g. 'tenant'"] },
  { entry: 'TenantIsolation', input: "tenants: ['acme', 'Globex Corp']", call: (chart) => new TenantIsolation(chart, 't', { labelKey: 'tenant', tenants: ['acme', 'Globex Corp'] }), says: ['shop/t: ', "tenant 'Globex Corp' must", "Use the tenant's label value as the namespaces have it, e.g. 'acme'"] },
  { entry: 'TenantIsolation', input: 'labelKey: LONG', call: (chart) => new TenantIsolation(chart, 't', { labelKey: LONG, tenants: ['acme'] }), says: ['shop/t: ', "labelKey 'xxx", "…' (100000 characters) ", "Use the namespaces' label key"] },

  // The jest matchers
  { entry: 'reachabilityMatchers', input: "toAllow(reach, 'a', 'b', 8080)", call: () => reachabilityMatchers.toAllow(reach, 'a', 'b', js(8080)), says: ['toAllow: ', 'port must be a Port, got 8080', 'Make one with Port.tcp(8080)'] },
  { entry: 'reachabilityMatchers', input: "toDeny(reach, 'a', undefined, Port.HTTP)", call: () => reachabilityMatchers.toDeny(reach, 'a', js(undefined), Port.HTTP), says: ['toDeny: ', 'to is missing: it must be a string', "Pass to, e.g. 'shop/web'"] },
  { entry: 'reachabilityMatchers', input: "toAllowOnlyDestinations(reach, 'a', Port.HTTP, 'b')", call: () => reachabilityMatchers.toAllowOnlyDestinations(reach, 'a', Port.HTTP, js('b')), says: ['toAllowOnlyDestinations: ', "destinations must be a list of strings, got 'b'", "Wrap it in a list: ['b']"] },
  { entry: 'reachabilityMatchers', input: "toAllow({}, 'a', 'b', Port.HTTP)", call: () => reachabilityMatchers.toAllow({}, 'a', 'b', Port.HTTP), says: ['toAllow: ', 'expected a Reachability or a cdk8s Chart, got {}', 'Build one with Reachability.fromChart(chart)'] },
];

/** A cdk8s-plus-28 Deployment `api`. */
function deployment(chart: Chart): kplus.Deployment {
  return new kplus.Deployment(chart, 'api', { containers: [{ image: 'api' }] });
}

/** A v1 Service `db` exposing 5432 with the given protocol. */
function service(chart: Chart, protocol: string): ApiObject {
  return new ApiObject(chart, 'db', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db' }, spec: { selector: { app: 'db' }, ports: [{ port: 5432, protocol }] } });
}

/** The rejection of a row, made in a fresh app: its message, and what the app synthesizes afterwards. */
export function reject(row: BadInput): { message: string; manifests: () => any[] } {
  const chart = chartIn('shop');
  let message: string | undefined;
  try {
    row.call(chart);
  } catch (e: any) {
    message = String(e?.message ?? e);
  }
  if (message === undefined) throw new Error(`${row.entry} ${row.input} was accepted`);
  return { message, manifests: () => Testing.synth(chart) };
}
