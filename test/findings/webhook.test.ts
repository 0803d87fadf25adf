import { findings, run } from './run-rules';
import { FindingSeverity } from '../../src/findings';
import { pod, policy } from '../analyzer/helpers';

/** NP025: admission webhooks the API server cannot reach. */

const webhookPod = pod('policy', 'gatekeeper', { labels: { app: 'gatekeeper' }, ports: [{ name: 'webhook', containerPort: 8443 }] });
const other = pod('policy', 'audit', { labels: { app: 'audit' }, ports: [{ name: 'webhook', containerPort: 8443 }] });
const service = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'gatekeeper-webhook', namespace: 'policy' },
  spec: { selector: { app: 'gatekeeper' }, ports: [{ port: 443, targetPort: 'webhook' }] },
};

function configuration(kind: string, failurePolicy?: string, service_: any = { namespace: 'policy', name: 'gatekeeper-webhook' }): any {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: { name: 'gatekeeper' },
    webhooks: [{ name: 'validation.gatekeeper.sh', clientConfig: { service: service_ }, ...(failurePolicy ? { failurePolicy } : {}) }],
  };
}

const denyIngress = policy('policy', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] });

describe('NP025 webhook pods the API server cannot reach', () => {
  test('fires for the pods behind the webhook\'s Service when ingress isolation leaves the API server out', () => {
    const objects = [webhookPod, other, service, denyIngress, configuration('ValidatingWebhookConfiguration')];
    const [f] = findings(['NP025'], objects);
    expect(f).toMatchObject({
      id: 'NP025',
      severity: FindingSeverity.ERROR,
      subject: 'policy/gatekeeper',
      objects: ['Pod policy/gatekeeper', 'Service policy/gatekeeper-webhook', 'ValidatingWebhookConfiguration gatekeeper', 'NetworkPolicy policy/default-deny'],
    });
    expect(f.message).toBe("Pod policy/gatekeeper serves the admission webhook 'validation.gatekeeper.sh' of ValidatingWebhookConfiguration gatekeeper through Service policy/gatekeeper-webhook port 443 on 8443/TCP, but its ingress does not admit the API server there (isolated for ingress by policy/default-deny, and no rule admits the API server): with failurePolicy Fail the API server rejects every request the webhook intercepts");
    // Only the Service's pods are webhook pods.
    expect(run(['NP025'], objects)).toEqual(['NP025 policy/gatekeeper']);
  });

  test('says what failurePolicy Ignore does, and fires for mutating webhooks and Admin-tier denies too', () => {
    expect(findings(['NP025'], [webhookPod, service, denyIngress, configuration('MutatingWebhookConfiguration', 'Ignore')])[0].message)
      .toMatch(/of MutatingWebhookConfiguration gatekeeper .*: with failurePolicy Ignore it skips the webhook without a word$/);
    const admin = {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'deny-outside' },
      spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, ingress: [{ name: 'outside', action: 'Deny', from: [{ networks: ['0.0.0.0/0'] }] }] },
    };
    expect(findings(['NP025'], [webhookPod, service, admin, configuration('ValidatingWebhookConfiguration')])[0].message)
      .toContain("(Admin tier: denied by ClusterNetworkPolicy deny-outside ingress[0] 'outside')");
  });

  test('does not fire when the pods admit addresses outside the cluster on the target port (the API server\'s, by ipBlock)', () => {
    const fromApiServer = policy('policy', 'apiserver', {
      podSelector: { matchLabels: { app: 'gatekeeper' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ port: 8443 }] }],
    });
    expect(run(['NP025'], [webhookPod, service, denyIngress, fromApiServer, configuration('ValidatingWebhookConfiguration')])).toEqual([]);
    // The wrong port does not count.
    const wrongPort = { ...fromApiServer, spec: { ...fromApiServer.spec, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.1/32' } }], ports: [{ port: 443 }] }] } };
    expect(run(['NP025'], [webhookPod, service, denyIngress, wrongPort, configuration('ValidatingWebhookConfiguration')])).toEqual(['NP025 policy/gatekeeper']);
  });

  test('on Cilium, the kube-apiserver entity admits the API server and a CIDR does not', () => {
    const cilium = (fromField: any): any => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'gatekeeper', namespace: 'policy' },
      spec: { endpointSelector: { matchLabels: { app: 'gatekeeper' } }, ingress: [{ ...fromField, toPorts: [{ ports: [{ port: '8443', protocol: 'TCP' }] }] }] },
    });
    const hook = configuration('ValidatingWebhookConfiguration');
    expect(run(['NP025'], [webhookPod, service, hook, cilium({ fromEntities: ['kube-apiserver'] })])).toEqual([]);
    expect(run(['NP025'], [webhookPod, service, hook, cilium({ fromCIDR: ['10.0.0.1/32'] })])).toEqual(['NP025 policy/gatekeeper']);
  });

  test('does not fire for pods not isolated for ingress, URL webhooks, or a Service the input does not hold', () => {
    expect(run(['NP025'], [webhookPod, service, configuration('ValidatingWebhookConfiguration')])).toEqual([]);
    const url = { ...configuration('ValidatingWebhookConfiguration'), webhooks: [{ name: 'x', clientConfig: { url: 'https://hooks.example.com' } }] };
    expect(run(['NP025'], [webhookPod, service, denyIngress, url])).toEqual([]);
    expect(run(['NP025'], [webhookPod, denyIngress, configuration('ValidatingWebhookConfiguration')])).toEqual([]);
    // A Service port the webhook does not use.
    expect(run(['NP025'], [webhookPod, service, denyIngress, configuration('ValidatingWebhookConfiguration', undefined, { namespace: 'policy', name: 'gatekeeper-webhook', port: 8080 })])).toEqual([]);
  });
});
