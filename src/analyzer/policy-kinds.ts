/**
 * Which policy kinds the analyzer models, and what the others mean for its verdicts. This is the
 * one place that decides it (Cilium's modelled kinds are listed in `cilium-policy.ts`, and their
 * unmodelled fields reported there): a stream that models a kind deletes its row from
 * `UNMODELLED_POLICY_KINDS` (or keeps it for the versions it does not model) and reads the kind
 * in `ClusterModel.fromObjects`.
 *
 * Kinds are matched by API group and kind, whatever the version, except the modelled kinds:
 * a `NetworkPolicy` is the Kubernetes NetworkPolicy only as `networking.k8s.io/v1` (Calico's
 * `projectcalico.org/v3` NetworkPolicy, for one, has other semantics), and the cluster policies
 * (`cluster-policy-model.ts`) are modelled in the versions listed there; their other versions
 * stay in the table.
 */

import { isCiliumPolicy } from './cilium-policy';

/** The apiVersion of the NetworkPolicy the analyzer models. @internal */
export const NETWORK_POLICY_API_VERSION = 'networking.k8s.io/v1';

/**
 * The cluster policy kinds the analyzer models (`cluster-policy-model.ts`), with the one
 * apiVersion of each it models and the tier of kinds that have a fixed one.
 * @internal
 */
export const MODELLED_CLUSTER_POLICIES: Readonly<Record<string, { readonly apiVersion: string; readonly tier?: 'Admin' | 'Baseline' }>> = {
  ClusterNetworkPolicy: { apiVersion: 'policy.networking.k8s.io/v1alpha2' },
  AdminNetworkPolicy: { apiVersion: 'policy.networking.k8s.io/v1alpha1', tier: 'Admin' },
  BaselineAdminNetworkPolicy: { apiVersion: 'policy.networking.k8s.io/v1alpha1', tier: 'Baseline' },
};

/** Whether an object is a cluster policy the analyzer models (kind and apiVersion). @internal */
export function isModelledClusterPolicy(obj: any): boolean {
  const known = typeof obj?.kind === 'string' && Object.prototype.hasOwnProperty.call(MODELLED_CLUSTER_POLICIES, obj.kind) ? MODELLED_CLUSTER_POLICIES[obj.kind] : undefined;
  return known !== undefined && obj.apiVersion === known.apiVersion;
}

/** A policy kind the analyzer does not model. @internal */
export interface UnmodelledKind {
  /** Why the verdicts can be wrong while it is ignored, in one clause. */
  readonly reason: string;
  /** Whether its objects are cluster-scoped (named `name`, not `namespace/name`). */
  readonly clusterScoped: boolean;
}

const CLUSTER_TIER = 'a cluster policy of an API version the analyzer does not model (it models ClusterNetworkPolicy policy.networking.k8s.io/v1alpha2 and AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1): it can allow or deny flows before or after NetworkPolicies decide';
const CALICO = 'a Calico policy: Calico enforces it in its own tiers and order, so it can deny or allow flows the verdicts do not show';
const ANTREA = 'an Antrea policy: Antrea enforces it in its own tiers, before or after NetworkPolicies, so it can deny or allow flows the verdicts do not show';
const MESH = 'a service-mesh authorization policy: the mesh proxies can refuse connections the NetworkPolicies allow';
const EGRESS_FIREWALL = 'an egress firewall: it can deny egress to addresses outside the cluster that the verdicts allow';

/**
 * Policy kinds the analyzer does not model, by `group/kind` (`group` is the apiVersion before the
 * `/`). A `reason` of `null` marks a known kind that never affects traffic (staged policies).
 */
const UNMODELLED_POLICY_KINDS: Readonly<Record<string, UnmodelledKind | null>> = {
  'policy.networking.k8s.io/AdminNetworkPolicy': { reason: CLUSTER_TIER, clusterScoped: true },
  'policy.networking.k8s.io/BaselineAdminNetworkPolicy': { reason: CLUSTER_TIER, clusterScoped: true },
  'policy.networking.k8s.io/ClusterNetworkPolicy': { reason: CLUSTER_TIER, clusterScoped: true },
  'projectcalico.org/NetworkPolicy': { reason: CALICO, clusterScoped: false },
  'projectcalico.org/GlobalNetworkPolicy': { reason: CALICO, clusterScoped: true },
  'crd.projectcalico.org/NetworkPolicy': { reason: CALICO, clusterScoped: false },
  'crd.projectcalico.org/GlobalNetworkPolicy': { reason: CALICO, clusterScoped: true },
  'projectcalico.org/StagedNetworkPolicy': null,
  'projectcalico.org/StagedGlobalNetworkPolicy': null,
  'projectcalico.org/StagedKubernetesNetworkPolicy': null,
  'crd.projectcalico.org/StagedNetworkPolicy': null,
  'crd.projectcalico.org/StagedGlobalNetworkPolicy': null,
  'crd.projectcalico.org/StagedKubernetesNetworkPolicy': null,
  'crd.antrea.io/NetworkPolicy': { reason: ANTREA, clusterScoped: false },
  'crd.antrea.io/ClusterNetworkPolicy': { reason: ANTREA, clusterScoped: true },
  'k8s.cni.cncf.io/MultiNetworkPolicy': { reason: 'a policy for pods\' secondary (Multus) network interfaces, which the analyzer does not model', clusterScoped: false },
  'k8s.ovn.org/EgressFirewall': { reason: EGRESS_FIREWALL, clusterScoped: false },
  'network.openshift.io/EgressNetworkPolicy': { reason: EGRESS_FIREWALL, clusterScoped: false },
  'networking.gke.io/FQDNNetworkPolicy': { reason: 'a GKE policy that allows egress to DNS names, which the analyzer does not model', clusterScoped: false },
  'security.istio.io/AuthorizationPolicy': { reason: MESH, clusterScoped: false },
  'policy.linkerd.io/AuthorizationPolicy': { reason: MESH, clusterScoped: false },
  'policy.linkerd.io/ServerAuthorization': { reason: MESH, clusterScoped: false },
};

/**
 * Whether an object is the NetworkPolicy the analyzer models. A `kind: NetworkPolicy` with no
 * apiVersion counts, so that validation names the missing apiVersion.
 * @internal
 */
export function isModelledNetworkPolicy(obj: any): boolean {
  return obj?.kind === 'NetworkPolicy' && (obj.apiVersion === NETWORK_POLICY_API_VERSION || obj.apiVersion === undefined || obj.apiVersion === null);
}

/**
 * The unmodelled policy kind of an object, or undefined when it is modelled or not a policy.
 * Besides the table: any other `NetworkPolicy` apiVersion (old `extensions/v1beta1` included), and
 * any other kind named `…NetworkPolicy`.
 * @internal
 */
export function unmodelledPolicyKind(obj: any): UnmodelledKind | undefined {
  const kind = obj?.kind;
  if (typeof kind !== 'string' || isModelledNetworkPolicy(obj) || isModelledClusterPolicy(obj)) return undefined;
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const known = UNMODELLED_POLICY_KINDS[`${group}/${kind}`];
  if (known !== undefined) return known ?? undefined;
  if (kind === 'NetworkPolicy' && (group === 'networking.k8s.io' || group === 'extensions')) {
    return { reason: `an API version of NetworkPolicy that Kubernetes no longer serves (kubectl apply fails); write it as ${NETWORK_POLICY_API_VERSION}`, clusterScoped: false };
  }
  if (isCiliumPolicy(obj)) return undefined;
  if (kind.endsWith('NetworkPolicy')) {
    const reason = `a network policy kind of API group '${group}' that the analyzer does not know, so it cannot tell what it allows or denies`;
    return { reason, clusterScoped: obj.metadata?.namespace === undefined };
  }
  return undefined;
}
