import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, eachRule, policyObject, policyWhere, rulePath } from './finding-context';
import { BitSet } from '../analyzer/bitset';
import { EndpointModel } from '../analyzer/external-nodes';
import { peerClasses, peerMatches, policySelectedClasses } from '../analyzer/network-policy-layer';

/**
 * Ports that do not do what they say: a named port that no destination pod declares (the entry
 * allows nothing), and `endPort` ranges or SCTP, which some CNIs ignore or reject.
 */

function namedPortsUndeclared(context: FindingContext): FindingDraft[] {
  const { model, dnsPod } = context;
  const engine = context.engine();
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(model)) {
    const named = rule.ports.filter((p) => typeof p.port === 'string');
    if (named.length === 0) continue;
    // The destinations as classes (pods of a class declare the same ports of every name a rule
    // uses), and the cluster DNS stand-in, which egress rules may reach too.
    let classes: BitSet;
    let dns = false;
    if (direction === 'Ingress') {
      classes = policySelectedClasses(engine, policy);
    } else if (rule.peers.length === 0) {
      classes = engine.podClasses;
      dns = true;
    } else {
      classes = new BitSet(engine.classCount);
      for (const peer of rule.peers) classes.or(peerClasses(engine, policy, peer));
      classes.and(engine.podClasses);
      dns = rule.peers.some((peer) => peerMatches(model, policy, peer, dnsPod));
    }
    let count = dns ? 1 : 0;
    classes.forEach((c) => { count += context.podsOfClass(c).length; });
    // With no known destination there is nothing to check against.
    if (count === 0) continue;
    for (const entry of named) {
      const declares = (pod: EndpointModel): boolean => pod.ports.some((p) => p.name === entry.port && p.protocol === entry.protocol);
      let declared = dns && declares(dnsPod);
      classes.forEach((c) => { declared ||= declares(engine.representative(c)); });
      if (declared) continue;
      const shown = context.podsOfClasses(classes).slice(0, 5).map((d) => d.id);
      out.push({
        subject: policy.id,
        objects: [policyObject(policy)],
        message: `${policyWhere(policy)}: ${rulePath(direction, index)} names port '${entry.port}'/${entry.protocol}, but no ${direction === 'Ingress' ? 'selected' : 'destination'} pod declares a ${entry.protocol} container port of that name (${shown.join(', ')}${count > 5 ? ', …' : ''}), so it allows nothing`,
        fix: `Use the port number, or name the container port '${entry.port}' (protocol ${entry.protocol}) in the pod template.`,
      });
    }
  }
  return out;
}

function portFeature(context: FindingContext, feature: 'endPort' | 'SCTP'): FindingDraft[] {
  const out: FindingDraft[] = [];
  for (const { policy, direction, index, rule } of eachRule(context.model)) {
    const used = rule.ports.filter((p) => (feature === 'endPort' ? p.endPort !== undefined : p.protocol === 'SCTP'));
    if (used.length === 0) continue;
    const shown = used.map((p) => `${p.port ?? 'every port'}${p.endPort !== undefined ? `-${p.endPort}` : ''}/${p.protocol}`).join(', ');
    out.push({
      subject: policy.id,
      objects: [policyObject(policy)],
      message: feature === 'endPort'
        ? `${policyWhere(policy)}: ${rulePath(direction, index)} uses a port range (${shown}); CNIs that do not support endPort treat it as the first port only`
        : `${policyWhere(policy)}: ${rulePath(direction, index)} uses SCTP (${shown}); some CNIs do not support SCTP and ignore or reject the rule`,
    });
  }
  return out;
}

/** @internal */
export const PORT_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP017',
    rule: 'named-port-undeclared',
    severity: FindingSeverity.WARNING,
    summary: 'A named port in a rule that no destination pod declares as a container port: the entry allows nothing.',
    fix: 'Use the port number, or declare a container port with that name and protocol on the destination pods.',
    check: namedPortsUndeclared,
  },
  {
    id: 'NP018',
    rule: 'port-range-end-port',
    severity: FindingSeverity.WARNING,
    summary: 'A port range (endPort): CNIs without endPort support allow only its first port.',
    fix: 'Check that your CNI supports endPort (Kubernetes 1.25+ and e.g. Calico, Cilium), or list the ports one by one.',
    check: (c) => portFeature(c, 'endPort'),
  },
  {
    id: 'NP019',
    rule: 'sctp-port',
    severity: FindingSeverity.WARNING,
    summary: 'An SCTP port: some CNIs do not support SCTP in NetworkPolicies.',
    fix: 'Check that your CNI supports SCTP NetworkPolicies before relying on the rule.',
    check: (c) => portFeature(c, 'SCTP'),
  },
];
