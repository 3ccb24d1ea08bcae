# Sourced by the test command: installs from Debian what the tests need and the
# machine lacks (PostgreSQL for the database tests, Chromium and CJK fonts for
# the browser tests). Only Debian's package archive is used.

ensure_system_packages() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
  fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || missing+=(fonts-noto-cjk)
  # The test phase runs in a network namespace with loopback only.
  command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
  command -v ip >/dev/null 2>&1 || missing+=(iproute2)
  # The golden-path training job's generated tests.
  python3 -c 'import pytest, yaml' >/dev/null 2>&1 || missing+=(python3 python3-pytest python3-yaml)
  # The LDAP organisation tests run OpenLDAP on loopback.
  command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || missing+=(slapd)
  command -v ldapadd >/dev/null 2>&1 || missing+=(ldap-utils)
  # The GPU metrics tests scrape the lab's DCGM exporters with a real Prometheus.
  [ -x /usr/bin/prometheus ] || missing+=(prometheus)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    log "missing system packages (${missing[*]}): install them with apt-get; the tests that need them are counted as skipped"
    return 0
  fi
  log "installing from Debian: ${missing[*]}"
  apt-get update -qq >&2 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Starts a throwaway PostgreSQL on loopback for TestDatabases and exports its
# connection string. Stopped by stop_test_postgres.
start_test_postgres() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bin" ]; then
    log "PostgreSQL is not installed: PostgreSQL test cases are skipped"
    return 0
  fi
  local version port
  version="$(basename "$(dirname "$bin")")"
  port="${PORTAL_TEST_PG_PORT:-54329}"
  PG_TEST_DIR="$(mktemp -d /tmp/portal-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_TEST_DIR"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w \
    -o "-p $port -k $PG_TEST_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
  PG_TEST_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data")
  export "BACKSTAGE_TEST_DATABASE_POSTGRES${version}_CONNECTION_STRING=postgresql://postgres@127.0.0.1:$port"
  export PORTAL_TEST_POSTGRES_VERSION="$version"
  log "PostgreSQL $version for tests on 127.0.0.1:$port"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ]; then
    "${PG_TEST_CTL[@]}" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_TEST_DIR"
  fi
}
