import { invalid, show } from './errors';
import { checkArg, Expected, Is, required } from './input-checks';
import { checkPortName, checkPortNumber } from './k8s-rules';

/**
 * A transport protocol NetworkPolicy can filter.
 *
 * @example
 * Port.named('dns', Protocol.UDP);
 */
export enum Protocol {
  /** TCP (the Kubernetes default). */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
  /** SCTP. Some CNIs do not enforce SCTP rules. */
  SCTP = 'SCTP',
}

/**
 * A protocol, as entries that take one expect it.
 * @internal
 */
export const A_PROTOCOL: Expected = Is.enumOf('Protocol', Protocol);

/** Made before the class: its constants are made with its factories. */
const A_PORT_NUMBER = required(Is.number('8080'));

/**
 * The ports of a rule: a number, a range, a named container port, every port of a protocol, or every
 * port of every protocol. Rendered as a `NetworkPolicyPort` with an explicit protocol; "every port"
 * is written by leaving `port` out, never as `port: 0`.
 *
 * @example
 * Port.tcp(8080);
 * Port.tcpRange(30000, 32767);
 * Port.named('metrics');
 * Port.allUdp();
 * Port.HTTPS;
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/#targeting-a-range-of-ports
 */
export class Port {
  /** DNS over UDP, 53/UDP. */
  public static readonly DNS_UDP = Port.udp(53);
  /** DNS over TCP, 53/TCP (large answers and zone transfers fall back to TCP). */
  public static readonly DNS_TCP = Port.tcp(53);
  /** HTTP, 80/TCP. */
  public static readonly HTTP = Port.tcp(80);
  /** HTTPS, 443/TCP. */
  public static readonly HTTPS = Port.tcp(443);
  /** SSH, 22/TCP. */
  public static readonly SSH = Port.tcp(22);
  /** PostgreSQL, 5432/TCP. */
  public static readonly POSTGRES = Port.tcp(5432);
  /** MySQL and MariaDB, 3306/TCP. */
  public static readonly MYSQL = Port.tcp(3306);
  /** Redis, 6379/TCP. */
  public static readonly REDIS = Port.tcp(6379);
  /** MongoDB, 27017/TCP. */
  public static readonly MONGODB = Port.tcp(27017);
  /** Memcached, 11211/TCP. */
  public static readonly MEMCACHED = Port.tcp(11211);
  /** Kafka, 9092/TCP. */
  public static readonly KAFKA = Port.tcp(9092);
  /** AMQP (RabbitMQ), 5672/TCP. */
  public static readonly AMQP = Port.tcp(5672);
  /** Elasticsearch and OpenSearch HTTP, 9200/TCP. */
  public static readonly ELASTICSEARCH = Port.tcp(9200);
  /** Prometheus server, 9090/TCP. */
  public static readonly PROMETHEUS = Port.tcp(9090);

  /**
   * One TCP port.
   * @param port the port number, 1-65535
   */
  public static tcp(port: number): Port {
    return Port.numbered(`Port.tcp(${show(port)})`, Protocol.TCP, port);
  }

  /**
   * One UDP port.
   * @param port the port number, 1-65535
   */
  public static udp(port: number): Port {
    return Port.numbered(`Port.udp(${show(port)})`, Protocol.UDP, port);
  }

  /**
   * One SCTP port.
   * @param port the port number, 1-65535
   */
  public static sctp(port: number): Port {
    return Port.numbered(`Port.sctp(${show(port)})`, Protocol.SCTP, port);
  }

  /**
   * TCP ports `from` to `to`, both included (rendered with `endPort`).
   * @param from the first port, 1-65535
   * @param to the last port, at least `from`
   */
  public static tcpRange(from: number, to: number): Port {
    return Port.range(`Port.tcpRange(${show(from)}, ${show(to)})`, Protocol.TCP, from, to);
  }

  /**
   * UDP ports `from` to `to`, both included (rendered with `endPort`).
   * @param from the first port, 1-65535
   * @param to the last port, at least `from`
   */
  public static udpRange(from: number, to: number): Port {
    return Port.range(`Port.udpRange(${show(from)}, ${show(to)})`, Protocol.UDP, from, to);
  }

  /**
   * SCTP ports `from` to `to`, both included (rendered with `endPort`).
   * @param from the first port, 1-65535
   * @param to the last port, at least `from`
   */
  public static sctpRange(from: number, to: number): Port {
    return Port.range(`Port.sctpRange(${show(from)}, ${show(to)})`, Protocol.SCTP, from, to);
  }

  /** Every TCP port (a `NetworkPolicyPort` with protocol TCP and no port). */
  public static allTcp(): Port {
    return new Port(Protocol.TCP);
  }

  /** Every UDP port. */
  public static allUdp(): Port {
    return new Port(Protocol.UDP);
  }

  /** Every SCTP port. */
  public static allSctp(): Port {
    return new Port(Protocol.SCTP);
  }

  /**
   * Every port of every protocol: the rule is written without `ports`. An explicit choice, because it
   * is the widest there is.
   */
  public static allPorts(): Port {
    return new Port(undefined);
  }

  /**
   * A named container port, resolved by Kubernetes on each destination pod (`containerPort` with this
   * `name` and protocol).
   * @param name an IANA service name: at most 15 of `a-z`, `0-9` and `-`, with at least one letter
   * @param protocol the protocol of the container port
   * @default protocol Protocol.TCP
   */
  public static named(name: string, protocol?: Protocol): Port {
    const where = `Port.named(${show(name)})`;
    checkArg(where, 'name', name, required(Is.string("'http'")));
    checkArg(where, 'protocol', protocol, A_PROTOCOL);
    const problem = checkPortName(name);
    if (problem) {
      throw invalid(where, `port name ${show(name)} ${problem}`, "Use the container port's name as written in its spec, e.g. 'http' or 'metrics'");
    }
    return new Port(protocol ?? Protocol.TCP, undefined, undefined, name);
  }

  private static numbered(where: string, protocol: Protocol, port: number): Port {
    checkArg(where, 'port', port, A_PORT_NUMBER);
    const problem = checkPortNumber(port);
    if (problem) throw invalid(where, `port ${port} is out of range: a port ${problem}`, `Use Port.all${title(protocol)}() for every ${protocol} port`);
    return new Port(protocol, port);
  }

  private static range(where: string, protocol: Protocol, from: number, to: number): Port {
    for (const [name, n] of [['from', from], ['to', to]] as const) {
      checkArg(where, name, n, A_PORT_NUMBER);
      const problem = checkPortNumber(n);
      if (problem) throw invalid(where, `port ${n} is out of range: a port ${problem}`, `Use Port.all${title(protocol)}() for every ${protocol} port`);
    }
    if (to < from) throw invalid(where, `the range ends (endPort ${to}) before it starts (port ${from})`, `Write Port.${protocol.toLowerCase()}Range(${to}, ${from})`);
    return from === to ? new Port(protocol, from) : new Port(protocol, from, to);
  }

  /**
   * The protocol.
   * @default - none: every port of every protocol (`Port.allPorts()`)
   */
  public readonly protocol?: Protocol;
  /**
   * The port number, or the first of a range.
   * @default - none: every port of the protocol, or a named port
   */
  public readonly number?: number;
  /**
   * The last port of a range.
   * @default - none: not a range
   */
  public readonly endPort?: number;
  /**
   * The name of a container port.
   * @default - none: not a named port
   */
  public readonly name?: string;

  private constructor(protocol?: Protocol, number?: number, endPort?: number, name?: string) {
    this.protocol = protocol;
    this.number = number;
    this.endPort = endPort;
    this.name = name;
  }

  /**
   * The `NetworkPolicyPort` for this port, or `undefined` for `Port.allPorts()` (a rule without ports).
   */
  public toJson(): any {
    if (!this.protocol) return undefined;
    return {
      protocol: this.protocol,
      ...(this.number !== undefined ? { port: this.number } : {}),
      ...(this.name !== undefined ? { port: this.name } : {}),
      ...(this.endPort !== undefined ? { endPort: this.endPort } : {}),
    };
  }

  /**
   * Whether every connection this port admits is also admitted by `other`.
   * @param other the port that may cover this one
   */
  public isCoveredBy(other: Port): boolean {
    if (!other.protocol) return true;
    if (this.protocol !== other.protocol) return false;
    if (other.number === undefined && other.name === undefined) return true;
    if (this.name !== undefined || other.name !== undefined) return this.name === other.name;
    if (this.number === undefined) return false;
    const [from, to] = [this.number, this.endPort ?? this.number];
    return other.number! <= from && to <= (other.endPort ?? other.number!);
  }

  /** A readable form: `8080/TCP`, `8000-8080/TCP`, `http/TCP`, `all TCP` or `all ports`. */
  public toString(): string {
    if (!this.protocol) return 'all ports';
    if (this.name !== undefined) return `${this.name}/${this.protocol}`;
    if (this.number === undefined) return `all ${this.protocol}`;
    return `${this.number}${this.endPort !== undefined ? `-${this.endPort}` : ''}/${this.protocol}`;
  }
}

/**
 * A port, as entries that take one expect it.
 * @internal
 */
export const A_PORT: Expected = Is.instanceOf(Port, 'Port.tcp(8080)');

function title(protocol: Protocol): string {
  return protocol.charAt(0) + protocol.slice(1).toLowerCase();
}
