#!/usr/bin/env bash
# The test command. Install phase (the only one that may use the network):
# dependencies and the Debian packages the tests need. Test phase, in a network
# namespace with loopback only: type check, lint, app build, unit tests of every
# package, end-to-end and browser tests. Ends with a line
# "N passed, N failed, N skipped", the skipped checks named above it.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/system-packages.sh"
source "$REPO_ROOT/scripts/airgap.sh"
cd "$REPO_ROOT"

disk_free() { # the free space where the run writes, for the log
  df -Ph "$REPO_ROOT" /tmp /dev/shm 2>/dev/null |
    awk 'NR > 1 && !seen[$6]++ { printf "%s%s free on %s", sep, $4, $6; sep = ", " } END { print "" }'
}

if [ "${PORTAL_TEST_PHASE:-}" != tests ]; then
  log "disk: $(disk_free)"
  # The production image's network inputs (Debian's image tools, the
  # debootstrap base, Node) download while the dependencies install; its
  # assembly and boot run air-gapped below. Waited for before the other
  # Debian installs: both use apt.
  image_fetch_log="$(mktemp /tmp/portal-image-fetch.XXXXXX)"
  image_fetch_pid=""
  if [ "$(id -u)" = 0 ]; then
    bash "$REPO_ROOT/scripts/build-image.sh" fetch >"$image_fetch_log" 2>&1 &
    image_fetch_pid=$!
  fi
  ensure_dependencies
  if [ -n "$image_fetch_pid" ] && ! wait "$image_fetch_pid"; then
    cat "$image_fetch_log" >&2
    log "fetching the image's inputs failed: its check will fail"
  fi
  rm -f "$image_fetch_log"
  ensure_system_packages
  # Does not return when a namespace can be made: the test phase runs in it.
  enter_airgap "$REPO_ROOT/scripts/test.sh" "$@"
fi

export CI="${CI:-true}"
RESULTS_DIR="$(mktemp -d /tmp/portal-test.XXXXXX)"
chmod 0755 "$RESULTS_DIR"
# What the tests write to the temporary directory (servers' data, generated
# repositories, test sandboxes, Chromium's profiles) goes under this run's own
# directory and is removed with it when the run ends, whatever ended it: a
# machine that runs the tests again and again does not fill up.
export TMPDIR="$RESULTS_DIR/tmp"
mkdir -p "$TMPDIR" && chmod 1777 "$TMPDIR"
# Jest's transform cache stays between runs (it is keyed by file contents);
# above 4 GB it starts again empty, so it cannot grow without bound either.
JEST_CACHE="${PORTAL_JEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/portal-jest}"
if [ -d "$JEST_CACHE" ] && [ "$(du -sm "$JEST_CACHE" | cut -f1)" -gt 4096 ]; then
  log "jest cache above 4 GB: starting it again empty"
  rm -rf "$JEST_CACHE"
fi
log "disk: $(disk_free)"
passed=0
failed=0
skipped=0
failures=()
skips=()

check() { # name command...: one check, one pass or fail
  local name="$1"; shift
  log "check: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("$name")
  fi
}

skip() { # name reason: a check that could not run
  log "skipped: $1 ($2)"
  skipped=$((skipped + 1)); skips+=("$1 ($2)")
}

count_jest() { # name json-file: adds jest's per-test results
  local name="$1" file="$2"
  if [ ! -s "$file" ]; then
    failed=$((failed + 1)); failures+=("$name (no results: the runner crashed)")
    return
  fi
  local counts line
  counts="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // A suite that fails to load has no test results: count it as a failure.
    const broken = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
    for (const s of r.testResults) for (const a of s.assertionResults) {
      if (a.status === "failed") console.error("  failed: " + a.fullName);
      if (["pending", "skipped", "todo", "disabled"].includes(a.status))
        console.log(a.fullName + " [" + require("path").relative(process.cwd(), s.name) + "]");
    }
    for (const s of r.testResults) if (s.status === "failed" && s.assertionResults.length === 0)
      console.error("  failed to run: " + s.name + "\n" + (s.message || "").slice(0, 2000));
  ' "$file")"
  read -r p f s <<<"$(head -n 1 <<<"$counts")"
  passed=$((passed + p))
  failed=$((failed + f))
  skipped=$((skipped + s))
  [ "$f" -gt 0 ] && failures+=("$name: $f")
  while IFS= read -r line; do
    [ -n "$line" ] && skips+=("$name: $line")
  done < <(tail -n +2 <<<"$counts")
}

if [ -n "${PORTAL_AIRGAP_NOT_PROVEN:-}" ]; then
  skip "air gap: NOT proven" "$PORTAL_AIRGAP_NOT_PROVEN"
else
  check "network is loopback-only" verify_airgap
fi

start_test_postgres
end_of_run() {
  stop_test_postgres
  rm -rf "$RESULTS_DIR"
}
trap end_of_run EXIT
if [ -z "${PORTAL_TEST_POSTGRES_VERSION:-}" ]; then
  # TestDatabases would otherwise reach for Docker (CI) or drop the cases.
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
  skip "PostgreSQL cases of TestDatabases" "PostgreSQL is not installed"
fi

# The type check and lint read the same sources and each keeps one core busy:
# run them side by side, then count each as its own check.
yarn tsc --noEmit >"$RESULTS_DIR/tsc.log" 2>&1 &
tsc_pid=$!
yarn backstage-cli repo lint >"$RESULTS_DIR/lint.log" 2>&1 &
lint_pid=$!
finished() { # pid log: the exit code of a background check, its output shown
  wait "$1"; local rc=$?
  cat "$2" >&2
  return "$rc"
}
check "type check (tsc)" finished "$tsc_pid" "$RESULTS_DIR/tsc.log"
check "lint" finished "$lint_pid" "$RESULTS_DIR/lint.log"
check "OpenAPI: generated routers and client types match the specs" node scripts/openapi.mjs check
check "app builds" yarn workspace app build

log "unit tests of every package"
yarn backstage-cli repo test --watchAll=false --cacheDirectory="$JEST_CACHE" --json --outputFile="$RESULTS_DIR/unit.json" || true
count_jest "unit tests" "$RESULTS_DIR/unit.json"

# The production image, offline, around the app built above, then booted: in
# the background while the end-to-end files mostly wait (scripts/README.md, Image).
IMAGE_CHECK="production image builds offline and boots (non-root, read-only root, readiness 200)"
image_pid=""
if [ "$(id -u)" = 0 ]; then
  (nice -n 10 bash scripts/build-image.sh assemble && bash scripts/verify-image.sh) \
    >"$RESULTS_DIR/image.log" 2>&1 &
  image_pid=$!
fi

log "end-to-end tests (backend start-up, start command, kubectl, security, MCP, deploy, production)"
# Two files at a time: most of their time is waiting on a backend, a lab
# cluster or PostgreSQL, not on a core. Browser files run after them, one at
# a time: their timings must not depend on another file.
SERIAL_E2E='\.browser\.test\.ts$'
(cd packages/e2e-tests && yarn backstage-cli package test --watchAll=false --cacheDirectory="$JEST_CACHE" --maxWorkers=2 \
  --testPathIgnorePatterns="$SERIAL_E2E" --json --outputFile="$RESULTS_DIR/e2e.json") || true
count_jest "end-to-end tests" "$RESULTS_DIR/e2e.json"
if [ -n "$image_pid" ]; then
  check "$IMAGE_CHECK" finished "$image_pid" "$RESULTS_DIR/image.log"
else
  skip "$IMAGE_CHECK" "not root: debootstrap, chroot and namespaces need root"
fi

log "browser tests, one file at a time"
(cd packages/e2e-tests && yarn backstage-cli package test --watchAll=false --cacheDirectory="$JEST_CACHE" --runInBand \
  --testPathPatterns="$SERIAL_E2E" --json --outputFile="$RESULTS_DIR/e2e-serial.json") || true
count_jest "browser tests" "$RESULTS_DIR/e2e-serial.json"

if [ ${#failures[@]} -gt 0 ]; then
  log "failed:"
  printf '  %s\n' "${failures[@]}" >&2
  log "disk at the end: $(disk_free)"
fi
if [ ${#skips[@]} -gt 0 ]; then
  echo "skipped:"
  printf '  %s\n' "${skips[@]}"
fi
if [ -n "${PORTAL_AIRGAP_NOT_PROVEN:-}" ]; then
  echo "air gap: NOT proven (${PORTAL_AIRGAP_NOT_PROVEN})"
else
  echo "air gap: proven (test phase in a network namespace with loopback only)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
