import { ClusterModel, NAMESPACE_NAME_LABEL, PodInput } from '../analyzer/cluster-model';
import { Labels, Selector, formatSelector, labelsSatisfying, selectorKey, selectorMatches } from '../analyzer/label-matcher';
import { policyLayers } from '../analyzer/policy-layers';

/**
 * The peers exposure speaks of, as endpoints the analyzer can evaluate: the pods of the manifests,
 * and hypothetical pods for what the policies' selectors describe but the manifests do not hold —
 * a pod labelled as a peer selector asks in each namespace where no pod of the manifests is, a
 * namespace labelled as a namespace selector asks when no namespace of the manifests is, an
 * unlabelled pod in every namespace, and a namespace not in the manifests. Each is the smallest
 * label map its selector matches, so "every pod of namespace X" means every pod of the
 * manifests there, and the pods the selectors describe, and an unlabelled one.
 */

/** A namespace of the space. @internal */
export interface SpaceNamespace {
  readonly name: string;
  /** `namespace shop`, `namespaces purpose=ci (none in the manifests)`, `namespaces not in the manifests`. */
  readonly text: string;
}

/** The manifests' model with the hypothetical endpoints, and how to name them. @internal */
export interface ExposureSpace {
  /** The model with the hypothetical namespaces and pods (its first pods are the manifests'). */
  readonly model: ClusterModel;
  /** Every namespace: the manifests', then hypothetical ones. */
  readonly namespaces: readonly SpaceNamespace[];
  /** How each hypothetical pod reads, by `namespace/name`. */
  readonly hypothetical: ReadonlyMap<string, string>;
}

const isEmpty = (selector: Selector): boolean => Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;

/** Builds the space of a model. @internal */
export function exposureSpace(model: ClusterModel): ExposureSpace {
  const selectors = policyLayers(model).flatMap((layer) => layer.peerSelectors);
  const labelled = (name: string, labels: Labels): Labels => ({ ...labels, [NAMESPACE_NAME_LABEL]: name });
  const namespaces: (SpaceNamespace & { labels: Labels })[] = model.namespaces.map((n) => ({ name: n.name, text: `namespace ${n.name}`, labels: n.labels }));
  const added: { name: string; labels: Labels }[] = [];
  const seen = new Set<string>();
  for (const { namespaces: selector } of selectors) {
    if (!selector || seen.has(selectorKey(selector))) continue;
    seen.add(selectorKey(selector));
    if (namespaces.some((n) => selectorMatches(selector, n.labels))) continue;
    const labels = labelsSatisfying(selector);
    if (!labels) continue;
    const named = labels[NAMESPACE_NAME_LABEL];
    if (named !== undefined && namespaces.some((n) => n.name === named)) continue;
    const name = named ?? `(namespaces ${formatSelector(selector)})`;
    const text = named !== undefined ? `namespace ${named} (not in the manifests)` : `namespaces ${formatSelector(selector)} (none in the manifests)`;
    namespaces.push({ name, text, labels: labelled(name, labels) });
    added.push({ name, labels });
  }
  const other = '(other namespaces)';
  namespaces.push({ name: other, text: 'namespaces not in the manifests', labels: labelled(other, {}) });
  added.push({ name: other, labels: {} });

  const podsByNamespace = new Map<string, Labels[]>(namespaces.map((n) => [n.name, []]));
  for (const pod of model.pods) podsByNamespace.get(pod.namespace)?.push(pod.labels);
  const pods: PodInput[] = [];
  const hypothetical = new Map<string, string>();
  const add = (namespace: SpaceNamespace, name: string, labels: Labels, text: string): void => {
    pods.push({ namespace: namespace.name, name, labels: { ...labels }, kind: 'Hypothetical' });
    hypothetical.set(`${namespace.name}/${name}`, text);
    podsByNamespace.get(namespace.name)!.push(labels);
  };
  for (const namespace of namespaces) add(namespace, '(unlabelled pods)', {}, `unlabelled pods of ${namespace.text}`);
  const asked = new Set<string>();
  for (const peer of selectors) {
    if (!peer.pods || isEmpty(peer.pods)) continue;
    const labels = labelsSatisfying(peer.pods);
    if (!labels) continue;
    const scope = peer.namespace !== undefined ? namespaces.filter((n) => n.name === peer.namespace)
      : peer.namespaces ? namespaces.filter((n) => selectorMatches(peer.namespaces!, n.labels)) : namespaces;
    for (const namespace of scope) {
      const key = `${namespace.name}\u0000${selectorKey(peer.pods)}`;
      if (asked.has(key)) continue;
      asked.add(key);
      if (podsByNamespace.get(namespace.name)!.some((l) => selectorMatches(peer.pods!, l))) continue;
      const suffix = model.namespaces.some((n) => n.name === namespace.name) ? ' (none in the manifests)' : '';
      add(namespace, `(pods ${formatSelector(peer.pods)})`, labels, `pods ${formatSelector(peer.pods)} of ${namespace.text}${suffix}`);
    }
  }
  return { model: model.withEndpoints(added, pods), namespaces: namespaces.map(({ name, text }) => ({ name, text })), hypothetical };
}
