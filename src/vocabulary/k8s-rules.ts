/* eslint-disable no-bitwise */ // IP address arithmetic is bit arithmetic.
import { show } from './errors';

/**
 * The Kubernetes API server's validation rules that NetworkPolicy fields are held to, as pure
 * functions. Each returns `undefined` when the value is valid, or a sentence saying which rule it
 * breaks. The vocabulary uses them to reject bad input early; the analyzer uses them to reject
 * invalid manifests it reads.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/**
 * The label the API server sets on every namespace, holding its name.
 * @internal
 */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** @internal */
export const MAX_DNS1123_LABEL = 63;
/** @internal */
export const MAX_DNS1123_SUBDOMAIN = 253;

/**
 * A DNS-1123 label (namespace names): at most 63 lowercase alphanumerics or '-', starting and
 * ending with an alphanumeric.
 * @internal
 */
export function checkDns1123Label(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_DNS1123_LABEL) return `must be at most ${MAX_DNS1123_LABEL} characters (it has ${value.length})`;
  if (!DNS1123_LABEL.test(value)) {
    return "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * A DNS-1123 subdomain (object names such as a NetworkPolicy's): at most 253 characters, dot-separated
 * DNS-1123 labels.
 * @internal
 */
export function checkDns1123Subdomain(value: string): string | undefined {
  if (value.length === 0) return 'must not be empty';
  if (value.length > MAX_DNS1123_SUBDOMAIN) return `must be at most ${MAX_DNS1123_SUBDOMAIN} characters (it has ${value.length})`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit";
  }
  return undefined;
}

/**
 * A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters of
 * alphanumerics, '-', '_' and '.', starting and ending with an alphanumeric.
 * @internal
 */
export function checkLabelKey(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    const problem = checkDns1123Subdomain(prefix);
    if (problem) return `has a prefix ${show(prefix)} that ${problem}`;
  }
  if (name.length === 0) return 'must have a name part (the part after any prefix/)';
  if (name.length > MAX_DNS1123_LABEL) return `has a name part of ${name.length} characters; the limit is ${MAX_DNS1123_LABEL}`;
  if (!QUALIFIED_NAME_PART.test(name)) {
    return "must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric (with an optional DNS subdomain prefix and '/')";
  }
  return undefined;
}

/**
 * A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', starting and ending with an
 * alphanumeric.
 * @internal
 */
export function checkLabelValue(value: string): string | undefined {
  if (value.length === 0) return undefined;
  if (value.length > MAX_DNS1123_LABEL) return `must be at most ${MAX_DNS1123_LABEL} characters (it has ${value.length})`;
  if (!QUALIFIED_NAME_PART.test(value)) {
    return "must be alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric";
  }
  return undefined;
}

/**
 * A port number: an integer from 1 to 65535.
 * @internal
 */
export function checkPortNumber(port: number): string | undefined {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'must be an integer in the range 1-65535';
  return undefined;
}

/**
 * A named port (IANA_SVC_NAME): at most 15 lowercase alphanumerics or '-', at least one letter, no
 * leading, trailing or double '-'.
 * @internal
 */
export function checkPortName(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 15) return `must be at most 15 characters (it has ${name.length})`;
  if (!IANA_SVC_NAME.test(name)) return "must be lowercase letters, digits and '-', not starting or ending with '-'";
  if (name.includes('--')) return "must not contain '--'";
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  return undefined;
}

/** IP family of an address or CIDR. @internal */
export type IpFamily = 4 | 6;

/**
 * A parsed CIDR: family, network address as a bigint, prefix length, and whether host bits were set
 * in the text (the API server accepts that; we reject it in what we write).
 * @internal
 */
export interface ParsedCidr {
  readonly family: IpFamily;
  readonly address: bigint;
  readonly prefix: number;
  readonly hostBitsSet: boolean;
  /** The CIDR in canonical form (host bits cleared, shortest IPv6 notation). */
  readonly canonical: string;
}

/**
 * Parses an IPv4 or IPv6 address into its family and value, or returns undefined.
 * @internal
 */
export function parseIp(text: string): { family: IpFamily; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let groupsText = text;
  // An embedded IPv4 suffix (::ffff:1.2.3.4) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    groupsText = `${text.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const halves = groupsText.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const out: bigint[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length;
  let groups: bigint[];
  if (halves.length === 2) {
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<bigint>(8 - explicit).fill(0n), ...rest];
  } else {
    if (explicit !== 8) return undefined;
    groups = head;
  }
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/**
 * Formats an address of the given family (IPv6 in RFC 5952 shortest form).
 * @internal
 */
export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  }
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) { bestStart = i; bestLength = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/**
 * Parses `address/prefix`, or returns a sentence saying what is wrong.
 * @internal
 */
export function parseCidr(text: string): ParsedCidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) return "must be in CIDR notation 'address/prefix', e.g. '10.0.0.0/8' or 'fd00::/8'";
  const ip = parseIp(text.slice(0, slash));
  if (!ip) return `has an invalid IP address ${show(text.slice(0, slash))}`;
  const prefixText = text.slice(slash + 1);
  const bits = ip.family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return `has an invalid prefix length ${show(`/${prefixText}`)} (IPv${ip.family} allows /0 to /${bits})`;
  }
  const prefix = Number(prefixText);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  const address = ip.value & mask;
  return {
    family: ip.family,
    address,
    prefix,
    hostBitsSet: address !== ip.value,
    canonical: `${formatIp(ip.family, address)}/${prefix}`,
  };
}

/**
 * Whether `inner` lies inside `outer` (same family, longer or equal prefix, same network bits).
 * @internal
 */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  const bits = outer.family === 4 ? 32 : 128;
  const shift = BigInt(bits - outer.prefix);
  return (outer.address >> shift) === (inner.address >> shift);
}

/**
 * Whether an address of the given family lies in the CIDR.
 * @internal
 */
export function cidrContainsIp(cidr: ParsedCidr, family: IpFamily, value: bigint): boolean {
  if (cidr.family !== family) return false;
  const bits = family === 4 ? 32 : 128;
  const shift = BigInt(bits - cidr.prefix);
  return (cidr.address >> shift) === (value >> shift);
}

/**
 * The API server's rule for `ipBlock.except`: every entry a strict subset of `cidr`.
 * @internal
 */
export function checkExcept(cidr: ParsedCidr, except: ParsedCidr): string | undefined {
  if (except.family !== cidr.family) return `is IPv${except.family} but the cidr ${cidr.canonical} is IPv${cidr.family}`;
  if (!cidrContains(cidr, except) || except.prefix <= cidr.prefix) return `must be a strict subset of the cidr ${cidr.canonical}`;
  return undefined;
}
