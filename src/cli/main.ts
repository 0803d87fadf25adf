import { Reachability } from '../analyzer';
import { ANALYZE_FLAGS, ANALYZE_VALUE_OPTIONS, runAnalyze } from './analyze-command';
import { ParsedArgs, UsageError, outputOption, parseArgs, portOption, protocolOption } from './cli-args';
import { DIFF_FLAGS, DIFF_LIST_OPTIONS, DIFF_VALUE_OPTIONS, runDiff } from './diff-command';
import { EXPOSURE_FLAGS, EXPOSURE_VALUE_OPTIONS, runExposure } from './exposure-command';
import { FINDING_OPTIONS_HELP, FINDING_VALUE_OPTIONS } from './finding-cli-options';
import { STRICT_HELP, StrictInputError, noticeUnmodelled } from './input-notices';
import { readManifests } from './manifest-input';
import { packageVersion } from './package-version';
import { PROGRESS_HELP, Progress } from './progress';
import { ChunkedWriter } from './streamed-output';
import { ManifestError } from '../analyzer/cluster-model';
import { checkPortName } from '../vocabulary/k8s-rules';
import { Port, Protocol } from '../vocabulary/port';

/**
 * The `cdk8s-netpol` command line: probe, explain and analyze NetworkPolicies in manifest files.
 * Exit codes: 0 success, 1 analyze or diff found what --fail-on* asks about, 2 bad usage or unreadable/invalid input.
 */

/** Where the CLI writes; tests capture it. @internal */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Reads standard input, for the path `-`. @default - the process's standard input */
  readonly stdin?: () => string;
  /** Whether stderr is a terminal (progress is then shown by default). @default false */
  readonly errIsTty?: boolean;
}

const USAGE = `Usage: cdk8s-netpol <command> PATH... [options]

Reads Kubernetes manifests (YAML or JSON files and directories, recursively; '-' reads standard
input) and tells what their NetworkPolicies allow, with exact Kubernetes semantics. Pods come from Pod objects and from the pod
templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs.

Commands:
  probe    PATH... --port N [--protocol TCP|UDP|SCTP] [--output text|json]
           Whether every pod may connect to every pod (itself included) on one port.
  explain  PATH... --from NS/POD|IP --to NS/POD|IP --port N|NAME [--protocol TCP|UDP|SCTP] [--expect allow|deny]
           The verdict for one connection and why: for each side the tier, policy and rule that
           decided, the policies isolating it, or the nearest miss. An IP address names the pod
           that has it, else the addresses outside the cluster that hold it.
  analyze  PATH... [--output text|json|markdown|mermaid|dot|sarif|proof] [--fail-on error|warning|info|never] [--invariants FILE]
           Every pod's isolation, the allowed flows (between pods, and with the addresses
           outside the cluster) and the guardrails' findings (NP001-NP027), or a picture of them.
  exposure PATH... [--output text|json|markdown] [--fail-on-flagged]
           Per workload, who may connect to it and where it may connect (every pod of namespace
           X, every namespace, the internet) across every tier of policies; flags workloads open
           to the internet or to the whole cluster.
  diff     OLD NEW [--context PATH]... [--output text|json|markdown] [--fail-on-open] [--fail-on-change] [--invariants FILE]
           Which flows a change opens and which it closes, per pair of pods (or pod and range
           of addresses outside the cluster) and port.

Files of a directory that hold no Kubernetes object are skipped with a warning naming them.
Pods are named namespace/name (plain name when unique). Run 'cdk8s-netpol <command> --help' for
one command, 'cdk8s-netpol --version' for the version. Policy objects and fields the analysis does
not model (Calico and Antrea policies, MultiNetworkPolicy, Cilium L7 rules, ...) are named in a
warning on stderr and in the JSON output ("unmodelled"); --strict makes them an input error. Exit
codes: 0 ok, 1 analyze found findings at --fail-on or diff found what --fail-on-open/--fail-on-change
ask about, 2 bad usage or input.
`;

const COMMAND_USAGE: Record<string, string> = {
  probe: `Usage: cdk8s-netpol probe PATH... --port N [--protocol TCP|UDP|SCTP] [--output text|json] [--strict] [--progress]

Probes every ordered pair of pods (a pod to itself included) on one port.
  --port N            destination port, 1-65535 (required)
  --protocol P        TCP (default), UDP or SCTP
  --output F          text (default): a matrix; json: {"unmodelled": [{"kind", "apiVersion",
                      "name", "source", "reason"}, ...], "probes": [{"from", "to", "port",
                      "protocol", "allowed", "egressAllowed", "ingressAllowed"}, ...]}
${STRICT_HELP}${PROGRESS_HELP}`,
  explain: `Usage: cdk8s-netpol explain PATH... --from NS/POD|IP --to NS/POD|IP --port N|NAME [--protocol TCP|UDP|SCTP] [--expect allow|deny] [--output text|json] [--strict]

Explains whether a connection is allowed on a port, and why: for each side (the source's egress,
the destination's ingress) the tier, policy and rule that decided.
  --from POD|IP       source: a pod, namespace/name (or name when unique); an IP address (a pod's
                      IP names the pod, any other address the external node holding it); or an
                      external node as analyze lists it, e.g. '0.0.0.0/0 except 10.0.0.0/8'; or
                      a DNS name, e.g. s3.amazonaws.com, judged by every Cilium toFQDNs name and
                      pattern (a pattern's * matches within one label, a leading **. several)
  --to POD|IP         destination, likewise
  --port N|NAME       destination port, 1-65535, or the name of a container port of the
                      destination pod, e.g. http (required)
  --protocol P        TCP (default), UDP or SCTP
  --expect V          allow or deny: exit 1 when the verdict is the other one (for pipelines)
  --output F          text (default) or json (the explanation, with "unmodelled")
${STRICT_HELP}`,
  analyze: `Usage: cdk8s-netpol analyze PATH... [--output text|json|markdown|mermaid|dot|sarif] [options]

Reports every pod's ingress/egress isolation, the flows allowed between different pods and
between pods and the addresses outside the cluster (external nodes: the address space split by
every CIDR the policies mention, e.g. '0.0.0.0/0 except 10.0.0.0/8'), with their ports, and the
guardrails' findings (NP001-NP027, each with the objects involved and the fix).
  --output F          text (default), json, markdown (isolation table, flow matrix, diagram,
                      findings, suppressions), mermaid (flowchart), dot (Graphviz) or sarif
                      (the findings as SARIF 2.1.0, for GitHub code scanning: each at the
                      manifest of the object it names, paths relative to the current folder)
  --report FILE       also write the Markdown report to FILE
  --invariants FILE   check the invariants of FILE (YAML; schema: schemas/invariants.schema.json
                      in the package): flows that must never be allowed and flows that must
                      stay allowed. Each verdict is in every output (in SARIF as INV001); exit 1
                      when one is violated. --output proof: what FILE declares and each verdict,
                      then the flows some policy restricts (pods nothing isolates named once)
  --open-flows        in pictures, also draw flows no policy restricts
  --pods              one row per pod; by default the pods a workload (Deployment,
                      StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) stamped from its
                      template are one row named after it (found by ownerReferences)
  --max-findings N    write at most N findings (the most severe first) and say how many were
                      left out; --fail-on still counts every finding
${STRICT_HELP}${PROGRESS_HELP}${FINDING_OPTIONS_HELP}`,
  exposure: `Usage: cdk8s-netpol exposure PATH... [--output text|json|markdown] [--fail-on-flagged] [--strict]

For each workload, who may connect to it ("from") and where it may connect ("to"), with the
ports and the rules that decide, as its side of the connection is decided across every tier:
AdminNetworkPolicies and ClusterNetworkPolicies of the Admin tier (Accept, Deny, Pass),
NetworkPolicies and Cilium policies, the Baseline tier, then the default (allow). Peers are
grouped: everything, every pod of every namespace, every pod of namespace X, single workloads,
pods the policies' selectors describe that the manifests do not hold (pods app=web of namespaces
team=a), every address outside the cluster, addresses 0.0.0.0/0 except 10.0.0.0/8, ... Flags:
open to the internet (every address outside the cluster, or a range of 0.0.0.0/0 or ::/0 with
some holes), open to the whole cluster (every pod of every namespace), and the same for where it
may connect.
  --output F          text (default), json or markdown
  --fail-on-flagged   exit 1 when some workload is flagged
  --pods              one row per pod; by default the pods a workload (Deployment,
                      StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) stamped from its
                      template are one row named after it (found by ownerReferences)
${STRICT_HELP}`,
  diff: `Usage: cdk8s-netpol diff OLD NEW [--context PATH]... [--output text|json|markdown] [--fail-on-open] [--fail-on-change] [--invariants FILE] [--strict] [--progress]

Compares two versions of the manifests (files or directories): the flows the new version opens
and those it closes, per pair of pods and port, and between pods and the addresses outside the
cluster (listed first, with how many addresses they cover). Pods of one version only are
analyzed in the other as they are.
  --output F          text (default), json or markdown
  --fail-on-open      exit 1 when the change opens a flow (to or from outside the cluster too)
  --fail-on-change    exit 1 when the change opens or closes a flow
  --pods              one row per pod; by default the pods a workload (Deployment,
                      StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) stamped from its
                      template are one row named after it (found by ownerReferences)
  --invariants FILE   say which invariants of FILE the change breaks and which it restores;
                      exit 1 when it breaks one
  --context PATH      manifests both versions run among (repeatable): pods, namespaces and
                      policies of the cluster the app does not own, e.g. a kubectl dump of
                      kube-system and monitoring; their flows with the app are compared too
${STRICT_HELP}${PROGRESS_HELP}`,
};

/**
 * Runs the CLI.
 * @param argv the arguments after the program name
 * @returns the exit code
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic && COMMAND_USAGE[topic]) { io.out(COMMAND_USAGE[topic]); return 0; }
    (command === undefined ? io.err : io.out)(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version') {
    io.out(`cdk8s-netpol ${packageVersion()}\n`);
    return 0;
  }
  if (!COMMAND_USAGE[command]) {
    io.err(`cdk8s-netpol: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  try {
    switch (command) {
      case 'probe': return probe(parseArgs(rest, ['port', 'protocol', 'output'], ['help', 'strict', 'progress']), io);
      case 'explain': return explain(parseArgs(rest, ['port', 'protocol', 'output', 'from', 'to', 'expect'], ['help', 'strict']), io);
      case 'diff': return diff(parseArgs(rest, DIFF_VALUE_OPTIONS, DIFF_FLAGS, DIFF_LIST_OPTIONS), io);
      case 'exposure': return exposure(parseArgs(rest, EXPOSURE_VALUE_OPTIONS, EXPOSURE_FLAGS), io);
      default: return analyze(parseArgs(rest, [...ANALYZE_VALUE_OPTIONS, ...FINDING_VALUE_OPTIONS], ANALYZE_FLAGS), io);
    }
  } catch (e: any) {
    if (e instanceof UsageError) {
      io.err(`cdk8s-netpol ${command}: ${e.message}\n\n${COMMAND_USAGE[command]}`);
      return 2;
    }
    if (e instanceof ManifestError || e instanceof StrictInputError) {
      io.err(`cdk8s-netpol ${command}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && e.message.startsWith('Reachability: ')) {
      // The analyzer's hint names its TypeScript API; on the command line, pods come from the PATHs.
      const message = e.message.slice('Reachability: '.length)
        .replace(/Declare pods that are not in the manifests with addPod\(\)$/, 'Give the manifests that declare it (a Pod or a workload) as PATHs');
      io.err(`cdk8s-netpol ${command}: ${message}\n`);
      return 2;
    }
    throw e;
  }
}

function processIo(): CliIo {
  // A reader that stops early (`| head`) is not an error.
  process.stdout.on('error', (e: any) => { if (e?.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
  return { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), errIsTty: process.stderr.isTTY === true };
}

function load(command: string, args: ParsedArgs, io: CliIo): Reachability {
  if (args.positional.length === 0) throw new UsageError('give at least one manifest file or directory');
  const reach = Reachability._fromLoaded(readManifests(command, args.positional, args, io));
  noticeUnmodelled(command, args, io, reach.unmodelled);
  return reach;
}

function helpRequested(args: ParsedArgs, command: string, io: CliIo): boolean {
  if (args.flags.has('help')) io.out(COMMAND_USAGE[command]);
  return args.flags.has('help');
}

function probe(args: ParsedArgs, io: CliIo): number {
  if (helpRequested(args, 'probe', io)) return 0;
  const port = portOption(args, true)!;
  const protocol = protocolOption(args);
  const output = outputOption(args, ['text', 'json']);
  const progress = Progress.of('probe', args, io);
  progress.phase('reading manifests');
  const reach = load('probe', args, io);
  progress.phase('truth table');
  const matrix = reach._matrix({ port, protocol });
  const pods = matrix.pods;
  const w = new ChunkedWriter(io.out);
  progress.phase('probes', pods.length, 'rows');
  if (output === 'json') {
    // One probe a line, written row by row: n² probes do not fit in one string.
    w.write(`{"unmodelled": ${JSON.stringify(reach.unmodelled)},\n"probes": [\n`);
    const names = pods.map((p) => JSON.stringify(p));
    const tail = `,"port":${port},"protocol":${JSON.stringify(protocol)},"allowed":`;
    for (let i = 0; i < pods.length; i++) {
      progress.tick(i);
      const head = `  {"from":${names[i]},"to":`;
      for (let j = 0; j < pods.length; j++) {
        const last = i === pods.length - 1 && j === pods.length - 1;
        w.write(`${head}${names[j]}${tail}${matrix.allowedAt(i, j)},"egressAllowed":${matrix.egressAllowedAt(i, j)},"ingressAllowed":${matrix.ingressAllowedAt(i, j)}}${last ? '' : ','}\n`);
      }
    }
    w.write(']}\n');
    w.flush();
    progress.done();
    return 0;
  }
  const width = String(pods.length).length;
  const pad = (s: string | number): string => String(s).padStart(width);
  w.line(`Reachability on ${port}/${protocol}: ${matrix.countAllowed()} of ${pods.length * pods.length} ordered pairs allowed`);
  w.line('Rows: from; columns: to. X allowed, . denied (a pod always reaches itself).');
  w.line('');
  w.line(`${' '.repeat(width + 2)}${pods.map((_, j) => pad(j + 1)).join(' ')}`);
  // Each row is the row of dots with an X written where allowed: cell j ends at j * (width + 1) + width - 1.
  const dots = Buffer.from(pods.map(() => pad('.')).join(' '), 'latin1');
  const row = Buffer.alloc(dots.length);
  for (let i = 0; i < pods.length; i++) {
    progress.tick(i);
    dots.copy(row);
    matrix._forEachAllowed(i, (j) => { row[j * (width + 1) + width - 1] = 0x58; });
    w.line(`${pad(i + 1)}  ${row.toString('latin1')}  ${pods[i]}`);
  }
  w.flush();
  progress.done();
  return 0;
}

function explain(args: ParsedArgs, io: CliIo): number {
  if (helpRequested(args, 'explain', io)) return 0;
  const port = probePortOption(args);
  const output = outputOption(args, ['text', 'json']);
  const from = args.options.get('from');
  const to = args.options.get('to');
  if (!from || !to) throw new UsageError('--from and --to are required, e.g. --from shop/web --to shop/api');
  const expect = args.options.get('expect');
  if (expect !== undefined && expect !== 'allow' && expect !== 'deny') throw new UsageError(`--expect '${expect}' must be allow or deny`);
  const reach = load('explain', args, io);
  const explanation = reach.explain(from, to, port);
  io.out(output === 'json' ? `${JSON.stringify({ ...explanation, unmodelled: reach.unmodelled }, undefined, 2)}\n` : `${explanation.text}\n`);
  if (expect !== undefined && (expect === 'allow') !== explanation.allowed) {
    io.err(`cdk8s-netpol explain: expected ${expect}, but the connection is ${explanation.allowed ? 'allowed' : 'denied'}\n`);
    return 1;
  }
  return 0;
}

/** `--port` of explain: a number, or a container port's name resolved on the destination pod. */
function probePortOption(args: ParsedArgs): Port {
  const protocol = protocolOption(args) as Protocol;
  const text = args.options.get('port');
  if (text === undefined) throw new UsageError('--port is required: a number, e.g. --port 8080, or a container port\'s name, e.g. --port http');
  if (/^\d+$/.test(text)) {
    const port = portOption(args, true)!;
    return protocol === Protocol.UDP ? Port.udp(port) : protocol === Protocol.SCTP ? Port.sctp(port) : Port.tcp(port);
  }
  const problem = checkPortName(text);
  if (problem) throw new UsageError(`--port '${text}' is neither a port number nor a port name: a port name ${problem}`);
  return Port.named(text, protocol);
}

function analyze(args: ParsedArgs, io: CliIo): number {
  if (helpRequested(args, 'analyze', io)) return 0;
  return runAnalyze(args, io);
}

function exposure(args: ParsedArgs, io: CliIo): number {
  if (helpRequested(args, 'exposure', io)) return 0;
  return runExposure(args, io);
}

function diff(args: ParsedArgs, io: CliIo): number {
  if (helpRequested(args, 'diff', io)) return 0;
  return runDiff(args, io);
}
