#!/usr/bin/env bash
# Cold start of one example app, end to end, as a pipeline runs it: `npx cdk8s synth` with the app
# run by ts-node with type checks, by ts-node transpile-only, by sucrase (what the examples'
# cdk8s.yaml uses) and as compiled JavaScript; the cdk8s CLI without npx; and the compiled app run by
# `node` directly, without the cdk8s CLI.
# Each is a fresh process tree; prints the median wall time of RUNS runs as a markdown table.
#
#   bash bench/cold-start.sh [example-dir]     # default: examples/three-tier, else bench/fixtures/netpol-app
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
RUNS="${RUNS:-$([ "${BENCH_QUICK:-}" = 1 ] && echo 3 || echo 5)}"

example="${1:-}"
if [ -z "$example" ]; then
  if [ -f examples/three-tier/main.ts ]; then example=examples/three-tier; else example=bench/fixtures/netpol-app; fi
fi
name="$(basename "$example")"

# Compiled JavaScript of the example and the library sources it imports, inside the repository so
# that node_modules resolve.
build="bench/.cache/cold-start/$name"
rm -rf "$build"
npx tsc --outDir "$build" --rootDir . --module node16 --target ES2022 --esModuleInterop --skipLibCheck \
  --experimentalDecorators --types node "$example/main.ts" >/dev/null
js="$root/$build/$example/main.js"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

# time_ms <dir> <command...>: wall ms of one run, failing loudly.
time_ms() {
  local dir="$1"; shift
  local start end
  start=$(date +%s%N)
  if ! (cd "$dir" && "$@" >/dev/null 2>"$out/stderr"); then
    echo "failed: $*" >&2; cat "$out/stderr" >&2; exit 1
  fi
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}

row() {
  local label="$1" dir="$2"; shift 2
  local times=()
  for _ in $(seq "$RUNS"); do
    rm -rf "$out/dist"
    times+=("$(time_ms "$dir" "$@")")
  done
  local files
  files="$( (find "$out/dist" -name '*.yaml' 2>/dev/null || true) | wc -l)"
  echo "| $label | $(printf '%s\n' "${times[@]}" | median) | $(printf '%s ' "${times[@]}")| $files |"
}

synth() { npx cdk8s synth --check-upgrade=false --output "$out/dist" --app "$1"; }

echo "Cold start of \`$example\` (median of $RUNS runs, ms; every run a fresh process tree). Its cdk8s.yaml runs: \`$(sed -n 's/^app: //p' "$example/cdk8s.yaml" 2>/dev/null)\`."
echo
echo "| how | median ms | runs ms | files |"
echo "|---|---:|---|---:|"
row "\`npx cdk8s synth\`, app \`npx ts-node main.ts\` (type-checked)" "$example" synth "npx ts-node --project $root/bench/tsconfig.cold-start.json main.ts"
row "\`npx cdk8s synth\`, app \`node -r ts-node/register/transpile-only main.ts\`" "$example" synth "node -r ts-node/register/transpile-only main.ts"
row "\`npx cdk8s synth\`, app \`node -r sucrase/register main.ts\` (examples' default)" "$example" synth "node -r sucrase/register main.ts"
row "\`cdk8s synth\` without npx (\`node_modules/.bin/cdk8s\`), app \`node -r sucrase/register main.ts\`" "$example" "$root/node_modules/.bin/cdk8s" synth --check-upgrade=false --output "$out/dist" --app "node -r sucrase/register main.ts"
row "\`npx cdk8s synth\`, app \`node main.js\` (compiled)" "$example" synth "node $js"
row "\`cdk8s synth\` without npx (\`node_modules/.bin/cdk8s\`), app \`node main.js\`" "$example" "$root/node_modules/.bin/cdk8s" synth --check-upgrade=false --output "$out/dist" --app "node $js"
row "\`node main.js\` (compiled, no cdk8s CLI)" "$example" env CDK8S_OUTDIR="$out/dist" node "$js"
row "\`node -e ''\` (node start-up alone)" "$example" node -e ''
