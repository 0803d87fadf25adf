import { Construct } from 'constructs';
import { PolicyRegistry } from './policy-registry';
import { checkNamespaceProp } from './scope-target';
import { invalid, show } from '../vocabulary/errors';

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
    if (!Array.isArray(props?.namespaces) || props.namespaces.some((n) => typeof n !== 'string')) {
      throw invalid(this.node.path, `namespaces must be a list of namespace names, got ${show(props?.namespaces)}`, "Pass e.g. { namespaces: ['kafka'] }");
    }
    if (props.namespaces.length === 0) {
      throw invalid(this.node.path, 'namespaces is empty, so it would declare nothing', "Name the namespaces, e.g. ['kafka'], or remove the construct");
    }
    const registry = PolicyRegistry.of(this);
    for (const namespace of props.namespaces) {
      checkNamespaceProp(this, namespace, 'namespaces entry');
      registry.own(namespace);
    }
  }
}
