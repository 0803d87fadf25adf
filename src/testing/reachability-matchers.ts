import { Reachability } from '../analyzer';
import { Port } from '../vocabulary/port';

/**
 * Jest matchers that assert what NetworkPolicies allow, with the analyzer's explanation in every
 * failure message:
 *
 *   import 'cdk8s-netpol/lib/testing';
 *   expect(reachability).toAllow('shop/web', 'shop/api', Port.tcp(8080));
 *   expect(chart).toDeny('shop/web', 'shop/db', Port.POSTGRES);
 *   expect(reachability).toAllowOnly('shop/web', Port.tcp(8080), ['shop/api']);
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
      /** On the port, the source may connect to exactly these pods (besides itself). */
      toAllowOnly(from: string, port: Port, destinations: string[]): R;
    }
  }
}

interface MatcherResult {
  pass: boolean;
  message: () => string;
}

function reachabilityOf(received: unknown, matcher: string): Reachability {
  if (received instanceof Reachability) return received;
  if (received && typeof (received as any).toJson === 'function' && (received as any).node) {
    return Reachability.fromChart(received as any);
  }
  throw new Error(`${matcher}: expected a Reachability or a cdk8s Chart, got ${received === null ? 'null' : typeof received}. `
    + 'Build one with Reachability.fromChart(chart), Reachability.fromManifests(objects) or Reachability.fromFiles(paths)');
}

function indent(text: string): string {
  return text.split('\n').map((l) => `  ${l}`).join('\n');
}

function judge(received: unknown, matcher: string, from: string, to: string, port: Port, expectAllowed: boolean): MatcherResult {
  const explanation = reachabilityOf(received, matcher).explain(from, to, port);
  const pass = explanation.allowed === expectAllowed;
  const connection = `${explanation.from} -> ${explanation.to} on ${explanation.port}/${explanation.protocol}`;
  return {
    pass,
    message: () => `expected ${connection} to be ${pass !== expectAllowed ? 'allowed' : 'denied'}, but it is ${explanation.allowed ? 'allowed' : 'denied'}:\n${indent(explanation.text)}`,
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

  toAllowOnly(received: unknown, from: string, port: Port, destinations: string[]): MatcherResult {
    const reach = reachabilityOf(received, 'toAllowOnly');
    const source = reach.explain(from, from, port).from;
    const expected = new Set(destinations.map((d) => reach.explain(from, d, port).to));
    const actual = reach.pods.filter((to) => to !== source && reach.isAllowed(source, to, port));
    const unexpected = actual.filter((to) => !expected.has(to));
    const missing = [...expected].filter((to) => to !== source && !actual.includes(to));
    const pass = unexpected.length === 0 && missing.length === 0;
    const details = [
      ...unexpected.map((to) => `unexpectedly allowed:\n${indent(reach.explain(source, to, port).text)}`),
      ...missing.map((to) => `unexpectedly denied:\n${indent(reach.explain(source, to, port).text)}`),
    ];
    return {
      pass,
      message: () => (pass
        ? `expected ${source} to reach more or fewer pods than ${JSON.stringify([...expected])} on ${String(port)}, but it reaches exactly those`
        : `expected ${source} to reach exactly ${JSON.stringify([...expected])} on ${String(port)}, but it reaches ${JSON.stringify(actual)}.\n${details.join('\n')}`),
    };
  },
};

declare const expect: any;
if (typeof expect !== 'undefined' && typeof expect.extend === 'function') expect.extend(reachabilityMatchers);
