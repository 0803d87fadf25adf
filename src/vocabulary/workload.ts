import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid, show } from './errors';
import { checkArg, checkProps, Expected, Is, PropsSpec, required } from './input-checks';
import { checkDns1123Label } from './k8s-rules';
import { A_LABEL_SELECTOR, A_LABELS, LabelSelector } from './label-selector';
import { IPodWorkload, POD_ADDRESS_LABEL } from './pod-workload';
import { A_SERVICE, readService } from './service';

/**
 * Options for a workload given by a label selector.
 *
 * @example
 * Workload.fromLabels({ app: 'api' }, { namespace: 'shop', name: 'checkout-api' });
 */
export interface WorkloadOptions {
  /**
   * The namespace of the workload's pods.
   * @default - the namespace of the chart of the construct that uses the workload
   */
  readonly namespace?: string;

  /**
   * A short name for the workload, used in policy names and reports.
   * @default - derived from the selector's label values
   */
  readonly name?: string;
}

/**
 * Options for a workload read from a Kubernetes object (`Workload.of`, `Workload.fromService`), whose
 * namespace is the object's.
 *
 * @example
 * Workload.of(deployment, { name: 'checkout-api' });
 */
export interface WorkloadObjectOptions {
  /**
   * A short name for the workload, used in policy names and reports: cdk8s-plus names its objects
   * after the construct path plus a hash, e.g. `shop-api-c8b3f1a2`, so a name of your own reads better.
   * @default - the object's name
   */
  readonly name?: string;
}

/**
 * A workload with its namespace resolved, as the constructs use it.
 * @internal
 */
export interface ResolvedWorkload {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly name: string;
}

/**
 * The pods a policy is about: a label selector in a namespace, every pod of a namespace, the pods
 * of a cdk8s-plus workload (Deployment, StatefulSet, DaemonSet, Job) or Pod of any cdk8s-plus line, or
 * the pods behind a Service.
 *
 * @example
 * Workload.fromLabels({ app: 'web' }, { namespace: 'shop' });
 * Workload.of(deployment);
 * Workload.allPods('shop');
 */
export class Workload {
  /**
   * The pods matching a selector.
   * @param selector the pods' labels
   * @param options namespace and name
   * @default options - the namespace of the chart where it is used, a name made of the label values
   */
  public static fromSelector(selector: LabelSelector, options: WorkloadOptions = {}): Workload {
    checkArg('Workload.fromSelector()', 'selector', selector, required(A_LABEL_SELECTOR));
    checkProps(`Workload.fromSelector(${show(selector.toString())})`, options, OPTIONS, 'options');
    return new Workload(() => `Workload.fromSelector(${show(selector.toString())})`, selector, options.namespace, options.name ?? nameFromSelector(selector));
  }

  /**
   * The pods carrying all of these labels.
   * @param labels the pods' labels, at least one
   * @param options namespace and name
   * @default options - the namespace of the chart where it is used, a name made of the label values
   */
  public static fromLabels(labels: { [key: string]: string }, options: WorkloadOptions = {}): Workload {
    checkArg('Workload.fromLabels()', 'labels', labels, required(A_LABELS));
    return Workload.fromSelector(LabelSelector.matchLabels(labels), options);
  }

  /**
   * The pods of a cdk8s-plus workload or pod, of any cdk8s-plus line (28, 33, 34, ...), selected by the
   * pod address label cdk8s-plus puts on them; its namespace is the object's, or its chart's.
   * @param pod a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job or Pod
   * @param options the workload's name
   * @default options - the object's name
   */
  public static of(pod: IPodWorkload, options: WorkloadObjectOptions = {}): Workload {
    const where = `Workload.of(${pod?.node?.path ?? show(pod)})`;
    if (typeof pod?.podMetadata?.getLabel !== 'function') {
      throw invalid(where, 'the argument is not a cdk8s-plus Pod or workload: it has no podMetadata',
        'Pass a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job or Pod, or select other pods with Workload.fromLabels');
    }
    checkProps(where, options, OBJECT_OPTIONS, 'options');
    const address = pod.podMetadata.getLabel(POD_ADDRESS_LABEL);
    if (!address) {
      throw invalid(where, `the pod template has no '${POD_ADDRESS_LABEL}' label to select it by`,
        'Pass the object cdk8s-plus created, or select its pods by their labels with Workload.fromLabels');
    }
    return new Workload(() => where, LabelSelector.matchLabels({ [POD_ADDRESS_LABEL]: address }),
      pod.metadata.namespace ?? Chart.of(pod).namespace, options.name ?? pod.name);
  }

  /**
   * The pods behind a Service: its selector, in its namespace (the object's, or its chart's). Read
   * when called, so call it once the Service has its selector.
   * @param service a cdk8s-plus Service (any version), a KubeService or an ApiObject of kind Service
   * @param options the workload's name
   * @default options - the Service's name
   */
  public static fromService(service: IConstruct, options: WorkloadObjectOptions = {}): Workload {
    checkArg('Workload.fromService()', 'service', service, required(A_SERVICE));
    const where = `Workload.fromService(${service.node.path})`;
    checkProps(where, options, OBJECT_OPTIONS, 'options');
    const spec = readService(service, where);
    return new Workload(() => where, spec.selector, spec.namespace, options.name ?? spec.name);
  }

  /**
   * Every pod of a namespace: an explicit choice, written as an empty `podSelector`.
   * @param namespace the namespace
   * @default namespace - the namespace of the chart of the construct that uses it
   */
  public static allPods(namespace?: string): Workload {
    return new Workload(() => `Workload.allPods(${namespace === undefined ? '' : show(namespace)})`, LabelSelector._everything(), namespace, 'all-pods');
  }

  /**
   * The pods' namespace, when known without a chart.
   * @default - the chart's namespace, resolved where the workload is used
   */
  public readonly namespace?: string;

  /** A short name, used in policy names and reports. */
  public readonly name: string;

  /** The pods' label selector (empty for `allPods`). */
  public readonly selector: LabelSelector;

  private constructor(
    private readonly describe: () => string,
    selector: LabelSelector,
    namespace: string | undefined,
    name: string,
  ) {
    checkArg(describe(), 'namespace', namespace, Is.namespaceName());
    this.selector = selector;
    this.namespace = namespace;
    this.name = name;
  }

  /** Whether this is every pod of its namespace. */
  public get isAllPods(): boolean {
    return this.selector.isEmpty;
  }

  /** A readable form, e.g. `shop/app=web`. */
  public toString(): string {
    return `${this.namespace ?? '<chart namespace>'}/${this.selector.toString()}`;
  }

  /**
   * The workload with its namespace: its own, else the chart's of `scope`, else an error that says how
   * to set one.
   * @internal
   */
  public _resolve(scope: IConstruct): ResolvedWorkload {
    const chart = Chart.of(scope);
    const namespace = this.namespace ?? chart.namespace;
    if (!namespace) {
      throw invalid(`${scope.node.path}`, `${this.describe()} has no namespace, and the chart '${chart.node.path}' has none either`,
        "Pass { namespace: 'my-ns' } to the workload, or create the chart with new Chart(app, 'id', { namespace: 'my-ns' }): every NetworkPolicy needs one");
    }
    if (this.namespace === undefined) {
      // cdk8s does not check a chart's namespace; the API server would reject every policy in it.
      const problem = checkDns1123Label(namespace);
      if (problem) throw invalid(scope.node.path, `the namespace ${show(namespace)} of the chart '${chart.node.path}' ${problem}`, "Create the chart with a valid namespace, e.g. new Chart(app, 'id', { namespace: 'shop-prod' })");
    }
    return { namespace, selector: this.selector, name: this.name };
  }
}

const NAME = Is.string("'checkout-api'");
const OPTIONS: PropsSpec<WorkloadOptions> = { namespace: Is.namespaceName(), name: NAME };
const OBJECT_OPTIONS: PropsSpec<WorkloadObjectOptions> = { name: NAME };

/**
 * A workload, as entries that take one expect it.
 * @internal
 */
export const A_WORKLOAD: Expected = Is.instanceOf(Workload, "Workload.fromLabels({ app: 'api' })");

/**
 * The name of pods known only by their selector: its label values, e.g. `shop-web`.
 * @internal
 */
export function nameFromSelector(selector: LabelSelector): string {
  const values = Object.values(selector.labels);
  return values.length > 0 ? values.join('-') : 'selected-pods';
}
