/** Small builders for plain Kubernetes objects in analyzer tests. */

export function namespace(name: string, labels: Record<string, string> = {}): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export interface PodOptions {
  readonly labels?: Record<string, string>;
  readonly ports?: { name?: string; containerPort: number; protocol?: string }[];
  readonly ips?: string[];
}

export function pod(ns: string, name: string, options: PodOptions = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, labels: options.labels ?? {} },
    spec: { containers: [{ name: 'main', image: 'x', ports: options.ports ?? [] }] },
    ...(options.ips ? { status: { podIP: options.ips[0], podIPs: options.ips.map((ip) => ({ ip })) } } : {}),
  };
}

export function policy(ns: string, name: string, spec: any): any {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec };
}
