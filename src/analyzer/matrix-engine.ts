import { BitSet } from './bitset';
import { ClusterModel, Direction, IpBlockModel, PeerModel, PodModel, PolicyModel, RuleModel } from './cluster-model';
import { ProbePort, ipBlockMatches, portEntryMatches } from './evaluator';
import { Selector, selectorKey, selectorLabelKeys, selectorMatches } from './label-matcher';

/**
 * Computes whole truth tables fast. Pods that no policy can tell apart — same namespace, same
 * values for the label keys some selector looks at, same container ports for the port names some
 * rule uses, same set of ipBlocks their IPs fall in — form one equivalence class, and every set of
 * pods is a bit set over classes. Must agree with `evaluator.ts` probe by probe (the property
 * tests check it against an independent reference).
 * @internal
 */
export class MatrixEngine {
  /** Class index of every pod of the model, in model order. */
  public readonly classOfPod: Int32Array;
  /** Number of classes. */
  public readonly classCount: number;

  private readonly representatives: number[] = [];
  private readonly classPortKey: string[] = [];
  private readonly all: BitSet;
  private readonly namespaceClasses = new Map<string, BitSet>();
  private readonly labelIndex = new Map<string, Map<string, BitSet>>();
  private readonly labelKeyIndex = new Map<string, BitSet>();
  private readonly selectorCache = new Map<string, BitSet>();
  private readonly namespaceSelectorCache = new Map<string, BitSet>();
  private readonly ipBlockIndex = new Map<string, number>();
  private readonly ipBlockClasses: BitSet[] = [];
  private readonly rulePeers = new Map<RuleModel, BitSet>();
  private readonly peerCache = new Map<PeerModel, BitSet>();
  /** Per class: indexes of policies that isolate it, per direction. */
  private readonly ingressPolicies: number[][] = [];
  private readonly egressPolicies: number[][] = [];

  public constructor(private readonly model: ClusterModel) {
    const policies = model.policies;
    const labelKeys = new Set<string>();
    const portNames = new Set<string>();
    const blocks: IpBlockModel[] = [];
    for (const policy of policies) {
      for (const k of selectorLabelKeys(policy.podSelector)) labelKeys.add(k);
      for (const rule of [...policy.ingress, ...policy.egress]) {
        for (const port of rule.ports) if (typeof port.port === 'string') portNames.add(port.port);
        for (const peer of rule.peers) {
          if (peer.podSelector) for (const k of selectorLabelKeys(peer.podSelector)) labelKeys.add(k);
          if (peer.ipBlock) {
            const key = ipBlockKey(peer.ipBlock);
            if (!this.ipBlockIndex.has(key)) { this.ipBlockIndex.set(key, blocks.length); blocks.push(peer.ipBlock); }
          }
        }
      }
    }
    const sortedKeys = [...labelKeys].sort();

    // Group pods into classes.
    const classByKey = new Map<string, number>();
    this.classOfPod = new Int32Array(model.pods.length);
    model.pods.forEach((pod, i) => {
      const labels = sortedKeys.map((k) => (Object.prototype.hasOwnProperty.call(pod.labels, k) ? `${k}=${pod.labels[k]}` : '')).join('\u0001');
      const ports = portNames.size === 0 ? '' : pod.ports.filter((p) => p.name !== undefined && portNames.has(p.name))
        .map((p) => `${p.name}/${p.protocol}/${p.containerPort}`).sort().join(',');
      const ips = blocks.length === 0 || pod.ips.length === 0 ? '' : blocks.map((b) => (ipBlockMatches(b, pod) ? '1' : '0')).join('');
      const key = `${pod.namespace}\u0000${labels}\u0000${ports}\u0000${ips}`;
      let c = classByKey.get(key);
      if (c === undefined) {
        c = this.representatives.length;
        classByKey.set(key, c);
        this.representatives.push(i);
        this.classPortKey.push(ports);
      }
      this.classOfPod[i] = c;
    });
    this.classCount = this.representatives.length;
    const n = this.classCount;
    this.all = BitSet.full(n);

    // Indexes over classes.
    this.representatives.forEach((podIndex, c) => {
      const pod = model.pods[podIndex];
      let ns = this.namespaceClasses.get(pod.namespace);
      if (!ns) { ns = new BitSet(n); this.namespaceClasses.set(pod.namespace, ns); }
      ns.add(c);
      for (const k of sortedKeys) {
        if (!Object.prototype.hasOwnProperty.call(pod.labels, k)) continue;
        let byValue = this.labelIndex.get(k);
        if (!byValue) { byValue = new Map(); this.labelIndex.set(k, byValue); }
        let set = byValue.get(pod.labels[k]);
        if (!set) { set = new BitSet(n); byValue.set(pod.labels[k], set); }
        set.add(c);
        let keySet = this.labelKeyIndex.get(k);
        if (!keySet) { keySet = new BitSet(n); this.labelKeyIndex.set(k, keySet); }
        keySet.add(c);
      }
    });
    for (const block of blocks) {
      const set = new BitSet(n);
      this.representatives.forEach((podIndex, c) => { if (ipBlockMatches(block, model.pods[podIndex])) set.add(c); });
      this.ipBlockClasses.push(set);
    }

    for (let c = 0; c < n; c++) { this.ingressPolicies.push([]); this.egressPolicies.push([]); }
    policies.forEach((policy, p) => {
      if (!policy.isolatesIngress && !policy.isolatesEgress) return;
      const ns = this.namespaceClasses.get(policy.namespace);
      if (!ns) return;
      this.podSelectorClasses(policy.podSelector).clone().and(ns).forEach((c) => {
        if (policy.isolatesIngress) this.ingressPolicies[c].push(p);
        if (policy.isolatesEgress) this.egressPolicies[c].push(p);
      });
    });
  }

  /** Whether a class is isolated for ingress / egress. */
  public isIsolated(classIndex: number, direction: Direction): boolean {
    return this.isolatingPolicies(classIndex, direction).length > 0;
  }

  /** Indexes (in `model.policies`, in order) of the policies isolating a class for a direction. */
  public isolatingPolicies(classIndex: number, direction: Direction): readonly number[] {
    return (direction === 'Ingress' ? this.ingressPolicies : this.egressPolicies)[classIndex];
  }

  /** A pod of the class: every pod of it behaves the same. */
  public representative(classIndex: number): PodModel {
    return this.model.pods[this.representatives[classIndex]];
  }

  /** The class-level truth table for one port. */
  public compute(probe: ProbePort): ClassMatrix {
    const n = this.classCount;
    const policies = this.model.policies;

    // ingressFrom[d]: source classes d's ingress admits; shared rows for equal policy lists.
    const ingressFrom: BitSet[] = new Array(n);
    const ingressMemo = new Map<string, BitSet>();
    for (let d = 0; d < n; d++) {
      const list = this.ingressPolicies[d];
      if (list.length === 0) { ingressFrom[d] = this.all; continue; }
      const key = `${list.join(',')}|${this.classPortKey[d]}`;
      let row = ingressMemo.get(key);
      if (!row) {
        row = new BitSet(n);
        const destination = this.model.pods[this.representatives[d]];
        for (const p of list) {
          for (const rule of policies[p].ingress) {
            const ports = rule.ports.length === 0 || rule.ports.some((e) => portEntryMatches(e, destination, probe));
            if (ports) row.or(this.ruleClasses(policies[p], rule));
          }
        }
        ingressMemo.set(key, row);
      }
      ingressFrom[d] = row;
    }

    // egressTo[s]: destination classes s's egress admits.
    const egressTo: BitSet[] = new Array(n);
    const egressMemo = new Map<string, BitSet>();
    const rulePorts = new Map<RuleModel, BitSet>();
    for (let s = 0; s < n; s++) {
      const list = this.egressPolicies[s];
      if (list.length === 0) { egressTo[s] = this.all; continue; }
      const key = list.join(',');
      let row = egressMemo.get(key);
      if (!row) {
        row = new BitSet(n);
        for (const p of list) {
          for (const rule of policies[p].egress) {
            const ports = this.destinationsAdmittedByPorts(rule, probe, rulePorts);
            if (ports === this.all) row.or(this.ruleClasses(policies[p], rule));
            else if (!ports.isEmpty()) row.or(this.ruleClasses(policies[p], rule).clone().and(ports));
          }
        }
        egressMemo.set(key, row);
      }
      egressTo[s] = row;
    }

    // ingressAdmits[s]: destination classes whose ingress admits s (the transpose of ingressFrom).
    const open = new BitSet(n);
    for (let d = 0; d < n; d++) if (ingressFrom[d] === this.all) open.add(d);
    const ingressAdmits: BitSet[] = new Array(n);
    for (let s = 0; s < n; s++) ingressAdmits[s] = open.clone();
    for (let d = 0; d < n; d++) {
      if (ingressFrom[d] === this.all) continue;
      ingressFrom[d].forEach((s) => ingressAdmits[s].add(d));
    }
    const allowed: BitSet[] = new Array(n);
    for (let s = 0; s < n; s++) allowed[s] = egressTo[s] === this.all ? ingressAdmits[s] : ingressAdmits[s].clone().and(egressTo[s]);
    return { egressTo, ingressAdmits, allowed };
  }

  private destinationsAdmittedByPorts(rule: RuleModel, probe: ProbePort, cache: Map<RuleModel, BitSet>): BitSet {
    if (rule.ports.length === 0 || this.classCount === 0) return this.all;
    const cached = cache.get(rule);
    if (cached) return cached;
    // Numeric and all-port entries do not depend on the destination.
    const anyPod = this.model.pods[this.representatives[0]];
    const constant = rule.ports.some((e) => typeof e.port !== 'string' && portEntryMatches(e, anyPod, probe));
    let result: BitSet;
    if (constant) {
      result = this.all;
    } else {
      result = new BitSet(this.classCount);
      const named = rule.ports.filter((e) => typeof e.port === 'string' && e.protocol === probe.protocol);
      if (named.length) {
        this.representatives.forEach((podIndex, c) => {
          const pod = this.model.pods[podIndex];
          if (named.some((e) => portEntryMatches(e, pod, probe))) result.add(c);
        });
      }
    }
    cache.set(rule, result);
    return result;
  }

  /** The classes some peer of a rule matches: every class for a rule without peers. */
  public ruleClasses(policy: PolicyModel, rule: RuleModel): BitSet {
    let set = this.rulePeers.get(rule);
    if (set) return set;
    if (rule.peers.length === 0) {
      set = this.all;
    } else {
      set = new BitSet(this.classCount);
      for (const peer of rule.peers) set.or(this.peerClasses(policy, peer));
    }
    this.rulePeers.set(rule, set);
    return set;
  }

  /** The classes one peer of a policy's rule matches. */
  public peerClasses(policy: PolicyModel, peer: PeerModel): BitSet {
    // A peer belongs to one rule of one policy, so the peer alone keys the cache.
    let set = this.peerCache.get(peer);
    if (!set) {
      set = this.computePeerClasses(policy, peer);
      this.peerCache.set(peer, set);
    }
    return set;
  }

  private computePeerClasses(policy: PolicyModel, peer: PeerModel): BitSet {
    if (peer.ipBlock) return this.ipBlockClasses[this.ipBlockIndex.get(ipBlockKey(peer.ipBlock))!];
    if (!peer.podSelector && !peer.namespaceSelector) return new BitSet(this.classCount);
    const namespaces = peer.namespaceSelector
      ? this.namespaceSelectorClasses(peer.namespaceSelector)
      : this.namespaceClasses.get(policy.namespace) ?? new BitSet(this.classCount);
    if (!peer.podSelector) return namespaces;
    return this.podSelectorClasses(peer.podSelector).clone().and(namespaces);
  }

  private namespaceSelectorClasses(selector: Selector): BitSet {
    const key = selectorKey(selector);
    let set = this.namespaceSelectorCache.get(key);
    if (set) return set;
    set = new BitSet(this.classCount);
    for (const [name, classes] of this.namespaceClasses) {
      if (selectorMatches(selector, this.model.namespaceLabels(name))) set.or(classes);
    }
    this.namespaceSelectorCache.set(key, set);
    return set;
  }

  /** Classes whose pod labels match (any namespace). */
  private podSelectorClasses(selector: Selector): BitSet {
    const key = selectorKey(selector);
    let set = this.selectorCache.get(key);
    if (set) return set;
    const n = this.classCount;
    set = this.all.clone();
    const empty = new BitSet(n);
    for (const [k, v] of Object.entries(selector.matchLabels)) set.and(this.labelIndex.get(k)?.get(v) ?? empty);
    for (const req of selector.matchExpressions) {
      const keySet = this.labelKeyIndex.get(req.key) ?? empty;
      const valueSet = (): BitSet => {
        const union = new BitSet(n);
        for (const v of req.values) { const s = this.labelIndex.get(req.key)?.get(v); if (s) union.or(s); }
        return union;
      };
      switch (req.operator) {
        case 'In': set.and(valueSet()); break;
        case 'NotIn': set.andNot(valueSet()); break;
        case 'Exists': set.and(keySet); break;
        case 'DoesNotExist': set.andNot(keySet); break;
        default: set.and(empty);
      }
    }
    this.selectorCache.set(key, set);
    return set;
  }
}

/** A class-level truth table: rows indexed by source class, bits by destination class. @internal */
export interface ClassMatrix {
  readonly egressTo: readonly BitSet[];
  readonly ingressAdmits: readonly BitSet[];
  readonly allowed: readonly BitSet[];
}

function ipBlockKey(block: IpBlockModel): string {
  return [block.cidr.canonical, ...block.except.map((e) => e.canonical).sort()].join(' ');
}
