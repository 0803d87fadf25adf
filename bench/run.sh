#!/usr/bin/env bash
# All benchmarks, one command: `npx projen bench` (compiles first) or `bash bench/run.sh`.
# BENCH_QUICK=1 for a short run (fewer sizes and runs). Prints markdown tables; the synth tables are
# also written to bench/results/. Each measurement runs in a fresh node process, one at a time.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "## Synth: ours vs raw cdk8s vs cdk8s-plus-28 vs the YAML floor"
echo
npx tsc -p bench/tsconfig.json
node bench/.cache/build/bench/compare.js

echo "## cdk8s-plus-28 on intents the generator avoids"
echo
node bench/.cache/build/bench/plus-quirks.js
echo

echo "## Cold start"
echo
bash bench/cold-start.sh

echo
echo "## Profile: ours at 5,000 workloads (node --cpu-prof, self time)"
echo
prof="bench/.cache/profile"
rm -rf "$prof"
node --cpu-prof --cpu-prof-dir="$prof" bench/.cache/build/bench/synth.js ours 5000 >/dev/null
node bench/.cache/build/bench/profile.js "$prof"/*.cpuprofile 15

# The analyzer's benchmark, when there is one (written separately, see bench/README.md).
if [ -f bench/analyzer.ts ]; then
  echo
  echo "## Analyzer"
  echo
  npx ts-node --transpile-only -P test/tsconfig.json bench/analyzer.ts
fi
