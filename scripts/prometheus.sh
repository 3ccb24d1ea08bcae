# A real Prometheus (Debian's `prometheus` package) on loopback that scrapes
# the lab's DCGM exporter emulation, found through the lab admin server's
# http_sd endpoint (/metrics/dcgm/targets; each target carries a `cluster`
# label). Sourced by scripts/start.sh; the end-to-end tests run it as a command:
#
#   bash scripts/prometheus.sh run <lab admin url> <port> <data dir> [interval]
#
# which writes <data dir>/prometheus.yml and runs Prometheus in the foreground
# (exec, so the caller's process id is Prometheus's) with its TSDB in
# <data dir>/tsdb. The interval is the scrape interval (5s in dev, 1s in tests).

PROMETHEUS_BIN="${PROMETHEUS_BIN:-$(command -v prometheus || echo /usr/bin/prometheus)}"

# prometheus_write_config <file> <lab admin url> <interval>
prometheus_write_config() {
  local file="$1" admin="$2" interval="${3:-5s}"
  cat >"$file" <<YAML
global:
  scrape_interval: $interval
  scrape_timeout: $interval
  evaluation_interval: $interval
scrape_configs:
  - job_name: dcgm
    http_sd_configs:
      - url: $admin/metrics/dcgm/targets
        refresh_interval: $interval
YAML
}

# prometheus_start <config file> <port> <data dir>: runs in the background,
# sets PROMETHEUS_PID; the log is <data dir>/prometheus.log.
prometheus_start() {
  local config="$1" port="$2" dir="$3"
  mkdir -p "$dir/tsdb"
  "$PROMETHEUS_BIN" --config.file="$config" \
    --web.listen-address="127.0.0.1:$port" \
    --storage.tsdb.path="$dir/tsdb" \
    --storage.tsdb.retention.time=2d \
    >"$dir/prometheus.log" 2>&1 &
  PROMETHEUS_PID=$!
}

# prometheus_wait_ready <port> [seconds]: 0 once /-/ready answers 200.
prometheus_wait_ready() {
  local port="$1" seconds="${2:-30}" i
  for ((i = 0; i < seconds * 4; i++)); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/-/ready" 2>/dev/null)" = 200 ]; then
      return 0
    fi
    if [ -n "${PROMETHEUS_PID:-}" ] && ! kill -0 "$PROMETHEUS_PID" 2>/dev/null; then
      return 1
    fi
    sleep 0.25
  done
  return 1
}

# prometheus_stop: stops the Prometheus prometheus_start started.
prometheus_stop() {
  if [ -n "${PROMETHEUS_PID:-}" ]; then
    kill "$PROMETHEUS_PID" 2>/dev/null || true
    wait "$PROMETHEUS_PID" 2>/dev/null || true
    PROMETHEUS_PID=""
  fi
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    run)
      [ $# -ge 4 ] || { echo "usage: $0 run <lab admin url> <port> <data dir> [interval]" >&2; exit 64; }
      [ -x "$PROMETHEUS_BIN" ] || { echo "prometheus is not installed (apt-get install prometheus)" >&2; exit 69; }
      mkdir -p "$4/tsdb"
      prometheus_write_config "$4/prometheus.yml" "$2" "${5:-5s}"
      exec "$PROMETHEUS_BIN" --config.file="$4/prometheus.yml" \
        --web.listen-address="127.0.0.1:$3" \
        --storage.tsdb.path="$4/tsdb"
      ;;
    *)
      echo "usage: $0 run <lab admin url> <port> <data dir> [interval]" >&2
      exit 64
      ;;
  esac
fi
