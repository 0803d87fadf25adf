import { BitSet } from './bitset';
import { ClusterModel, Direction, IpBlockModel } from './cluster-model';
import { EndpointModel, blockHoldsExternal, isExternal } from './external-nodes';
import { Selector, selectorKey, selectorMatches } from './label-matcher';
import { NetworkPolicyTierPolicy, ipBlockMatches } from './network-policy-layer';
import { externalNodes, policyLayers } from './policy-layers';
import { ClassIndex, PeerMatcher, TIERS, TierPolicy, TierRule } from './policy-tier';
import { ProbePort, dependsOnDestination, portEntryMatches } from './rule-ports';
import { SideProgram, emptyProgram, orderTier, walkClasses } from './verdict-walk';

/**
 * Computes whole truth tables fast. Endpoints that no policy can tell apart form one equivalence
 * class: pods in the same namespace with the same values for every label key some layer's
 * selectors read, the same container ports for the port names some rule uses and the same set of
 * address blocks their IPs fall in; external nodes in the same address blocks. What a layer reads
 * it declares (`ClassFeatures`), so the classes of a new tier separate what its rules see. Every
 * set of endpoints is a bit set over classes, and each side's verdict is the tier walk over those
 * bit sets (`walkClasses`). Must agree with `evaluator.ts` probe by probe (the property tests
 * check it against an independent reference).
 * @internal
 */
export class MatrixEngine implements ClassIndex {
  /** The endpoints: the model's pods in model order, then its external nodes. */
  public readonly endpoints: readonly EndpointModel[];
  /** Class index of every endpoint. */
  public readonly classOfEndpoint: Int32Array;
  /** Class index of every pod of the model, in model order (the first entries of `classOfEndpoint`). */
  public readonly classOfPod: Int32Array;
  /** Number of classes. */
  public readonly classCount: number;
  public readonly allClasses: BitSet;
  public readonly podClasses: BitSet;

  private readonly representatives: number[] = [];
  private readonly classPortKey: string[] = [];
  private readonly namespaceIndex = new Map<string, BitSet>();
  private readonly labelIndex = new Map<string, Map<string, BitSet>>();
  private readonly labelKeyIndex = new Map<string, BitSet>();
  private readonly selectorCache = new Map<string, BitSet>();
  private readonly namespaceSelectorCache = new Map<string, BitSet>();
  private readonly addressCache = new Map<string, BitSet>();
  private readonly ruleCache = new Map<TierRule, BitSet>();
  private readonly peerCache = new Map<PeerMatcher, BitSet>();
  /** Per direction, per class: the policies of each tier applying, shared between classes with equal lists. */
  private readonly programs: Record<Direction, SideProgram[]> = { Ingress: [], Egress: [] };
  private readonly programKeys: Record<Direction, string[]> = { Ingress: [], Egress: [] };

  public constructor(private readonly model: ClusterModel) {
    const layers = policyLayers(model);
    const labelKeys = new Set<string>();
    const portNames = new Set<string>();
    const blocks = new Map<string, IpBlockModel>();
    for (const layer of layers) {
      for (const k of layer.features.podLabelKeys) labelKeys.add(k);
      for (const p of layer.features.portNames) portNames.add(p);
      for (const b of layer.features.addressBlocks) blocks.set(ipBlockKey(b), b);
    }
    const sortedKeys = [...labelKeys].sort();
    const blockList = [...blocks.values()];
    this.endpoints = [...model.pods, ...externalNodes(model)];

    // Group endpoints into classes.
    const classByKey = new Map<string, number>();
    this.classOfEndpoint = new Int32Array(this.endpoints.length);
    this.endpoints.forEach((endpoint, i) => {
      let key: string;
      let ports = '';
      if (isExternal(endpoint) && endpoint.named) {
        key = `N\u0000${endpoint.id}`;
      } else if (isExternal(endpoint)) {
        key = `E\u0000${endpoint.family}\u0000${blockList.map((b) => (blockHoldsExternal(b, endpoint) ? '1' : '0')).join('')}`;
      } else {
        const labels = sortedKeys.map((k) => (Object.prototype.hasOwnProperty.call(endpoint.labels, k) ? `${k}=${endpoint.labels[k]}` : '')).join('\u0001');
        ports = portNames.size === 0 ? '' : endpoint.ports.filter((p) => p.name !== undefined && portNames.has(p.name))
          .map((p) => `${p.name}/${p.protocol}/${p.containerPort}`).sort().join(',');
        const ips = blockList.length === 0 || endpoint.ips.length === 0 ? '' : blockList.map((b) => (ipBlockMatches(b, endpoint) ? '1' : '0')).join('');
        key = `P\u0000${endpoint.namespace}\u0000${labels}\u0000${ports}\u0000${ips}`;
      }
      let c = classByKey.get(key);
      if (c === undefined) {
        c = this.representatives.length;
        classByKey.set(key, c);
        this.representatives.push(i);
        this.classPortKey.push(ports);
      }
      this.classOfEndpoint[i] = c;
    });
    this.classOfPod = this.classOfEndpoint.subarray(0, model.pods.length);
    this.classCount = this.representatives.length;
    const n = this.classCount;
    this.allClasses = BitSet.full(n);
    this.podClasses = new BitSet(n);

    // Indexes over pod classes.
    this.representatives.forEach((endpointIndex, c) => {
      const pod = this.endpoints[endpointIndex];
      if (isExternal(pod)) return;
      this.podClasses.add(c);
      let ns = this.namespaceIndex.get(pod.namespace);
      if (!ns) { ns = new BitSet(n); this.namespaceIndex.set(pod.namespace, ns); }
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

    // Which policies of which tier apply to each class, per direction.
    for (const direction of ['Ingress', 'Egress'] as Direction[]) {
      const ordered: TierPolicy[] = TIERS.flatMap((tier) => orderTier(tier, layers.filter((l) => l.tier === tier)
        .flatMap((l) => [...l.policies(direction)])));
      const lists: number[][] = Array.from({ length: n }, () => []);
      ordered.forEach((policy, p) => policy.subjectClasses(this).forEach((c) => lists[c].push(p)));
      const shared = new Map<string, SideProgram>();
      for (let c = 0; c < n; c++) {
        const key = lists[c].join(',');
        let program = shared.get(key);
        if (!program) {
          const byTier = TIERS.map((tier) => lists[c].map((p) => ordered[p]).filter((p) => p.tier === tier));
          program = lists[c].length === 0 ? emptyProgram(direction) : { direction, byTier };
          shared.set(key, program);
        }
        this.programs[direction].push(program);
        this.programKeys[direction].push(key);
      }
    }
  }

  /** The policies of each tier applying to a class in a direction. */
  public program(classIndex: number, direction: Direction): SideProgram {
    return this.programs[direction][classIndex];
  }

  /** The NetworkPolicy v1 objects isolating a class for a direction. */
  public networkPolicies(classIndex: number, direction: Direction): readonly NetworkPolicyTierPolicy[] {
    return this.program(classIndex, direction).byTier[TIERS.indexOf('NetworkPolicy')].filter((p): p is NetworkPolicyTierPolicy => p instanceof NetworkPolicyTierPolicy);
  }

  /** Indexes (in `model.policies`, in order) of the NetworkPolicies isolating a class for a direction. */
  public isolatingPolicies(classIndex: number, direction: Direction): readonly number[] {
    return this.networkPolicies(classIndex, direction).map((p) => p.index);
  }

  /**
   * What the class's endpoints declare of the container ports some rule names (empty for external
   * nodes): classes with equal keys resolve every named port alike.
   */
  public portKey(classIndex: number): string {
    return this.classPortKey[classIndex];
  }

  /** An endpoint of the class: every endpoint of it behaves the same. */
  public representative(classIndex: number): EndpointModel {
    return this.endpoints[this.representatives[classIndex]];
  }

  /** The class-level truth table for one port. */
  public compute(probe: ProbePort): ClassMatrix {
    const n = this.classCount;
    const all = this.allClasses;
    const none = new BitSet(n);
    const rules = (rule: TierRule): BitSet => this.ruleClasses(rule);

    // ingressFrom[d]: source classes d's ingress admits; shared rows for equal programs. Named
    // ports resolve on d itself, so a rule's ports admit the probe for every source or none.
    const ingressFrom: BitSet[] = new Array(n);
    const ingressMemo = new Map<string, BitSet>();
    for (let d = 0; d < n; d++) {
      const key = `${this.programKeys.Ingress[d]}|${this.classPortKey[d]}`;
      let row = ingressMemo.get(key);
      if (!row) {
        const destination = this.representative(d);
        const admits = (rule: TierRule): boolean => rule.ports.length === 0 || rule.ports.some((e) => portEntryMatches(e, destination, probe));
        const ports = (rule: TierRule): BitSet => (admits(rule) ? all : none);
        row = walkClasses(this.programs.Ingress[d], all, rules, ports);
        ingressMemo.set(key, row);
      }
      ingressFrom[d] = row;
    }

    // egressTo[s]: destination classes s's egress admits.
    const egressTo: BitSet[] = new Array(n);
    const egressMemo = new Map<SideProgram, BitSet>();
    const portMemo = new Map<TierRule, BitSet>();
    const ports = (rule: TierRule): BitSet => this.destinationsAdmittedByPorts(rule, probe, portMemo, none);
    for (let s = 0; s < n; s++) {
      const program = this.programs.Egress[s];
      let row = egressMemo.get(program);
      if (!row) {
        row = walkClasses(program, all, rules, ports);
        egressMemo.set(program, row);
      }
      egressTo[s] = row;
    }

    // ingressAdmits[s]: destination classes whose ingress admits s (the transpose of ingressFrom).
    const open = new BitSet(n);
    for (let d = 0; d < n; d++) if (ingressFrom[d] === all) open.add(d);
    const ingressAdmits: BitSet[] = new Array(n);
    for (let s = 0; s < n; s++) ingressAdmits[s] = open.clone();
    for (let d = 0; d < n; d++) {
      if (ingressFrom[d] === all) continue;
      ingressFrom[d].forEach((s) => ingressAdmits[s].add(d));
    }
    const allowed: BitSet[] = new Array(n);
    for (let s = 0; s < n; s++) allowed[s] = egressTo[s] === all ? ingressAdmits[s] : ingressAdmits[s].clone().and(egressTo[s]);
    return { egressTo, ingressAdmits, allowed };
  }

  /** The destination classes on which a rule's ports admit the probe. */
  private destinationsAdmittedByPorts(rule: TierRule, probe: ProbePort, cache: Map<TierRule, BitSet>, none: BitSet): BitSet {
    if (rule.ports.length === 0) return this.allClasses;
    const cached = cache.get(rule);
    if (cached) return cached;
    // Numeric and all-port entries do not depend on the destination.
    const constant = rule.ports.some((e) => !dependsOnDestination(e) && portEntryMatches(e, this.endpoints[0], probe));
    let result: BitSet = none;
    if (constant) {
      result = this.allClasses;
    } else {
      const named = rule.ports.filter((e) => dependsOnDestination(e) && e.protocol === probe.protocol);
      if (named.length) {
        result = new BitSet(this.classCount);
        for (let c = 0; c < this.classCount; c++) {
          const destination = this.representative(c);
          if (named.some((e) => portEntryMatches(e, destination, probe))) result.add(c);
        }
      }
    }
    cache.set(rule, result);
    return result;
  }

  /**
   * The classes some peer of a rule matches: every class for a rule without peers. Read only: it
   * may be a set other rules and peers share.
   */
  public ruleClasses(rule: TierRule): BitSet {
    let set = this.ruleCache.get(rule);
    if (set) return set;
    if (rule.peers.length === 0) {
      set = this.allClasses;
    } else if (rule.peers.length === 1) {
      // A set per rule would hold a bit per class for every rule: share the peer's.
      set = this.peerClasses(rule.peers[0]);
    } else {
      set = new BitSet(this.classCount);
      for (const peer of rule.peers) set.or(this.peerClasses(peer));
    }
    this.ruleCache.set(rule, set);
    return set;
  }

  /** The classes one peer matches. Read only, like `ruleClasses`. */
  public peerClasses(peer: PeerMatcher): BitSet {
    let set = this.peerCache.get(peer);
    if (!set) {
      set = peer.classes(this);
      this.peerCache.set(peer, set);
    }
    return set;
  }

  public namespaceClasses(name: string): BitSet {
    return this.namespaceIndex.get(name) ?? new BitSet(this.classCount);
  }

  public namespaceSelectorClasses(selector: Selector): BitSet {
    const key = selectorKey(selector);
    let set = this.namespaceSelectorCache.get(key);
    if (set) return set;
    set = new BitSet(this.classCount);
    for (const [name, classes] of this.namespaceIndex) {
      if (selectorMatches(selector, this.model.namespaceLabels(name))) set.or(classes);
    }
    this.namespaceSelectorCache.set(key, set);
    return set;
  }

  public podSelectorClasses(selector: Selector): BitSet {
    const key = selectorKey(selector);
    let set = this.selectorCache.get(key);
    if (set) return set;
    const n = this.classCount;
    set = this.podClasses.clone();
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

  public addressClasses(block: IpBlockModel): BitSet {
    const key = ipBlockKey(block);
    let set = this.addressCache.get(key);
    if (set) return set;
    set = new BitSet(this.classCount);
    for (let c = 0; c < this.classCount; c++) {
      const endpoint = this.representative(c);
      if (isExternal(endpoint) ? blockHoldsExternal(block, endpoint) : ipBlockMatches(block, endpoint)) set.add(c);
    }
    this.addressCache.set(key, set);
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
