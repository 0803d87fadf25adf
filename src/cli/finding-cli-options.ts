import * as fs from 'fs';
import { loadAll } from 'js-yaml';
import { ParsedArgs, UsageError } from './cli-args';
import { checkSuppression } from '../findings/apply-suppressions';
import { FindingSeverity } from '../findings/finding';
import { ClusterDns, FindingOptions } from '../findings/finding-options';
import { FINDING_RULES, findRule } from '../findings/finding-rules';
import { FindingSuppression } from '../findings/finding-suppression';
import { parseSeverity } from '../findings/severity-order';
import { parseCidr, parseIp } from '../vocabulary/k8s-rules';

/**
 * The options `analyze` reads for the guardrails' findings: cluster facts (CIDRs, where DNS
 * runs), which rules run, suppressions, and the severity that fails the command.
 */

/** Options that take a value. @internal */
export const FINDING_VALUE_OPTIONS = ['fail-on', 'pod-cidr', 'service-cidr', 'dns-namespace', 'dns-labels', 'dns-ip', 'dns-port', 'rules', 'skip-rules', 'suppressions'];

/** Help text for them. @internal */
export const FINDING_OPTIONS_HELP = `  --fail-on S         exit 1 when a finding of severity S or above remains: error (default),
                      warning, info, or never
  --pod-cidr C,...    the cluster's pod CIDRs, to report ipBlocks that cover them (NP016)
  --service-cidr C,...  the cluster's Service CIDRs, likewise
  --dns-namespace NS  namespace of the cluster DNS pods (default kube-system)
  --dns-labels K=V,...  labels of the cluster DNS pods (default k8s-app=kube-dns)
  --dns-ip IP,...     addresses that also answer DNS, e.g. NodeLocal DNSCache's 169.254.20.10
  --dns-port N        port the DNS pods listen on (default 53)
  --rules ID,...      run only these rules (ids such as NP008, or names)
  --skip-rules ID,... do not run these rules
  --suppressions F    YAML or JSON list of {id, subject, reason} findings to accept
`;

function list(args: ParsedArgs, name: string): string[] | undefined {
  const text = args.options.get(name);
  if (text === undefined) return undefined;
  const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`--${name} needs at least one value`);
  return items;
}

function cidrs(args: ParsedArgs, name: string): string[] | undefined {
  const items = list(args, name);
  for (const item of items ?? []) {
    const parsed = parseCidr(item);
    if (typeof parsed === 'string') throw new UsageError(`--${name} '${item}' ${parsed}; give CIDRs such as 10.244.0.0/16`);
  }
  return items;
}

function rules(args: ParsedArgs, name: string): string[] | undefined {
  const items = list(args, name);
  for (const item of items ?? []) if (!findRule(item)) throw new UsageError(`--${name}: no finding rule '${item}'; rules are ${FINDING_RULES[0].id} to ${FINDING_RULES[FINDING_RULES.length - 1].id} (see the README)`);
  return items;
}

/** Reads the finding options. @internal */
export function findingOptions(args: ParsedArgs): FindingOptions {
  const dns: { -readonly [K in keyof ClusterDns]: ClusterDns[K] } = {};
  const ns = args.options.get('dns-namespace');
  if (ns !== undefined) dns.namespace = ns;
  const labels = list(args, 'dns-labels');
  if (labels) {
    dns.podLabels = {};
    for (const pair of labels) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new UsageError(`--dns-labels '${pair}' must be KEY=VALUE, e.g. k8s-app=kube-dns`);
      dns.podLabels[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  const ips = list(args, 'dns-ip');
  for (const ip of ips ?? []) if (!parseIp(ip)) throw new UsageError(`--dns-ip '${ip}' is not an IPv4 or IPv6 address`);
  if (ips) dns.ips = ips;
  const port = args.options.get('dns-port');
  if (port !== undefined) {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw new UsageError(`--dns-port '${port}' must be a port number from 1 to 65535`);
    dns.port = Number(port);
  }
  return {
    podCidrs: cidrs(args, 'pod-cidr'),
    serviceCidrs: cidrs(args, 'service-cidr'),
    clusterDns: dns,
    rules: rules(args, 'rules'),
    skipRules: rules(args, 'skip-rules'),
  };
}

/** Reads `--fail-on`: a severity, or undefined for `never`. @internal */
export function failOnOption(args: ParsedArgs): FindingSeverity | undefined {
  const text = args.options.get('fail-on') ?? 'error';
  if (text === 'never') return undefined;
  const severity = parseSeverity(text);
  if (!severity) throw new UsageError(`--fail-on '${text}' must be one of: error, warning, info, never`);
  return severity;
}

/** Reads `--suppressions FILE`. @internal */
export function suppressionsOption(args: ParsedArgs): FindingSuppression[] {
  const file = args.options.get('suppressions');
  if (file === undefined) return [];
  let value: any;
  try {
    const text = fs.readFileSync(file, 'utf8');
    const docs = loadAll(text);
    value = docs.length === 1 ? docs[0] : docs;
  } catch (e: any) {
    throw new UsageError(`--suppressions '${file}': cannot read it (${e?.code === 'ENOENT' ? 'no such file' : String(e?.message ?? e).split('\n')[0]})`);
  }
  if (!Array.isArray(value)) throw new UsageError(`--suppressions '${file}' must hold a list of {id, subject, reason}`);
  return value.map((entry: any, i: number) => {
    const s = { id: String(entry?.id ?? ''), subject: String(entry?.subject ?? ''), reason: String(entry?.reason ?? '') };
    try {
      checkSuppression(`--suppressions '${file}' entry ${i}`, s);
    } catch (e: any) {
      throw new UsageError(e.message);
    }
    return s;
  });
}
