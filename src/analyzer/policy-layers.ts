import { CiliumPolicyLayer } from './cilium-policy-layer';
import { ClusterModel } from './cluster-model';
import { ClusterPolicyLayer } from './cluster-policy-layer';
import { ExternalModel, namedNodes, splitAddressSpace } from './external-nodes';
import { NetworkPolicyLayer } from './network-policy-layer';
import { PolicyLayer } from './policy-tier';

/**
 * The policy layers of a model, in the order the walk lists them within a tier. A new kind of
 * policy (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy, Cilium) adds its
 * layer here; everything else (the walk, classes, external nodes, explanations) follows.
 */

interface Analysis {
  readonly layers: readonly PolicyLayer[];
  externals?: readonly ExternalModel[];
}

const analyses = new WeakMap<ClusterModel, Analysis>();

function analysisOf(model: ClusterModel): Analysis {
  let analysis = analyses.get(model);
  if (!analysis) {
    analysis = { layers: [new ClusterPolicyLayer(model, 'Admin'), new NetworkPolicyLayer(model), new CiliumPolicyLayer(model), new ClusterPolicyLayer(model, 'Baseline')] };
    analyses.set(model, analysis);
  }
  return analysis;
}

/** Every policy layer of the model (built once; policies are fixed once the model is read). @internal */
export function policyLayers(model: ClusterModel): readonly PolicyLayer[] {
  return analysisOf(model).layers;
}

/**
 * The external nodes: those every CIDR some layer mentions splits the address space into, then the
 * named ones (the API server, DNS names and patterns) some layer mentions.
 * @internal
 */
export function externalNodes(model: ClusterModel): readonly ExternalModel[] {
  const analysis = analysisOf(model);
  analysis.externals ??= [
    ...splitAddressSpace(analysis.layers.flatMap((layer) => layer.cidrs)),
    ...namedNodes(analysis.layers.flatMap((layer) => layer.names ?? []), analysis.layers.some((layer) => layer.namesApiServer)),
  ];
  return analysis.externals;
}
