import { cidrContains, formatIp, ParsedCidr } from './k8s-rules';

/**
 * The addresses of `cidr` outside every block of `holes`, as the fewest CIDRs that cover exactly
 * them, sorted by address: what an `ipBlock` with `except` selects, for APIs that take CIDRs but no
 * `except` (ClusterNetworkPolicy `networks`). Each hole must lie inside `cidr` (as `except` entries
 * do); one hole of prefix p in a block of prefix q leaves p - q blocks.
 * @internal
 */
export function cidrDifference(cidr: ParsedCidr, holes: readonly ParsedCidr[]): ParsedCidr[] {
  const bits = cidr.family === 4 ? 32 : 128;
  const split = (block: ParsedCidr): ParsedCidr[] => {
    const inside = holes.filter((h) => cidrContains(block, h) || cidrContains(h, block));
    if (inside.length === 0) return [block];
    if (inside.some((h) => cidrContains(h, block))) return [];
    const prefix = block.prefix + 1;
    const half = 2n ** BigInt(bits - prefix);
    return [block.address, block.address + half].flatMap((address) => split({
      family: block.family,
      address,
      prefix,
      hostBitsSet: false,
      canonical: `${formatIp(block.family, address)}/${prefix}`,
    }));
  };
  return split(cidr);
}
