#!/usr/bin/env bash
# The integration suite on the oldest VS Code the manifest claims (engines.vscode ^1.85.0):
# VS Code 1.85.1's own server, as code-server 4.20.0 ships it (Node 18), driven like the main
# suite (runIntegration.js) in Debian's Chromium. Installs it on first use under
# $VSCODE_TEST_DIR/vscode-1.85 (minutes), then runs in about a minute.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${VSCODE_TEST_DIR:-$ROOT/.vscode-test}/vscode-1.85"
# CXXFLAGS: the kerberos addon's node-addon-api declares finalizers for newer Node headers than
# Node 18's (a const-ness mismatch g++ reports as an error unless -fpermissive).
VSCODE_TEST_DIR="$DIR" NODE24_SPEC=node@18 CODE_SERVER_VERSION=4.20.0 CXXFLAGS=-fpermissive \
  RIPGREP_CACHED_ASSET=vscode-ripgrep-cache-1.15.9/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz \
  bash "$ROOT/test/harness/install.sh"
SERVER_MAIN="$DIR/code-server/node_modules/code-server/lib/vscode/out/server-main.js"
grep -q '"version": "1.85' "$(dirname "$SERVER_MAIN")/../package.json" || { echo "ERROR: not VS Code 1.85: $SERVER_MAIN" >&2; exit 1; }
VSCODE_SERVER_MAIN="$SERVER_MAIN" NODE24_BIN="$DIR/node24/node_modules/node/bin/node" \
  node "$ROOT/test/harness/runIntegration.js" "$@"
