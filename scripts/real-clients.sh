#!/usr/bin/env bash
# Prove with the apps' own CLIs, from the npm registry, that they read what mcp-setup writes:
# Claude Code, Codex, Gemini CLI and opencode each list (and where they can, connect to) the
# servers the built mcp-setup added in a throw-away HOME, and stop listing them after `remove`.
#
#   scripts/real-clients.sh                    # all four (npm run test:real-clients)
#   REAL_CLIENTS="codex gemini" scripts/real-clients.sh
#   REAL_CLIENTS_NETNS=0 scripts/real-clients.sh   # no network namespace (off switches only)
#
# Installs pinned versions once into ${TMPDIR:-/tmp}/mcp-setup-real-clients (outside the repo)
# with --ignore-scripts: Claude Code's and opencode's postinstall only copy a native binary out
# of a platform package that npm installs anyway as an optionalDependency, so the bin dir links
# those binaries directly. Then runs `vitest run test/real-clients` with
# MCP_SETUP_REAL_CLIENTS_DIR=<bin dir>; on Linux, inside a network namespace that has only
# loopback (`unshare -rn`), so no CLI can phone home; elsewhere with their off switches only.
# Prints one summary line (the vitest output in full if something failed). Exit 1 on failure.
set -uo pipefail
cd "$(dirname "$0")/.."

CLAUDE_CODE_VERSION=2.1.330
CODEX_VERSION=0.169.0
GEMINI_CLI_VERSION=0.61.0
OPENCODE_VERSION=1.18.33
WANT="${REAL_CLIENTS:-claude codex gemini opencode}"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) CC_PLAT=linux-x64; CX_TRIPLE=x86_64-unknown-linux-musl; OC_PLAT=linux-x64 ;;
  Linux-aarch64) CC_PLAT=linux-arm64; CX_TRIPLE=aarch64-unknown-linux-musl; OC_PLAT=linux-arm64 ;;
  Darwin-arm64) CC_PLAT=darwin-arm64; CX_TRIPLE=aarch64-apple-darwin; OC_PLAT=darwin-arm64 ;;
  Darwin-x86_64) CC_PLAT=darwin-x64; CX_TRIPLE=x86_64-apple-darwin; OC_PLAT=darwin-x64 ;;
  *) echo "real-clients: no native packages for $(uname -s)-$(uname -m)"; exit 1 ;;
esac

CACHE="${REAL_CLIENTS_CACHE:-${TMPDIR:-/tmp}/mcp-setup-real-clients}"
PREFIX="$CACHE/cc$CLAUDE_CODE_VERSION-cx$CODEX_VERSION-gem$GEMINI_CLI_VERSION-oc$OPENCODE_VERSION"
NM="$PREFIX/node_modules"
BIN="$PREFIX/bin"

if [ ! -f "$PREFIX/.installed" ]; then
  mkdir -p "$PREFIX"
  if ! npm install --prefix "$PREFIX" --no-save --no-audit --no-fund --ignore-scripts --engine-strict=false --loglevel=error \
    "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION" "@openai/codex@$CODEX_VERSION" \
    "@google/gemini-cli@$GEMINI_CLI_VERSION" "opencode-ai@$OPENCODE_VERSION" >"$PREFIX/install.log" 2>&1; then
    echo "real-clients: npm install failed"; tail -20 "$PREFIX/install.log" | sed 's/^/  /'; exit 1
  fi
  touch "$PREFIX/.installed"
fi

# One executable per app in $BIN; an app whose binary does not run on this machine is left out
# (its suite then skips) and named in the summary.
rm -rf "$BIN"; mkdir -p "$BIN"
missing=()
link() { # name, candidate paths…
  local name="$1"; shift
  for candidate in "$@"; do
    if [ -x "$candidate" ] && "$candidate" --version >/dev/null 2>&1; then ln -s "$candidate" "$BIN/$name"; return 0; fi
  done
  missing+=("$name"); return 1
}
for name in $WANT; do
  case "$name" in
    claude) link claude "$NM/@anthropic-ai/claude-code-$CC_PLAT/claude" ;;
    codex) link codex "$NM/@openai/codex-$CC_PLAT/vendor/$CX_TRIPLE/bin/codex" ;;
    gemini) link gemini "$NM/@google/gemini-cli/bundle/gemini.js" ;;
    # The -baseline build is for x64 CPUs without AVX2.
    opencode) link opencode "$NM/opencode-$OC_PLAT/bin/opencode" "$NM/opencode-$OC_PLAT-baseline/bin/opencode" ;;
    *) echo "real-clients: unknown client '$name' (claude, codex, gemini, opencode)"; exit 2 ;;
  esac
done
versions="$(for name in $WANT; do [ -e "$BIN/$name" ] || continue
  v="$("$BIN/$name" --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1)"; printf '%s %s, ' "$name" "$v"; done)"

buildlog="$(mktemp)"
npm run build >"$buildlog" 2>&1 || { echo "real-clients: npm run build failed"; tail -20 "$buildlog" | sed 's/^/  /'; exit 1; }
rm -f "$buildlog"

report="$(mktemp -d)/vitest.json"
log="$(mktemp)"
VITEST=(node node_modules/vitest/vitest.mjs run test/real-clients --reporter=default --reporter=json --outputFile.json="$report")
network="not isolated: off switches only"
start=$(date +%s)
if [ "${REAL_CLIENTS_NETNS:-1}" != 0 ] && [ "$(uname -s)" = Linux ] && command -v unshare >/dev/null && command -v ip >/dev/null \
  && unshare -rn sh -c 'ip link set lo up' >/dev/null 2>&1; then
  network="loopback-only netns"
  MCP_SETUP_REAL_CLIENTS_DIR="$BIN" unshare -rn sh -c 'ip link set lo up && exec "$@"' sh "${VITEST[@]}" >"$log" 2>&1
else
  MCP_SETUP_REAL_CLIENTS_DIR="$BIN" "${VITEST[@]}" >"$log" 2>&1
fi
code=$?
secs=$(( $(date +%s) - start ))
summary="$(node -e '
  try { const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`); } catch { console.log("no report"); }' "$report")"
echo "real clients (${versions%, }${missing:+; not runnable here: ${missing[*]}}): ${summary} (${secs} s, ${network})"
if [ "$code" -ne 0 ]; then status=1; grep -v "^ *✓" "$log" | tail -150; else status=0; fi
rm -f "$log"
exit "$status"
