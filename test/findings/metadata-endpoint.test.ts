import { findings, run } from './run-rules';
import { FindingSeverity } from '../../src/findings';
import { pod, policy } from '../analyzer/helpers';

/** NP026: egress to wide ranges that keep the cloud metadata endpoint 169.254.169.254. */

const web = pod('shop', 'web', { labels: { app: 'web' } });
const egress = (name: string, rules: any[]): any => policy('shop', name, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: rules });

describe('NP026 egress that reaches the metadata endpoint', () => {
  test('fires for 0.0.0.0/0 without except, naming the rule and the pods', () => {
    const [f] = findings(['NP026'], [web, egress('internet', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }] }])]);
    expect(f).toMatchObject({ id: 'NP026', severity: FindingSeverity.WARNING, subject: 'shop/internet', objects: ['NetworkPolicy shop/internet'] });
    expect(f.message).toBe("NetworkPolicy shop/internet egress[0] allows egress to a range that holds 169.254.169.254 (the cloud instance metadata endpoint, 0.0.0.0/0 except 10.0.0.0/8 here) on 80/TCP without excepting it, so shop/web can read the node's instance credentials");
  });

  test('fires for a rule without peers, and for a wide range that is not /0', () => {
    expect(run(['NP026'], [web, egress('anywhere', [{}])])).toEqual(['NP026 shop/anywhere']);
    expect(run(['NP026'], [web, egress('half', [{ to: [{ ipBlock: { cidr: '128.0.0.0/1' } }] }])])).toEqual(['NP026 shop/half']);
  });

  test('does not fire when except leaves it out, for a link-local rule on purpose, or for ports other than 80', () => {
    expect(run(['NP026'], [web, egress('internet', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }])])).toEqual([]);
    expect(run(['NP026'], [web, egress('internet', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }] }])])).toEqual([]);
    expect(run(['NP026'], [web, egress('metadata', [{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }])])).toEqual([]);
    expect(run(['NP026'], [web, egress('https', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }])])).toEqual([]);
    expect(run(['NP026'], [web, egress('v6', [{ to: [{ ipBlock: { cidr: '::/0' } }] }])])).toEqual([]);
  });

  test('does not fire when a cluster policy denies the endpoint to the policy\'s pods first', () => {
    const guard = {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'no-metadata' },
      spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }] },
    };
    const open = egress('internet', [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]);
    expect(run(['NP026'], [web, open, guard])).toEqual([]);
    expect(run(['NP026'], [web, open])).toEqual(['NP026 shop/internet']);
  });

  test('cluster policies: an Accept to 0.0.0.0/0 fires unless an earlier rule of the policy decides the endpoint', () => {
    const cnp = (egressRules: any[]): any => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'egress' },
      spec: { tier: 'Admin', priority: 5, subject: { namespaces: {} }, egress: egressRules },
    });
    const accept = { name: 'internet', action: 'Accept', to: [{ networks: ['0.0.0.0/0'] }] };
    const [f] = findings(['NP026'], [cnp([accept])]);
    expect(f.subject).toBe('egress');
    expect(f.message).toMatch(/^ClusterNetworkPolicy egress egress\[0\] 'internet' allows egress .* so the pods it selects can read/);
    expect(run(['NP026'], [cnp([{ action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }, accept])])).toEqual([]);
  });

  test('Cilium: toCIDRSet without the except and the world entity fire; toFQDNs does not', () => {
    const cilium = (egressRule: any): any => ({
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { endpointSelector: { matchLabels: { app: 'web' } }, egress: [egressRule] },
    });
    expect(run(['NP026'], [web, cilium({ toCIDRSet: [{ cidr: '0.0.0.0/0' }] })])).toEqual(['NP026 shop/web']);
    expect(run(['NP026'], [web, cilium({ toEntities: ['world'] })])).toEqual(['NP026 shop/web']);
    expect(run(['NP026'], [web, cilium({ toCIDRSet: [{ cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] }] })])).toEqual([]);
    expect(run(['NP026'], [web, cilium({ toFQDNs: [{ matchName: 'api.stripe.com' }] })])).toEqual([]);
  });
});
