import { IConstruct } from 'constructs';
import { invalid, show } from '../vocabulary/errors';
import { checkArg, Is } from '../vocabulary/input-checks';
import { Workload } from '../vocabulary/workload';

/**
 * The pods a construct given `namespace` and/or `workload` props is about: the workload, or every pod
 * of the namespace (the props', else the chart's). Both given must agree.
 * @internal
 */
export function scopeTarget(scope: IConstruct, namespace: string | undefined, workload: Workload | undefined): Workload {
  if (namespace !== undefined) checkNamespaceProp(scope, namespace);
  if (!workload) return Workload.allPods(namespace);
  if (namespace !== undefined && workload.namespace !== undefined && workload.namespace !== namespace) {
    throw invalid(scope.node.path, `namespace ${show(namespace)} conflicts with the workload's namespace ${show(workload.namespace)}`,
      'Give the namespace on one of them only');
  }
  return namespace !== undefined && workload.namespace === undefined
    ? Workload.fromSelector(workload.selector, { namespace, name: workload.name })
    : workload;
}

/**
 * Throws, naming the construct and its prop, when `namespace` given to it is not a valid namespace name.
 * @internal
 */
export function checkNamespaceProp(scope: IConstruct, namespace: string, prop: string = 'namespace'): void {
  checkArg(scope.node.path, prop, namespace, A_NAMESPACE);
}

const A_NAMESPACE = Is.namespaceName();
