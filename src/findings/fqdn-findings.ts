import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, objectWhere, podObject } from './finding-context';
import { CiliumDnsRuleModel } from '../analyzer/cilium-policy';
import { CiliumPolicyLayer, CiliumTierPolicy, fqdnPatternMatches } from '../analyzer/cilium-policy-layer';
import { PodModel } from '../analyzer/cluster-model';
import { policyLayers } from '../analyzer/policy-layers';
import { rulePortSet } from '../analyzer/rule-ports';
import { ruleMatchesPeer } from '../analyzer/verdict-walk';

/**
 * Cilium `toFQDNs` peers without the DNS rule Cilium needs: `toFQDNs` allows the addresses Cilium's
 * DNS proxy saw the pod look up, and the proxy sees a pod's lookups only when a policy selecting
 * the pod allows DNS with `rules.dns` (`toPorts` on 53 with `rules: { dns: [{ matchPattern: '*' }] }`)
 * whose names or patterns cover the name. Without it the name never resolves to an allowed address
 * and every connection to it is denied.
 */

/** Whether a DNS rule lets lookups of a `toFQDNs` name or pattern through the proxy. */
function covers(dns: CiliumDnsRuleModel, fqdn: string): boolean {
  // A peer pattern is covered by a DNS pattern that matches it with every `*` standing for nothing
  // (a DNS pattern's `*` may be empty; a literal label never is).
  const sample = fqdn.replace(/\*/g, '');
  return dns.names.includes(fqdn) || dns.patterns.some((p) => p === fqdn || fqdnPatternMatches(p, sample));
}

/** The DNS rules that make lookups visible for a pod's egress: on the DNS port over UDP, towards the resolver. */
function visibleDnsRules(context: FindingContext, policies: readonly CiliumTierPolicy[]): CiliumDnsRuleModel[] {
  return policies.flatMap((policy) => policy.policy.egress.flatMap((rule, r) => {
    if (rule.action !== 'Allow' || !ruleMatchesPeer(policy.rules[r], context.dnsPod)) return [];
    return rule.dnsRules.filter((dns) => rulePortSet(dns.ports, context.dnsPod).has(context.dnsPort, 'UDP'));
  }));
}

/** The `toFQDNs` names and patterns of a policy's egress allow rules, with the rules' paths. */
function fqdnPeers(policy: CiliumTierPolicy): { paths: string[]; names: string[] } {
  const paths: string[] = [];
  const names: string[] = [];
  for (const rule of policy.policy.egress) {
    if (rule.action !== 'Allow') continue;
    const here = rule.peers.flatMap((peer) => (peer.kind === 'fqdn' ? [peer.name ?? peer.pattern!] : []));
    if (here.length === 0) continue;
    paths.push(rule.path);
    for (const name of here) if (!names.includes(name)) names.push(name);
  }
  return { paths, names };
}

function withoutDnsVisibility(context: FindingContext): FindingDraft[] {
  const layer = policyLayers(context.model).find((l): l is CiliumPolicyLayer => l instanceof CiliumPolicyLayer);
  if (!layer) return [];
  const egress = layer.policies('Egress');
  const out: FindingDraft[] = [];
  for (const policy of egress) {
    const { paths, names } = fqdnPeers(policy);
    if (names.length === 0) continue;
    const pods = context.model.pods.filter((pod) => policy.appliesTo(pod));
    // Without the pods, the policy's own rules are all that is known to apply to them.
    const unseen = (pod?: PodModel): string[] => {
      const dns = visibleDnsRules(context, pod ? egress.filter((p) => p.appliesTo(pod)) : [policy]);
      return names.filter((name) => !dns.some((rule) => covers(rule, name)));
    };
    const blind = pods.length === 0 ? [] : pods.filter((pod) => unseen(pod).length > 0);
    const missing = pods.length === 0 ? unseen() : [...new Set(blind.flatMap((pod) => unseen(pod)))];
    if (missing.length === 0) continue;
    const where = objectWhere(policy.policy.kind, policy.id, policy.policy.source);
    const whose = pods.length === 0 ? 'this policy' : `the Cilium policies selecting ${blind.map((p) => p.id).join(', ')}`;
    out.push({
      subject: policy.id,
      objects: [policy.object, ...blind.map(podObject)],
      message: `${where}: ${paths.join(', ')} allow${paths.length === 1 ? 's' : ''} toFQDNs ${missing.join(', ')}, but no DNS rule of ${whose} (toPorts on ${context.dnsPort}/UDP to the cluster DNS with rules.dns matching ${missing.length === 1 ? 'the name' : 'the names'}) lets Cilium's DNS proxy see the lookups: toFQDNs learns no address, so connections to ${missing.length === 1 ? 'it' : 'them'} are denied`,
    });
  }
  return out;
}

/** @internal */
export const FQDN_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP027',
    rule: 'fqdn-without-dns-visibility',
    severity: FindingSeverity.ERROR,
    summary: "A Cilium toFQDNs peer for pods whose Cilium policies have no DNS rule (toPorts on 53 with rules.dns covering the name) towards the cluster DNS: Cilium's DNS proxy never sees the lookups, so the name allows nothing.",
    fix: "Allow DNS to the cluster DNS in a Cilium policy selecting the pods with toPorts [{ ports: [{ port: '53', protocol: ANY }], rules: { dns: [{ matchPattern: '*' }] } }] (the Cilium backend writes it with Peer.fqdn).",
    check: withoutDnsVisibility,
  },
];
