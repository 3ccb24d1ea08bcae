#!/usr/bin/env bash
# The start command: sets up whatever is missing, brings up the lab clusters,
# and starts the portal on the embedded defaults (frontend :3000, backend :7007).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$REPO_ROOT"
ensure_dependencies
mkdir -p data .lab

LAB_PID=""
cleanup() { [ -n "$LAB_PID" ] && kill "$LAB_PID" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if [ -x packages/lab-cluster/bin/lab-cluster ] && [ -f packages/lab-cluster/src/cli.ts ]; then
  log "starting the lab clusters (kubeconfig: .lab/kubeconfig)"
  packages/lab-cluster/bin/lab-cluster --base-port 6443 --admin-port 6440 \
    --kubeconfig .lab/kubeconfig >.lab/lab-cluster.log 2>&1 &
  LAB_PID=$!
fi

cat >&2 <<MSG

  Cloud Smart portal
    open        http://localhost:3000   (sign in as guest)
    backend     http://localhost:7007
    data        $REPO_ROOT/data   (SQLite, kept across restarts)
    kubectl     kubectl --kubeconfig $REPO_ROOT/.lab/kubeconfig get nodes

MSG
yarn start
