import { Chart, Testing } from 'cdk8s';
import { findings, run } from './run-rules';
import { AllowTo, Peer, PolicyBackend, Port, Workload } from '../../src';
import { FindingSeverity, NetworkPolicyFindings } from '../../src/findings';
import { pod } from '../analyzer/helpers';

/** NP027: Cilium toFQDNs peers without the DNS rule that lets Cilium's DNS proxy see the lookups. */

const web = pod('shop', 'web', { labels: { app: 'web' } });
const job = pod('shop', 'job', { labels: { app: 'job' } });
const kubeDns = { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } };
const dnsPorts = (rules?: any): any[] => [{ ports: [{ port: '53', protocol: 'ANY' }], ...(rules ? { rules } : {}) }];

function cilium(name: string, selector: any, egress: any[]): any {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace: 'shop' }, spec: { endpointSelector: { matchLabels: selector }, egress } };
}

const stripe = { toFQDNs: [{ matchName: 'api.stripe.com' }, { matchPattern: '*.amazonaws.com' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] };

describe('NP027 toFQDNs without DNS visibility', () => {
  test('fires when the pods\' Cilium policies allow DNS without rules.dns, naming the names and the pods', () => {
    const [f] = findings(['NP027'], [web, cilium('web', { app: 'web' }, [{ toEndpoints: [kubeDns], toPorts: dnsPorts() }, stripe])]);
    expect(f).toMatchObject({ id: 'NP027', severity: FindingSeverity.ERROR, subject: 'shop/web', objects: ['CiliumNetworkPolicy shop/web', 'Pod shop/web'] });
    expect(f.message).toBe("CiliumNetworkPolicy 'shop/web': spec.egress[1] allows toFQDNs api.stripe.com, *.amazonaws.com, but no DNS rule of the Cilium policies selecting shop/web (toPorts on 53/UDP to the cluster DNS with rules.dns matching the names) lets Cilium's DNS proxy see the lookups: toFQDNs learns no address, so connections to them are denied");
  });

  test('does not fire with a DNS rule matching every name, in the same policy or another one selecting the pods', () => {
    const visible = { toEndpoints: [kubeDns], toPorts: dnsPorts({ dns: [{ matchPattern: '*' }] }) };
    expect(run(['NP027'], [web, cilium('web', { app: 'web' }, [visible, stripe])])).toEqual([]);
    expect(run(['NP027'], [web, job, cilium('web', { app: 'web' }, [stripe]), cilium('dns', {}, [visible])])).toEqual([]);
  });

  test('a DNS rule counts only for the names it matches, towards the cluster DNS, on the DNS port', () => {
    const names = (dns: any[]): any => ({ toEndpoints: [kubeDns], toPorts: dnsPorts({ dns }) });
    expect(run(['NP027'], [web, cilium('web', { app: 'web' }, [names([{ matchName: 'api.stripe.com' }, { matchPattern: '*.amazonaws.com' }]), stripe])])).toEqual([]);
    const [f] = findings(['NP027'], [web, cilium('web', { app: 'web' }, [names([{ matchName: 'api.stripe.com' }]), stripe])]);
    expect(f.message).toMatch(/allows toFQDNs \*\.amazonaws\.com, but no DNS rule .*matching the name\)/);
    // Towards another resolver, or on another port.
    expect(run(['NP027'], [web, cilium('web', { app: 'web' }, [{ toEndpoints: [{ matchLabels: { app: 'dnsmasq' } }], toPorts: dnsPorts({ dns: [{ matchPattern: '*' }] }) }, stripe])])).toEqual(['NP027 shop/web']);
    expect(run(['NP027'], [web, cilium('web', { app: 'web' }, [{ toEndpoints: [kubeDns], toPorts: [{ ports: [{ port: '5353', protocol: 'UDP' }], rules: { dns: [{ matchPattern: '*' }] } }] }, stripe])])).toEqual(['NP027 shop/web']);
  });

  test('a DNS rule of a policy that selects other pods does not count; without pods, the policy\'s own rules decide', () => {
    const visible = cilium('dns', { app: 'job' }, [{ toEndpoints: [kubeDns], toPorts: dnsPorts({ dns: [{ matchPattern: '*' }] }) }]);
    expect(run(['NP027'], [web, job, cilium('web', { app: 'web' }, [stripe]), visible])).toEqual(['NP027 shop/web']);
    const [f] = findings(['NP027'], [cilium('web', { app: 'web' }, [stripe])]);
    expect(f.objects).toEqual(['CiliumNetworkPolicy shop/web']);
    expect(f.message).toContain('but no DNS rule of this policy');
  });

  test('what the Cilium backend writes for Peer.fqdn passes', () => {
    const app = Testing.app();
    PolicyBackend.use(app, [PolicyBackend.CILIUM]);
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new AllowTo(chart, 'web-to-stripe', { from: Workload.fromLabels({ app: 'web' }), to: [Peer.fqdn('api.stripe.com')], ports: [Port.HTTPS] });
    const manifests = [...chart.toJson(), web];
    expect(manifests.some((m) => m.kind === 'CiliumNetworkPolicy')).toBe(true);
    expect(NetworkPolicyFindings.ofManifests(manifests, { rules: ['NP027'] })).toEqual([]);
  });
});
