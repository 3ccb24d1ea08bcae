#!/usr/bin/env bash
# Builds the production image as an OCI image archive, without a container
# daemon, from the package registries only: a Debian root filesystem
# (debootstrap, from the machine's configured Debian mirror), Node from the npm
# registry, the portal's production dependencies from the yarn cache / npm
# registry, assembled with Debian's umoci and written out with skopeo.
#
#   bash scripts/build-image.sh            # -> dist/portal-image.oci.tar
#   bash scripts/build-image.sh fetch      # only what needs the network: Debian's
#                                          # tools, the base root filesystem, Node
#   bash scripts/build-image.sh assemble   # the rest, offline, reusing the app
#                                          # build in packages/app/dist
#
# The test command runs `fetch` during its install phase and `assemble` in its
# air-gapped test phase, after its app build. Skips all work when the archive
# is newer than its inputs (same input key). The debootstrap root filesystem
# and Node are cached under .cache/image/.
# Environment: PORTAL_IMAGE_OUT (archive path), PORTAL_DEBIAN_MIRROR (mirror
# URL), PORTAL_IMAGE_CACHE (cache directory).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

IMAGE_UID=10001
IMAGE_TAG=portal
SUITE=bookworm
CACHE_DIR="${PORTAL_IMAGE_CACHE:-$REPO_ROOT/.cache/image}"
OUT="${PORTAL_IMAGE_OUT:-$REPO_ROOT/dist/portal-image.oci.tar}"
# The files whose content goes into the backend bundle, and into the image.
BUNDLE_INPUTS=(package.json yarn.lock .yarnrc.yml packages plugins)
IMAGE_INPUTS=("${BUNDLE_INPUTS[@]}" app-config.yaml app-config.production.yaml catalog-info.yaml
  templates scripts/build-image.sh scripts/image)

die() { log "build-image: $*"; exit 1; }
# Elapsed time of each step, for the figures in scripts/README.md.
PHASE_START=$SECONDS
phase() { log "build-image: $* ($((SECONDS - PHASE_START)) s since start)"; }

# offline: the mode `assemble`, which must not reach the network.
OFFLINE=0
# reuse_app: the backend bundle takes packages/app/dist as it is (mode `assemble`).
REUSE_APP=0

ensure_image_tools() {
  local missing=()
  if [ "$OFFLINE" = 0 ]; then
    command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  fi
  command -v umoci >/dev/null 2>&1 || missing+=(umoci)
  command -v skopeo >/dev/null 2>&1 || missing+=(skopeo)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$OFFLINE" = 0 ] || die "missing ${missing[*]}: run scripts/build-image.sh fetch with the network first"
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    die "missing ${missing[*]}: install them with apt-get (Debian's packages), as root"
  fi
  log "installing from Debian: ${missing[*]}"
  apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# The first http(s) Debian archive URI configured for apt on this machine.
debian_mirror() {
  if [ -n "${PORTAL_DEBIAN_MIRROR:-}" ]; then
    echo "$PORTAL_DEBIAN_MIRROR"; return
  fi
  local uri
  uri="$( { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
    grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{ print $2 }'; } |
    grep -v -- '-security' | grep -E '^https?://' | head -n 1)"
  [ -n "$uri" ] || die "no Debian mirror in /etc/apt/sources.list*: set PORTAL_DEBIAN_MIRROR"
  echo "$uri"
}

# One key over the content of the given paths' files (tracked and untracked,
# not ignored), the Node version and the base's recipe.
input_key() {
  {
    git ls-files -z --cached --others --exclude-standard -- "$@" |
      sort -z | xargs -0 -r sha256sum 2>/dev/null
    echo "node $NODE_PACKAGE_VERSION suite $SUITE uid $IMAGE_UID"
  } | sha256sum | awk '{ print $1 }'
}

# Node from the npm registry: the `node` package env.sh puts into .tools/, or
# the same version installed into the cache when this machine has its own Node.
image_node_binary() {
  local bin="$TOOLS_DIR/node/node_modules/node/bin/node"
  if [ ! -x "$bin" ] || [ "$("$bin" --version)" != "v$NODE_PACKAGE_VERSION" ]; then
    bin="$CACHE_DIR/node/node_modules/node/bin/node"
    if [ ! -x "$bin" ]; then
      [ "$OFFLINE" = 0 ] || die "no node@$NODE_PACKAGE_VERSION for the image: run scripts/build-image.sh fetch with the network first"
      log "installing node@$NODE_PACKAGE_VERSION from the npm registry into .cache/image/node"
      npm install --prefix "$CACHE_DIR/node" --no-save --no-audit --no-fund --loglevel=error \
        "node@$NODE_PACKAGE_VERSION" >&2
    fi
  fi
  readlink -f "$bin"
}

# Debian minbase, without apt, docs and caches, with the portal's user.
# Cached as a tarball; rebuilt only when missing.
base_rootfs_tar() {
  local tar="$CACHE_DIR/$SUITE-minbase-uid$IMAGE_UID.tar"
  if [ -s "$tar" ]; then
    echo "$tar"; return
  fi
  [ "$OFFLINE" = 0 ] || die "no cached base root filesystem ($tar): run scripts/build-image.sh fetch with the network first"
  local mirror root
  mirror="$(debian_mirror)"
  root="$CACHE_DIR/rootfs.tmp"
  rm -rf "$root"
  log "debootstrap --variant=minbase $SUITE from $mirror"
  debootstrap --variant=minbase "$SUITE" "$root" "$mirror" >&2
  # Nothing installs packages at run time: apt goes, dpkg's database stays for scanners.
  chroot "$root" dpkg --purge apt >&2
  rm -rf "$root"/var/cache/apt "$root"/var/lib/apt "$root"/etc/apt \
    "$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
    "$root"/usr/share/locale/* "$root"/var/log/* "$root"/var/cache/debconf/*-old \
    "$root"/usr/bin/apt* "$root"/var/lib/dpkg/*-old
  echo "portal:x:$IMAGE_UID:$IMAGE_UID:portal:/var/lib/portal:/usr/sbin/nologin" >>"$root/etc/passwd"
  echo "portal:x:$IMAGE_UID:" >>"$root/etc/group"
  echo "portal:!:19000::::::" >>"$root/etc/shadow"
  mkdir -p "$root/app" "$root/var/lib/portal"
  chown "$IMAGE_UID:$IMAGE_UID" "$root/var/lib/portal"
  tar --numeric-owner -C "$root" -cf "$tar.tmp" .
  mv "$tar.tmp" "$tar"
  rm -rf "$root"
  echo "$tar"
}

# The backend bundle (with the app inside) and its production node_modules, in
# $1. Native addons are not compiled here: install scripts are off, and the
# compiled addons of the monorepo's install (same versions, same Node) are copied.
stage_app() {
  local stage="$1"
  # The backend's build builds the app (a bundled package) into the bundle;
  # a bundle built from the same inputs is reused.
  local stamp="packages/backend/dist/.image-inputs"
  if [ ! -s packages/backend/dist/bundle.tar.gz ] || [ "$(cat "$stamp" 2>/dev/null)" != "$2" ]; then
    if [ "$REUSE_APP" = 1 ]; then
      [ -s packages/app/dist/index.html ] || die "no app build in packages/app/dist: run yarn workspace app build first"
      # The app's build (webpack, most of the time) is the test command's own;
      # only the backend's other workspace dependencies are built here.
      log "building the backend bundle around packages/app/dist"
      build_backend_dependencies >&2
      phase "backend dependencies built"
      yarn workspace backend build --skip-build-dependencies >&2
    else
      log "building the backend bundle (with the app)"
      yarn workspace backend build >&2
    fi
    echo "$2" >"$stamp"
    phase "backend bundle built"
  fi
  mkdir -p "$stage"
  tar -C "$stage" -xzf packages/backend/dist/skeleton.tar.gz
  cp package.json yarn.lock .yarnrc.yml "$stage/"
  [ -d .yarn/patches ] && mkdir -p "$stage/.yarn" && cp -r .yarn/patches "$stage/.yarn/"
  log "installing production dependencies (yarn workspaces focus --all --production)"
  (cd "$stage" && YARN_ENABLE_SCRIPTS=0 YARN_ENABLE_TELEMETRY=0 \
    yarn workspaces focus --all --production) >&2
  phase "production dependencies installed"
  local gyp dir rel pkg version
  while IFS= read -r gyp; do
    dir="$(dirname "$gyp")"
    rel="${dir#"$stage"/}"
    pkg="$dir"
    while [ ! -f "$pkg/package.json" ]; do pkg="$(dirname "$pkg")"; done
    version="$(node -p "require('$pkg/package.json').version")"
    if [ -d "$REPO_ROOT/$rel/build/Release" ] &&
      [ "$(node -p "require('$REPO_ROOT/${pkg#"$stage"/}/package.json').version")" = "$version" ]; then
      mkdir -p "$dir/build/Release"
      find "$REPO_ROOT/$rel/build/Release" -maxdepth 1 -name '*.node' -exec cp {} "$dir/build/Release/" \;
      log "native addon $rel ($version): copied from the monorepo's build"
    else
      log "native addon $rel ($version): not built; its package falls back to JavaScript or is unused with PostgreSQL"
    fi
  done < <(find "$stage/node_modules" -name binding.gyp)
  tar -C "$stage" -xzf packages/backend/dist/bundle.tar.gz
  cp app-config.yaml app-config.production.yaml catalog-info.yaml "$stage/"
  git ls-files -z -- templates | tar -cf - --null -T - | tar -C "$stage" -xf -
  rm -rf "$stage/.yarn" "$stage/.yarnrc.yml" "$stage/yarn.lock" "$stage/node_modules/.yarn-state.yml"
  phase "application staged"
}

# Builds the backend's workspace dependencies that the bundle packs from their
# dist/ (the app excepted: bundled, built by the test command), as the
# backend's own build does: in one process, without type declarations.
build_backend_dependencies() {
  node -e '
    const path = require("node:path");
    const paths = { paths: [process.cwd()] };
    const { PackageGraph } = require(require.resolve("@backstage/cli-node", paths));
    // Not exported: the builder of @backstage/cli-module-build (pinned by the release).
    const cliBuild = path.dirname(require.resolve("@backstage/cli-module-build/package.json", paths));
    const packager = require(path.join(cliBuild, "dist/lib/builder/packager.cjs.js"));
    const { Output } = require(path.join(cliBuild, "dist/lib/builder/types.cjs.js"));
    (async () => {
      const pkgs = await PackageGraph.listTargetPackages();
      const graph = PackageGraph.fromPackages(pkgs);
      // A bundled package (the app) carries its dependencies inside.
      const names = graph.collectPackageNames(["backend"], n =>
        n.packageJson.bundled ? [] : n.localDependencies.keys());
      const builds = [];
      for (const name of names) {
        const node = graph.get(name);
        if (name === "backend" || node.packageJson.bundled) continue;
        const outputs = packager.getOutputsForRole(node.packageJson.backstage.role);
        outputs.delete(Output.types);
        if (outputs.size > 0) {
          builds.push({ targetDir: node.dir, packageJson: node.packageJson, outputs,
            workspacePackages: pkgs, logPrefix: `${name}: ` });
        }
      }
      await packager.buildPackages(builds);
      console.error(`built ${builds.length} packages`);
    })().catch(e => { console.error(e); process.exit(1); });'
}

main() {
  mkdir -p "$CACHE_DIR" "$(dirname "$OUT")"
  local key
  key="$(input_key "${IMAGE_INPUTS[@]}")"
  if [ -s "$OUT" ] && [ "$(cat "$OUT.inputs" 2>/dev/null)" = "$key" ]; then
    log "image up to date: $OUT"
    return 0
  fi
  # A failed build leaves no archive behind, so an old image is never verified instead.
  rm -f "$OUT" "$OUT.inputs"
  [ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot and file ownership in the image)"
  ensure_image_tools
  local started=$SECONDS base node work
  base="$(base_rootfs_tar)"
  phase "base root filesystem ready"
  node="$(image_node_binary)"
  phase "node ready"
  # The staging tree (some 30,000 files) is written, read and deleted once:
  # on tmpfs when there is room, that costs seconds rather than minutes.
  local work_parent="$CACHE_DIR"
  if [ -d /dev/shm ] && [ "$(df -Pm /dev/shm | awk 'NR == 2 { print $4 }')" -gt 4096 ]; then
    work_parent=/dev/shm
  fi
  work="$(mktemp -d "$work_parent/portal-image-work.XXXXXX")"
  WORK_DIR="$work"
  trap 'rm -rf "$WORK_DIR"' EXIT
  stage_app "$work/stage" "$(input_key "${BUNDLE_INPUTS[@]}")"

  # Layers are added as tar archives (umoci raw add-layer): no unpacking of the
  # base and no walk of the whole tree to find what changed.
  local layout="$work/layout" layer="$work/layer"
  umoci init --layout "$layout"
  umoci new --image "$layout:$IMAGE_TAG"
  umoci raw add-layer --image "$layout:$IMAGE_TAG" \
    --history.created_by "debootstrap --variant=minbase $SUITE" "$base"
  phase "base layer added"
  # Second layer: Node and the portal, owned by root and read-only to the portal's user.
  mkdir -p "$layer/usr/local/bin"
  install -m 0755 "$node" "$layer/usr/local/bin/node"
  mv "$work/stage" "$layer/app"
  tar --numeric-owner --owner=0 --group=0 --mode=a+rX,go-w -C "$layer" \
    -cf "$work/portal-layer.tar" ./usr/local/bin/node ./app
  rm -rf "$layer"
  umoci raw add-layer --image "$layout:$IMAGE_TAG" \
    --history.created_by "build-image.sh: node $NODE_PACKAGE_VERSION and the portal in /app" \
    "$work/portal-layer.tar"
  rm -f "$work/portal-layer.tar"
  phase "portal layer added"
  umoci config --image "$layout:$IMAGE_TAG" \
    --config.user "$IMAGE_UID:$IMAGE_UID" \
    --config.workingdir /app \
    --config.entrypoint /usr/local/bin/node --config.entrypoint packages/backend \
    --config.cmd --config --config.cmd app-config.yaml \
    --config.cmd --config --config.cmd app-config.production.yaml \
    --config.env NODE_ENV=production --config.env HOME=/tmp \
    --config.exposedports 7007/tcp \
    --config.volume /tmp --config.volume /var/lib/portal \
    --config.label "org.opencontainers.image.title=portal" \
    --config.label "org.opencontainers.image.revision=$(git rev-parse HEAD)" \
    --config.label "io.portal.inputs=$key"
  umoci gc --layout "$layout"
  phase "image config written"
  skopeo copy --quiet "oci:$layout:$IMAGE_TAG" "oci-archive:$OUT:$IMAGE_TAG"
  echo "$key" >"$OUT.inputs"
  log "image built in $((SECONDS - started)) s: $OUT ($(du -m "$OUT" | awk '{ print $1 }') MB archive)"
}

case "${1:-}" in
  base) mkdir -p "$CACHE_DIR"; ensure_image_tools; base_rootfs_tar ;; # only the cached root filesystem
  fetch)
    [ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot and file ownership in the image)"
    mkdir -p "$CACHE_DIR"
    ensure_image_tools
    base_rootfs_tar >/dev/null
    phase "base root filesystem ready"
    image_node_binary >/dev/null
    phase "node ready: everything the image needs from the network is here"
    ;;
  assemble) OFFLINE=1; REUSE_APP=1; main ;;
  "") main ;;
  *) die "unknown mode '$1': fetch, assemble or none (both)" ;;
esac
