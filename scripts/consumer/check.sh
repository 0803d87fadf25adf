#!/usr/bin/env bash
# A consumer's app built from the packed tarball in a folder outside the repository, once per
# cdk8s-plus line given (default: 33, what `cdk8s init typescript-app` brings, and 34, the newest
# line the registry serves). Each app must install no cdk8s-plus line but its own, type-check with
# tsc under the template's options, synthesize, and allow what it says: web -> api on 8080, and not
# batch -> api (checked with the packaged CLI on the synthesized manifests).
# Needs the npm registry and a compiled lib/: run it as `npx projen test:consumer [LINE...]`. With
# CDK8S_NETPOL_TARBALL set, checks that tarball (a release, an older build) instead of packing lib/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
lines=("$@")
[ ${#lines[@]} -gt 0 ] || lines=(33 34)
if [ -z "${CDK8S_NETPOL_TARBALL:-}" ] && { [ ! -f "$repo/lib/index.js" ] || [ ! -f "$repo/.jsii" ]; }; then
  echo "lib/ is not compiled: run npx projen compile first" >&2
  exit 2
fi
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

work="$(mktemp -d "${TMPDIR:-/tmp}/cdk8s-netpol-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
if [ -n "${CDK8S_NETPOL_TARBALL:-}" ]; then
  tarball="$(cd "$(dirname "$CDK8S_NETPOL_TARBALL")" && pwd)/$(basename "$CDK8S_NETPOL_TARBALL")"
else
  tarball="$work/$(cd "$repo" && npm pack --silent --pack-destination "$work" | tail -1)"
fi
echo "packed $(basename "$tarball"): $(du -k "$tarball" | cut -f1) KiB"

for line in "${lines[@]}"; do
  app="$work/app-plus-$line"
  mkdir "$app"
  sed "s/cdk8s-plus-33/cdk8s-plus-$line/" "$here/main.ts" > "$app/main.ts"
  cp "$here/tsconfig.json" "$app/"
  cd "$app"
  echo "=== a consumer app with cdk8s-plus-$line on node $(node --version)"
  npm init -y >/dev/null
  npm install --loglevel=error "$tarball" 'cdk8s@^2' "cdk8s-plus-$line@^2" 'constructs@^10' 'typescript@5.9.x' '@types/node@^14' >/dev/null
  npm ls --depth=0 | tail -n +2

  # The library brings no cdk8s-plus of its own: one line in the whole tree, the app's.
  plus="$(npm ls --all --parseable | sed "s|^$app/||" | grep -E '(^|/)node_modules/cdk8s-plus-[0-9]+$' | sort -u | tr '\n' ' ')"
  echo "cdk8s-plus lines installed: $plus"
  [ "$plus" = "node_modules/cdk8s-plus-$line " ] || { echo "FAIL: expected only cdk8s-plus-$line" >&2; exit 1; }

  npx tsc -p .
  echo "tsc: no errors"
  node main.js
  echo "synthesized: $(ls dist) with $(grep -c '^kind: NetworkPolicy' dist/shop.k8s.yaml) NetworkPolicies: $(grep -A2 '^kind: NetworkPolicy' dist/shop.k8s.yaml | grep -oE 'name: [a-z0-9-]+' | cut -d' ' -f2 | tr '\n' ' ')"
  grep -q '^  name: api-netpol$' dist/shop.k8s.yaml || { echo "FAIL: no policy named api-netpol" >&2; exit 1; }
  for case in web:allow batch:deny; do
    verdict="$(npx cdk8s-netpol explain dist --from "shop/${case%%:*}" --to shop/api --port 8080 --expect "${case##*:}")"
    echo "${verdict%%$'\n'*}"
  done
done
echo "consumer apps built, type-checked and synthesized with: ${lines[*]/#/cdk8s-plus-}"
