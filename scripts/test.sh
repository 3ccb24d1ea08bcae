#!/usr/bin/env bash
# The test command: sets up whatever is missing, then runs every test
# (type check, lint, unit tests of every package, end-to-end tests) and ends
# with a line "N passed, N failed".
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$REPO_ROOT/scripts/system-packages.sh"
cd "$REPO_ROOT"

ensure_dependencies
ensure_system_packages
start_test_postgres
trap stop_test_postgres EXIT

export CI="${CI:-true}"
RESULTS_DIR="$(mktemp -d /tmp/portal-test.XXXXXX)"
passed=0
failed=0
failures=()

check() { # name command...: one check, one pass or fail
  local name="$1"; shift
  log "check: $name"
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); failures+=("$name")
  fi
}

count_jest() { # name json-file: adds jest's per-test results
  local name="$1" file="$2"
  if [ ! -s "$file" ]; then
    failed=$((failed + 1)); failures+=("$name (no results: the runner crashed)")
    return
  fi
  local counts
  counts="$(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // A suite that fails to load has no test results: count it as a failure.
    const broken = r.testResults.filter(s => s.status === "failed" && s.assertionResults.length === 0).length;
    console.log(r.numPassedTests, r.numFailedTests + broken);
    for (const s of r.testResults) for (const a of s.assertionResults)
      if (a.status === "failed") console.error("  failed: " + a.fullName);
    for (const s of r.testResults) if (s.status === "failed" && s.assertionResults.length === 0)
      console.error("  failed to run: " + s.name + "\n" + (s.message || "").slice(0, 2000));
  ' "$file")"
  passed=$((passed + ${counts% *}))
  local f=${counts#* }
  failed=$((failed + f))
  [ "$f" -gt 0 ] && failures+=("$name: $f")
}

check "type check (tsc)" yarn tsc --noEmit
check "lint" yarn backstage-cli repo lint
check "app builds" yarn workspace app build

log "unit tests of every package"
yarn backstage-cli repo test --watchAll=false --json --outputFile="$RESULTS_DIR/unit.json" || true
count_jest "unit tests" "$RESULTS_DIR/unit.json"

log "end-to-end tests (backend start-up, browser, kubectl)"
(cd packages/e2e-tests && yarn backstage-cli package test --watchAll=false --runInBand --json --outputFile="$RESULTS_DIR/e2e.json") || true
count_jest "end-to-end tests" "$RESULTS_DIR/e2e.json"

if [ ${#failures[@]} -gt 0 ]; then
  log "failed:"
  printf '  %s\n' "${failures[@]}" >&2
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
