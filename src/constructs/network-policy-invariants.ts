import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { dump } from 'js-yaml';
import { PolicyRegistry } from './policy-registry';
import { checkArg, checkProps, Is, PropsSpec } from '../vocabulary/input-checks';
import { AN_INVARIANT, EndpointSpec, FlowSpec, Invariant, InvariantSpec } from '../vocabulary/invariant';

/**
 * Checks an app's invariants against the objects its charts synthesize; returns, for each
 * invariant, the message of its violation or undefined when it holds. The guardrails layer provides
 * it (the constructs layer does not load the analyzer).
 * @internal
 */
export type InvariantChecker = (root: IConstruct, objects: any[], invariants: InvariantSpec[]) => (string | undefined)[];

/** Where `NetworkPolicyInvariants.writeFile` writes in the app's outdir. @internal */
export const INVARIANTS_FILE = path.join('invariants', 'app.yaml');

/**
 * Properties of {@link NetworkPolicyInvariants}.
 *
 * @example
 * { invariants: [Invariant.neverAllowed({ name: 'web never reaches db', from: [Peer.workload(web)], to: [Peer.workload(db)] })] }
 */
export interface NetworkPolicyInvariantsProps {
  /**
   * The invariants.
   * @default - none; add them with `add()`
   */
  readonly invariants?: Invariant[];
}

/**
 * Records invariants about what the policies of the whole app allow: flows that must never be
 * allowed and flows that must stay allowed. At every synth the analyzer checks every invariant of
 * the app against the manifests of all its charts (plus the pods given to any
 * `NetworkPolicyGuardrails` of the app), and synth fails while one is violated, with the
 * invariant's name, the construct that declared it, the offending pair and port, and the policy
 * rule that opens the flow (or the isolation that blocks it) as `explain` gives it.
 *
 * Selectors that match no pod of the manifests are checked on a pod assumed to match them (named
 * `assumed-…`), so invariants hold for the pods an app will run, not only those it declares.
 * `ThreeTierApp`, `ZeroTrustNamespace` and `DefaultDeny` declare their own invariants this way, and
 * so can any construct built on this library.
 *
 * The check runs when the package's main entry is loaded (`import ... from 'cdk8s-netpol'`), which
 * brings the analyzer.
 *
 * @example
 * new NetworkPolicyInvariants(chart, 'invariants', {
 *   invariants: [
 *     Invariant.neverAllowed({ name: 'the frontend never reaches the database', from: [Peer.workload(web)], to: [Peer.workload(db)] }),
 *     Invariant.alwaysAllowed({ name: 'ingress-nginx reaches web on 443', from: [Peer.namespace('ingress-nginx')], to: [Peer.workload(web)], ports: [Port.HTTPS] }),
 *   ],
 * });
 */
export class NetworkPolicyInvariants extends Construct {
  /**
   * The app's invariants in the file format of `cdk8s-netpol analyze --invariants` (YAML), to check
   * the deployed manifests against them in a pipeline; with the flows its constructs declare (each
   * must be allowed) and the namespaces it writes policies into (between whose pods no other flow
   * may be allowed).
   * @param scope any construct of the app
   */
  public static toYaml(scope: IConstruct): string {
    const objects = NetworkPolicyInvariants._objects(scope);
    const namespaces = [...new Set(objects.filter((o) => o.kind === 'NetworkPolicy').map((o) => String(o.metadata?.namespace)))].sort();
    const flows = PolicyRegistry.of(scope).declaredFlows().map((f) => ({ ...f.flow, declaredBy: f.declaredBy }));
    const content = { namespaces, flows, invariants: NetworkPolicyInvariants._specs(scope) };
    return `# cdk8s-netpol invariants (check with: cdk8s-netpol analyze MANIFESTS --invariants FILE)\n${dump(content, { noRefs: true, lineWidth: -1 })}`;
  }

  /**
   * Writes the app's invariants file (see `toYaml`) to `invariants/app.yaml` in the app's outdir,
   * beside the manifests (in a folder, which `kubectl apply -f dist/` does not read), for a pipeline
   * to run `cdk8s-netpol analyze dist/ --invariants dist/invariants/app.yaml` on what it deploys.
   * @param app the app, after its constructs are added
   * @returns the path of the file
   */
  public static writeFile(app: App): string {
    const file = path.join(app.outdir, INVARIANTS_FILE);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, NetworkPolicyInvariants.toYaml(app));
    return file;
  }

  /** Every invariant of the app of `scope`, in the file format. @internal */
  public static _specs(scope: IConstruct): InvariantSpec[] {
    return stateOf(scope).invariants.flatMap((i) => i._specs());
  }

  /**
   * The objects every chart of the app synthesizes, resolved without validating the app again
   * (`chart.toJson()` would, and the validation is what asks).
   * @internal
   */
  public static _objects(scope: IConstruct): any[] {
    return apiObjectsOf(scope).map((o) => o.toJson());
  }

  /** Installs the analyzer's check. @internal */
  public static _useChecker(checker: InvariantChecker): void {
    NetworkPolicyInvariants.checker = checker;
  }

  /**
   * Runs `synthesize`, which validates the app again (as `chart.toJson()` does), from within a
   * validation of the app without checking the invariants in it: the validation it is part of checks
   * them, once, under each invariants construct's path. `NetworkPolicyGuardrails` reads the charts
   * this way, so a violated invariant is reported once and does not stop the guardrails' analysis.
   * @internal
   */
  public static _synthesizeWithin<T>(scope: IConstruct, synthesize: () => T): T {
    const state = stateOf(scope);
    state.nested++;
    try {
      return synthesize();
    } finally {
      state.nested--;
    }
  }

  private static checker?: InvariantChecker;

  private readonly added: { invariant: Invariant; spec: InvariantSpec }[] = [];

  /**
   * @param scope the parent construct, inside a Chart
   * @param id the construct id
   * @param props the invariants
   */
  public constructor(scope: Construct, id: string, props: NetworkPolicyInvariantsProps = {}) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    stateOf(this).invariants.push(this);
    this.node.addValidation({ validate: () => this.violations() });
    for (const invariant of props.invariants ?? []) this.add(invariant);
  }

  /**
   * Adds invariants.
   * @param invariants the invariants
   * @returns this, for chaining
   */
  public add(...invariants: Invariant[]): NetworkPolicyInvariants {
    invariants.forEach((invariant, i) => checkArg(`${this.node.path}.add()`, `invariants[${i}]`, invariant, { ...AN_INVARIANT, required: true }));
    for (const invariant of invariants) this.added.push({ invariant, spec: invariant._toSpec(this) });
    return this;
  }

  /** The invariants recorded here, in the order they were added. */
  public get invariants(): Invariant[] {
    return this.added.map((a) => a.invariant);
  }

  /** The invariants in the file format, with the flows the app declares where an invariant leaves them out. @internal */
  public _specs(): InvariantSpec[] {
    const declared = this.added.some((a) => a.invariant._exceptDeclaredFlows) ? PolicyRegistry.of(this).declaredFlows().map((f) => f.flow) : [];
    return this.added.map(({ invariant, spec }) => {
      if (!invariant._exceptDeclaredFlows) return spec;
      const except = [...(spec.except ?? []), ...declared.filter((flow) => mayOverlap(flow, spec))];
      return { ...spec, ...(except.length > 0 ? { except } : {}) };
    });
  }

  /** The messages of this construct's violated invariants, from one check of the whole app per state of its objects. */
  private violations(): string[] {
    const state = stateOf(this);
    if (state.nested > 0) return [];
    const pass = enterPass(this, state);
    const checker = NetworkPolicyInvariants.checker;
    if (!checker || this.added.length === 0) return [];
    const { synth } = state;
    const { objects, key } = synth ? (synth.snapshot ??= render(this, synth)) : pass ? (pass.snapshot ??= render(this)) : render(this);
    if (state.checked?.key !== key) {
      const owners = state.invariants.flatMap((owner) => owner.added.map(() => owner));
      const messages = checker(this.node.root, objects, NetworkPolicyInvariants._specs(this));
      const byOwner = new Map<NetworkPolicyInvariants, string[]>();
      messages.forEach((message, i) => {
        if (message === undefined) return;
        const list = byOwner.get(owners[i]);
        if (list) list.push(message);
        else byOwner.set(owners[i], [message]);
      });
      state.checked = { key, byOwner };
    }
    return state.checked.byOwner.get(this) ?? [];
  }
}

/** Whether a flow may share a pair with an invariant (so the file lists only the exemptions that can matter). */
function mayOverlap(flow: FlowSpec, invariant: FlowSpec): boolean {
  const side = (a?: EndpointSpec[], b?: EndpointSpec[]): boolean => !a || !b || a.some((x) => b.some((y) => mayShare(x, y)));
  return side(flow.from, invariant.from) && side(flow.to, invariant.to);
}

/** False only when two endpoints surely share nothing: pods and what is outside the cluster, or pods of two named namespaces. */
function mayShare(a: EndpointSpec, b: EndpointSpec): boolean {
  const pods = (e: EndpointSpec): boolean => !e.ipBlock && e.fqdn === undefined && !e.kubeApiServer;
  if (pods(a) !== pods(b)) return false;
  return !pods(a) || a.namespaceSelector || b.namespaceSelector ? true : a.namespace === b.namespace;
}

const PROPS: PropsSpec<NetworkPolicyInvariantsProps> = { invariants: Is.listOf(AN_INVARIANT) };

/** The app's objects as the invariants are checked on them, and their JSON (what a check is cached by). */
interface Snapshot {
  readonly objects: any[];
  readonly key: string;
}

/**
 * One validation of the whole app (cdk8s validates it once per `app.synth()` and again in every
 * `chart.toJson()`, and a `chart.toJson()` inside a validation opens a pass of its own): the objects,
 * rendered once for every invariants construct of the pass, and the constructs served so far.
 */
interface ValidationPass {
  snapshot?: Snapshot;
  readonly served: Set<NetworkPolicyInvariants>;
}

/** One `app.synth()`: the objects its validations check, rendered once, and the objects that keep that rendering until it ends. */
interface SynthScope {
  snapshot?: Snapshot;
  readonly remembered: ApiObject[];
}

interface AppState {
  readonly invariants: NetworkPolicyInvariants[];
  /** The last check, and the objects it was made for (as JSON): the messages of the violated invariants, by construct. */
  checked?: { readonly key: string; readonly byOwner: Map<NetworkPolicyInvariants, string[]> };
  /** The `app.synth()` (or `app.synthYaml()`) under way, and the objects its validations check. */
  synth?: SynthScope;
  /** The validations of the app under way, innermost last. */
  readonly passes: ValidationPass[];
  /** How many `_synthesizeWithin` calls are under way: while one is, the invariants are not checked. */
  nested: number;
}

const STATES = new WeakMap<IConstruct, AppState>();

function stateOf(scope: IConstruct): AppState {
  const root = scope.node.root;
  let state = STATES.get(root);
  if (!state) {
    const created: AppState = { invariants: [], passes: [], nested: 0 };
    // cdk8s validates the root first (its constructs in preorder), so the root's validation is where a pass begins.
    root.node.addValidation({ validate: () => beginPass(root, created) });
    if (root instanceof App) watchSynth(root, created);
    STATES.set(root, created);
    state = created;
  }
  return state;
}

/**
 * Marks the app's `synth()` and `synthYaml()` calls, so that their validations (one, then one more
 * in every `chart.toJson()` they make: 1 + the number of charts) render the objects once. Nothing
 * but cdk8s runs between those validations, so the objects do not change; outside a synth (or when
 * the methods are called past this wrapper) every validation renders them afresh.
 */
function watchSynth(app: App, state: AppState): void {
  for (const method of ['synth', 'synthYaml'] as const) {
    const synthesize = app[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(app, method, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]): unknown => {
        const outer = state.synth;
        const scope: SynthScope = { remembered: [] };
        state.synth = scope;
        try {
          return synthesize.apply(app, args);
        } finally {
          for (const o of scope.remembered) delete (o as { toJson?: unknown }).toJson;
          state.synth = outer;
        }
      },
    });
  }
}

function beginPass(root: IConstruct, state: AppState): string[] {
  if (state.invariants.length === 0 || state.nested > 0) return [];
  // In a synth, render the objects before any other construct's validation: `NetworkPolicyGuardrails` reads the same rendering.
  if (state.synth) state.synth.snapshot ??= render(root, state.synth);
  if (state.passes.length === 0) queueMicrotask(() => state.passes.splice(0));
  state.passes.push({ served: new Set() });
  return [];
}

/**
 * The pass `invariants` is validated in, or undefined outside one (`node.validate()` called directly,
 * a construct validated twice), where the objects are rendered afresh. Within a validation of the app
 * every invariants construct is validated once and the objects do not change, so they are rendered
 * once per pass, not once per construct (which made synth quadratic: a `DefaultDeny` per namespace
 * declares invariants). The pass ends when every invariants construct of the app has been validated.
 */
function enterPass(invariants: NetworkPolicyInvariants, state: AppState): ValidationPass | undefined {
  const pass = state.passes[state.passes.length - 1];
  if (!pass || pass.served.has(invariants)) return undefined;
  pass.served.add(invariants);
  if (pass.served.size === state.invariants.length) state.passes.pop();
  return pass;
}

/**
 * Renders the app's objects. Within a synth each object then returns this rendering from `toJson()`
 * until the synth ends (an object whose `toJson` is already its own is left alone), so cdk8s writes
 * the manifests without rendering them again: the invariants cost one check, not a rendering more.
 * Each call returns a copy, as a rendering does, so a caller that edits what it gets edits nothing else.
 */
function render(scope: IConstruct, synth?: SynthScope): Snapshot {
  const apiObjects = apiObjectsOf(scope);
  const objects = apiObjects.map((o) => o.toJson());
  if (synth) {
    apiObjects.forEach((o, i) => {
      if (Object.prototype.hasOwnProperty.call(o, 'toJson')) return;
      const json = objects[i];
      Object.defineProperty(o, 'toJson', { configurable: true, writable: true, value: () => copyJson(json) });
      synth.remembered.push(o);
    });
  }
  return { objects, key: JSON.stringify(objects) };
}

function apiObjectsOf(scope: IConstruct): ApiObject[] {
  return scope.node.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/** A deep copy of a rendered object: its plain objects and arrays copied, key order kept, anything else shared. */
function copyJson(value: any): any {
  if (Array.isArray(value)) return value.map(copyJson);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const copy: Record<string, any> = {};
  for (const key of Object.keys(value)) copy[key] = copyJson(value[key]);
  return copy;
}
