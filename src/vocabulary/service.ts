import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { invalid } from './errors';
import { checkArg, Expected, Is } from './input-checks';
import { LabelSelector } from './label-selector';
import { A_PROTOCOL, Port, Protocol } from './port';

/**
 * A Service construct, as entries that take one expect it.
 * @internal
 */
export const A_SERVICE: Expected = Is.construct('a Service construct', 'a cdk8s-plus Service, a KubeService or an ApiObject of kind Service');

/**
 * A Service as the vocabulary reads it: from the `v1` Service object a construct synthesizes (a
 * cdk8s-plus `Service` of any version, a `KubeService`, or an `ApiObject`), so no class of a
 * particular cdk8s-plus line is part of the API.
 * @internal
 */
export interface ServiceSpec {
  readonly namespace?: string;
  readonly name: string;
  readonly selector: LabelSelector;
  readonly ports: readonly { readonly port: number; readonly protocol: Protocol; readonly name?: string; readonly target: Port }[];
  /** `Service 'shop/api'` or `Service 'api'`, for messages. */
  readonly describe: string;
}

/**
 * Reads a Service construct's selector and ports as they are now (a cdk8s-plus Service gets its
 * selector when it is created or `select()`ed, so read it after that).
 * @internal
 */
export function readService(service: IConstruct, where: string): ServiceSpec {
  const object = service instanceof ApiObject ? service : ApiObject.of(service);
  if (object.apiVersion !== 'v1' || object.kind !== 'Service') {
    throw invalid(where, `${service.node.path} is a ${object.kind} (${object.apiVersion}), not a v1 Service`, 'Pass a cdk8s-plus Service, a KubeService or an ApiObject of kind Service');
  }
  const json = object.toJson();
  const namespace: string | undefined = json.metadata?.namespace ?? Chart.of(service).namespace;
  const name = String(json.metadata?.name);
  const describe = `Service '${namespace ? `${namespace}/` : ''}${name}'`;
  const labels = json.spec?.selector ?? {};
  if (Object.keys(labels).length === 0) {
    throw invalid(where, `${describe} has no selector, so no pods stand behind it for a policy to select`, 'Give the Service a selector, or name its pods with Peer.pods / Workload.fromLabels');
  }
  const ports = (json.spec?.ports ?? []).map((p: any, i: number) => {
    const protocol = (p.protocol ?? 'TCP') as Protocol;
    checkArg(where, `${describe} spec.ports[${i}].protocol`, protocol, A_PROTOCOL);
    const target = p.targetPort ?? p.port;
    return {
      port: Number(p.port),
      protocol,
      name: p.name ?? undefined,
      target: typeof target === 'string' && !/^\d+$/.test(target) ? Port.named(target, protocol) : numbered(protocol, Number(target)),
    };
  });
  return { namespace, name, selector: LabelSelector.matchLabels(labels), ports, describe };
}

function numbered(protocol: Protocol, port: number): Port {
  switch (protocol) {
    case Protocol.UDP: return Port.udp(port);
    case Protocol.SCTP: return Port.sctp(port);
    default: return Port.tcp(port);
  }
}

/**
 * The target ports behind the Service ports a grant names: a number or name is a Service port, a
 * whole protocol or every port all of the Service's. Throws, naming `where`, for a port the Service
 * does not expose.
 * @internal
 */
export function serviceTargetPorts(service: ServiceSpec, ports: Port[], where: string): Port[] {
  const out: Port[] = [];
  for (const port of ports) {
    const matching = service.ports.filter((p) => {
      if (port.protocol === undefined) return true;
      if (p.protocol !== port.protocol) return false;
      if (port.name !== undefined) return p.name === port.name;
      if (port.number === undefined) return true;
      return p.port >= port.number && p.port <= (port.endPort ?? port.number);
    });
    if (matching.length === 0) {
      const exposed = service.ports.map((p) => `${p.port}/${p.protocol}${p.name ? ` '${p.name}'` : ''}`).join(', ') || 'none';
      throw invalid(where, `${service.describe} exposes no port matching ${port} (it exposes ${exposed})`, 'Name a port of the Service: policies apply to its target ports on the pods, which the library fills in');
    }
    out.push(...matching.map((p) => p.target));
  }
  return out;
}
