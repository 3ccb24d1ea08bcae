#!/usr/bin/env bash
# Boots the production image as a cluster would run it, without a container
# runtime or network: unpacks dist/portal-image.oci.tar with umoci, checks that
# the image runs as a non-root user and holds no build tools, then runs the
# image's entrypoint and command (from its config) as the image's user in a
# chroot whose root is a read-only bind mount, in new mount and PID namespaces,
# with tmpfs on the image's volumes (/tmp, /var/lib/portal). The production
# config points at a throwaway PostgreSQL on loopback over TLS (a CA made for
# the run); the cluster, OIDC and LDAP addresses are closed loopback ports.
# Passes when readiness answers 200; prints sizes and the start-up time.
#
#   bash scripts/verify-image.sh [archive]     # as root
#
# Environment: PORTAL_IMAGE_BOOT_TIMEOUT (seconds, default 240).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"

ARCHIVE="${1:-$REPO_ROOT/dist/portal-image.oci.tar}"
TAG=portal
BOOT_TIMEOUT="${PORTAL_IMAGE_BOOT_TIMEOUT:-240}"
BUILD_TOOLS=(gcc cc c++ g++ clang make ld as cpp apt apt-get npm yarn)

fail() { log "verify-image: $*"; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (chroot and namespaces)"
[ -s "$ARCHIVE" ] || fail "no image archive at $ARCHIVE: run scripts/build-image.sh"
for tool in umoci unshare nsenter openssl; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -n "$PG_BIN" ] || fail "PostgreSQL is not installed"

# The unpacked image (some 30,000 files) goes to tmpfs when there is room:
# writing and deleting it there takes seconds rather than minutes.
WORK_PARENT=/tmp
if [ -d /dev/shm ] && [ "$(df -Pm /dev/shm | awk 'NR == 2 { print $4 }')" -gt 4096 ]; then
  WORK_PARENT=/dev/shm
fi
WORK="$(mktemp -d "$WORK_PARENT/portal-image-verify.XXXXXX")"
chmod 0755 "$WORK" # PostgreSQL runs as postgres; its own dir stays 0700
BOOT_PID=""
cleanup() {
  # Every step runs, whatever the one before returned (the killed unshare's
  # wait returns 137, which set -e would let abort the trap, leaving
  # PostgreSQL running and the unpacked image on tmpfs).
  set +e
  # unshare --fork ignores SIGTERM while it waits, and the backend lost
  # --kill-child's death signal when chroot changed its uid: kill the backend
  # (the PID namespace's first process, which takes the namespace with it), then unshare.
  if [ -n "$BOOT_PID" ]; then
    local child
    for child in $(pgrep -P "$BOOT_PID"); do kill -KILL "$child" 2>/dev/null; done
    kill -KILL "$BOOT_PID" 2>/dev/null
    wait "$BOOT_PID" 2>/dev/null
  fi
  [ -f "$WORK/pg/data/postmaster.pid" ] &&
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })'
}

# --- unpack and inspect -------------------------------------------------------
mkdir -p "$WORK/layout"
tar -C "$WORK/layout" -xf "$ARCHIVE"
# raw unpack: the root filesystem without umoci's mtree manifest, which
# hashes every file and took most of the time.
mkdir -p "$WORK/bundle"
umoci raw unpack --image "$WORK/layout:$TAG" "$WORK/bundle/rootfs" >/dev/null
umoci raw runtime-config --image "$WORK/layout:$TAG" --rootfs "$WORK/bundle/rootfs" \
  "$WORK/bundle/config.json" >/dev/null
ROOT="$WORK/bundle/rootfs"
# The OCI runtime config umoci derives from the image config: user, args, env, cwd.
read -r IMAGE_UID IMAGE_GID IMAGE_CWD < <(node -e '
  const c = require(process.argv[1]).process;
  console.log(c.user.uid, c.user.gid, c.cwd);' "$WORK/bundle/config.json")
mapfile -t IMAGE_ARGS < <(node -e 'for (const a of require(process.argv[1]).process.args) console.log(a)' "$WORK/bundle/config.json")
mapfile -t IMAGE_ENV < <(node -e 'for (const e of require(process.argv[1]).process.env) console.log(e)' "$WORK/bundle/config.json")
[ "$IMAGE_UID" != 0 ] || fail "the image runs as root (config user uid 0)"
[ "$IMAGE_GID" != 0 ] || fail "the image runs with group root (config user gid 0)"
for tool in "${BUILD_TOOLS[@]}"; do
  for dir in usr/bin usr/sbin usr/local/bin bin sbin; do
    if [ -e "$ROOT/$dir/$tool" ] || [ -L "$ROOT/$dir/$tool" ]; then
      fail "the image holds a build tool: /$dir/$tool"
    fi
  done
done
# The portal (Node and /app) belongs to root and only root may change it.
writable="$(find "$ROOT/app" "$ROOT/usr/local/bin/node" ! -type l \( ! -uid 0 -o ! -gid 0 -o -perm /022 \) -print -quit)"
[ -z "$writable" ] || fail "${writable#"$ROOT"} is not owned by root or is writable by others"
ARCHIVE_MB="$(du -m "$ARCHIVE" | awk '{ print $1 }')"
ROOTFS_MB="$(du -sm "$ROOT" | awk '{ print $1 }')"
log "image: user $IMAGE_UID:$IMAGE_GID, entrypoint+cmd: ${IMAGE_ARGS[*]}, no build tools (${BUILD_TOOLS[*]})"

# --- PostgreSQL over TLS on loopback ------------------------------------------
PG_PORT="$(free_port)"
PORTAL_PORT="$(free_port)"
mkdir -p "$WORK/pg" "$WORK/tls"
(
  cd "$WORK/tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=portal-verify-ca \
    -keyout ca.key -out ca.crt 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key -out server.csr 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >san.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
    -extfile san.ext -out server.crt 2>/dev/null
)
PG_PASSWORD="$(openssl rand -hex 16)"
printf '%s\n' "$PG_PASSWORD" >"$WORK/pg/pwfile"
cp "$WORK/tls/server.crt" "$WORK/tls/server.key" "$WORK/pg/"
chmod 0600 "$WORK/pg/server.key"
chown -R postgres:postgres "$WORK/pg"
chmod 0700 "$WORK/pg"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg/data" -U postgres --pwfile="$WORK/pg/pwfile" \
  --auth-local=trust --auth-host=scram-sha-256 -E UTF8 >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PG_PORT -k $WORK/pg \
  -c listen_addresses=127.0.0.1 -c fsync=off -c ssl=on -c ssl_cert_file=$WORK/pg/server.crt \
  -c ssl_key_file=$WORK/pg/server.key" start >/dev/null
log "PostgreSQL on 127.0.0.1:$PG_PORT (TLS, password)"

# --- the production configuration ---------------------------------------------
CLOSED_PORT="$(free_port)" # nothing listens there: clusters, OIDC and LDAP are down
declare -A VALUES=(
  [PORTAL_BASE_URL]="http://127.0.0.1:$PORTAL_PORT"
  [BACKEND_SECRET]="$(openssl rand -hex 24)"
  [AUTH_SESSION_SECRET]="$(openssl rand -hex 24)"
  [POSTGRES_HOST]=127.0.0.1
  [POSTGRES_PORT]="$PG_PORT"
  [POSTGRES_USER]=postgres
  [POSTGRES_PASSWORD]="$PG_PASSWORD"
  [POSTGRES_CA_CERT]="$(cat "$WORK/tls/ca.crt")"
  [OIDC_METADATA_URL]="http://127.0.0.1:$CLOSED_PORT/realms/portal/.well-known/openid-configuration"
  [OIDC_CLIENT_ID]=portal
  [OIDC_CLIENT_SECRET]="$(openssl rand -hex 16)"
  [OIDC_EMAIL_DOMAIN]=example.go.kr
  [LDAP_URL]="ldap://127.0.0.1:$CLOSED_PORT"
  [LDAP_BIND_DN]="cn=portal,dc=example,dc=go,dc=kr"
  [LDAP_BIND_PASSWORD]="$(openssl rand -hex 16)"
  [LDAP_USERS_DN]="ou=people,dc=example,dc=go,dc=kr"
  [LDAP_GROUPS_DN]="ou=groups,dc=example,dc=go,dc=kr"
  [K8S_MAIN_NAME]=main
  [K8S_MAIN_URL]="https://127.0.0.1:$CLOSED_PORT"
  [K8S_MAIN_CA_DATA]="$(base64 -w0 "$WORK/tls/ca.crt")"
  [K8S_MAIN_TOKEN]="$(openssl rand -hex 16)"
  [K8S_MAIN_WRITER_TOKEN]="$(openssl rand -hex 16)"
)
ENV_ARGS=("${IMAGE_ENV[@]}")
for config in "$ROOT$IMAGE_CWD"/app-config*.yaml; do
  for name in $(grep -o '\${[A-Z0-9_]*}' "$config" | tr -d '${}' | sort -u); do
    [ -n "${VALUES[$name]+set}" ] || fail "$(basename "$config") needs \$$name, which this script does not set"
    ENV_ARGS+=("$name=${VALUES[$name]}")
  done
done
# Only the listening address differs from what a pod gets (port 7007 may be taken here).
mkdir -p "$WORK/tmp"
cat >"$WORK/tmp/app-config.verify.yaml" <<EOF
backend:
  listen:
    host: 127.0.0.1
    port: $PORTAL_PORT
EOF

# --- boot ---------------------------------------------------------------------
# In new mount and PID namespaces: the root read-only, writable tmpfs volumes,
# /dev with the usual character devices, then the entrypoint as the image's user.
BOOT_SCRIPT='
set -e
root="$1" workdir="$2" uid="$3" gid="$4" tmp="$5"; shift 5
mount --make-rprivate /
mount --bind "$root" "$root"
mount -o remount,bind,ro "$root"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
cp "$tmp"/* "$root/tmp/"
mount -t tmpfs -o "mode=0750,uid=$uid,gid=$gid" tmpfs "$root/var/lib/portal"
mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
for dev in null zero random urandom; do
  touch "$root/dev/$dev"; mount --bind "/dev/$dev" "$root/dev/$dev"
done
if [ -f /etc/hosts ] && [ -f "$root/etc/hosts" ]; then mount --bind /etc/hosts "$root/etc/hosts"; fi
exec chroot --userspec="$uid:$gid" "$root" /usr/bin/env -i -C "$workdir" "$@"
'
args=("${IMAGE_ARGS[@]}" --config /tmp/app-config.verify.yaml)
log "booting the image: ${args[*]}"
started="$(date +%s%N)"
unshare --mount --pid --fork --kill-child -- bash -c "$BOOT_SCRIPT" boot \
  "$ROOT" "$IMAGE_CWD" "$IMAGE_UID" "$IMAGE_GID" "$WORK/tmp" "${ENV_ARGS[@]}" "${args[@]}" \
  >"$WORK/boot.log" 2>&1 &
BOOT_PID=$!

status=""
deadline=$((SECONDS + BOOT_TIMEOUT))
while [ $SECONDS -lt $deadline ]; do
  if ! kill -0 "$BOOT_PID" 2>/dev/null; then
    tail -n 40 "$WORK/boot.log" >&2
    fail "the image's process exited before readiness"
  fi
  status="$(node -e '
    fetch(process.argv[1], { signal: AbortSignal.timeout(2000) })
      .then(r => console.log(r.status), () => console.log("none"));' \
    "http://127.0.0.1:$PORTAL_PORT/.backstage/health/v1/readiness")"
  [ "$status" = 200 ] && break
  sleep 1
done
elapsed_ms=$((($(date +%s%N) - started) / 1000000))
if [ "$status" != 200 ]; then
  tail -n 40 "$WORK/boot.log" >&2
  fail "readiness did not answer 200 within ${BOOT_TIMEOUT}s (last: $status)"
fi

# --- what the running process is ----------------------------------------------
NODE_PID="$(pgrep -P "$BOOT_PID" | head -n 1)"
[ -n "$NODE_PID" ] || fail "cannot find the image's process"
uid_line="$(awk '/^Uid:/ { print $2, $3, $4, $5 }' "/proc/$NODE_PID/status")"
[ "$uid_line" = "$IMAGE_UID $IMAGE_UID $IMAGE_UID $IMAGE_UID" ] ||
  fail "the process runs with uids $uid_line, not $IMAGE_UID"
if nsenter --target "$NODE_PID" --mount -- touch "$ROOT/app/.write-test" 2>"$WORK/ro.err"; then
  fail "the root filesystem is writable in the process's namespace"
fi
grep -q 'Read-only file system' "$WORK/ro.err" || fail "write test failed unexpectedly: $(cat "$WORK/ro.err")"
errors="$(grep -c '"level":"error"\|level=error\| error ' "$WORK/boot.log" || true)"
log "readiness 200 after $((elapsed_ms / 1000)).$(printf '%03d' $((elapsed_ms % 1000)))s as uid $IMAGE_UID on a read-only root"
echo "image archive: ${ARCHIVE_MB} MB, unpacked root filesystem: ${ROOTFS_MB} MB"
echo "start-up to readiness 200: ${elapsed_ms} ms (log lines at error level: $errors)"
