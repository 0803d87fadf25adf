import { ContainerPortModel, IpBlockModel, PodModel } from './cluster-model';
import { IpFamily, ParsedCidr, cidrContains, cidrContainsIp, parseCidr } from '../vocabulary/k8s-rules';

/**
 * Addresses outside the cluster as endpoints. Every CIDR a policy mentions (an ipBlock's `cidr` and
 * `except`, and later tiers' `networks` and Cilium CIDRs) is a boundary; the addresses with the same
 * membership in every mentioned CIDR form one external node. Mentioned CIDRs are laminar (two
 * CIDRs are nested or disjoint), so a node is exactly `C except E1, E2, …`: C the smallest
 * mentioned CIDR holding it, Ei the largest mentioned CIDRs strictly inside C. The IPv4 space
 * (`0.0.0.0/0`) is always split; the IPv6 space (`::/0`) when some IPv6 CIDR is mentioned.
 *
 * External nodes are never isolated (nothing outside the cluster enforces our policies) and only
 * address peers (ipBlocks) and rules without peers match them.
 *
 * Named external nodes stand for peers known by name, not address: every DNS name or pattern a
 * policy mentions (Cilium `toFQDNs`), and the Kubernetes API server when a policy names it (Cilium
 * entity `kube-apiserver`). Their addresses are unknown to the analyzer, so an address peer
 * matches a DNS name only when it holds every public address (`0.0.0.0/0`, excepting at most
 * private, shared, loopback and link-local ranges), and never matches the API server (Cilium
 * gives it its own identity, which CIDR rules do not select).
 */

/** A set of addresses outside the cluster that every policy treats alike. @internal */
export interface ExternalModel {
  /** `C` or `C except E1, E2`, e.g. `0.0.0.0/0 except 10.0.0.0/8`. */
  readonly id: string;
  readonly family: IpFamily;
  /** The smallest mentioned CIDR holding the node. */
  readonly cidr: ParsedCidr;
  /** The largest mentioned CIDRs strictly inside `cidr`, by address. */
  readonly except: readonly ParsedCidr[];
  /** An address of the node: every address of it is in the same mentioned CIDRs. */
  readonly sample: bigint;
  /** How many addresses it holds. */
  readonly size: bigint;
  /** Always empty: named ports never resolve on an address outside the cluster. */
  readonly ports: readonly ContainerPortModel[];
  /**
   * Set on a named node: `fqdn` for a DNS name or pattern (the `id`, e.g. `api.stripe.com` or
   * `*.amazonaws.com`), `kube-apiserver` for the API server. `cidr` is then the whole IPv4 space
   * and means nothing.
   */
  readonly named?: 'fqdn' | 'kube-apiserver';
}

/** The id of the API server's named node. @internal */
export const KUBE_APISERVER_NODE = 'kube-apiserver';

/** An endpoint of a connection: a pod (or a workload's pod template) or an external node. @internal */
export type EndpointModel = PodModel | ExternalModel;

/** Whether an endpoint is an external node. @internal */
export function isExternal(endpoint: EndpointModel): endpoint is ExternalModel {
  return (endpoint as ExternalModel).cidr !== undefined;
}

const WHOLE: Record<IpFamily, ParsedCidr> = {
  4: parseCidr('0.0.0.0/0') as ParsedCidr,
  6: parseCidr('::/0') as ParsedCidr,
};

const bitsOf = (family: IpFamily): number => (family === 4 ? 32 : 128);
const sizeOf = (cidr: ParsedCidr): bigint => 2n ** BigInt(bitsOf(cidr.family) - cidr.prefix);

/** The whole address space of a family as one node: what a family no policy mentions is. @internal */
export function wholeSpace(family: IpFamily): ExternalModel {
  return node(WHOLE[family], [])!;
}

function node(cidr: ParsedCidr, except: readonly ParsedCidr[]): ExternalModel | undefined {
  // The first address of `cidr` outside every exception (they are disjoint and sorted).
  let sample = cidr.address;
  for (const e of except) {
    if (e.address > sample) break;
    sample = e.address + sizeOf(e);
  }
  if (sample >= cidr.address + sizeOf(cidr)) return undefined;
  const size = except.reduce((left, e) => left - sizeOf(e), sizeOf(cidr));
  const id = except.length === 0 ? cidr.canonical : `${cidr.canonical} except ${except.map((e) => e.canonical).join(', ')}`;
  return { id, family: cidr.family, cidr, except, sample, size, ports: [] };
}

/**
 * The external nodes the mentioned CIDRs split the address space into: IPv4 first, then IPv6 when
 * an IPv6 CIDR is among them; within a family by the address of `C`, wider first.
 * @internal
 */
export function splitAddressSpace(mentioned: readonly ParsedCidr[]): ExternalModel[] {
  const out: ExternalModel[] = [];
  for (const family of [4, 6] as IpFamily[]) {
    const cidrs = new Map<string, ParsedCidr>();
    if (family === 4 || mentioned.some((c) => c.family === 6)) cidrs.set(WHOLE[family].canonical, WHOLE[family]);
    for (const c of mentioned) if (c.family === family) cidrs.set(c.canonical, c);
    // In address order, wider first: a CIDR's parent is the nearest earlier CIDR holding it.
    const sorted = [...cidrs.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : a.prefix - b.prefix));
    const children = new Map<ParsedCidr, ParsedCidr[]>(sorted.map((c) => [c, []]));
    const stack: ParsedCidr[] = [];
    for (const c of sorted) {
      while (stack.length > 0 && !cidrContains(stack[stack.length - 1], c)) stack.pop();
      if (stack.length > 0) children.get(stack[stack.length - 1])!.push(c);
      stack.push(c);
    }
    for (const c of sorted) {
      const made = node(c, children.get(c)!);
      if (made) out.push(made);
    }
  }
  return out;
}

/**
 * Named nodes for the DNS names and patterns mentioned (lower-cased, without a trailing dot) and,
 * when `apiServer`, the API server; in name order, the API server first.
 * @internal
 */
export function namedNodes(names: readonly string[], apiServer: boolean): ExternalModel[] {
  const fqdns = [...new Set(names.map(normalizeDnsName))].sort().map((name) => namedNode(name, 'fqdn'));
  return apiServer ? [namedNode(KUBE_APISERVER_NODE, 'kube-apiserver'), ...fqdns] : fqdns;
}

/**
 * A named node: a DNS name or pattern (`fqdn`, already normalized) or the API server. A DNS name no
 * policy mentions is such a node too when asked about: policies judge it as they judge every name.
 * @internal
 */
export function namedNode(id: string, kind: 'fqdn' | 'kube-apiserver'): ExternalModel {
  return { id, family: 4, cidr: WHOLE[4], except: [], sample: 0n, size: 0n, ports: [], named: kind };
}

/** Whether a normalized name is a concrete DNS name: two or more labels of DNS characters, no wildcard. @internal */
export function isDnsName(name: string): boolean {
  return /^[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\.[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?)+$/.test(name) && !/^[0-9.]+$/.test(name);
}

/** A DNS name or pattern as nodes are named: lower case, no trailing dot. @internal */
export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** Ranges where no public DNS name should point, per family. */
const NON_PUBLIC: Record<IpFamily, ParsedCidr[]> = {
  4: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'].map((c) => parseCidr(c) as ParsedCidr),
  6: ['::1/128', 'fc00::/7', 'fe80::/10'].map((c) => parseCidr(c) as ParsedCidr),
};

/** Whether a block holds every public address of its family: `/0` with only non-public holes. */
function holdsEveryPublicAddress(block: IpBlockModel): boolean {
  return block.cidr.prefix === 0 && block.except.every((e) => NON_PUBLIC[e.family].some((n) => cidrContains(n, e)));
}

/** Whether every address of an external node is in the block (it is all or none of them). @internal */
export function blockHoldsExternal(block: IpBlockModel, external: ExternalModel): boolean {
  if (external.named) return external.named === 'fqdn' && holdsEveryPublicAddress(block);
  return cidrContainsIp(block.cidr, external.family, external.sample)
    && !block.except.some((e) => cidrContainsIp(e, external.family, external.sample));
}

/** Whether an address lies in an external node. @internal */
export function externalHoldsIp(external: ExternalModel, family: IpFamily, value: bigint): boolean {
  if (external.named) return false;
  return cidrContainsIp(external.cidr, family, value) && !external.except.some((e) => cidrContainsIp(e, family, value));
}

/** Whether an external node and a CIDR share an address. @internal */
export function externalOverlaps(external: ExternalModel, cidr: ParsedCidr): boolean {
  // A DNS name may resolve to any public address; the API server's address is unknown.
  if (external.named) return external.named === 'fqdn' && cidr.prefix === 0;
  if (cidr.family !== external.family) return false;
  // Disjoint, or the CIDR inside an exception: no address in common. Otherwise some.
  if (!cidrContains(external.cidr, cidr) && !cidrContains(cidr, external.cidr)) return false;
  return !external.except.some((e) => cidrContains(e, cidr));
}
