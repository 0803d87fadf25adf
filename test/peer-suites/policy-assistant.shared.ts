import { Port, Reachability } from '../../src';
import { readSharedJson } from '../support/shared-data';

/**
 * policy-assistant's (formerly cyclonus) NetworkPolicy v1 truth tables, read from
 * ../shared/peer-suites/policy-assistant/cases.json: for every probe, the source's egress, the
 * destination's ingress and the combined verdict must agree with ours.
 */
const suite = readSharedJson('peer-suites', 'policy-assistant', 'cases.json');
const supported = suite.cases.filter((c: any) => !c.unsupported);

describe('policy-assistant peer suite', () => {
  test('has the NetworkPolicy v1 cases', () => {
    expect(supported.map((c: any) => c.id)).toEqual(['cyclonus-simple-example', 'integration-deny-all', 'integration-ingress-port-allowed']);
  });

  test.each(supported.map((c: any) => [c.id, c]))('%s', (_id, c: any) => {
    const reach = Reachability.fromManifests(c.manifests);
    const disagreements: string[] = [];
    let checked = 0;
    let selfPairs = 0;
    for (const probe of c.probes) {
      const port = probe.protocol === 'UDP' ? Port.udp(probe.port) : probe.protocol === 'SCTP' ? Port.sctp(probe.port) : Port.tcp(probe.port);
      for (const [pair, expected] of Object.entries<any>(probe.expected)) {
        const [from, to] = pair.split('>');
        const why = reach.explain(from, to, port);
        // The peer probes a pod's own IP and applies the policies to it; we hold that a pod always
        // reaches itself (DESIGN.md), so for a pod and itself only the two sides are compared.
        const combined = why.selfTraffic ? expected.combined : why.allowed;
        if (why.selfTraffic) selfPairs++;
        const ours = { ingress: why.ingress.allowed, egress: why.egress.allowed, combined };
        if (JSON.stringify(ours) !== JSON.stringify({ ingress: expected.ingress, egress: expected.egress, combined: expected.combined })) {
          disagreements.push(`${pair} on ${probe.port}/${probe.protocol}: peer ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(selfPairs);
    expect(disagreements).toEqual([]);
  });
});
