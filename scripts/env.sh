# Sourced by scripts/start.sh and scripts/test.sh: makes Node 22+ and yarn 4
# available, fetching them from the npm registry only when the machine lacks them.
# Nothing here downloads from anywhere but the package registries.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="$REPO_ROOT/.tools"
NODE_MAJOR_REQUIRED=22
NODE_PACKAGE_VERSION=22.23.3
export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-https://registry.npmjs.org}"
export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
export COREPACK_HOME="$TOOLS_DIR/corepack"
# No install-time or run-time analytics: @scarf/scarf's postinstall is also
# disabled in package.json (dependenciesMeta), this covers npm installs.
export SCARF_ANALYTICS=false
export DO_NOT_TRACK=1
# Yarn's own telemetry is off in .yarnrc.yml; this also covers yarn run outside
# the repo (generated services). core-js and opencollective-postinstall print
# funding banners from their postinstall; npm would ask the registry for updates.
export YARN_ENABLE_TELEMETRY=0
export DISABLE_OPENCOLLECTIVE=1
export NPM_CONFIG_UPDATE_NOTIFIER=false

log() { printf '\033[1;34m[portal %s]\033[0m %s\n' "$(date +%T)" "$*" >&2; }

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  if [ "$(node_major)" -ge "$NODE_MAJOR_REQUIRED" ]; then
    return
  fi
  local pkg="$TOOLS_DIR/node/node_modules/node"
  if [ ! -x "$pkg/bin/node" ]; then
    log "Node $(node --version 2>/dev/null || echo none) is older than $NODE_MAJOR_REQUIRED: installing node@$NODE_PACKAGE_VERSION from the npm registry into .tools/"
    mkdir -p "$TOOLS_DIR/node"
    npm install --prefix "$TOOLS_DIR/node" --no-save --no-audit --no-fund --loglevel=error \
      "node@$NODE_PACKAGE_VERSION" >&2
  fi
  export PATH="$pkg/bin:$PATH"
  # Native addons (better-sqlite3) must build against this Node's headers, not the system's.
  local dir
  for dir in "$pkg"/node_modules/node-*; do
    if [ -d "$dir/include/node" ]; then
      export npm_config_nodedir="$dir"
    fi
  done
  if [ "$(node_major)" -lt "$NODE_MAJOR_REQUIRED" ]; then
    log "could not bootstrap Node $NODE_MAJOR_REQUIRED+"; exit 1
  fi
}

ensure_yarn() {
  if command -v yarn >/dev/null 2>&1 && yarn --version 2>/dev/null | grep -q '^4\.'; then
    return
  fi
  mkdir -p "$TOOLS_DIR/bin"
  if [ ! -x "$TOOLS_DIR/bin/yarn" ]; then
    local corepack_bin
    corepack_bin="$(command -v corepack || true)"
    if [ -z "$corepack_bin" ]; then
      log "no corepack on this machine: installing it from the npm registry"
      npm install --prefix "$TOOLS_DIR/corepack-pkg" --no-save --no-audit --no-fund --loglevel=error corepack >&2
      corepack_bin="$TOOLS_DIR/corepack-pkg/node_modules/.bin/corepack"
    fi
    log "enabling yarn 4 through corepack (from the npm registry)"
    "$corepack_bin" enable --install-directory "$TOOLS_DIR/bin" yarn >&2
  fi
  export PATH="$TOOLS_DIR/bin:$PATH"
}

ensure_dependencies() {
  local stamp="$REPO_ROOT/node_modules/.portal-install-stamp"
  local sum
  sum="$(cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT/package.json" "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json 2>/dev/null | cksum)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  log "installing dependencies (yarn install)"
  if [ -n "${CI:-}" ]; then
    (cd "$REPO_ROOT" && yarn install --immutable) >&2
  else
    (cd "$REPO_ROOT" && yarn install) >&2
  fi
  sum="$(cat "$REPO_ROOT/yarn.lock" "$REPO_ROOT/package.json" "$REPO_ROOT"/packages/*/package.json "$REPO_ROOT"/plugins/*/package.json 2>/dev/null | cksum)"
  echo "$sum" >"$stamp"
}

ensure_node
ensure_yarn
