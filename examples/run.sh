#!/usr/bin/env bash
# Synthesizes every example with `cdk8s synth` and proves what its NetworkPolicies allow, together with
# the pods of cluster-context.yaml: what the example declares (its flows and invariants, written by
# its main.ts to dist/invariants/app.yaml) and the verdict on each (`cdk8s-netpol analyze --output
# proof`), then the allowed flows. EXAMPLES_MATRICES=1 adds one allowed/denied matrix per port the
# example is about. Run through `npx projen examples`, which compiles lib/ (the CLI) first.
set -euo pipefail
cd "$(dirname "$0")/.."

# cdk8s.yaml runs the examples without a type check (fast), so check their types here.
npx tsc -p examples/tsconfig.json

# The ports each example is about (TCP), plus DNS on 53/UDP for all of them: the matrices.
declare -A PORTS=(
  [three-tier]="80 8080 5432"
  [e-commerce]="80 3000 5432"
  [zero-trust-namespace]="8080 9090"
  [platform-construct]="8080 9000 9090"
  [cluster-guardrails]="8080 80"
)

for dir in examples/*/; do
  name="$(basename "$dir")"
  [ -f "$dir/cdk8s.yaml" ] || continue
  echo "=== $name"
  start=$(date +%s%N)
  (cd "$dir" && rm -rf dist && ../../node_modules/.bin/cdk8s synth --check-upgrade=false >/dev/null)
  echo "cdk8s synth: $(( ($(date +%s%N) - start) / 1000000 )) ms, $(ls "$dir/dist" | tr '\n' ' ')"
  echo
  # Exit 1 when a declared flow is denied, an invariant is violated or an undeclared flow is allowed.
  node bin/cdk8s-netpol.js analyze "$dir/dist" examples/cluster-context.yaml --invariants "$dir/dist/invariants/app.yaml" --output proof --fail-on never
  if [ -n "${EXAMPLES_MATRICES:-}" ]; then
    for port in ${PORTS[$name]:-}; do
      echo
      node bin/cdk8s-netpol.js probe "$dir/dist" examples/cluster-context.yaml --port "$port"
    done
    echo
    node bin/cdk8s-netpol.js probe "$dir/dist" examples/cluster-context.yaml --port 53 --protocol UDP
  fi
  echo
done
