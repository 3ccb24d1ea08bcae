#!/usr/bin/env bash
# The start command: sets up whatever is missing, brings up the lab clusters,
# and starts the portal on the embedded defaults (frontend :3000, backend :7007).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
ensure_dependencies
mkdir -p data .lab

LAB_PID=""
source "$REPO_ROOT/scripts/prometheus.sh"
PROMETHEUS_DIR=""
cleanup() {
  [ -n "$LAB_PID" ] && kill "$LAB_PID" 2>/dev/null || true
  prometheus_stop
  [ -n "$PROMETHEUS_DIR" ] && rm -rf "$PROMETHEUS_DIR" || true
}
trap cleanup EXIT INT TERM

if [ -x packages/lab-cluster/bin/lab-cluster ] && [ -f packages/lab-cluster/src/cli.ts ]; then
  log "starting the lab clusters (kubeconfig: .lab/kubeconfig)"
  packages/lab-cluster/bin/lab-cluster --base-port 6443 --admin-port 6440 \
    --kubeconfig .lab/kubeconfig >.lab/lab-cluster.log 2>&1 &
  LAB_PID=$!
  # GPU metrics: Prometheus scrapes the lab's DCGM exporters every 5 s
  # (app-config.yaml's gpuMetrics point at it); without it the fleet page
  # shows "no GPU metrics".
  if [ -x "$PROMETHEUS_BIN" ]; then
    PROMETHEUS_DIR="$(mktemp -d /tmp/portal-prometheus.XXXXXX)"
    prometheus_write_config "$PROMETHEUS_DIR/prometheus.yml" http://127.0.0.1:6440 5s
    prometheus_start "$PROMETHEUS_DIR/prometheus.yml" 6490 "$PROMETHEUS_DIR"
    log "Prometheus for GPU metrics on http://127.0.0.1:6490 (log: $PROMETHEUS_DIR/prometheus.log)"
  else
    log "prometheus is not installed (apt-get install prometheus): the fleet page shows no GPU metrics"
  fi
fi

cat >&2 <<MSG

  Cloud Smart portal
    open        http://localhost:3000   (sign in as guest)
    backend     http://localhost:7007
    data        $REPO_ROOT/data   (SQLite, kept across restarts)
    kubectl     kubectl --kubeconfig $REPO_ROOT/.lab/kubeconfig get nodes

MSG
yarn start
