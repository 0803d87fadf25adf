import { IConstruct } from 'constructs';
import { ClusterPolicyBackend } from './cluster-policy-backend';
import { ClusterPolicyIntent } from './cluster-policy-intent';
import { partName } from './cluster-policy-names';
import { ClusterTier } from './cluster-tier';
import { ClusterRuleAction } from '../vocabulary/cluster-rule';
import { invalid } from '../vocabulary/errors';
import { compare } from '../vocabulary/label-selector';

/** The highest priority the API takes. */
const MAX_PRIORITY = 1000;
/** Allocated priorities start here and at multiples of it, leaving room for priorities given by hand. */
const STEP = 10;

/**
 * The cluster guardrails of an app: the single source each cluster-tier backend renders, and the
 * priorities of their objects.
 *
 * Priorities are per tier. A guardrail given a priority keeps it (split into n objects, it takes n
 * consecutive ones); two whose priorities meet fail at once, naming both. The others get the lowest
 * free multiples of 10 from 10 up, in an order that does not depend on the order of construction:
 * guardrails that only deny first (no allow of the app opens what they deny), then those that mix
 * actions, then those that only allow; within each, by construct path. So every object of the app
 * has its own priority: the API leaves ties undefined.
 * @internal
 */
export class ClusterPolicyRegistry {
  /** The registry of the app `scope` belongs to. */
  public static of(scope: IConstruct): ClusterPolicyRegistry {
    const root = scope.node.root;
    let registry = REGISTRIES.get(root);
    if (!registry) {
      registry = new ClusterPolicyRegistry();
      REGISTRIES.set(root, registry);
    }
    return registry;
  }

  private backends: readonly ClusterPolicyBackend[] = [ClusterPolicyBackend.CLUSTER_NETWORK_POLICY];
  private readonly intents: ClusterPolicyIntent[] = [];
  /** Object names in use, and the construct of each. */
  private readonly names = new Map<string, IConstruct>();
  /** Backends whose singleton object exists. */
  private readonly singletons = new Set<ClusterPolicyBackend>();
  /** The allocated priorities, for the intents present when computed. */
  private allocated?: Map<ClusterPolicyIntent, number>;

  private constructor() {}

  /** Chooses the backends; only before the first guardrail, since each makes its objects at once. */
  public useBackends(requester: IConstruct, backends: ClusterPolicyBackend[]): void {
    const where = `ClusterPolicyBackend.use(${requester.node.path || 'app'})`;
    if (backends.length === 0) {
      throw invalid(where, 'no backend given, so no guardrail would be rendered', 'Name ClusterPolicyBackend.CLUSTER_NETWORK_POLICY, ClusterPolicyBackend.ADMIN_NETWORK_POLICY or both');
    }
    if (this.intents.length > 0) {
      throw invalid(where, `${this.intents.length} guardrails already exist, made for ${this.backends.map((b) => b.name).join(' and ')}`,
        'Call ClusterPolicyBackend.use(app, ...) right after creating the App, before any guardrail');
    }
    this.backends = [...new Set(backends)];
  }

  /** Records a guardrail and makes its objects. */
  public add(intent: ClusterPolicyIntent): void {
    const span = this.span(intent);
    for (let k = 0; k < span; k++) {
      const name = partName(intent.name, k);
      const other = this.names.get(name);
      if (other) {
        throw invalid(intent.requester.node.path, `the name '${name}' is taken by ${other.node.path}, and cluster-scoped objects need names unique in the cluster`,
          'Give one of them another name');
      }
    }
    if (intent.priority !== undefined) {
      const last = intent.priority + span - 1;
      if (last > MAX_PRIORITY) {
        throw invalid(intent.requester.node.path, `priority ${intent.priority} with ${span} objects (its rules are split) would need priorities up to ${last}, beyond ${MAX_PRIORITY}`,
          `Give a priority of at most ${MAX_PRIORITY - span + 1}`);
      }
      for (const other of this.intents) {
        if (other.tier !== intent.tier || other.priority === undefined) continue;
        const otherLast = other.priority + this.span(other) - 1;
        if (other.priority <= last && intent.priority <= otherLast) {
          const clash = Math.max(other.priority, intent.priority);
          throw invalid(intent.requester.node.path,
            `priority ${clash} in the ${intent.tier} tier is also taken by ${other.requester.node.path}${describeRange(other.priority, otherLast)}: the API leaves the order of two policies with one priority undefined`,
            `Give one of them another priority (${this.freePriority(intent.tier, span)} is free), or leave priority out to have one allocated`);
        }
      }
    }
    this.intents.push(intent);
    this.allocated = undefined;
    for (let k = 0; k < span; k++) this.names.set(partName(intent.name, k), intent.requester);
    for (const backend of this.backends) backend._write(this, intent);
  }

  /** The priority of the first object of `intent` (allocated at first use, once every guardrail exists). @internal */
  public _priorityOf(intent: ClusterPolicyIntent): number {
    this.allocated ??= this.allocate();
    return this.allocated.get(intent)!;
  }

  /** The intents of `tier`, by priority. @internal */
  public _inPriorityOrder(tier: ClusterTier): ClusterPolicyIntent[] {
    return this.intents.filter((i) => i.tier === tier).sort((a, b) => this._priorityOf(a) - this._priorityOf(b));
  }

  /** Whether `backend` must make its singleton object now (only the first time). @internal */
  public _claimSingleton(backend: ClusterPolicyBackend): boolean {
    if (this.singletons.has(backend)) return false;
    this.singletons.add(backend);
    return true;
  }

  /** How many consecutive priorities an intent takes: its most objects over the backends. */
  private span(intent: ClusterPolicyIntent): number {
    return Math.max(...this.backends.map((b) => b._split(intent).length));
  }

  private allocate(): Map<ClusterPolicyIntent, number> {
    const result = new Map<ClusterPolicyIntent, number>();
    for (const tier of new Set(this.intents.map((i) => i.tier))) {
      for (const intent of this.intents) if (intent.tier === tier && intent.priority !== undefined) result.set(intent, intent.priority);
      const taken = this.taken(tier);
      const free = this.intents.filter((i) => i.tier === tier && i.priority === undefined)
        .sort((a, b) => precedence(a) - precedence(b) || compare(a.requester.node.path, b.requester.node.path));
      let cursor = STEP;
      for (const intent of free) {
        const span = this.span(intent);
        const base = firstFree(cursor, span, taken);
        if (base + span - 1 > MAX_PRIORITY) {
          throw invalid(intent.requester.node.path, `no free priority is left in the ${tier} tier (allocated ones go from ${STEP} in steps of ${STEP}, around those given by hand, up to ${MAX_PRIORITY})`,
            'Give some guardrails their priority by hand, or merge guardrails with the same subject');
        }
        result.set(intent, base);
        cursor = base + span;
      }
    }
    return result;
  }

  /** A free priority for an intent of `span` objects in `tier`, for error messages. */
  private freePriority(tier: ClusterTier, span: number): number {
    return firstFree(STEP, span, this.taken(tier));
  }

  /** The ranges of priorities given by hand in `tier`. */
  private taken(tier: ClusterTier): (readonly [number, number])[] {
    return this.intents.filter((i) => i.tier === tier && i.priority !== undefined).map((i) => [i.priority!, i.priority! + this.span(i) - 1] as const);
  }
}

/** The first multiple of STEP at or after `from` where `span` priorities meet none of `taken`. */
function firstFree(from: number, span: number, taken: readonly (readonly [number, number])[]): number {
  let base = Math.ceil(from / STEP) * STEP;
  for (;;) {
    const clash = taken.find(([first, last]) => first <= base + span - 1 && base <= last);
    if (!clash) return base;
    base = Math.ceil((clash[1] + 1) / STEP) * STEP;
  }
}

/** 0: only Deny rules; 2: only Allow rules; 1: anything else. */
function precedence(intent: ClusterPolicyIntent): number {
  const actions = new Set([...intent.ingress, ...intent.egress].map((r) => r.action));
  if (actions.size === 1 && actions.has(ClusterRuleAction.DENY)) return 0;
  if (actions.size === 1 && actions.has(ClusterRuleAction.ALLOW)) return 2;
  return 1;
}

function describeRange(first: number, last: number): string {
  return first === last ? '' : ` (priorities ${first}-${last}: its rules are split into ${last - first + 1} objects)`;
}

const REGISTRIES = new WeakMap<IConstruct, ClusterPolicyRegistry>();
