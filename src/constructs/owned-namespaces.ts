import { Construct } from 'constructs';
import { PolicyRegistry } from './policy-registry';
import { invalid } from '../vocabulary/errors';
import { checkProps, Is, PropsSpec, required } from '../vocabulary/input-checks';

/**
 * Properties of {@link OwnedNamespaces}.
 *
 * @example
 * { namespaces: ['kafka'] }
 */
export interface OwnedNamespacesProps {
  /** The namespaces the app owns besides its charts' and those its constructs target. */
  readonly namespaces: string[];
}

const PROPS: PropsSpec<OwnedNamespacesProps> = { namespaces: required(Is.listOf(Is.namespaceName())) };

/**
 * Declares namespaces the app owns, so that grants write the other side of their flows there.
 *
 * The app owns a namespace when one of its charts has it as namespace or one of its constructs
 * targets it (the workload of a `DefaultDeny`, `AllowFrom`, `AllowTo`, …); ownership is settled at
 * synth, whatever the order the constructs were made in. Objects the app merely writes into a
 * namespace (a Namespace object, a Deployment, a ConfigMap) do not make it the app's: declare it here
 * when the app does manage the namespace's pods. The other side of a flow
 * (the destination's ingress of an `AllowTo`, the source's egress of an `AllowFrom`) is written only
 * into namespaces the app owns: elsewhere it would isolate pods the app does not manage and cut off
 * their other peers, so it is a flow request instead (a warning at synth and
 * `flow-requests/<namespace>.yaml` in the outdir). Declare a namespace here when the app's manifests
 * do manage it, for the whole app; use a grant's `writeUnownedNamespaces` for one flow.
 *
 * Declaring a namespace also makes the guardrails' coverage findings (NP001-NP004) cover it.
 *
 * @example
 * new OwnedNamespaces(chart, 'owned', { namespaces: ['kafka'] });
 */
export class OwnedNamespaces extends Construct {
  /**
   * @param scope any construct of the app
   * @param id the construct id
   * @param props the namespaces
   */
  constructor(scope: Construct, id: string, props: OwnedNamespacesProps) {
    super(scope, id);
    checkProps(this.node.path, props, PROPS);
    if (props.namespaces.length === 0) {
      throw invalid(this.node.path, 'namespaces is empty, so it would declare nothing', "Name the namespaces, e.g. ['kafka'], or remove the construct");
    }
    const registry = PolicyRegistry.of(this);
    for (const namespace of props.namespaces) registry.own(namespace);
  }
}
