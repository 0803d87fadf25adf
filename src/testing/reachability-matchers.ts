import { Reachability } from '../analyzer';
import { invalid, show } from '../vocabulary/errors';
import { checkArg, Is, required } from '../vocabulary/input-checks';
import { A_PORT, Port } from '../vocabulary/port';

/**
 * Jest matchers that assert what NetworkPolicies allow, with the analyzer's explanation in every
 * failure message:
 *
 *   import 'cdk8s-netpol/lib/testing';
 *   expect(reachability).toAllow('shop/web', 'shop/api', Port.tcp(8080));
 *   expect(chart).toDeny('shop/web', 'shop/db', Port.POSTGRES);
 *   // Outbound: on 5432, shop/api reaches shop/db and nothing else.
 *   expect(reachability).toAllowOnlyDestinations('shop/api', Port.POSTGRES, ['shop/db']);
 *   // Inbound: on 5432, only shop/api reaches shop/db.
 *   expect(reachability).toAllowOnlySources('shop/db', Port.POSTGRES, ['shop/api']);
 *
 * The received value is a `Reachability` or a cdk8s Chart (analyzed with `Reachability.fromChart`).
 */

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The source may connect to the destination on the port. */
      toAllow(from: string, to: string, port: Port): R;
      /** The source may not connect to the destination on the port. */
      toDeny(from: string, to: string, port: Port): R;
      /**
       * Outbound: on the port, `from` may connect to exactly these destinations (besides itself),
       * among every pod and every external node (addresses outside the cluster).
       */
      toAllowOnlyDestinations(from: string, port: Port, destinations: string[]): R;
      /**
       * Inbound: on the port, exactly these sources (besides itself) may connect to `to`, among
       * every pod and every external node (addresses outside the cluster).
       */
      toAllowOnlySources(to: string, port: Port, sources: string[]): R;
      /**
       * Outbound, among pods only: on the port, `from` may connect to exactly these pods (besides itself).
       * @deprecated read in the wrong direction by many; use toAllowOnlyDestinations (outbound) or toAllowOnlySources (inbound)
       */
      toAllowOnly(from: string, port: Port, destinations: string[]): R;
    }
  }
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

const ENDPOINT = required(Is.string("'shop/web'"));
const ENDPOINTS = required(Is.listOf(Is.string("'shop/web'")));

/** The received value as a Reachability, once the matcher's arguments are checked (`[name, value, list?]`). */
function reachabilityOf(received: unknown, matcher: string, port: Port, endpoints: [string, unknown, boolean?][]): Reachability {
  for (const [name, value, list] of endpoints) checkArg(matcher, name, value, list ? ENDPOINTS : ENDPOINT);
  checkArg(matcher, 'port', port, required(A_PORT));
  if (received instanceof Reachability) return received;
  if (received && typeof (received as any).toJson === 'function' && (received as any).node) {
    return Reachability.fromChart(received as any);
  }
  throw invalid(matcher, `expected a Reachability or a cdk8s Chart, got ${show(received)}`,
    'Build one with Reachability.fromChart(chart), Reachability.fromManifests(objects) or Reachability.fromFiles(paths)');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

function judge(received: unknown, matcher: string, from: string, to: string, port: Port, expectAllowed: boolean): MatcherResult {
  const explanation = reachabilityOf(received, matcher, port, [['from', from], ['to', to]]).explain(from, to, port);
  const pass = explanation.allowed === expectAllowed;
  const connection = `${explanation.from} -> ${explanation.to} on ${explanation.port}/${explanation.protocol}`;
  return {
    pass,
    message: () => `expected ${connection} to be ${pass !== expectAllowed ? 'allowed' : 'denied'}, but it is ${explanation.allowed ? 'allowed' : 'denied'}:\n${indent(explanation.text)}`,
  };
}

/**
 * Whether exactly `expected` (besides `subject` itself) among `candidates` connect with `subject` on
 * the port: as destinations `subject` reaches, or as sources that reach `subject`.
 */
function judgeOnly(reach: Reachability, side: 'destinations' | 'sources', subject: string, port: Port, expected: string[], candidates: string[]): MatcherResult {
  const self = reach.resolve(subject);
  const flow = (other: string): [string, string] => (side === 'destinations' ? [self, other] : [other, self]);
  const wanted = new Set(expected.map((e) => reach.resolve(e)));
  // A named port resolves on the destination's container ports: an address outside the cluster has none.
  const external = new Set(reach.externals);
  const probed = side === 'destinations' && port.name !== undefined ? candidates.filter((c) => !external.has(c)) : candidates;
  const actual = probed.filter((other) => other !== self && reach.explain(...flow(other), port).allowed);
  const unexpected = actual.filter((other) => !wanted.has(other));
  const missing = [...wanted].filter((other) => other !== self && !actual.includes(other));
  const pass = unexpected.length === 0 && missing.length === 0;
  const details = [
    ...unexpected.map((other) => `unexpectedly allowed:\n${indent(reach.explain(...flow(other), port).text)}`),
    ...missing.map((other) => `unexpectedly denied:\n${indent(reach.explain(...flow(other), port).text)}`),
  ];
  const claim = side === 'destinations'
    ? (list: string) => `${self} to reach exactly ${list} on ${String(port)}`
    : (list: string) => `exactly ${list} to reach ${self} on ${String(port)}`;
  const found = side === 'destinations' ? `it reaches ${JSON.stringify(actual)}` : `${JSON.stringify(actual)} reach it`;
  return {
    pass,
    message: () => (pass
      ? `expected not ${claim(JSON.stringify([...wanted]))}, but that is what is allowed`
      : `expected ${claim(JSON.stringify([...wanted]))}, but ${found}.\n${details.join('\n')}`),
  };
}

/** The matchers, for `expect.extend`. Importing this module installs them when `expect` exists. */
export const reachabilityMatchers = {
  toAllow(received: unknown, from: string, to: string, port: Port): MatcherResult {
    return judge(received, 'toAllow', from, to, port, true);
  },

  toDeny(received: unknown, from: string, to: string, port: Port): MatcherResult {
    return judge(received, 'toDeny', from, to, port, false);
  },

  toAllowOnlyDestinations(received: unknown, from: string, port: Port, destinations: string[]): MatcherResult {
    const reach = reachabilityOf(received, 'toAllowOnlyDestinations', port, [['from', from], ['destinations', destinations, true]]);
    return judgeOnly(reach, 'destinations', from, port, destinations, [...reach.pods, ...reach.externals]);
  },

  toAllowOnlySources(received: unknown, to: string, port: Port, sources: string[]): MatcherResult {
    const reach = reachabilityOf(received, 'toAllowOnlySources', port, [['to', to], ['sources', sources, true]]);
    return judgeOnly(reach, 'sources', to, port, sources, [...reach.pods, ...reach.externals]);
  },

  toAllowOnly(received: unknown, from: string, port: Port, destinations: string[]): MatcherResult {
    const reach = reachabilityOf(received, 'toAllowOnly', port, [['from', from], ['destinations', destinations, true]]);
    return judgeOnly(reach, 'destinations', from, port, destinations, reach.pods);
  },
};

declare const expect: any;
if (typeof expect !== 'undefined' && typeof expect.extend === 'function') expect.extend(reachabilityMatchers);
