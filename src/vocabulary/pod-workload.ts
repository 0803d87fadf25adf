import { ApiObjectMetadataDefinition } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * A pod or pod-owning workload as `Workload.of` reads it: what every cdk8s-plus line's `Pod`,
 * `Deployment`, `StatefulSet`, `DaemonSet` and `Job` has, described by shape, so that objects of
 * cdk8s-plus-28, -33, -34 or any later line are accepted without the library depending on one of them.
 *
 * In TypeScript and JavaScript a cdk8s-plus object is one as it is. Languages that check interfaces
 * by name (Java, C#) need an object that implements this interface and returns the cdk8s-plus
 * object's `node`, `name`, `metadata` and `podMetadata`.
 *
 * @see https://cdk8s.io/docs/latest/plus/
 */
export interface IPodWorkload extends IConstruct {
  /**
   * The object's name.
   */
  readonly name: string;

  /**
   * The object's own metadata: its namespace, when set, is the pods' namespace.
   */
  readonly metadata: ApiObjectMetadataDefinition;

  /**
   * The metadata of the pods (a Pod's own, a workload's pod template): the pods are selected by the
   * `cdk8s.io/metadata.addr` label cdk8s-plus gives them.
   */
  readonly podMetadata: ApiObjectMetadataDefinition;
}

/**
 * The label every cdk8s-plus line puts on the pods of a `Pod` or workload, unique to that object
 * (`Pod.ADDRESS_LABEL` in cdk8s-plus).
 * @internal
 */
export const POD_ADDRESS_LABEL = 'cdk8s.io/metadata.addr';
