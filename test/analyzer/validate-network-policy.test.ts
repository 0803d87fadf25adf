import { validateNetworkPolicy } from '../../src/analyzer/validate-network-policy';

/** A policy using every feature, valid for the API server. */
function validPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: 'web.allow-from-frontend',
      namespace: 'shop',
      labels: { 'app.kubernetes.io/name': 'web', 'tier': '' },
      annotations: { 'Example.COM/Owner': 'team-a' },
    },
    spec: {
      podSelector: {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['stable', 'canary'] },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'frontend' } } },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: {} },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16', '10.2.3.0/24'] } },
          ],
          ports: [{ protocol: 'TCP', port: 8080 }, { port: 'metrics' }, { protocol: 'UDP', port: 5000, endPort: 5010 }],
        },
        {},
      ],
      egress: [
        { to: [{ ipBlock: { cidr: 'fd00::/8', except: ['fd00:1::/32'] } }], ports: [{ protocol: 'SCTP' }] },
      ],
    },
  };
}

/** The valid policy with one change made by `edit`. */
function policyWith(edit: (policy: any) => void): any {
  const policy = validPolicy();
  edit(policy);
  return policy;
}

/** Asserts there is exactly one problem, at `path`, and that it says each of `fragments`. */
function expectOnlyProblem(problems: string[], path: string, ...fragments: string[]): void {
  expect(problems).toHaveLength(1);
  expect(problems[0].startsWith(`${path}: `)).toBe(true);
  for (const fragment of fragments) expect(problems[0]).toContain(fragment);
}

describe('validateNetworkPolicy', () => {
  describe('accepts what the API server accepts', () => {
    test('a policy using every feature', () => {
      expect(validateNetworkPolicy(validPolicy())).toEqual([]);
    });

    test('a CIDR with host bits set, as the server parses CIDRs sloppily', () => {
      const policy = policyWith((p) => {
        p.spec.ingress[0].from[2].ipBlock = { cidr: '10.0.0.1/8', except: ['10.1.2.3/16'] };
      });
      expect(validateNetworkPolicy(policy)).toEqual([]);
    });

    test('a repeated policyType, which the server does not reject', () => {
      expect(validateNetworkPolicy(policyWith((p) => { p.spec.policyTypes = ['Ingress', 'Ingress']; }))).toEqual([]);
    });

    test('a minimal policy: no spec fields, no namespace (kubectl fills it in)', () => {
      const policy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny' }, spec: { podSelector: {} } };
      expect(validateNetworkPolicy(policy)).toEqual([]);
    });

    test('generateName with a trailing dash instead of a name', () => {
      const policy = policyWith((p) => { delete p.metadata.name; p.metadata.generateName = 'web-'; });
      expect(validateNetworkPolicy(policy)).toEqual([]);
    });
  });

  describe('object metadata', () => {
    test('the object must be a NetworkPolicy of networking.k8s.io/v1', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { p.apiVersion = 'extensions/v1beta1'; }));
      expectOnlyProblem(problems, 'apiVersion', 'Unsupported value: "extensions/v1beta1"', '"networking.k8s.io/v1"');
      expect(validateNetworkPolicy('not an object')).toEqual(['<root>: Invalid type: "not an object": must be an object']);
    });

    test('a name or generateName is required', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { delete p.metadata.name; })),
        'metadata.name', 'Required value', 'name or generateName is required');
    });

    test('the name must be a DNS-1123 subdomain', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.name = 'Web_Policy'; })),
        'metadata.name', 'Invalid value: "Web_Policy"', 'DNS-1123 subdomain');
    });

    test('the name may have at most 253 characters', () => {
      const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}`;
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.name = name; })),
        'metadata.name', 'at most 253 characters');
    });

    test('generateName must be a DNS-1123 subdomain prefix', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { delete p.metadata.name; p.metadata.generateName = '-web'; }));
      expectOnlyProblem(problems, 'metadata.generateName', 'Invalid value: "-web"', 'DNS-1123 subdomain');
    });

    test('the namespace must be a DNS-1123 label', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.namespace = 'shop.prod'; })),
        'metadata.namespace', 'Invalid value: "shop.prod"', 'DNS-1123 label');
    });

    test('the namespace is required when asked for', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { delete p.metadata.namespace; }), { requireNamespace: true });
      expectOnlyProblem(problems, 'metadata.namespace', 'Required value');
    });

    test('label keys must be qualified names', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.labels = { 'bad key': 'x' }; })),
        'metadata.labels', 'Invalid value: "bad key"', 'label key');
    });

    test('label values must be valid label values', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.labels = { app: '-web' }; })),
        'metadata.labels.app', 'Invalid value: "-web"', 'label value', 'starting and ending with an alphanumeric');
    });

    test('label values must be strings (YAML `version: 1` is a number)', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.labels = { 'app.kubernetes.io/version': 1 }; })),
        'metadata.labels["app.kubernetes.io/version"]', 'Invalid type: 1', 'must be a string');
    });

    test('annotation keys must be qualified names, in any case', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.metadata.annotations = { 'a/b/c': 'x' }; })),
        'metadata.annotations', 'Invalid value: "a/b/c"', 'annotation key');
    });

    test('annotations may take at most 256 KiB', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { p.metadata.annotations = { big: 'x'.repeat(256 * 1024) }; }));
      expectOnlyProblem(problems, 'metadata.annotations', 'Too long', '262147 bytes', 'limit is 262144');
    });
  });

  describe('label selectors', () => {
    test('matchLabels keys must be qualified names', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.podSelector.matchLabels = { '/app': 'web' }; })),
        'spec.podSelector.matchLabels', 'Invalid value: "/app"', "prefix ''", 'must not be empty');
    });

    test('matchLabels values must be valid label values', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[0].podSelector.matchLabels.app = 'a'.repeat(64); })),
        'spec.ingress[0].from[0].podSelector.matchLabels.app', 'label value', 'at most 63 characters');
    });

    test('In and NotIn need values', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.podSelector.matchExpressions[0] = { key: 'track', operator: 'NotIn', values: [] }; })),
        'spec.podSelector.matchExpressions[0].values', 'Required value', "must be specified when `operator` is 'In' or 'NotIn'");
    });

    test('Exists and DoesNotExist take no values', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.podSelector.matchExpressions[1].values = ['x']; })),
        'spec.podSelector.matchExpressions[1].values', 'Forbidden', "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    });

    test('the operator must be In, NotIn, Exists or DoesNotExist', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.podSelector.matchExpressions[0].operator = 'Equals'; })),
        'spec.podSelector.matchExpressions[0].operator', 'Unsupported value: "Equals"', '"In", "NotIn", "Exists", "DoesNotExist"');
    });

    test('expression keys must be qualified names', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.podSelector.matchExpressions[1].key = 'legacy!'; })),
        'spec.podSelector.matchExpressions[1].key', 'Invalid value: "legacy!"', 'label key');
    });

    test('expression values must be valid label values', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.podSelector.matchExpressions[0].values = ['stable', 'not valid']; })),
        'spec.podSelector.matchExpressions[0].values[1]', 'Invalid value: "not valid"', 'label value');
    });
  });

  describe('peers', () => {
    test('a peer needs a podSelector, a namespaceSelector or an ipBlock', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[1] = {}; })),
        'spec.ingress[0].from[1]', 'Required value', 'must specify a peer');
    });

    test('an ipBlock cannot be combined with a selector', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { p.spec.egress[0].to[0].namespaceSelector = {}; }));
      expectOnlyProblem(problems, 'spec.egress[0].to[0]', 'Forbidden', 'may not specify both ipBlock and another peer');
    });

    test('podSelector and namespaceSelector together are one peer (AND)', () => {
      const policy = policyWith((p) => { p.spec.ingress[0].from = [{ podSelector: { matchLabels: { app: 'a' } }, namespaceSelector: {} }]; });
      expect(validateNetworkPolicy(policy)).toEqual([]);
    });
  });

  describe('ipBlock', () => {
    test('cidr is required', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[2].ipBlock = { cidr: '' }; })),
        'spec.ingress[0].from[2].ipBlock.cidr', 'Required value');
    });

    test('cidr must be a CIDR', () => {
      for (const [cidr, rule] of [['10.0.0.0', 'CIDR notation'], ['10.0.0.0/33', 'prefix length'], ['300.0.0.0/8', 'invalid IP address']]) {
        expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[2].ipBlock = { cidr }; })),
          'spec.ingress[0].from[2].ipBlock.cidr', `Invalid value: "${cidr}"`, 'not a valid CIDR', rule);
      }
    });

    test('except entries must be CIDRs', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[2].ipBlock.except = ['10.1.0.0']; })),
        'spec.ingress[0].from[2].ipBlock.except[0]', 'Invalid value: "10.1.0.0"', 'not a valid CIDR');
    });

    test('except entries must lie inside the cidr', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[2].ipBlock.except = ['10.1.0.0/16', '192.168.0.0/16']; })),
        'spec.ingress[0].from[2].ipBlock.except[1]', 'Invalid value: "192.168.0.0/16"', 'must be a strict subset of the cidr 10.0.0.0/8');
    });

    test('except entries must be strict subsets, not the cidr itself', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.ingress[0].from[2].ipBlock.except = ['10.0.0.0/8']; })),
        'spec.ingress[0].from[2].ipBlock.except[0]', 'must be a strict subset');
    });

    test('except entries must be of the cidr\'s IP family', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.egress[0].to[0].ipBlock.except = ['10.0.0.0/16']; })),
        'spec.egress[0].to[0].ipBlock.except[0]', 'Invalid value: "10.0.0.0/16"', 'IPv4', 'IPv6');
    });
  });

  describe('policyTypes', () => {
    test('at most two', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.policyTypes = ['Ingress', 'Egress', 'Ingress']; })),
        'spec.policyTypes', 'may not specify more than two policyTypes');
    });

    test('only Ingress and Egress', () => {
      expectOnlyProblem(validateNetworkPolicy(policyWith((p) => { p.spec.policyTypes = ['Ingress', 'egress']; })),
        'spec.policyTypes[1]', 'Unsupported value: "egress"', '"Ingress", "Egress"');
    });
  });

  describe('ports', () => {
    const port = (edit: (ports: any[]) => void) => validateNetworkPolicy(policyWith((p) => edit(p.spec.ingress[0].ports)));

    test('protocol must be TCP, UDP or SCTP', () => {
      expectOnlyProblem(port((ports) => { ports[0].protocol = 'ICMP'; }),
        'spec.ingress[0].ports[0].protocol', 'Unsupported value: "ICMP"', '"TCP", "UDP", "SCTP"');
    });

    test('a port number must be 1-65535', () => {
      expectOnlyProblem(port((ports) => { ports[0].port = 0; }), 'spec.ingress[0].ports[0].port', 'Invalid value: 0', '1-65535');
      expectOnlyProblem(port((ports) => { ports[0].port = 65536; }), 'spec.ingress[0].ports[0].port', 'Invalid value: 65536', '1-65535');
    });

    test('a port name must be an IANA service name', () => {
      for (const [name, rule] of [['a b', "lowercase letters, digits and '-'"], ['HTTP', "lowercase letters, digits and '-'"],
        ['80', 'at least one letter'], ['my--port', "'--'"], ['a-very-long-port-name', 'at most 15 characters']]) {
        expectOnlyProblem(port((ports) => { ports[1].port = name; }), 'spec.ingress[0].ports[1].port', `Invalid value: "${name}"`, 'port name', rule);
      }
    });

    test('a port must be a number or a name', () => {
      expectOnlyProblem(port((ports) => { ports[0].port = true; }), 'spec.ingress[0].ports[0].port', 'Invalid type: true', 'an integer or a port name');
    });

    test('endPort must not be below port', () => {
      expectOnlyProblem(port((ports) => { ports[2].endPort = 4999; }),
        'spec.ingress[0].ports[2].endPort', 'Invalid value: 4999', 'must be greater than or equal to `port` (5000)');
    });

    test('endPort must be 1-65535', () => {
      expectOnlyProblem(port((ports) => { ports[2].endPort = 70000; }), 'spec.ingress[0].ports[2].endPort', 'Invalid value: 70000', '1-65535');
    });

    test('endPort needs a numeric port', () => {
      expectOnlyProblem(port((ports) => { ports[1].endPort = 9000; }),
        'spec.ingress[0].ports[1].endPort', 'Invalid value: 9000', 'may not be specified when `port` is non-numeric');
    });

    test('endPort needs a port', () => {
      expectOnlyProblem(port((ports) => { ports[2] = { protocol: 'UDP', endPort: 5010 }; }),
        'spec.ingress[0].ports[2].endPort', 'may not be specified when `port` is not specified');
    });
  });

  describe('what the server rejects before validating', () => {
    test('unknown fields (kubectl --validate=strict, its default)', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { p.spec.ingress[1] = { form: [] }; }));
      expectOnlyProblem(problems, 'spec.ingress[1].form', 'Unknown field', "NetworkPolicyIngressRule has no field 'form'", 'ports, from');
    });

    test('values of the wrong JSON type', () => {
      const problems = validateNetworkPolicy(policyWith((p) => { p.spec.egress[0].to = { ipBlock: { cidr: 'fd00::/8' } }; }));
      expectOnlyProblem(problems, 'spec.egress[0].to', 'Invalid type', 'must be a list');
    });
  });

  test('reports every problem, not just the first', () => {
    const problems = validateNetworkPolicy(policyWith((p) => {
      p.metadata.name = 'Bad';
      p.spec.ingress[0].ports[0].port = 0;
      p.spec.egress[0].to[0] = {};
    }));
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(['metadata.name', 'spec.ingress[0].ports[0].port', 'spec.egress[0].to[0]']);
  });
});
