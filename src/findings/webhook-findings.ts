import { FindingSeverity } from './finding';
import { FindingContext, FindingDraft, FindingRuleDefinition, podObject } from './finding-context';
import { CiliumTierPolicy } from '../analyzer/cilium-policy-layer';
import { PodModel } from '../analyzer/cluster-model';
import { DirectionVerdict, judgeDirection } from '../analyzer/evaluator';
import { isolatingPolicyName, ruleName, ruleReference } from '../analyzer/explanation';
import { ExternalModel, namedNodes } from '../analyzer/external-nodes';
import { selectorMatches } from '../analyzer/label-matcher';
import { externalNodes, policyLayers } from '../analyzer/policy-layers';
import { sideProgram } from '../analyzer/verdict-walk';

/**
 * Admission webhooks the API server cannot reach: a ValidatingWebhookConfiguration or
 * MutatingWebhookConfiguration whose `clientConfig.service` names a Service of the input, whose
 * selector picks pods that are isolated for ingress without the API server allowed on the
 * Service's target port. With `failurePolicy: Fail` (the default) every request the webhook
 * intercepts is rejected, pod creation included, often cluster-wide; with `Ignore` the webhook is
 * skipped without a word.
 *
 * The API server reaches webhooks from outside the pod network, from addresses the manifests do not
 * hold: it counts as allowed when the pod's ingress admits the `kube-apiserver` identity (Cilium)
 * or, unless Cilium policies select the pod (Cilium matches the API server by identity, not by
 * address), any address outside the cluster on that port.
 */

const WEBHOOK_KINDS = ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'];

/** One webhook served by a pod on a port. */
interface ServedWebhook {
  readonly configuration: string;
  readonly name: string;
  readonly failurePolicy: string;
  readonly service: string;
  readonly servicePort: number;
}

/** A pod's container port for a Service's `targetPort` (a number, or a name resolved on the pod). */
function targetPort(pod: PodModel, target: unknown, protocol: string): number | undefined {
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  return pod.ports.find((p) => p.name === target && p.protocol === protocol)?.containerPort;
}

/** The webhooks a pod serves on one of its ports. */
interface WebhookPod {
  readonly pod: PodModel;
  readonly port: number;
  readonly protocol: string;
  readonly hooks: ServedWebhook[];
}

/** Pod id, port and protocol to the webhooks served there. */
function webhooksByPod(context: FindingContext): Map<string, WebhookPod> {
  const served = new Map<string, WebhookPod>();
  const services = context.objects.filter((o) => o?.kind === 'Service' && o?.apiVersion === 'v1');
  for (const configuration of context.objects) {
    if (!WEBHOOK_KINDS.includes(configuration?.kind) || !String(configuration?.apiVersion).startsWith('admissionregistration.k8s.io/')) continue;
    for (const webhook of configuration.webhooks ?? []) {
      const ref = webhook?.clientConfig?.service;
      if (!ref?.name) continue;
      const namespace = ref.namespace ?? 'default';
      const servicePort = ref.port ?? 443;
      const service = services.find((s) => s.metadata?.name === ref.name && (s.metadata?.namespace ?? 'default') === namespace);
      const selector = service?.spec?.selector;
      if (!selector || Object.keys(selector).length === 0) continue;
      const entry = (service.spec.ports ?? []).find((p: any) => p?.port === servicePort);
      if (!entry) continue;
      const protocol = entry.protocol ?? 'TCP';
      for (const pod of context.model.pods) {
        if (pod.namespace !== namespace || !selectorMatches({ matchLabels: selector, matchExpressions: [] }, pod.labels)) continue;
        const port = targetPort(pod, entry.targetPort ?? servicePort, protocol);
        if (port === undefined) continue;
        const key = `${pod.id}|${port}/${protocol}`;
        const at: WebhookPod = served.get(key) ?? { pod, port, protocol, hooks: [] };
        at.hooks.push({
          configuration: `${configuration.kind} ${configuration.metadata?.name}`,
          name: String(webhook.name),
          failurePolicy: webhook.failurePolicy ?? 'Fail',
          service: `${namespace}/${ref.name}`,
          servicePort,
        });
        served.set(key, at);
      }
    }
  }
  return served;
}

/** Why a side denies: the deciding rule, or the isolating policies. */
function denial(verdict: DirectionVerdict): string {
  const decision = verdict.decisions[0];
  if (decision?.rule) return `${decision.tier} tier: denied by ${ruleName(ruleReference(decision.rule))}`;
  return `isolated for ingress by ${verdict.isolatingPolicies.map(isolatingPolicyName).join(', ')}, and no rule admits the API server`;
}

function unreachableWebhooks(context: FindingContext): FindingDraft[] {
  const { model } = context;
  const served = webhooksByPod(context);
  if (served.size === 0) return [];
  const apiServer = namedNodes([], true)[0];
  const addresses = externalNodes(model).filter((n) => !n.named);
  const layers = policyLayers(model);
  const out: FindingDraft[] = [];
  for (const { pod, port, protocol, hooks } of served.values()) {
    const byCilium = sideProgram(layers, 'Ingress', pod).byTier.some((tier) => tier.some((p) => p instanceof CiliumTierPolicy));
    const sources: ExternalModel[] = [apiServer, ...(byCilium ? [] : addresses)];
    const verdicts = sources.map((source) => judgeDirection(model, 'Ingress', pod, source, pod, { port, protocol }));
    if (verdicts.some((v) => v.allowed)) continue;
    const policies = new Set(hooks.map((h) => h.failurePolicy));
    const effect = [
      ...(policies.has('Fail') ? ['with failurePolicy Fail the API server rejects every request the webhook intercepts'] : []),
      ...(policies.has('Ignore') ? ['with failurePolicy Ignore it skips the webhook without a word'] : []),
    ].join('; ');
    const services = [...new Set(hooks.map((h) => `Service ${h.service} port ${h.servicePort}`))];
    out.push({
      subject: pod.id,
      objects: [
        podObject(pod),
        ...services.map((s) => s.replace(/ port \d+$/, '')),
        ...new Set(hooks.map((h) => h.configuration)),
        ...verdicts[0].isolatingPolicies.map((p) => p.object),
      ],
      message: `${podObject(pod)} serves the admission webhook${hooks.length > 1 ? 's' : ''} ${hooks.map((h) => `'${h.name}' of ${h.configuration}`).join(', ')} through ${services.join(', ')} on ${port}/${protocol}, but its ingress does not admit the API server there (${denial(verdicts[0])}): ${effect}`,
    });
  }
  return out;
}

/** @internal */
export const WEBHOOK_RULES: FindingRuleDefinition[] = [
  {
    id: 'NP025',
    rule: 'webhook-unreachable-from-apiserver',
    severity: FindingSeverity.ERROR,
    summary: 'Pods serving an admission webhook (a Validating/MutatingWebhookConfiguration of the input names their Service) whose ingress does not admit the API server on the target port: admission requests fail, or the webhook is skipped.',
    fix: "Allow ingress from the API server to the webhook's port: AllowFrom with Peer.kubeApiServer({ endpoints }) (ipBlocks of its endpoints on NetworkPolicy v1, the kube-apiserver entity on Cilium).",
    check: unreachableWebhooks,
  },
];
